package can

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-ssg/debrief/internal/clock"
)

// Lines: a sentence as a short, whole report line, and reports as text.

// Words counts the words of the whole report.
func (r *Report) Words() int {
	n := 0
	for _, s := range r.Sections() {
		for _, l := range s.Lines {
			n += wordCount(l.Text)
		}
	}
	return n
}

// wordCount is len(strings.Fields(s)) without the slice: budgets are
// checked on every report of a series.
func wordCount(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return n + wordCountRunes(s[i:], in)
		}
		space := asciiSpace[c]
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// asciiSpace is unicode.IsSpace for ASCII: wordCount's fast path.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// wordCountRunes counts the words of s, in telling whether the text
// before s ended inside a word.
func wordCountRunes(s string, in bool) int {
	n := 0
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// line is the sentence as a report line, computed once: a report as of
// every entry of a long log asks for the same lines again and again.
func (s *Sentence) line() string {
	if s.short == "" {
		s.short = Concise(s.Text, s.Entry.Actor)
		s.lower = strings.ToLower(s.short)
		s.words = wordCount(s.short)
		if s.short == "" {
			s.short = "\x00"
		}
	}
	if s.short == "\x00" {
		return ""
	}
	return s.short
}

// MaxLineWords caps a derived line; a spoken report line is short.
const MaxLineWords = 15

// shorten drops what a spoken line leaves out: an introductory phrase, and
// for a long line everything after its first clause boundary.
func shorten(t string) string {
	if m := leadIn(t); m != nil && wordCount(t[m[1]:]) >= 4 {
		t = t[m[1]:]
	}
	t = strings.Replace(t, " and that ", " and ", 1)
	// Spoken reports drop the scaffolding: "There are seven cases" is
	// "Seven cases"; "It appears that the script…" is "The script…".
	t = dropFiller(t)
	if wordCount(t) <= 8 {
		return t
	}
	for i := 0; i < len(t); {
		if clauseStart(t[i]) < 0 {
			i++
			continue
		}
		n := clauseAt(t[i:])
		if n == 0 {
			i++
			continue
		}
		if wordCount(t[:i]) >= 4 {
			return strings.TrimRight(t[:i], " ,;")
		}
		i += n
	}
	return t
}

// clauses are the boundaries a long line is cut at, in clauseRE's order:
// at one position the first that fits wins, as in the pattern.
var clauses = []string{", which ", ", and that ", ", but ", ", so ", ", once ", ", because ", " because ", "; ", " — ", " – ", " - ", ", estimate ", ", roughly ", ", as ", ", while ", ", after ", ", and ", ", with ", ", then "}

// clausesBy lists clauses by their first byte (',', ' ' or ';', see
// clauseStart) and third byte (0 for a clause of two), in clauses' order;
// read-only. No clause of two bytes shares its first with a longer one,
// so clauseAt keeps the pattern's order.
var clausesBy = func() *[3][256][]string {
	var by [3][256][]string
	for _, c := range clauses {
		third := byte(0)
		if len(c) > 2 {
			third = c[2]
		}
		by[clauseStart(c[0])][third] = append(by[clauseStart(c[0])][third], c)
	}
	return &by
}()

// clauseStart numbers the bytes a clause starts with; -1 for others.
func clauseStart(c byte) int {
	switch c {
	case ',':
		return 0
	case ' ':
		return 1
	case ';':
		return 2
	}
	return -1
}

// clauseAt is the length of the clause boundary t starts with, or 0: the
// matches of clauseRE, found by a scan (shorten runs on every sentence).
func clauseAt(t string) int {
	if len(t) < 2 {
		return 0
	}
	first := clauseStart(t[0])
	if first < 0 {
		return 0
	}
	if len(t) > 2 {
		for _, c := range clausesBy[first][t[2]] {
			if strings.HasPrefix(t, c) {
				return len(c)
			}
		}
	}
	for _, c := range clausesBy[first][0] {
		if strings.HasPrefix(t, c) {
			return len(c)
		}
	}
	return 0
}

// dangling words cannot end a line (a particle such as "in" of "log in" can).
var dangling = map[string]bool{"the": true, "a": true, "an": true, "of": true, "and": true, "or": true, "to": true, "is": true, "are": true, "was": true, "were": true, "be": true, "that": true, "which": true, "but": true, "their": true, "its": true, "our": true, "his": true, "her": true, "this": true, "these": true, "with": true, "for": true, "from": true}

// wholePhrase is the first max words of ws, ended before the last clause
// that does not fit (after a comma, before a conjunction), else before the
// last such phrase (a preposition), and never on a word that leaves the
// phrase open.
func wholePhrase(ws []string, max int) string {
	const least = 5 // a shorter line says too little
	end := 0
	for tier, starts := range []map[string]bool{clauseWords, phraseWords} {
		for k := max; k >= least && end == 0; k-- {
			prev := strings.ToLower(ws[k-1])
			if dangling[strings.TrimRight(prev, ",;:")] {
				continue
			}
			if starts[strings.ToLower(ws[k])] || tier == 0 && strings.ContainsAny(prev[len(prev)-1:], ",;:") {
				end = k
			}
		}
	}
	if end == 0 {
		end = max
	}
	for end > least && dangling[strings.ToLower(strings.TrimRight(ws[end-1], ",;:"))] {
		end--
	}
	return strings.TrimRight(strings.Join(ws[:end], " "), ",;:")
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.ToUpper(r) == r && (r != utf8.RuneError || n > 1) {
		return s // most lines: no copy (an invalid byte still becomes U+FFFD)
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// FormatClock is how report lines show their time.
func FormatClock(t time.Time) string {
	h, m, sec := t.Clock()
	return clock.Text(h, m, sec, sec != 0)
}

// Text renders a report as plain text, for a status update read aloud.
func Text(r *Report, title string) string {
	var b strings.Builder
	kind := "CAN report"
	if r.Derived {
		kind = "CAN report (derived)"
	}
	fmt.Fprintf(&b, "%s: %s", kind, title)
	if !r.AsOf.IsZero() {
		fmt.Fprintf(&b, ", as of %s", r.AsOf.Format("2006-01-02 15:04:05 MST"))
	}
	b.WriteString("\n")
	for _, s := range r.Sections() {
		fmt.Fprintf(&b, "\n%s\n", strings.ToUpper(s.Name))
		if len(s.Lines) == 0 {
			fmt.Fprintf(&b, "  - No additional %s\n", strings.ToLower(s.Name))
		}
		for _, l := range s.Lines {
			if l.At.IsZero() {
				fmt.Fprintf(&b, "  - %s\n", l.Text)
			} else {
				fmt.Fprintf(&b, "  - %-8s %s\n", FormatClock(l.At), l.Text)
			}
		}
	}
	return b.String()
}

// Markdown renders a report as editable Conditions/Actions/Needs sections,
// the form `debrief can --write` appends and the next build reads verbatim.
func Markdown(r *Report) string {
	var b strings.Builder
	b.WriteString("## CAN report\n")
	for _, s := range r.Sections() {
		fmt.Fprintf(&b, "\n### %s\n\n", s.Name)
		if len(s.Lines) == 0 {
			fmt.Fprintf(&b, "- No additional %s\n", strings.ToLower(s.Name))
		}
		for _, l := range s.Lines {
			if l.At.IsZero() {
				fmt.Fprintf(&b, "- %s\n", l.Text)
			} else {
				fmt.Fprintf(&b, "- %s (%s)\n", l.Text, l.At.Format("15:04:05"))
			}
		}
	}
	return b.String()
}

var (
	// "In the current state, the e-mail is being lost": the lead-in goes.
	leadInRE = regexp.MustCompile(`^(?i:in|after|before|at|since|during|for|as|per|according to|by|with|from|on)\b[^,]{0,40}, `)
	fillerRE = regexp.MustCompile(`^(?i:there (?:is|are) (?:now )?|it (?:appears|seems|looks like) (?:that )?)`)
)

// clauseWords start a clause a long line can end before ("… able to log
// in | and do not appear to have …"); phraseWords a phrase ("… documented
// for the root cause analysis | of the incident").
var (
	clauseWords = map[string]bool{"and": true, "but": true, "so": true, "which": true, "while": true,
		"because": true, "when": true, "where": true, "until": true, "since": true, "after": true,
		"before": true, "then": true, "or": true}
	phraseWords = map[string]bool{"for": true, "to": true, "in": true, "on": true, "at": true,
		"with": true, "from": true, "as": true, "by": true, "into": true, "about": true,
		"than": true, "of": true, "that": true}
)
