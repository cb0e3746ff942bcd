package timeline

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-ssg/debrief/internal/clock"
)

// Tags an entry may carry in brackets after its time.
var Tags = []string{"action", "condition", "need", "decision", "impact", "met", "key"}

// lineKind is how a line carries its time.
type lineKind int

const (
	noTime   lineKind = iota
	leading           // the time leads the line: "14:02 text", "Ana  1:26 PM"
	trailing          // the time ends it: "text — 2018-11-24 21:03", "Posted Jan 4, 15:24 PST"
)

// prefix is what a line's time and lead-in tell of an entry.
type prefix struct {
	Stamp clock.Stamp
	Tags  []string
	Actor string
	Kind  lineKind
	Col   int // byte offset of the time in the line
	// The bytes of the line that are not the entry's text: [0, Len) for a
	// leading time, [Cut, len(line)) for a trailing one.
	Len int
	Cut int
	// Alone: the line is only the time (and an actor): a chat header, or
	// "Posted …" under a status update.
	Alone bool
	// DateOnly: a day with no time ("16 December 2024 - Escalation").
	DateOnly bool
}

// Words that look like a "Name:" lead-in but introduce a kind of note, or
// that lead a status update ("Resolved - Jan 4, 15:24").
var notActors = map[string]bool{
	"note": true, "update": true, "status": true, "impact": true, "action": true,
	"decision": true, "question": true, "summary": true, "todo": true, "fyi": true,
	"edit": true, "correction": true, "result": true, "info": true, "warning": true,
	"error": true, "alert": true, "outcome": true, "cause": true, "next": true,
	"resolved": true, "monitoring": true, "investigating": true, "identified": true,
	"update posted": true, "posted": true, "updated": true, "scheduled": true,
	"in progress": true, "completed": true, "verifying": true, "postmortem": true,
}

// Words before a time that are not the entry's text: "At 18:00 UTC, …".
var leadIns = []string{
	"at approximately ", "at approx. ", "at around ", "at about ", "at roughly ",
	"approximately ", "approx. ", "around ", "about ", "roughly ", "circa ",
	"somewhere between ", "sometime between ", "between ", "from ",
	"at ", "by ", "on ", "posted on ", "posted ", "updated on ", "updated ", "~",
}

// lexLine reads how line carries a time, if it does.
func lexLine(line string, people []string) (prefix, bool) {
	if p, ok := lexPrefix(line, people); ok {
		return p, true
	}
	if p, ok := datePrefix(line); ok {
		return p, true
	}
	if strings.IndexByte(line, ':') < 0 {
		return prefix{}, false
	}
	return lexTrailing(line)
}

// lexPrefix reads the time and lead-in of one log line. The time may be bold,
// bracketed or in backticks, after a prose lead-in; a chat export's <nick>
// or Zoom's "From Ana to Everyone:" names the actor; tags in brackets and a
// "Name:" lead-in may follow. ok is false when the line does not start with
// a time.
func lexPrefix(line string, people []string) (prefix, bool) {
	var p prefix
	i := skipSpace(line, 0)
	lead := i
	i = skipLeadIn(line, i)
	posted := i > lead && (line[lead]|0x20 == 'p' || line[lead]|0x20 == 'u')
	// Openers: **, __, *, _, [, (, `.
	start := i
	for i < len(line) && i-start < 3 && strings.IndexByte("*_[(`", line[i]) >= 0 {
		i++
	}
	st, n, ok := clock.Lex(line[i:])
	if !ok {
		if st, n, ok = dottedTime(line[i:]); !ok {
			return p, false
		}
	}
	p.Stamp, p.Kind, p.Col = st, leading, i
	i += n
	if j := skipRangeEnd(line, i); j > i || p.Col > lead && (strings.HasSuffix(strings.ToLower(line[lead:p.Col]), "between ") || strings.HasPrefix(strings.ToLower(line[lead:p.Col]), "from ")) {
		// A range: the entry is at its start, and its words are the text.
		p.Len, p.Alone = lead, false
		return p, true
	}
	// Closers, "-ish", then a separator.
	for i < len(line) && strings.IndexByte("*_])`", line[i]) >= 0 {
		i++
	}
	if strings.HasPrefix(line[i:], "-ish") || strings.HasPrefix(line[i:], "ish") && (i+3 == len(line) || !isWordByte(line[i+3])) {
		i += strings.IndexByte(line[i:], 'h') + 1
	}
	i = skipSep(line, i)
	i = p.chatActor(line, i)
	// Tags.
	for i < len(line) && line[i] == '[' {
		j := strings.IndexByte(line[i:], ']')
		if j < 0 {
			break
		}
		tag := strings.ToLower(strings.TrimSpace(line[i+1 : i+j]))
		if !isTag(tag) {
			break
		}
		if !containsStr(p.Tags, tag) {
			p.Tags = append(p.Tags, tag)
		}
		i = skipSep(line, i+j+1)
	}
	// "Name:" lead-in.
	if p.Actor == "" {
		if name, n := leadActor(line[i:], people); n > 0 {
			p.Actor = name
			i = skipSpace(line, i+n)
		}
	}
	p.Len = i
	p.Alone = strings.TrimSpace(line[i:]) == ""
	if posted && p.Alone {
		// "Posted Mar 15, 2018 - 11:23 PDT" dates the update above it.
		p.Kind, p.Cut = trailing, 0
	}
	return p, true
}

