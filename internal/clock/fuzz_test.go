package clock

import (
	"strings"
	"testing"
)

// FuzzLex: any text either is a stamp of a valid clock time or is not.
func FuzzLex(f *testing.F) {
	for _, s := range []string{"14:02", "2:05 PM", "2024-03-14T04:19:20.5+01:00", "14:02 UTC", "12:30 a.m.",
		"Jan 04, 2021 - 3:24 PM PST", "21 October 2018 22:52 UTC", "Monday, Oct 30th 14:02", "03-26 23:04", "03/04/2024 14:02",
		"14:02 UTC+2", "14:02 (CEST)", "13:55 PM", "14:02 XST", "3:24 PM PT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, n, ok := Lex(s)
		if !ok {
			return
		}
		if n <= 0 || n > len(s) || st.Hour > 23 || st.Min > 59 || st.Sec > 59 {
			t.Fatalf("Lex(%q) = %+v, %d", s, st, n)
		}
	})
}

// FuzzMeridiem: meridiem, which compares without lower-casing, reads
// exactly what the strings.ToLower version it replaced read.
func FuzzMeridiem(f *testing.F) {
	for _, s := range []string{"2:05 PM", "2:05 p.m.", "2:05 Pm.", "2:05 pmx", "2:05 A.M.", "2:05 İm", "2:05 ȺM", "2:05 a", "2:05"} {
		f.Add(s, 4)
	}
	f.Fuzz(func(t *testing.T, s string, i int) {
		if i < 0 || i > len(s) {
			return
		}
		end, pm, ok := meridiem(s, i)
		wEnd, wPM, wOK := meridiemLower(s, i)
		if end != wEnd || pm != wPM || ok != wOK {
			t.Fatalf("meridiem(%q, %d) = %d %v %v, want %d %v %v", s, i, end, pm, ok, wEnd, wPM, wOK)
		}
	})
}

// meridiemLower is meridiem as it was, lower-casing the text first.
func meridiemLower(s string, i int) (int, bool, bool) {
	j := i
	if j < len(s) && s[j] == ' ' {
		j++
	}
	rest := strings.ToLower(s[j:min(len(s), j+4)])
	for _, m := range []struct {
		text string
		pm   bool
	}{{"a.m.", false}, {"p.m.", true}, {"am", false}, {"pm", true}} {
		if strings.HasPrefix(rest, m.text) {
			end := j + len(m.text)
			if end < len(s) && isLetter(s[end]) {
				return i, false, false
			}
			return end, m.pm, true
		}
	}
	return i, false, false
}

// FuzzLexDate: a date read alone is a real day of a real month.
func FuzzLexDate(f *testing.F) {
	for _, s := range []string{"October 22, 2018", "2024-03-15", "Tuesday, March 19", "Oct 30th", "21 October 2018", "2018 October 21", "03/04/2024", "26/03", "3-26", "Sept. 3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, n, ok := LexDate(s)
		if !ok {
			return
		}
		if n <= 0 || n > len(s) || st.Month < 1 || st.Month > 12 || st.Day < 1 || st.Day > 31 {
			t.Fatalf("LexDate(%q) = %+v, %d", s, st, n)
		}
	})
}
