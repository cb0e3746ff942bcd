// Package metrics computes the knowledge base's headline figures: how long
// incidents took to detect, acknowledge, mitigate and resolve (as
// distributions, not bare means) and how many began each month.
package metrics

import (
	"slices"
	"time"

	"github.com/debrief-ssg/debrief/internal/site"
)

// Distribution summarises one duration across incidents.
type Distribution struct {
	Name   string // detect, acknowledge, mitigate, resolve
	N      int
	Median time.Duration
	P90    time.Duration
	Max    time.Duration
}

// DurationNames are the durations in the order they happen.
var DurationNames = []string{"detect", "acknowledge", "mitigate", "resolve"}

// Durations returns the distribution of each duration over the incidents
// that have it; a duration no incident has is left out.
func Durations(incs []*site.Incident) []Distribution {
	vals := map[string][]time.Duration{}
	for _, inc := range incs {
		for _, d := range inc.Durations {
			if d.D >= 0 {
				vals[d.Name] = append(vals[d.Name], d.D)
			}
		}
	}
	var out []Distribution
	for _, name := range DurationNames {
		v := vals[name]
		if len(v) == 0 {
			continue
		}
		slices.Sort(v)
		out = append(out, Distribution{Name: name, N: len(v), Median: Percentile(v, 50), P90: Percentile(v, 90), Max: v[len(v)-1]})
	}
	return out
}

// Percentile is the nearest-rank percentile of sorted values: a value that
// occurred, never an interpolation between two incidents.
func Percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return sorted[max(rank, 1)-1]
}

// Month is the number of incidents that began in one calendar month.
type Month struct {
	Year  int
	Month time.Month
	Count int
}

// ByMonth counts incidents per month from the first month to the last,
// months without incidents included, so a chart shows quiet stretches.
func ByMonth(incs []*site.Incident) []Month {
	if len(incs) == 0 {
		return nil
	}
	counts := map[[2]int]int{}
	first, last := incs[0].Date, incs[0].Date
	for _, inc := range incs {
		d := inc.Date
		counts[[2]int{d.Year(), int(d.Month())}]++
		if d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	var out []Month
	y, m := first.Year(), first.Month()
	for {
		out = append(out, Month{Year: y, Month: m, Count: counts[[2]int{y, int(m)}]})
		if y == last.Year() && m == last.Month() {
			break
		}
		m++
		if m > 12 {
			m, y = 1, y+1
		}
		if len(out) > 1200 { // a century is enough for any chart
			break
		}
	}
	return out
}
