package timeline

import (
	"regexp"
	"strings"
)

// timeLike finds what a reader takes for a time at the start of a line
// (after list markers, emphasis and brackets): digits, a colon or an h and
// two digits ("25:61", "14h02", "2.30pm"), or a numeric date before one.
var timeLike = regexp.MustCompile(`^[\s*_\[(` + "`" + `~]*(?:(?:at|around|about|approximately)\s+)?(?:\d{1,4}[./-]\d{1,2}(?:[./-]\d{1,4})?[ T,]+)?\d{1,2}(?::\d{2}|h\d{2}|\.\d{2}\s*[ap]\.?m\b)`)

// noteMiss remembers a line that looks like it starts with a time but
// matched no form: a file with no entries names them, and an impossible
// clock time ("25:61", "24:00") is warned of in any file.
func (x *extractor) noteMiss(line string, offset int) {
	// A time-like start has a digit in its first few bytes: most lines
	// are ruled out without the pattern.
	if !strings.ContainsAny(line[:min(len(line), 24)], "0123456789") {
		return
	}
	loc := timeLike.FindStringIndex(strings.ToLower(line))
	if loc == nil {
		return
	}
	l, c := x.pos(offset)
	text := strings.TrimSpace(line)
	if len(text) > 60 {
		text = text[:60] + "…"
	}
	m := nearMiss{line: l, col: c, text: text}
	if impossibleClock(line[:loc[1]]) {
		x.ds.Warnf(x.opts.Path, l, c, "%q is not a clock time: the line is kept as text", strings.TrimSpace(line[:loc[1]]))
		return
	}
	x.nearMiss = append(x.nearMiss, m)
}

var clockDigits = regexp.MustCompile(`(\d{1,2}):(\d{2})$`)

// impossibleClock reports whether s ends in HH:MM with an hour past 23 or
// minutes past 59.
func impossibleClock(s string) bool {
	m := clockDigits.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	return m[1] > "23" && len(m[1]) == 2 || m[2] > "59"
}
