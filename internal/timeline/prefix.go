package timeline

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-ssg/debrief/internal/clock"
)

// Tags an entry may carry in brackets after its time.
var Tags = []string{"action", "condition", "need", "decision", "impact", "met", "key"}

// prefix is what leads an entry's line: the time, and what may follow it.
type prefix struct {
	Stamp clock.Stamp
	Tags  []string
	Actor string
	Len   int // bytes of the line the prefix takes, up to the entry's text
}

// Words that look like a "Name:" lead-in but introduce a kind of note.
var notActors = map[string]bool{
	"note": true, "update": true, "status": true, "impact": true, "action": true,
	"decision": true, "question": true, "summary": true, "todo": true, "fyi": true,
	"edit": true, "correction": true, "result": true, "info": true, "warning": true,
	"error": true, "alert": true, "outcome": true, "cause": true, "next": true,
}

// lexPrefix reads the time and lead-in of one log line. The time may be bold,
// bracketed or in backticks; a chat export's <nick> names the actor; tags in
// brackets and a "Name:" lead-in may follow. ok is false when the line does
// not start with a time.
func lexPrefix(line string, people []string) (prefix, bool) {
	var p prefix
	i := skipSpace(line, 0)
	// Openers: **, __, *, _, [, (, `.
	start := i
	for i < len(line) && i-start < 3 && strings.IndexByte("*_[(`", line[i]) >= 0 {
		i++
	}
	st, n, ok := clock.Lex(line[i:])
	if !ok {
		return p, false
	}
	p.Stamp = st
	i += n
	// Closers, then a separator.
	for i < len(line) && strings.IndexByte("*_])`", line[i]) >= 0 {
		i++
	}
	i = skipSep(line, i)
	// Chat export: <nick> text.
	if i < len(line) && line[i] == '<' {
		if j := strings.IndexByte(line[i:], '>'); j > 1 && j < 40 && !strings.ContainsAny(line[i+1:i+j], " <\"'=/") {
			p.Actor = line[i+1 : i+j]
			i = skipSep(line, i+j+1)
		}
	}
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
	words := strings.Fields(trimmed)
	if len(words) == 0 || len(words) > 3 || notActors[strings.ToLower(trimmed)] || clockLike(trimmed) {
		return "", 0
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return "", 0
		}
		for _, c := range w {
			if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune(".'-&", c) {
				return "", 0
			}
		}
	}
	return trimmed, n
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

// skipSep skips the spaces and one separator (-, –, —, :, |) after a time.
func skipSep(s string, i int) int {
	i = skipSpace(s, i)
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

func isTag(s string) bool { return containsStr(Tags, s) }

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
