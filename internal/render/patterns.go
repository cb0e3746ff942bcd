package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/metrics"
	"github.com/debrief-ssg/debrief/internal/site"
)

// PatternsPath is the site-wide page of command observations. It lives
// under can/, a folder the site reserves already: the observations come
// from the same statements as the CAN reports.
const PatternsPath = "can/patterns/index.html"

// PatternsView is the command observations of every incident as
// distributions, each figure with the incidents behind it.
type PatternsView struct {
	Incidents int // incidents with a timeline
	Rows      []PatternRow
	Silences  []PatternItem // the longest silences of the site
}

// PatternRow is one figure: what it measures, its value across incidents,
// and the incidents it is made of.
type PatternRow struct {
	Label, Figure, Detail string
	Items                 []PatternItem
}

// PatternItem links an incident (Href, to the entry when there is one)
// with its own value for the figure.
type PatternItem struct {
	Href, ID, Title, Value string
}

// patternsView gathers the observations of the site's incidents; root is
// the page's way to the site root.
func patternsView(s *site.Site, root string) *PatternsView {
	v := &PatternsView{}
	type kindStats struct {
		durations []time.Duration
		items     []PatternItem
		open, n   int
		incidents int
	}
	stats := map[can.ObservationKind]*kindStats{}
	unanswered := &kindStats{}
	type silence struct {
		d    time.Duration
		item PatternItem
	}
	var silences []silence
	for _, inc := range s.Incidents {
		if inc.Timeline == nil || len(inc.Timeline.Entries) == 0 {
			continue
		}
		v.Incidents++
		href := root + site.URL(inc)
		counts := map[can.ObservationKind]int{} // this incident's, by kind
		for _, o := range inc.Observations {
			st := stats[o.Kind]
			if st == nil {
				st = &kindStats{}
				stats[o.Kind] = st
			}
			st.n++
			if o.Open {
				st.open++
			}
			if o.Seconds != nil && !o.Open {
				st.durations = append(st.durations, time.Duration(*o.Seconds)*time.Second)
			}
			if o.Kind == can.Silence && o.Seconds != nil && len(o.Entries) > 0 {
				d := time.Duration(*o.Seconds) * time.Second
				silences = append(silences, silence{d, PatternItem{Href: href + "#" + o.Entries[0], ID: inc.ID, Title: inc.Title, Value: FormatDuration(d)}})
			}
			if o.Kind == can.RepeatedQuestion && o.Open && (len(unanswered.items) == 0 || unanswered.items[len(unanswered.items)-1].ID != inc.ID) {
				unanswered.items = append(unanswered.items, PatternItem{Href: href + "#" + o.Entries[0], ID: inc.ID, Title: inc.Title})
			}
			if counts[o.Kind]++; counts[o.Kind] == 1 {
				st.incidents++
				st.items = append(st.items, PatternItem{Href: href + "#" + o.Entries[0], ID: inc.ID, Title: inc.Title, Value: itemValue(o)})
			}
		}
		// An incident with several of a kind says how many.
		for k, n := range counts {
			if n > 1 {
				it := &stats[k].items[len(stats[k].items)-1]
				it.Value = strings.TrimSpace(it.Value + " ×" + strconv.Itoa(n))
			}
		}
	}
	if v.Incidents == 0 {
		return v
	}
	get := func(k can.ObservationKind) *kindStats {
		if st := stats[k]; st != nil {
			return st
		}
		return &kindStats{}
	}
	dw := get(can.DecisionWait)
	v.Rows = append(v.Rows, distributionRow("Time to a decision asked for", dw.durations, dw.open, "never decided", dw.items))
	rq := get(can.RepeatedQuestion)
	v.Rows = append(v.Rows,
		PatternRow{Label: "Questions asked again and never answered", Figure: share(len(unanswered.items), v.Incidents), Items: unanswered.items},
		PatternRow{Label: "Questions asked more than once", Figure: share(rq.incidents, v.Incidents), Detail: count(rq.n, "question"), Items: rq.items})
	rc := get(can.RoleConfusion)
	v.Rows = append(v.Rows, PatternRow{Label: "Confusion over who leads or owns", Figure: count(rc.n, "observation"), Detail: "in " + share(rc.incidents, v.Incidents), Items: rc.items})
	ta := get(can.TimeToAction)
	v.Rows = append(v.Rows, distributionRow("Time from the impact to the first action", ta.durations, 0, "", ta.items))
	ed := get(can.EndingDecision)
	v.Rows = append(v.Rows, distributionRow("Time from the impact to the deciding call", ed.durations, 0, "", ed.items))
	on := get(can.OpenNeed)
	v.Rows = append(v.Rows, PatternRow{Label: "Needs still open at the end", Figure: share(on.incidents, v.Incidents), Detail: count(on.n, "need"), Items: on.items})
	uw := get(can.UnconfirmedWork)
	v.Rows = append(v.Rows, PatternRow{Label: "Work handed out, never reported done", Figure: count(uw.n, "task"), Detail: "in " + share(uw.incidents, v.Incidents), Items: uw.items})
	slices.SortStableFunc(silences, func(a, b silence) int { return int(b.d - a.d) })
	for _, sl := range silences[:min(len(silences), 10)] {
		v.Silences = append(v.Silences, sl.item)
	}
	return v
}

// distributionRow is a row of durations: the median, with the 90th
// percentile, the longest and how many never came in its detail.
func distributionRow(label string, ds []time.Duration, never int, neverWord string, items []PatternItem) PatternRow {
	row := PatternRow{Label: label, Figure: "—", Items: items}
	if len(ds) > 0 {
		slices.Sort(ds)
		row.Figure = "median " + FormatDuration(metrics.Percentile(ds, 50))
		row.Detail = fmt.Sprintf("90th percentile %s, longest %s, of %d", FormatDuration(metrics.Percentile(ds, 90)), FormatDuration(ds[len(ds)-1]), len(ds))
	}
	if never > 0 {
		if row.Detail != "" {
			row.Detail += "; "
		}
		row.Detail += strconv.Itoa(never) + " " + neverWord
	}
	return row
}

// itemValue is what an incident's first observation of a kind gives its
// link: its duration, or "never".
func itemValue(o can.Observation) string {
	switch {
	case o.Open && (o.Kind == can.DecisionWait || o.Kind == can.RepeatedQuestion):
		return "never"
	case o.Seconds != nil && o.Kind != can.OpenNeed && o.Kind != can.Silence:
		return FormatDuration(time.Duration(*o.Seconds) * time.Second)
	}
	return ""
}

// share says k of n as a percentage and the counts: "33% (2 of 6)".
func share(k, n int) string {
	return fmt.Sprintf("%d%% (%d of %d)", (100*k+n/2)/n, k, n)
}

// count says how many: "1 need", "3 needs".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
