// Package clock parses the time stamps incident logs are written with and
// turns clock times into instants: day rollover, time zones and DST.
package clock

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Stamp is a parsed time stamp: a clock time, perhaps with a date and a zone.
type Stamp struct {
	HasDate        bool
	HasYear        bool // false: a date such as "Oct 21" takes the log's year
	Ambiguous      bool // a date such as 03/04/2024 that reads both ways; Month, Day month first
	Year           int
	Month          time.Month
	Day            int
	Hour, Min, Sec int
	Nsec           int
	HasSec         bool
	Zone           *time.Location // nil: the file's zone
	ZoneText       string         // as written, for messages
	Slip           string         // what was read leniently, for a warning
}

// Clock formats the stamp's clock time as HH:MM or HH:MM:SS.
func (s Stamp) Clock() string { return Text(s.Hour, s.Min, s.Sec, s.HasSec) }

// AppendClock is Clock appending to b.
func (s Stamp) AppendClock(b []byte) []byte { return Append(b, s.Hour, s.Min, s.Sec, s.HasSec) }

// Text is a clock time as HH:MM, or HH:MM:SS with seconds, as fmt's %02d
// writes each field. By hand, not by fmt or time's Format: every timeline
// entry and every line of every report as of each entry is one.
func Text(hour, min, sec int, seconds bool) string {
	var buf [16]byte
	return string(Append(buf[:0], hour, min, sec, seconds))
}

// Append is Text appending to b.
func Append(b []byte, hour, min, sec int, seconds bool) []byte {
	b = append(pad2(b, hour), ':')
	b = pad2(b, min)
	if seconds {
		b = pad2(append(b, ':'), sec)
	}
	return b
}

