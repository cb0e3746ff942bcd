package metrics

import (
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/site"
)

func inc(date string, resolveMin int) *site.Incident {
	d, _ := time.Parse("2006-01-02", date)
	i := &site.Incident{Incident: &content.Incident{Date: d}}
	if resolveMin > 0 {
		i.Durations = []site.Duration{{Name: "resolve", D: time.Duration(resolveMin) * time.Minute}}
	}
	return i
}

func TestDurationsAreDistributions(t *testing.T) {
	var incs []*site.Incident
	for _, m := range []int{10, 20, 30, 40, 50, 60, 70, 80, 90, 600} {
		incs = append(incs, inc("2024-01-01", m))
	}
	incs = append(incs, inc("2024-01-02", 0)) // no resolve time: not counted
	d := Durations(incs)
	if len(d) != 1 || d[0].Name != "resolve" || d[0].N != 10 {
		t.Fatalf("%+v", d)
	}
	// One ten-hour outlier moves a mean to 105 minutes; the median stays at 50.
	if d[0].Median != 50*time.Minute || d[0].P90 != 90*time.Minute || d[0].Max != 600*time.Minute {
		t.Errorf("median %v p90 %v max %v", d[0].Median, d[0].P90, d[0].Max)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	v := []time.Duration{1, 2, 3}
	for p, want := range map[int]time.Duration{0: 1, 50: 2, 90: 3, 100: 3} {
		if got := Percentile(v, p); got != want {
			t.Errorf("p%d = %v, want %v", p, got, want)
		}
	}
}

func TestByMonthFillsGaps(t *testing.T) {
	m := ByMonth([]*site.Incident{inc("2023-11-02", 0), inc("2024-03-14", 0), inc("2024-03-20", 0)})
	if len(m) != 5 {
		t.Fatalf("%d months: %+v", len(m), m)
	}
	if m[0].Count != 1 || m[1].Count != 0 || m[4].Count != 2 || m[4].Month != time.March {
		t.Errorf("%+v", m)
	}
}
