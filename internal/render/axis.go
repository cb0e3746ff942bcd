package render

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/debrief-ssg/debrief/internal/site"
)

// Axis is the timeline drawn at build time: geometry only; the theme's
// partial turns it into SVG.
type Axis struct {
	Width, Height float64
	Top, Bottom   float64 // y of the axis band
	Ticks         []Tick
	Marks         []Mark
	Milestones    []Milestone
	Silences      []Silence
	Lanes         []Lane
}

// Tick is a labelled time on the axis.
type Tick struct {
	X             float64
	Label, Offset string // clock in the incident's zone; T+hh:mm from the start
}

// Mark is one entry on the axis.
type Mark struct {
	X, Y         float64
	Kind, Anchor string
	Clock, Title string
}

// Milestone is a key moment.
type Milestone struct {
	X                   float64
	LabelY              float64 // staggered so close labels do not overlap
	Name, Clock, Anchor string
}

// Silence is a stretch with no entry for longer than the site's threshold.
type Silence struct {
	X, W  float64
	Label string
}

// Lane is a row of marks of one kind.
type Lane struct {
	Y     float64
	Label string
}

const (
	axisWidth  = 1000.0
	axisLeft   = 70.0 // room for lane labels
	axisRight  = 20.0
	laneHeight = 18.0
)

var laneOrder = []string{"condition", "action", "need", "other"}

// primaryKind is the colour of an entry's mark: its tag, else what its
// sentences were classed as, a need before an action before a condition.
func primaryKind(kinds []string) string {
	for _, k := range []string{"need", "action", "condition"} {
		for _, x := range kinds {
			if x == k {
				return k
			}
		}
	}
	return "other"
}

// buildAxis lays out an incident's timeline; nil when there is nothing to
// draw.
func buildAxis(inc *site.Incident, kinds map[string][]string, silence time.Duration) *Axis {
	es := inc.Timeline.Entries
	if len(es) == 0 {
		return nil
	}
	start, end := es[0].At, es[0].At
	for _, e := range es {
		if e.At.Before(start) {
			start = e.At
		}
		if e.At.After(end) {
			end = e.At
		}
	}
	for _, m := range inc.Moments {
		if m.At.Before(start) {
			start = m.At
		}
		if m.At.After(end) {
			end = m.At
		}
	}
	origin := start
	if s, ok := inc.Moment("started"); ok {
		origin = s
	}
	span := end.Sub(start)
	if span < 10*time.Minute {
		// Pad a short log so its marks do not sit on top of each other.
		pad := (10*time.Minute - span) / 2
		start, end, span = start.Add(-pad), end.Add(pad), 10*time.Minute
	}
	a := &Axis{Width: axisWidth}
	a.Top = 28
	for i, l := range laneOrder {
		a.Lanes = append(a.Lanes, Lane{Y: a.Top + laneHeight*float64(i) + laneHeight/2, Label: l})
	}
	a.Bottom = a.Top + laneHeight*float64(len(laneOrder))
	a.Height = a.Bottom + 34
	x := func(t time.Time) float64 {
		f := float64(t.Sub(start)) / float64(span)
		return round1(axisLeft + f*(axisWidth-axisLeft-axisRight))
	}
	step := tickStep(span)
	loc := inc.Location
	// Ticks on round local times: count steps from the local midnight.
	ls := start.In(loc)
	first := time.Date(ls.Year(), ls.Month(), ls.Day(), 0, 0, 0, 0, loc)
	for first.Before(start) {
		first = first.Add(step)
	}
	for t := first; !t.After(end); t = t.Add(step) {
		a.Ticks = append(a.Ticks, Tick{X: x(t), Label: t.In(loc).Format("15:04"), Offset: offset(t.Sub(origin))})
	}
	a.Marks = make([]Mark, 0, len(es))
	for i, e := range es {
		k := primaryKind(kinds[e.Anchor])
		lane := len(laneOrder) - 1
		for j, l := range laneOrder {
			if l == k {
				lane = j
			}
		}
		// One string per mark, not one per part of it.
		text, more := excerpt(e.Text, 12)
		var title string
		switch {
		case e.Actor != "" && more:
			title = e.Clock + " " + e.Actor + ": " + text + "…"
		case e.Actor != "":
			title = e.Clock + " " + e.Actor + ": " + text
		case more:
			title = e.Clock + " " + text + "…"
		default:
			title = e.Clock + " " + text
		}
		a.Marks = append(a.Marks, Mark{X: x(e.At), Y: a.Lanes[lane].Y, Kind: k, Anchor: e.Anchor, Clock: e.Clock, Title: title})
		if i > 0 {
			if gap := e.At.Sub(es[i-1].At); gap >= silence {
				x0 := x(es[i-1].At)
				a.Silences = append(a.Silences, Silence{X: x0, W: round1(x(e.At) - x0), Label: fmt.Sprintf("%s without an entry", FormatDuration(gap))})
			}
		}
	}
	for _, m := range inc.Moments {
		ms := Milestone{X: x(m.At), Name: m.Name, Clock: clockIn(m.At, loc)}
		for _, e := range es {
			if e.At.Equal(m.At) {
				ms.Anchor = e.Anchor
				break
			}
		}
		a.Milestones = append(a.Milestones, ms)
	}
	for _, e := range es {
		if e.Has("key") {
			a.Milestones = append(a.Milestones, Milestone{X: x(e.At), Name: "key", Clock: e.Clock, Anchor: e.Anchor})
		}
	}
	// Stagger labels of milestones that stand close together.
	slices.SortStableFunc(a.Milestones, func(p, q Milestone) int { return cmp.Compare(p.X, q.X) })
	for i := range a.Milestones {
		a.Milestones[i].LabelY = 10
		if i > 0 && a.Milestones[i].X-a.Milestones[i-1].X < 70 && a.Milestones[i-1].LabelY == 10 {
			a.Milestones[i].LabelY = 21
		}
	}
	return a
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// tickStep picks a round interval giving about six to twelve ticks.
func tickStep(span time.Duration) time.Duration {
	for _, s := range []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour} {
		if span/s <= 12 {
			return s
		}
	}
	return time.Duration(span / 12).Round(24 * time.Hour)
}

func offset(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "−", -d
	}
	return fmt.Sprintf("T%s%d:%02d", sign, int(d.Hours()), int(d.Minutes())%60)
}

// excerpt is s up to its words-th space, and whether it was cut there.
func excerpt(s string, words int) (string, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			n++
			if n == words {
				return s[:i], true
			}
		}
	}
	return s, false
}
