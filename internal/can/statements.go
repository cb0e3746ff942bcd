package can

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-ssg/debrief/internal/timeline"
)

// Statements: a log entry's sentences, and what each reports once its
// reporting frame ("Pete reports that …") and quotes are taken off.

// isAnswer: the sentence says it answers ("Pete responds"). has is what
// literals.find gives for lower.
func isAnswer(text, lower string, has *litSet) bool {
	return !lacksAny(lower, has, answerIDs) && answerRE.MatchString(text)
}

// isEstimate: the sentence gives a time ("our best guess is 17:15").
func isEstimate(text, lower string, has *litSet) bool {
	return !lacksAny(lower, has, estimateIDs) && estimateRE.MatchString(text)
}

// answerIDs and estimateIDs are answerWords and estimateWords in the
// literal table: a sentence's literals are found once, for the rules and
// these together.
var answerIDs, estimateIDs = literals.ids(answerWords), literals.ids(estimateWords)

// lacksAny reports whether lower, a lower-cased sentence whose literals
// are has, holds none of the words ids stand for and is plain ASCII: then
// no case-insensitive pattern needing one of the words can match. (Beyond
// ASCII, case folding has surprises: "ſ" folds to "s", so the regexp
// decides.)
func lacksAny(lower string, has *litSet, ids []int) bool {
	for i := 0; i < len(lower); i++ {
		if lower[i] >= utf8.RuneSelf {
			return false
		}
	}
	return !slices.ContainsFunc(ids, has.has)
}

var answerRE = regexp.MustCompile(`(?i)\b(answers|answered|responds|replies|replied|offers that)\b`)

// spacedSet is a few phrases that start with a space ("says"), found at
// the spaces of a sentence by the byte after each, where searching the
// sentence once per phrase was a tenth of making a report's lines.
type spacedSet struct{ by [256][]string }

func newSpacedSet(words []string) *spacedSet {
	p := &spacedSet{}
	for _, w := range words {
		if len(w) < 2 || w[0] != ' ' {
			panic("spacedSet: " + w + " does not start with a space and a letter")
		}
		p.by[w[1]] = append(p.by[w[1]], w)
	}
	return p
}

// in reports whether s holds any of the phrases.
func (p *spacedSet) in(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		j := strings.IndexByte(s[i:], ' ')
		if j < 0 {
			return false
		}
		i += j
		if i+1 >= len(s) {
			return false
		}
		for _, w := range p.by[s[i+1]] {
			if strings.HasPrefix(s[i:], w) {
				return true
			}
		}
	}
	return false
}

// reportVerbSet is reportVerbs as a spacedSet; read-only.
var reportVerbSet = newSpacedSet(reportVerbs)

func reported(t string) []string {
	if !reportVerbSet.in(t) {
		return nil
	}
	return reportedRE.FindStringSubmatch(t)
}

func quoted(t string) []string {
	// Two searches for a byte: ContainsAny with a rune beyond ASCII
	// decodes the whole sentence.
	if !strings.Contains(t, "\"") && !strings.Contains(t, "“") {
		return nil
	}
	return quotedRE.FindStringSubmatch(t)
}

func address(t string) []string {
	if t == "" || t[0] < 'A' || t[0] > 'Z' || !strings.Contains(t, ", ") {
		return nil
	}
	return addressRE.FindStringSubmatch(t)
}

func leadIn(t string) []int {
	if !strings.Contains(t, ", ") {
		return nil
	}
	return leadInRE.FindStringIndex(t)
}

func dropFiller(t string) string {
	if t == "" || !strings.ContainsRune("tTiI", rune(t[0])) && t[0] < utf8.RuneSelf {
		return t
	}
	return fillerRE.ReplaceAllString(t, "")
}

// trimQuotes drops the quotation marks that open and close t: quoteTrim,
// as string functions.
func trimQuotes(t string) string {
	return strings.TrimRight(strings.TrimLeft(t, "“\"‘'"), "”\"’'")
}

