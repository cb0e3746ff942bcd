package can

import (
	"regexp"
	"strings"

	"github.com/debrief-ssg/debrief/internal/timeline"
)

var timeRefRE = regexp.MustCompile(`\s*\((\d{1,2}:\d{2}(?::\d{2})?)\)`)

// AuthoredLine reads one line an author wrote under Conditions, Actions or
// Needs. A time in parentheses, (04:19:20), links it to the entry logged at
// that clock time and is taken out of the text.
//
// A line naming a time no entry has keeps its text whole (NamesTime).
func AuthoredLine(text string, k Kind, entries []*timeline.Entry) Line {
	l := Line{Text: strings.TrimSpace(text), Kind: k}
	m := timeRefRE.FindStringSubmatchIndex(l.Text)
	if m == nil {
		return l
	}
	clock := l.Text[m[2]:m[3]]
	if len(clock) == 4 || len(clock) == 7 { // 5:08 → 05:08
		clock = "0" + clock
	}
	for _, e := range entries {
		ec := e.At.Format("15:04:05")
		if ec == clock || (len(clock) == 5 && ec[:5] == clock) {
			l.At, l.Entry = e.At, e.Anchor
			l.Text = strings.TrimSpace(l.Text[:m[0]] + l.Text[m[1]:])
			break
		}
	}
	return l
}

// NamesTime reports whether an author's CAN line names a clock time,
// "(10:05)", as AuthoredLine looks for: a line that names one but matches
// no entry deserves a warning.
func NamesTime(text string) bool { return timeRefRE.MatchString(text) }