// datePrefix reads a line that starts with a date and no time, then a
// dash, colon or bar and the text: an entry of a log kept by the day.
func datePrefix(line string) (prefix, bool) {
	i := skipSpace(line, 0)
	start := i
	for i < len(line) && i-start < 3 && strings.IndexByte("*_[(`", line[i]) >= 0 {
		i++
	}
	st, n, ok := clock.LexDate(line[i:])
	if !ok {
		return prefix{}, false
	}
	col := i
	i += n
	for i < len(line) && strings.IndexByte("*_])`", line[i]) >= 0 {
		i++
	}
	j := skipSep(line, i)
	if j == i || !strings.ContainsAny(line[i:j], "-–—:|") || strings.TrimSpace(line[j:]) == "" {
		return prefix{}, false
	}
	return prefix{Stamp: st, Kind: leading, Col: col, Len: j, DateOnly: true}, true
}

// dottedTime reads "18.16 - text", a time written with a dot as many
// European logs write it; only before a dash or colon, so that "3.50 GB"
// stays text.
func dottedTime(s string) (clock.Stamp, int, bool) {
	if len(s) < 4 {
		return clock.Stamp{}, 0, false
	}
	h := 0
	k := 0
	for k < len(s) && k < 2 && isDigit(s[k]) {
		h = h*10 + int(s[k]-'0')
		k++
	}
	if k == 0 || k+3 > len(s) || s[k] != '.' || !isDigit(s[k+1]) || !isDigit(s[k+2]) || h > 23 {
		return clock.Stamp{}, 0, false
	}
	end := k + 3
	if j := skipSep(s, end); j == end || !strings.ContainsAny(s[end:j], "-–—:|") {
		return clock.Stamp{}, 0, false
	}
	st, _, ok := clock.Lex(s[:k] + ":" + s[k+1:end])
	return st, end, ok
}

// rangeWords join the two ends of a range.
var rangeWords = []string{" and ", " to ", " - ", " – ", " — ", "-", "–"}

// skipRangeEnd skips the end of a range after its start ("8:51 and 8:54",
// "8:56 to 9:02", "1:46pm - 5:30pm"): the entry is at the start.
func skipRangeEnd(line string, i int) int {
	for _, w := range rangeWords {
		if k := i + len(w); k < len(line) && isDigit(line[k]) && strings.HasPrefix(line[i:], w) {
			if _, n, ok := clock.Lex(line[i+len(w):]); ok {
				return i + len(w) + n
			}
		}
	}
	return i
}

// chatActor reads the speaker chat copies put after the time: IRC's
// "<nick>" or "< nick>", Zoom's "From Ana to Everyone:".
func (p *prefix) chatActor(line string, i int) int {
	if i < len(line) && line[i] == '<' {
		j := strings.IndexByte(line[i:], '>')
		if j > 1 && j < 40 {
			nick := strings.TrimLeft(line[i+1:i+j], " @+%&~")
			if nick != "" && !strings.ContainsAny(nick, " <\"'=/") {
				p.Actor = nick
				return skipSep(line, i+j+1)
			}
		}
	}
	if strings.HasPrefix(line[i:], "From ") {
		rest := line[i+5:]
		if c := strings.Index(rest, ":"); c > 0 && c < 60 {
			name := rest[:c]
			if k := strings.Index(name, " to "); k > 0 {
				name = name[:k]
			}
			if name = strings.TrimSpace(name); name != "" {
				p.Actor = name
				return skipSpace(line, i+5+c+1)
			}
		}
	}
	return i
}

func skipLeadIn(line string, i int) int {
	// Most lines start with the time or an opener: no lead-in to try.
	if i >= len(line) || line[i] != '~' && (line[i]|0x20 < 'a' || line[i]|0x20 > 'z') {
		return i
	}
	for _, w := range leadIns {
		if len(line)-i > len(w) && strings.EqualFold(line[i:i+len(w)], w) {
			return i + len(w)
		}
	}
	return i
}