// Concise trims a sentence to what is reported: "Pete reports that the
// executive has been contacted" becomes "The executive has been contacted
// (Pete)". A line longer than MaxLineWords ends at the last whole phrase
// that fits, never mid-thought with an ellipsis.
func Concise(text, actor string) string {
	t := strings.TrimSpace(text)
	speaker := ""
	if m := reported(t); m != nil && len(m[0]) < len(t) {
		speaker = articles.ReplaceAllString(m[1], "")
		t = t[len(m[0]):]
	} else if m := quoted(t); m != nil {
		t = m[2]
		who := strings.TrimSpace(m[1])
		if i := strings.LastIndex(who, ","); i >= 0 {
			who = strings.TrimSpace(who[i+1:])
		}
		who = articles.ReplaceAllString(strings.TrimPrefix(who, "then "), "")
		if r, _ := utf8.DecodeRuneInString(who); unicode.IsUpper(r) && wordCount(who) <= 3 {
			speaker = who
		} else if actor != "" && strings.Contains(text, actor) {
			speaker = actor
		}
	}
	t = strings.TrimSpace(trimQuotes(strings.TrimSpace(t)))
	t = strings.TrimRight(t, " .")
	t = shorten(t)
	t = upperFirst(t)
	if wordCount(t) > MaxLineWords {
		t = wholePhrase(strings.Fields(t), MaxLineWords)
	}
	if speaker != "" && !strings.Contains(t, speaker) && !strings.EqualFold(speaker, "someone") && !strings.EqualFold(speaker, "somebody") {
		t += " (" + speaker + ")"
	}
	return t
}

var abbrevs = map[string]bool{"e.g": true, "i.e": true, "etc": true, "vs": true, "mr": true, "mrs": true, "ms": true, "dr": true, "approx": true, "incl": true, "no": true}

// SplitSentences splits text at sentence ends: . ! ? (and closing quotes
// after them) followed by a space and a capital, digit or quote.
func SplitSentences(text string) []string {
	if !utf8.ValidString(text) {
		// Each invalid byte becomes U+FFFD, as a rune-by-rune reading
		// has it.
		text = string([]rune(text))
	}
	// Most log entries are one sentence with no stop inside.
	if !strings.ContainsAny(text, ".!?") {
		if s := strings.TrimSpace(text); s != "" {
			return []string{s}
		}
		return nil
	}
	return splitValid(text)
}

