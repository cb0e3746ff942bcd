package timeline

import (
	"time"

	"github.com/debrief-ssg/debrief/internal/clock"
)

// settle fills in what the log's stamps leave to the reader before they
// become instants: a day heading's date, a year not written, day and month
// read both ways, a year typed wrong. It also puts a history written
// newest first in time order.
func (x *extractor) settle() {
	es := x.tl.Entries
	for _, e := range es {
		if !e.stamp.HasDate && e.day != nil {
			d := *e.day
			e.stamp.HasDate, e.stamp.HasYear, e.stamp.Year, e.stamp.Month, e.stamp.Day, e.stamp.Ambiguous =
				true, d.HasYear, d.Year, d.Month, d.Day, d.Ambiguous
		}
	}
	ref := x.opts.Day.In(x.opts.Location)
	year := commonYear(es, ref.Year())
	last := year // the year of the last date written with one
	for _, e := range es {
		st := &e.stamp
		if !st.HasDate {
			continue
		}
		if st.HasYear {
			last = st.Year
		} else {
			st.Year = last
			// A log that starts in late December and goes on into January.
			if int(ref.Month())-int(st.Month) > 6 {
				st.Year++
			}
		}
		if st.Ambiguous {
			x.settleOrder(e, ref)
		}
	}
	x.yearTypos(es, year)
	if newestFirst(es) {
		for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
			es[i], es[j] = es[j], es[i]
		}
	}
}

// yearTypos finds a year typed wrong among consistent dates ("2022-01-11"
// in a 2023 log): not the year most dates have, far from its nearest
// dated neighbour with that year as written, within a week of it with
// that year. It is read with that year, and warned of.
func (x *extractor) yearTypos(es []*Entry, year int) {
	var dated []*Entry
	for _, e := range es {
		if e.stamp.HasDate && e.stamp.HasYear {
			dated = append(dated, e)
		}
	}
	dayOf := func(st clock.Stamp, year int) time.Time {
		return time.Date(year, st.Month, st.Day, 0, 0, 0, 0, time.UTC)
	}
	for i, e := range dated {
		if e.stamp.Year == year {
			continue
		}
		var nb *Entry
		for d := 1; d < len(dated) && nb == nil; d++ {
			for _, k := range []int{i - d, i + d} {
				if k >= 0 && k < len(dated) && dated[k].stamp.Year == year && nb == nil {
					nb = dated[k]
				}
			}
		}
		if nb == nil {
			continue
		}
		there := dayOf(nb.stamp, year)
		if absDur(dayOf(e.stamp, e.stamp.Year).Sub(there)) > 180*24*time.Hour &&
			absDur(dayOf(e.stamp, year).Sub(there)) <= 7*24*time.Hour {
			x.ds.Warnf(x.opts.Path, e.Line, e.col, "year %d is far from the dates around it: read as %d", e.stamp.Year, year)
			e.stamp.Year = year
		}
	}
}

// commonYear is the year most of the log's dates are written with, else
// the incident's.
func commonYear(es []*Entry, fallback int) int {
	type tally struct{ year, n int }
	var count []tally // a log has a year or two
	best, n := fallback, 0
	for _, e := range es {
		if !e.stamp.HasDate || !e.stamp.HasYear {
			continue
		}
		i := 0
		for i < len(count) && count[i].year != e.stamp.Year {
			i++
		}
		if i == len(count) {
			count = append(count, tally{e.stamp.Year, 0})
		}
		count[i].n++
		if count[i].n > n {
			best, n = e.stamp.Year, count[i].n
		}
	}
	return best
}

// settleOrder reads a date such as 03/04/2024 day first or month first:
// by the site's timeline.date_order, else by whichever reading is nearer
// the incident's date, with a warning when neither is clearly so.
func (x *extractor) settleOrder(e *Entry, ref time.Time) {
	st := &e.stamp
	st.Ambiguous = false
	m, d := int(st.Month), st.Day
	switch x.opts.DateOrder {
	case "mdy":
		return
	case "dmy":
		st.Month, st.Day = time.Month(d), m
		return
	}
	mdy := time.Date(st.Year, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	dmy := time.Date(st.Year, time.Month(d), m, 0, 0, 0, 0, time.UTC)
	day := time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, time.UTC)
	dm, dd := absDur(mdy.Sub(day)), absDur(dmy.Sub(day))
	if dd < dm {
		st.Month, st.Day = time.Month(d), m
	}
	if min(dm, dd) > 7*24*time.Hour {
		x.ds.Warnf(x.opts.Path, e.Line, e.col, "date %02d/%02d reads both ways and neither is near the incident's date: read as %s; set timeline.date_order to dmy or mdy",
			m, d, time.Date(st.Year, st.Month, st.Day, 0, 0, 0, 0, time.UTC).Format("2 January 2006"))
	}
}

