package clock

import (
	"time"
)

// The dates logs put before a clock time, read by lexDate: numeric
// (2024-03-14, 2017/02/01, 03/04/2024, 03-26), with a month name (Jan 04,
// 2021; 21 October 2018; 2018 October 21; Oct 30th), perhaps after a
// weekday (Monday, Oct 30th). What a date lacks (the year) or leaves open
// (day and month order) is recorded on the stamp for the timeline to settle.

// months are the month names and abbreviations logs use, lower-case.
var months = []struct {
	name string
	m    time.Month
}{
	{"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6},
	{"july", 7}, {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
	{"sept", 9}, {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7},
	{"aug", 8}, {"sep", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
}

var weekdays = []string{
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"tues", "thurs", "thur", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
}

// date is a lexed date; year 0 means none was written.
type date struct {
	year, month, day int
	ambiguous        bool // numeric day and month that read both ways: month first here
}

// word reads an ASCII letter word at s[i:] that is one of names (as a whole
// word, case-blind, perhaps followed by a dot) and returns its index in
// names and the end.
func word(s string, i int, names func(k int) (string, bool)) (int, int) {
	j := i
	for j < len(s) && (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z') {
		j++
	}
	if j == i {
		return -1, i
	}
	for k := 0; ; k++ {
		name, ok := names(k)
		if !ok {
			return -1, i
		}
		if len(name) == j-i && hasPrefixFold(s[i:j], name) {
			if j < len(s) && s[j] == '.' {
				j++
			}
			return k, j
		}
	}
}

func monthAt(s string, i int) (time.Month, int) {
	k, j := word(s, i, func(k int) (string, bool) {
		if k >= len(months) {
			return "", false
		}
		return months[k].name, true
	})
	if k < 0 {
		return 0, i
	}
	return months[k].m, j
}

// skipWeekday skips "Monday, ", "Mon " and the like.
func skipWeekday(s string, i int) int {
	k, j := word(s, i, func(k int) (string, bool) {
		if k >= len(weekdays) {
			return "", false
		}
		return weekdays[k], true
	})
	if k < 0 {
		return i
	}
	if j < len(s) && s[j] == ',' {
		j++
	}
	if j < len(s) && s[j] == ' ' {
		return j + 1
	}
	return i
}

// dayNumber reads a day of the month, with an ordinal suffix if written.
func dayNumber(s string, i int) (int, int) {
	d, n := leadingDigits(s[i:], 2)
	if n == 0 || d < 1 || d > 31 {
		return 0, i
	}
	j := i + n
	if j+1 < len(s) {
		switch suf := s[j : j+2]; {
		case hasPrefixFold(suf, "st"), hasPrefixFold(suf, "nd"), hasPrefixFold(suf, "rd"), hasPrefixFold(suf, "th"):
			j += 2
		}
	}
	if j < len(s) && isLetter(s[j]) {
		return 0, i
	}
	return d, j
}

// yearAfter reads ", 2021" or " 2021" after a day, if there.
func yearAfter(s string, i int) (int, int) {
	j := i
	if j < len(s) && s[j] == ',' {
		j++
	}
	if j < len(s) && s[j] == ' ' {
		j++
	}
	if y, ok := digits(s, j, 4); ok && y >= 1970 && (j+4 == len(s) || !isDigit(s[j+4]) && s[j+4] != ':') {
		return y, j + 4
	}
	return 0, i
}

// lexDate reads a date at the start of s.
func lexDate(s string) (date, int, bool) {
	i := skipWeekday(s, 0)
	if d, n, ok := numericDate(s[i:]); ok {
		return d, i + n, true
	}
	// Month first: "Jan 04, 2021", "October 21", "Oct 30th".
	if m, j := monthAt(s, i); m != 0 && j < len(s) && s[j] == ' ' {
		if d, k := dayNumber(s, j+1); d > 0 {
			y, k2 := yearAfter(s, k)
			return date{y, int(m), d, false}, k2, true
		}
	}
	// Day first: "21 October 2018", "4 Jan".
	if d, j := dayNumber(s, i); d > 0 && j < len(s) && s[j] == ' ' {
		if m, k := monthAt(s, j+1); m != 0 {
			y, k2 := yearAfter(s, k)
			return date{y, int(m), d, false}, k2, true
		}
	}
	// Year first with a month name: "2018 October 21".
	if y, ok := digits(s, i, 4); ok && i+5 < len(s) && s[i+4] == ' ' {
		if m, j := monthAt(s, i+5); m != 0 && j < len(s) && s[j] == ' ' {
			if d, k := dayNumber(s, j+1); d > 0 {
				return date{y, int(m), d, false}, k, true
			}
		}
	}
	return date{}, 0, false
}

// numericDate reads 2024-03-14, 2017/02/01, 03/04/2024, 3/4/24, 03-26.
func numericDate(s string) (date, int, bool) {
	if y, ok := digits(s, 0, 4); ok && len(s) >= 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] {
		m, ok1 := digits(s, 5, 2)
		d, ok2 := digits(s, 8, 2)
		if !ok1 || !ok2 || m < 1 || m > 12 || d < 1 || d > 31 {
			return date{}, 0, false
		}
		return date{y, m, d, false}, 10, true
	}
	a, n1 := leadingDigits(s, 2)
	if n1 == 0 || n1 >= len(s) || (s[n1] != '/' && s[n1] != '-' && s[n1] != '.') {
		return date{}, 0, false
	}
	sep := s[n1]
	b, n2 := leadingDigits(s[n1+1:], 2)
	if n2 == 0 {
		return date{}, 0, false
	}
	end := n1 + 1 + n2
	y := 0
	if end < len(s) && s[end] == sep {
		yy, n3 := leadingDigits(s[end+1:], 4)
		switch n3 {
		case 4:
			y = yy
		case 2:
			y = 2000 + yy
		default:
			return date{}, 0, false
		}
		end += 1 + n3
	} else if sep != '-' && sep != '/' {
		return date{}, 0, false
	}
	switch {
	case a >= 1 && a <= 12 && b >= 1 && b <= 12 && a != b && sep != '-':
		return date{y, a, b, true}, end, true // 03/04: read both ways
	case a >= 1 && a <= 12 && b >= 1 && b <= 31:
		return date{y, a, b, false}, end, true // month first: 03/26, 03-26
	case b >= 1 && b <= 12 && a >= 13 && a <= 31 && sep != '-':
		return date{y, b, a, false}, end, true // day first: 26/03
	}
	return date{}, 0, false
}

// dateSep skips what logs write between a date and its time: a space, a
// comma, " - ", " – ", " — ", " at ", " @ ", " | ", or RFC 3339's T.
func dateSep(s string, i int) (int, bool) {
	if i < len(s) && (s[i] == 'T' || s[i] == 't') && i+1 < len(s) && isDigit(s[i+1]) {
		return i + 1, true
	}
	j := i
	if j < len(s) && s[j] == ',' {
		j++
	}
	if j >= len(s) || s[j] != ' ' {
		return i, false
	}
	j++
	for _, w := range []string{"- ", "– ", "— ", "at ", "@ ", "| ", ", "} {
		if len(s) >= j+len(w) && hasPrefixFold(s[j:j+len(w)], w) {
			return j + len(w), true
		}
	}
	return j, true
}

// LexDate reads a date alone at the start of s, as a day heading or a
// line naming the day before a list of clock times: "October 22, 2018",
// "2024-03-15", "Day 2 — Tue Mar 15". It returns the date and its length.
func LexDate(s string) (Stamp, int, bool) {
	d, n, ok := lexDate(s)
	if !ok || (d.year == 0 && n < len(s) && s[n] == '-') {
		return Stamp{}, 0, false
	}
	if n < len(s) && (isDigit(s[n]) || isLetter(s[n])) {
		return Stamp{}, 0, false
	}
	return d.stamp(), n, true
}

func (d date) stamp() Stamp {
	return Stamp{HasDate: true, HasYear: d.year != 0, Year: d.year, Month: time.Month(d.month), Day: d.day, Ambiguous: d.ambiguous}
}