// splitValid is SplitSentences for valid UTF-8, by byte offsets: its
// sentences are pieces of text, not copies. ('.', '!' and '?' are never
// part of a longer rune.)
func splitValid(text string) []string {
	var out []string
	start := 0
	runeAt := func(i int) (rune, int) { return utf8.DecodeRuneInString(text[i:]) }
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(text) {
			r, size := runeAt(j)
			if !strings.ContainsRune(`"”’')`, r) {
				break
			}
			j += size
		}
		if j < len(text) {
			if r, _ := runeAt(j); !unicode.IsSpace(r) {
				continue
			}
		}
		k := j
		for k < len(text) {
			r, size := runeAt(k)
			if !unicode.IsSpace(r) {
				break
			}
			k += size
		}
		// Chat logs start sentences in lower case too; only a lower-case
		// word after "?" or "!" is taken as the same sentence ("really? no").
		if k < len(text) && c != '.' {
			if r, _ := runeAt(k); unicode.IsLower(r) {
				continue
			}
		}
		if c == '.' {
			w := lastWordOf(text[start:i])
			if abbrevs[strings.ToLower(w)] || (utf8.RuneCountInString(w) == 1 && unicode.IsUpper(firstRune(w))) {
				continue
			}
		}
		if s := strings.TrimSpace(text[start:j]); s != "" {
			out = append(out, s)
		}
		start = k
		i = k - 1
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// lastWordOf is the last word of s, without opening brackets or quotes.
func lastWordOf(s string) string {
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= size
	}
	return strings.Trim(s[i:], "(\"“")
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

var (
	estimateRE = regexp.MustCompile(`(?i)\b(eta is|best guess|estimate[sd]?|will take|it will be about|should be (back|done|fixed) by)\b`)
	etaRE      = regexp.MustCompile(`(?i)\beta\b|\bhow long\b|\bwhen will\b`)
	addressRE  = regexp.MustCompile(`^([A-Z][\w'-]+), `)
)

// Every match of these patterns holds one of these words, so a sentence
// without any is not run through the regexp (see lacks).
var (
	answerWords   = []string{"answer", "respond", "repli", "offers that"} // "repli": not "replica"
	estimateWords = []string{"eta is", "guess", "estimate", "will take", "will be about", "should be"}
	reportVerbs   = []string{" report", " says", " observes", " notes", " responds", " confirms", " states", " mentions", " adds", " said", " chimes in"}
)

var (
	// "Pete reports that …", "An SME says, “…”": a speaker, a verb of saying.
	reportedRE = regexp.MustCompile(`^((?:[A-Z][\w’'.]*(?: [A-Z][\w’'.]*){0,2})|(?:(?:An?|The|One of the|Another) [\w ]{1,30}?)|Someone|Somebody) (reports|says|observes|notes|responds|confirms|states|mentions|adds|said|reported|chimes in)(?: that)?,? *`)
	// A quotation after a verb of saying anywhere in the sentence.
	quotedRE  = regexp.MustCompile(`^(.*?)\b(?:says|said|asks|asked|reports|states|responds|chimes in|announces)\b,? *[“"](.+?)[”"]?\s*$`)
	quoteTrim = regexp.MustCompile(`^[“"‘']+|[”"’']+$`)
	articles  = regexp.MustCompile(`^(?i)(an?|the|one of the|another) `)
)

// statementsOf splits an entry into sentences; a chat message's lines are
// said apart, so each line is split on its own.
func statementsOf(e *timeline.Entry) []string {
	if len(e.Lines) < 2 {
		return SplitSentences(e.Text)
	}
	var out []string
	for _, l := range e.Lines {
		out = append(out, SplitSentences(l)...)
	}
	return out
}

// frameRE finds a reporting frame a statement's content follows: "Pete
// reports that …", "@krzyzacy found out …", "docbrown starts
// investigating, finds …". Lower case, as classification reads it.
var frameRE = regexp.MustCompile(`^.{0,60}?\b(reports?|reported|says|said|notes|notified us|told us|informed us|observes|observed|found out|finds|found|discover(?:s|ed)|determines|determined|realis(?:es|ed)|realiz(?:es|ed)|identifies|identified|notices|noticed)(?: that)?,? `)

// frameVerbs gate frameRE: every match holds one of them.
var frameVerbs = newSpacedSet([]string{" report", " says", " said", " notes", " notified", " told", " informed", " observe", " found", " finds", " discover", " determine", " realis", " realiz", " identifie", " notice"})

// classifyReported classes a statement by what it reports when it has a
// reporting frame: the content's kind if it has one, else a condition
// (a report or a finding is news about a state). Without a frame, or when
// the frame is the news ("reports on Slack" is still the report), the
// sentence's own kind. body is where the content starts: what the
// statement is about is found there.
func classifyReported(lower string, has *litSet) (Kind, string, int) {
	k, rule := classifyHas(lower, has)
	if k == Need || !frameVerbs.in(lower) {
		return k, rule, 0
	}
	m := frameRE.FindStringSubmatchIndex(lower)
	if m == nil || m[1] >= len(lower) {
		return k, rule, 0
	}
	if bk, brule := classifyLower(lower[m[1]:]); bk != None {
		return bk, brule, m[1]
	}
	return Condition, "reported", m[1]
}