// lexTrailing reads a time that ends a line: a chat header ("Ana  1:26 PM",
// "Ana [1:26 PM]", "Ana — Today at 1:26 PM"), a status update's "Posted Jan
// 04, 2021 - 15:24 PST", or a dated time after the text ("… — 2018-11-24
// 21:03"). Other times inside prose are not entries.
func lexTrailing(line string) (prefix, bool) {
	end := len(strings.TrimRight(line, " \t\r\n.)]*_"))
	if end == 0 {
		return prefix{}, false
	}
	if c := line[end-1]; !isDigit(c) && !(c >= 'A' && c <= 'Z') && c != 'm' {
		return prefix{}, false
	}
	// The clock's colon is near the end ("14:02:11 PM PDT"), and a whole
	// stamp is short: look only there, as this runs on every untimed line.
	colon := strings.LastIndexByte(line[:end], ':')
	if colon < 0 || end-colon > 16 {
		return prefix{}, false
	}
	for k := max(1, end-maxStamp); k < end; k++ {
		if b := line[k-1]; b != ' ' && b != '[' && b != '(' || line[k] == ' ' {
			continue
		}
		st, n, ok := clock.Lex(line[k:end])
		if !ok || k+n != end {
			continue
		}
		head, sep := beforeStamp(line[:k])
		if p, ok := trailingPrefix(st, head, sep, line, k); ok {
			return p, true
		}
	}
	return prefix{}, false
}

// maxStamp is the longest a stamp runs: "Wednesday, September 30th, 2018
// at 12:30:45 p.m. AKDT".
const maxStamp = 64

// beforeStamp splits what precedes a trailing time into the text and the
// separator that joins them ("  ", " [", " — ", " — Today at ").
func beforeStamp(s string) (head, sep string) {
	h := strings.TrimRight(s, " [(")
	for _, w := range []string{"Today at", "Yesterday at", "today at", "yesterday at", "Posted on", "Posted", "Updated", "posted", "at", "on"} {
		if strings.HasSuffix(h, " "+w) || h == w {
			h = strings.TrimRight(strings.TrimSuffix(h, w), " ")
			break
		}
	}
	h2 := strings.TrimRight(h, " -–—|,")
	return h2, s[len(h2):]
}

func trailingPrefix(st clock.Stamp, head, sep, line string, k int) (prefix, bool) {
	p := prefix{Stamp: st, Kind: trailing, Col: k, Cut: len(head)}
	if head == "" {
		p.Alone = true
		return p, true
	}
	words := strings.Fields(head)
	// Slack's "nick  1:26 PM" and "nick [1:26 PM]" take any nick; a dash
	// ("Bob — Today at 1:27 PM", Discord) takes a name, as "Deploy started —
	// 2024-03-14 21:03" is a time after the text.
	slack := strings.Contains(sep, "  ") || strings.Contains(sep, "[")
	discord := strings.Contains(sep, "day at") || strings.ContainsAny(sep, "—-") && isName(strings.TrimSuffix(head, " APP"))
	if name := strings.TrimSuffix(head, " APP"); len(words) <= 4 && len(head) <= 40 &&
		!notActors[strings.ToLower(head)] && !strings.ContainsAny(head, ".!?,;:") && (slack || discord) {
		// A chat header: the name, then the time, and the message below.
		p.Actor, p.Alone, p.Kind, p.Len = name, true, leading, len(line)
		return p, true
	}
	// Prose that ends in a time is an entry only with a date and a dash
	// or bar before it, or as a status update's label.
	if !st.HasDate && !notActors[strings.ToLower(head)] {
		return prefix{}, false
	}
	if !strings.ContainsAny(sep, "—–-|") && !strings.Contains(sep, "osted") && !strings.Contains(sep, "pdated") {
		return prefix{}, false
	}
	return p, true
}

func leadActor(s string, people []string) (string, int) {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || colon > 40 || (colon+1 < len(s) && s[colon+1] != ' ' && s[colon+1] != '\t') {
		return "", 0
	}
	name := s[:colon]
	// A bold name, **Ana:** or **Ana**:, is still a name.
	trimmed := strings.Trim(name, "*_")
	n := colon + 1
	if strings.HasPrefix(s[n:], "**") || strings.HasPrefix(s[n:], "__") {
		n += 2
	}
	for _, p := range people {
		if strings.EqualFold(p, trimmed) {
			return p, n
		}
	}
	if isName(trimmed) {
		return trimmed, n
	}
	return "", 0
}

// isName reports whether s reads as a person's or a team's name: one to
// three capitalised words, not a kind of note.
func isName(s string) bool {
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") && !strings.ContainsAny(s[i+2:len(s)-1], " ()") {
		s = s[:i] // "Greg Spencer (gspencergoog)": a name and a handle
	}
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 3 || notActors[strings.ToLower(s)] || clockLike(s) {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
		for _, c := range w {
			if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune(".'-&", c) {
				return false
			}
		}
	}
	return true
}

func clockLike(s string) bool {
	_, _, ok := clock.Lex(s)
	return ok
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// skipSep skips the spaces and one separator (-, –, —, :, |, ,) after a time.
func skipSep(s string, i int) int {
	i = skipSpace(s, i)
	if i < len(s) && s[i] == ',' {
		return skipSpace(s, i+1)
	}
	for _, sep := range []string{"–", "—", "-", ":", "|"} {
		if strings.HasPrefix(s[i:], sep) {
			j := i + len(sep)
			if j == len(s) || s[j] == ' ' || s[j] == '\t' {
				return skipSpace(s, j)
			}
		}
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c >= 0x80
}

func isTag(s string) bool { return containsStr(Tags, s) }

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