// pad2 appends n as fmt's %02d does.
func pad2(b []byte, n int) []byte {
	if n >= 0 && n < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// Lex reads a time stamp at the start of s and returns it with the number of
// bytes it used. It accepts HH:MM, H:MM, HH:MM:SS(.fff), 12-hour forms
// (2:05 PM), a date before the time in the common forms (see date.go),
// RFC 3339, and a zone after the time (Z, UTC, GMT, +02:00, +0200, PST).
// What it reads leniently (13:55 PM, an unknown zone) it notes in Slip.
func Lex(s string) (Stamp, int, bool) {
	var st Stamp
	i := 0
	// Most stamps are a bare clock time ("14:02", "9:05"): no date to try.
	clockFirst := len(s) > 2 && isDigit(s[0]) && (s[1] == ':' || isDigit(s[1]) && s[2] == ':')
	if d, n, ok := lexDateUnless(s, clockFirst); ok {
		j, ok := dateSep(s, n)
		if !ok || j >= len(s) || !isDigit(s[j]) {
			return st, 0, false
		}
		if d.year != 0 && d.day > daysIn(time.Month(d.month), d.year) {
			return st, 0, false
		}
		st = d.stamp()
		i = j
	}
	// Hour: one or two digits.
	h, n := leadingDigits(s[i:], 2)
	if n == 0 || i+n >= len(s) || s[i+n] != ':' {
		return st, 0, false
	}
	i += n + 1
	mi, ok := digits(s, i, 2)
	if !ok || mi > 59 {
		return st, 0, false
	}
	i += 2
	st.Hour, st.Min = h, mi
	if i+2 < len(s) && s[i] == ':' && isDigit(s[i+1]) && isDigit(s[i+2]) {
		sec, _ := digits(s, i+1, 2)
		if sec > 60 {
			return st, 0, false
		}
		if sec == 60 { // leap second: keep it inside the minute
			sec = 59
		}
		st.Sec, st.HasSec = sec, true
		i += 3
		if i+1 < len(s) && (s[i] == '.' || s[i] == ',') && isDigit(s[i+1]) {
			j := i + 1
			frac, scale := 0, 100000000
			for j < len(s) && isDigit(s[j]) {
				if scale > 0 {
					frac += int(s[j]-'0') * scale
					scale /= 10
				}
				j++
			}
			st.Nsec = frac
			i = j
		}
	}
	if h > 23 {
		return st, 0, false
	}
	// 12-hour suffix; a 24-hour time with one ("13:55 PM") is a slip.
	if j, pm, ok := meridiem(s, i); ok {
		switch {
		case h >= 1 && h <= 12:
			st.Hour = h % 12
			if pm {
				st.Hour += 12
			}
		case pm && h < 12: // "0:30 PM"
			st.Hour = h + 12
			st.Slip = s[:j] + " read as " + st.Clock()
		default:
			st.Slip = s[:j] + " read as " + st.Clock()
		}
		i = j
	}
	if j, loc, text, ok := zone(s, i); ok {
		st.Zone, st.ZoneText = loc, text
		i = j
	} else if j, text, ok := unknownZone(s, i); ok {
		st.Slip = "unknown time zone " + text + ": read in the file's zone"
		i = j
	}
	// The stamp must end at a word boundary: "14:02x" is not a time.
	if i < len(s) && (isDigit(s[i]) || isLetter(s[i])) {
		return st, 0, false
	}
	return st, i, true
}

// lexDateUnless is lexDate, skipped when skip is set.
func lexDateUnless(s string, skip bool) (date, int, bool) {
	if skip {
		return date{}, 0, false
	}
	return lexDate(s)
}

// Parse reads a whole string as a stamp (front-matter values).
func Parse(s string) (Stamp, error) {
	s = strings.TrimSpace(s)
	st, n, ok := Lex(s)
	if !ok || n != len(s) {
		return st, fmt.Errorf("%q is not a time: want HH:MM[:SS], YYYY-MM-DD HH:MM[:SS] or an RFC 3339 date-time", s)
	}
	return st, nil
}

func meridiem(s string, i int) (int, bool, bool) {
	j := i
	if j < len(s) && s[j] == ' ' {
		j++
	}
	rest := s[j:min(len(s), j+4)]
	for _, m := range []struct {
		text string
		pm   bool
	}{{"a.m.", false}, {"p.m.", true}, {"am", false}, {"pm", true}} {
		if hasPrefixFold(rest, m.text) {
			end := j + len(m.text)
			if end < len(s) && isLetter(s[end]) {
				return i, false, false
			}
			return end, m.pm, true
		}
	}
	return i, false, false
}

// hasPrefixFold reports whether s starts with the lower-case ASCII
// prefix in any case, as strings.HasPrefix(strings.ToLower(s), prefix)
// would, without making a string: it runs after every clock time.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

func zone(s string, i int) (int, *time.Location, string, bool) {
	if i < len(s) && (s[i] == 'Z' || s[i] == 'z') && (i+1 == len(s) || !isLetter(s[i+1])) {
		return i + 1, time.UTC, "Z", true
	}
	j := i
	if j < len(s) && s[j] == ' ' {
		j++
	}
	// "(UTC)", "(PST)": the zone in parentheses.
	if j+1 < len(s) && s[j] == '(' {
		if k, loc, text, ok := zone(s, j+1); ok && k < len(s) && s[k] == ')' && k > j+1 && s[j+1] != ' ' {
			return k + 1, loc, text, true
		}
	}
	for _, name := range []string{"UTC", "GMT"} {
		if strings.HasPrefix(s[j:], name) && (j+3 == len(s) || !isLetter(s[j+3])) {
			// "UTC+2", "GMT-05:00": an offset from UTC.
			if k, loc, text, ok := offset(s, j+3, true); ok {
				return k, loc, name + text, true
			}
			return j + 3, time.UTC, name, true
		}
	}
	if k, loc, text, ok := offset(s, j, false); ok {
		return k, loc, text, true
	}
	if loc, k, text, _, known := abbrevZone(s, j); known {
		return k, loc, text, true
	}
	return i, nil, "", false
}

// unknownZone reads what looks like a zone abbreviation but is not one
// debrief knows ("XST"), so that it is warned of, not taken as text.
func unknownZone(s string, i int) (int, string, bool) {
	j := i
	if j < len(s) && s[j] == ' ' {
		j++
	}
	_, k, text, looks, known := abbrevZone(s, j)
	if !looks || known {
		return i, "", false
	}
	return k, text, true
}

// offset reads +02:00, +0200 or +05 at s[j:]; after UTC or GMT, +5 too.
func offset(s string, j int, short bool) (int, *time.Location, string, bool) {
	if j >= len(s) || (s[j] != '+' && s[j] != '-') {
		return j, nil, "", false
	}
	k := j + 1
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	hh, mm := 0, 0
	switch run := k - j - 1; {
	case run == 4:
		hh, _ = digits(s, j+1, 2)
		mm, _ = digits(s, j+3, 2)
	case run == 2 || (run == 1 && short):
		hh, _ = digits(s, j+1, run)
		if k+2 < len(s) && s[k] == ':' {
			m, ok := digits(s, k+1, 2)
			if !ok || (k+3 < len(s) && isDigit(s[k+3])) {
				return j, nil, "", false
			}
			mm, k = m, k+3
		}
	default:
		return j, nil, "", false
	}
	if hh > 14 || mm > 59 {
		return j, nil, "", false
	}
	off := hh*3600 + mm*60
	if s[j] == '-' {
		off = -off
	}
	text := s[j:k]
	return k, time.FixedZone(text, off), text, true
}

func digits(s string, i, n int) (int, bool) {
	if i < 0 || i+n > len(s) {
		return 0, false
	}
	v := 0
	for k := i; k < i+n; k++ {
		if !isDigit(s[k]) {
			return 0, false
		}
		v = v*10 + int(s[k]-'0')
	}
	return v, true
}

func leadingDigits(s string, max int) (int, int) {
	v, n := 0, 0
	for n < len(s) && n < max && isDigit(s[n]) {
		v = v*10 + int(s[n]-'0')
		n++
	}
	if n < len(s) && isDigit(s[n]) { // too many digits: not a clock
		return 0, 0
	}
	return v, n
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 }

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Roller turns a log's stamps into instants. Clock times are read on the
// current day; a clock time earlier than the one before it rolls over to the
// next day, as a log read top to bottom does.
type Roller struct {
	day  time.Time // midnight of the current day, in loc
	loc  *time.Location
	prev time.Time
	has  bool
}

// NewRoller starts a log on the day of start, in loc.
func NewRoller(start time.Time, loc *time.Location) *Roller {
	s := start.In(loc)
	return &Roller{day: time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, loc), loc: loc}
}

// Resolve returns the instant of the next stamp in the log. It fails when a
// dated stamp goes back by more than a day, which is a mistake, not a log.
func (r *Roller) Resolve(st Stamp) (time.Time, error) {
	loc := r.loc
	if st.Zone != nil {
		loc = st.Zone
	}
	var t time.Time
	if st.HasDate {
		t = time.Date(st.Year, st.Month, st.Day, st.Hour, st.Min, st.Sec, st.Nsec, loc)
		if r.has && t.Before(r.prev.Add(-24*time.Hour)) {
			return t, fmt.Errorf("time %s goes back more than a day from %s", t.Format(time.RFC3339), r.prev.Format(time.RFC3339))
		}
		lt := t.In(r.loc)
		r.day = time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, r.loc)
	} else {
		y, m, d := r.day.Date()
		t = time.Date(y, m, d, st.Hour, st.Min, st.Sec, st.Nsec, loc)
		if r.has && t.Before(r.prev) {
			t = time.Date(y, m, d+1, st.Hour, st.Min, st.Sec, st.Nsec, loc)
			r.day = time.Date(y, m, d+1, 0, 0, 0, 0, r.loc)
		}
	}
	r.prev, r.has = t, true
	return t, nil
}