// newestFirst reports whether a log is written newest first, as status
// pages are: its dated stamps, or all its clock times, mostly go back.
func newestFirst(es []*Entry) bool {
	if len(es) < 3 {
		return false
	}
	back, fwd := 0, 0
	var prev clock.Stamp
	has := false
	for _, e := range es {
		st := e.stamp
		if has {
			switch c := compareStamps(prev, st); {
			case c > 0:
				back++
			case c < 0:
				fwd++
			}
		}
		prev, has = st, true
	}
	return back >= 2 && back > 3*fwd
}

// compareStamps orders two stamps by date (when both have one) and clock,
// ignoring zones: a log's neighbours are written in one.
func compareStamps(a, b clock.Stamp) int {
	if a.HasDate && b.HasDate {
		ka := a.Year*10000 + int(a.Month)*100 + a.Day
		kb := b.Year*10000 + int(b.Month)*100 + b.Day
		if ka != kb {
			return ka - kb
		}
	}
	return (a.Hour*3600 + a.Min*60 + a.Sec) - (b.Hour*3600 + b.Min*60 + b.Sec)
}

// resolve gives each entry its instant. A clock time without a date is
// read on the current day; one earlier than the entry before it rolls to
// the next day when that makes a short step past midnight, and otherwise
// (a second log pasted after the first) stays on the day, with a warning.
// A dated time that goes back is kept as written, with a warning.
func (x *extractor) resolve() {
	loc := x.opts.Location
	d := x.opts.Day.In(loc)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	var prev *Entry
	for _, e := range x.tl.Entries {
		st := e.stamp
		zone := loc
		if st.Zone != nil {
			zone = st.Zone
		}
		var t time.Time
		if e.DateOnly {
			// A day without a time: its start, or the entry before it on
			// that day.
			t = time.Date(st.Year, st.Month, st.Day, 0, 0, 0, 0, loc)
			if prev != nil && t.Before(prev.At) && prev.At.Sub(t) < 24*time.Hour {
				t = prev.At
			}
		} else if st.HasDate {
			t = time.Date(st.Year, st.Month, st.Day, st.Hour, st.Min, st.Sec, st.Nsec, zone)
			if prev != nil && t.Before(prev.At) && !prev.DateOnly {
				x.ds.Warnf(x.opts.Path, e.Line, e.col, "time goes back: %q (line %d) is before %q (line %d)", short(x.quote(e.off)), e.Line, short(x.quote(prev.off)), prev.Line)
			}
		} else {
			y, m, dd := day.Date()
			t = time.Date(y, m, dd, st.Hour, st.Min, st.Sec, st.Nsec, zone)
			if prev != nil && t.Before(prev.At) {
				back := prev.At.Sub(t)
				switch {
				case e.part != prev.part && back < 12*time.Hour:
					// A heading between: a second log pasted after the first.
					x.ds.Warnf(x.opts.Path, e.Line, e.col, "clock goes back from %s to %s under a new heading: read as the same day (a second log pasted after the first); write a date to settle it", prev.clockText(), st.Clock())
				case back > 5*time.Minute || e.part == prev.part:
					t = time.Date(y, m, dd+1, st.Hour, st.Min, st.Sec, st.Nsec, zone)
					if back < 12*time.Hour {
						x.ds.Warnf(x.opts.Path, e.Line, e.col, "clock goes back from %s to %s with no date: read as the next day; write a date to settle it", prev.clockText(), st.Clock())
					}
				}
			}
		}
		if st.HasDate || !t.Before(day.AddDate(0, 0, 1)) {
			// A date, or a step past midnight: the day the next clock
			// times are on.
			y, m, d := t.In(loc).Date()
			day = time.Date(y, m, d, 0, 0, 0, 0, loc)
		}
		e.At = t
		prev = e
	}
}

// clockText is the entry's clock time, before finish sets Clock.
func (e *Entry) clockText() string { return e.stamp.Clock() }

func short(s string) string {
	if len(s) > 50 {
		return s[:50] + "…"
	}
	return s
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
