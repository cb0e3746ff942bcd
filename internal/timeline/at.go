package timeline

import (
	"time"

	"github.com/debrief-ssg/debrief/internal/clock"
)

// At is the instant a stamp names on this timeline, for a report as of a
// time: a date-time as written; a clock time on the day of the log it
// falls in. A clock time without seconds takes the whole minute ("as of
// 05:15" includes 05:15:52). When a clock time falls in the log on more
// than one day, ok is false and candidates lists them.
func (tl *Timeline) At(st clock.Stamp, loc *time.Location, year int) (t time.Time, candidates []time.Time, ok bool) {
	zone := loc
	if st.Zone != nil {
		zone = st.Zone
	}
	if !st.HasSec {
		st.Sec, st.Nsec = 59, 999999999
	}
	if st.HasDate {
		if !st.HasYear {
			st.Year = year
		}
		return time.Date(st.Year, st.Month, st.Day, st.Hour, st.Min, st.Sec, st.Nsec, zone), nil, true
	}
	if len(tl.Entries) == 0 {
		return time.Time{}, nil, false
	}
	first, last := tl.Entries[0].At, tl.Entries[0].At
	for _, e := range tl.Entries {
		if e.At.Before(first) {
			first = e.At
		}
		if e.At.After(last) {
			last = e.At
		}
	}
	// The log's days, from the day before its first entry's (a time before
	// it) to its last entry's.
	f := first.In(loc)
	day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc)
	var inLog []time.Time
	for d := day; !d.After(last); d = d.AddDate(0, 0, 1) {
		c := time.Date(d.Year(), d.Month(), d.Day(), st.Hour, st.Min, st.Sec, st.Nsec, zone)
		candidates = append(candidates, c)
		if !c.Before(first.Truncate(time.Minute)) && !c.After(last.Add(time.Minute)) {
			inLog = append(inLog, c)
		}
	}
	switch len(inLog) {
	case 0:
		return candidates[0], nil, true // before or after the log: its first day
	case 1:
		return inLog[0], nil, true
	}
	return time.Time{}, inLog, false
}
