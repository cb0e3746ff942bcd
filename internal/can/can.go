// Package can builds CAN reports (Conditions, Actions, Needs): the author's
// own, or one derived from the timeline with the cue rules in rules.go, as of
// any point in time.
package can

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-ssg/debrief/internal/clock"
	"github.com/debrief-ssg/debrief/internal/timeline"
)

// Line is one line of a report.
type Line struct {
	Text  string    `json:"text"`
	Kind  Kind      `json:"kind"`
	At    time.Time `json:"at,omitzero"`
	Entry string    `json:"entry,omitempty"` // anchor of the timeline entry
	Rule  string    `json:"rule,omitempty"`  // cue rule or tag that classed it
	// Sentence is the log's own sentence the line was trimmed from.
	Sentence string `json:"-"`
}

// Report is a CAN report.
type Report struct {
	Derived    bool      `json:"derived"`
	AsOf       time.Time `json:"as_of,omitzero"`
	Conditions []Line    `json:"conditions"`
	Actions    []Line    `json:"actions"`
	Needs      []Line    `json:"needs"`
}

// Sections returns the report's three sections in order with their names.
func (r *Report) Sections() []Section {
	return []Section{{"Conditions", r.Conditions}, {"Actions", r.Actions}, {"Needs", r.Needs}}
}

// Section is a named list of lines.
type Section struct {
	Name  string
	Lines []Line
}

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

// Empty reports whether the report has no lines at all.
func (r *Report) Empty() bool {
	return len(r.Conditions)+len(r.Actions)+len(r.Needs) == 0
}

// Options bound a derived report.
type Options struct {
	MaxLines int // per section
	MaxWords int // whole report
}

// Sentence is one classified sentence of the timeline.
type Sentence struct {
	Entry    *timeline.Entry
	Index    int // position in the log, for order
	Text     string
	Kind     Kind
	Rule     string
	Subjects []string // what it is about, in the order the sentence names them
	Impact   bool     // it names a service or customer: what users feel
	Repeats  int      // a question asked again this many times
	short    string   // the line as a report says it; see line()
	lower    string   // short, lower-cased: the key lines are told apart by
	words    int      // short's words, for the report's budget
	Met      bool     // a [met] entry
	Answer   bool     // answers the question before it
	// Later is the index of the sentence that supersedes this condition or
	// meets this need; -1 when none does.
	Later int
	// estimate gives a time ("best guess is 17:15"): it answers an ETA.
	estimate bool
}

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

// Analysis is the classified log of one incident, computed once and asked
// for reports at any time.
type Analysis struct {
	Sentences []Sentence
	entries   []*timeline.Entry
}

// Terms are the incident's own words for what it is about: Impact holds the
// services and customers (what users feel), Other the components and tags.
type Terms struct {
	Impact, Other []string
}

var (
	estimateRE = regexp.MustCompile(`(?i)\b(eta is|best guess|estimate[sd]?|will take|it will be about|should be (back|done|fixed) by)\b`)
	etaRE      = regexp.MustCompile(`(?i)\beta\b|\bhow long\b|\bwhen will\b`)
	addressRE  = regexp.MustCompile(`^([A-Z][\w'-]+), `)
)

var answerRE = regexp.MustCompile(`(?i)\b(answers|answered|responds|replies|replied|offers that)\b`)

// Every match of these patterns holds one of these words, so a sentence
// without any is not run through the regexp (see lacks).
var (
	answerWords   = []string{"answer", "respond", "repli", "offers that"} // "repli": not "replica"
	estimateWords = []string{"eta is", "guess", "estimate", "will take", "will be about", "should be"}
	reportVerbs   = []string{" report", " says", " observes", " notes", " responds", " confirms", " states", " mentions", " adds", " said", " chimes in"}
)

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

// Analyse classifies every sentence of entries. terms are the subjects
// conditions are about.
func Analyse(entries []*timeline.Entry, terms Terms) *Analysis {
	// Most entries are a sentence or two: room for one and a half each
	// grows the list at most once.
	a := &Analysis{entries: entries, Sentences: make([]Sentence, 0, len(entries)+len(entries)/2)}
	vocab := newVocabulary(terms)
	for _, e := range entries {
		forced := None
		for _, tag := range e.Kinds {
			if k, ok := tagKinds[tag]; ok {
				forced = k
				break
			}
		}
		if forced != None || e.Has("met") {
			// A tagged entry is one line, of the kind its author said.
			lower := strings.ToLower(e.Text)
			has := literals.find(lower)
			s := Sentence{Entry: e, Index: len(a.Sentences), Text: e.Text, Kind: forced, Rule: "tag", Met: e.Has("met"), estimate: isEstimate(e.Text, lower, &has)}
			if forced == None {
				s.Kind, s.Rule = classifyHas(lower, &has)
			}
			s.Subjects, s.Impact = vocab.subjects(e.Text, lower)
			a.Sentences = append(a.Sentences, s)
			continue
		}
		for _, text := range SplitSentences(e.Text) {
			lower := strings.ToLower(text)
			has := literals.find(lower)
			k, rule := classifyHas(lower, &has)
			subs, impact := vocab.subjects(text, lower)
			a.Sentences = append(a.Sentences, Sentence{
				Entry: e, Index: len(a.Sentences), Text: text, Kind: k, Rule: rule,
				Subjects: subs, Impact: impact,
				Answer:   rule != "unanswered" && isAnswer(text, lower, &has),
				estimate: isEstimate(text, lower, &has),
			})
		}
	}
	a.link()
	return a
}

// link finds, once for the whole log, the sentence that supersedes each
// condition and the one that meets each need, so a report as of any time is
// a single pass, not a comparison of every pair of sentences.
func (a *Analysis) link() {
	ss := a.Sentences
	for i := range ss {
		ss[i].Later = -1
	}
	// Conditions: the next later condition, in another entry, whose primary
	// subject (the first it names) is this one's: "e-mail is being lost"
	// gives way to "e-mail is working again", but "db-main-2 has no replica"
	// does not give way to "212 orders are missing from db-main-2".
	next := map[string]int{}
	for i := len(ss) - 1; i >= 0; i-- {
		s := &ss[i]
		if s.Kind != Condition || len(s.Subjects) == 0 {
			continue
		}
		if j, ok := next[s.Subjects[0]]; ok && ss[j].Entry != s.Entry {
			s.Later = j
		}
		// Keep the later candidate from another entry when this entry has
		// several statements about the same subject.
		if j, ok := next[s.Subjects[0]]; !ok || ss[j].Entry != s.Entry || s.Later < 0 {
			next[s.Subjects[0]] = i
		}
	}
	// Needs: walk forward keeping the open ones, by subject and in order.
	var open []int
	bySubject := map[string][]int{}
	meet := func(n, by int) {
		if ss[n].Later < 0 {
			ss[n].Later = by
		}
	}
	meetSubjects := func(l *Sentence, i int) {
		for _, sub := range l.Subjects {
			for _, n := range bySubject[sub] {
				meet(n, i)
			}
			delete(bySubject, sub)
		}
	}
	lastOpen := func(ok func(*Sentence) bool) int {
		for k := len(open) - 1; k >= 0; k-- {
			if n := open[k]; ss[n].Later < 0 && ok(&ss[n]) {
				return n
			}
		}
		return -1
	}
	for i := range ss {
		l := &ss[i]
		switch {
		case l.Rule == "asked-again":
			// The question asked again is the open need; this sentence is
			// not a line of its own.
			if n := lastOpen(func(s *Sentence) bool { return s.Rule == "question" }); n >= 0 {
				ss[n].Repeats++
			}
			l.Later = i
		case l.Kind == Need && l.Rule == "unanswered":
			// Said out loud that nobody answered: the question stays open.
		case l.Met:
			if len(l.Subjects) > 0 {
				meetSubjects(l, i)
			} else if n := lastOpen(func(*Sentence) bool { return true }); n >= 0 {
				meet(n, i)
			}
		case l.Answer:
			if n := lastOpen(func(s *Sentence) bool { return s.Rule == "question" || s.Rule == "asks-for" }); n >= 0 {
				meet(n, i)
			}
		case l.estimate:
			// "Our best guess is 17:15" answers every open "What is the ETA?".
			for _, n := range open {
				if etaRE.MatchString(ss[n].Text) {
					meet(n, i)
				}
			}
		case l.Rule == "assigns" && i > 0 && ss[i-1].Kind == Need:
			meet(i-1, i)
		case l.Kind == Action && (l.Rule == "done" || l.Rule == "assigns" || l.Rule == "comms"):
			// Something done about a subject meets a need about it; a
			// decision or work under way does not yet.
			meetSubjects(l, i)
		}
		// A reply addressed to someone ("Beth, use …") meets their latest
		// open need.
		if m := address(l.Text); m != nil {
			if n := lastOpen(func(s *Sentence) bool { return s.Entry.Actor == m[1] }); n >= 0 && n != i {
				meet(n, i)
			}
		}
		if l.Kind == Need && l.Rule != "unanswered" && l.Later < 0 {
			open = append(open, i)
			for _, sub := range l.Subjects {
				bySubject[sub] = append(bySubject[sub], i)
			}
		}
		// Keep the open list short: drop needs met since.
		if len(open) > 64 {
			kept := open[:0]
			for _, n := range open {
				if ss[n].Later < 0 {
					kept = append(kept, n)
				}
			}
			open = kept
		}
	}
}

// At derives the report as of t; a zero t means the end of the log.
func (a *Analysis) At(t time.Time, opts Options) *Report {
	if opts.MaxLines <= 0 {
		opts.MaxLines = 5
	}
	if opts.MaxWords <= 0 {
		opts.MaxWords = 120
	}
	r := &Report{Derived: true}
	// Pointers into a.Sentences, so each sentence's line is trimmed once.
	var upto []*Sentence
	for i := range a.Sentences {
		s := &a.Sentences[i]
		if !t.IsZero() && s.Entry.At.After(t) {
			continue
		}
		upto = append(upto, s)
	}
	if len(upto) == 0 {
		return r
	}
	if t.IsZero() {
		t = upto[len(upto)-1].Entry.At
	}
	r.AsOf = t
	var conds, acts, needs []*Sentence
	later := func(s *Sentence) bool {
		return s.Later >= 0 && !a.Sentences[s.Later].Entry.At.After(t)
	}
	for _, s := range upto {
		switch s.Kind {
		case Condition:
			if !later(s) {
				conds = append(conds, s)
			}
		case Action:
			acts = append(acts, s)
		case Need:
			if s.Rule != "unanswered" && !later(s) {
				needs = append(needs, s)
			}
		}
	}
	r.Conditions = pick(conds, Condition, opts.MaxLines)
	r.Actions = pick(acts, Action, opts.MaxLines)
	r.Needs = pick(needs, Need, opts.MaxLines)
	fitBudget(r, opts.MaxWords)
	return r
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

// pick keeps the lines of a kind a report has room for: the most recent
// first (of one entry, the one naming more subjects), except that the latest
// condition about what users feel leads the conditions.
func pick(ss []*Sentence, k Kind, max int) []Line {
	return pickInto(make([]Line, 0, min(max, len(ss))), nil, ss, k, max)
}

// pickInto is pick appending to out, whose space it reuses; an empty
// section is still nil. With from, it appends to *from the sentence each
// line is made from.
func pickInto(out []Line, from *[]*Sentence, ss []*Sentence, k Kind, max int) []Line {
	slices.SortStableFunc(ss, func(a, b *Sentence) int {
		if c := b.Entry.At.Compare(a.Entry.At); c != 0 {
			return c
		}
		if len(a.Subjects) != len(b.Subjects) {
			return len(b.Subjects) - len(a.Subjects)
		}
		return a.Index - b.Index
	})
	if k == Condition {
		// Lead with what users feel: the latest condition naming a service
		// or customer goes first even when other news is more recent.
		for i, x := range ss {
			if x.Impact {
				copy(ss[1:i+1], ss[:i])
				ss[0] = x
				break
			}
		}
	}
	// A handful of lines: a scan beats a map, and this runs for every
	// report of a series.
	var seenBuf [8]string
	seen := seenBuf[:0]
	for _, s := range ss {
		text := s.line()
		if text == "" || slices.Contains(seen, s.lower) {
			continue
		}
		seen = append(seen, s.lower)
		out = append(out, Line{Text: text, Kind: k, At: s.Entry.At, Entry: s.Entry.Anchor, Rule: s.Rule, Sentence: s.Text})
		if from != nil {
			*from = append(*from, s)
		}
		if len(out) == max {
			break
		}
	}
	if len(out) == 0 {
		return nil // as before: an empty section is null in incidents.json
	}
	return out
}

// fitBudget drops the last (oldest) line of the longest section until the
// report is within max words, keeping at least one line per section. Of
// sections as long, actions give way first, then needs: the conditions are
// what a report is for.
func fitBudget(r *Report, max int) {
	fitBudgetBy(r, max, func(l Line, _, _ int) int { return wordCount(l.Text) })
}

// fitBudgetBy is fitBudget counting the words of the i-th line of section
// sec (0 conditions, 1 actions, 2 needs) with words.
func fitBudgetBy(r *Report, max int, words func(l Line, sec, i int) int) {
	secs := [3]*[]Line{&r.Conditions, &r.Actions, &r.Needs}
	total := 0
	for sec, lines := range secs {
		for i, l := range *lines {
			total += words(l, sec, i)
		}
	}
	for total > max {
		// Of sections as long, actions give way first, then needs.
		longest := -1
		for _, sec := range [3]int{1, 2, 0} {
			if n := len(*secs[sec]); n > 1 && (longest < 0 || n > len(*secs[longest])) {
				longest = sec
			}
		}
		if longest < 0 {
			return
		}
		lines := secs[longest]
		last := len(*lines) - 1
		total -= words((*lines)[last], longest, last)
		*lines = (*lines)[:last]
	}
}

var (
	// "Pete reports that …", "An SME says, “…”": a speaker, a verb of saying.
	reportedRE = regexp.MustCompile(`^((?:[A-Z][\w’'.]*(?: [A-Z][\w’'.]*){0,2})|(?:(?:An?|The|One of the|Another) [\w ]{1,30}?)|Someone|Somebody) (reports|says|observes|notes|responds|confirms|states|mentions|adds|said|reported|chimes in)(?: that)?,? *`)
	// A quotation after a verb of saying anywhere in the sentence.
	quotedRE  = regexp.MustCompile(`^(.*?)\b(?:says|said|asks|asked|reports|states|responds|chimes in|announces)\b,? *[“"](.+?)[”"]?\s*$`)
	quoteTrim = regexp.MustCompile(`^[“"‘']+|[”"’']+$`)
	articles  = regexp.MustCompile(`^(?i)(an?|the|one of the|another) `)
)

// The patterns of Concise and core behind cheap tests every match passes:
// they run on every sentence a report may show.

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

// MaxLineWords caps a derived line; a spoken report line is short.
const MaxLineWords = 15

var (
	// "In the current state, the e-mail is being lost": the lead-in goes.
	leadInRE = regexp.MustCompile(`^(?i:in|after|before|at|since|during|for|as|per|according to|by|with|from|on)\b[^,]{0,40}, `)
	fillerRE = regexp.MustCompile(`^(?i:there (?:is|are) (?:now )?|it (?:appears|seems|looks like) (?:that )?)`)
)

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

// spellings folds the variants normalize knows; built once, read-only.
var spellings = strings.NewReplacer("e-mail", "email", "log-in", "login", "log in", "login", "sign in", "login", "sign-in", "login", "logon", "login", "’", "'")

// normalize folds spelling variants of subjects: e-mail and email, log in
// and login, case and punctuation.
func normalize(s string) string {
	return string(appendNormal(nil, s))
}

// appendNormal appends normalize(s) to b.
func appendNormal(b []byte, s string) []byte {
	s = strings.ToLower(s)
	if strings.Contains(s, "mail") || strings.Contains(s, "log") || strings.Contains(s, "sign") || strings.Contains(s, "’") {
		s = spellings.Replace(s)
	}
	// Letters and digits, one space between runs of them, and a crude
	// singular so "ticket rate" and "tickets" meet.
	b = slices.Grow(b, len(s))
	base := len(b)
	start := -1 // where the current word starts in b
	end := func() {
		if w := b[start:]; len(w) > 4 && w[len(w)-1] == 's' && w[len(w)-2] != 's' {
			b = b[:len(b)-1]
		}
		start = -1
	}
	for i := 0; i < len(s); {
		// Runs of ASCII letters and digits are copied whole: this runs on
		// every sentence of every log.
		j := i
		for j < len(s) && asciiWordByte(s[j]) {
			j++
		}
		w, word := j-i, j > i
		if !word {
			var r rune
			if r, w = rune(s[i]), 1; r >= utf8.RuneSelf {
				r, w = utf8.DecodeRuneInString(s[i:])
				word = unicode.IsLetter(r) || unicode.IsDigit(r)
			}
		}
		if word {
			if start < 0 {
				if len(b) > base {
					b = append(b, ' ')
				}
				start = len(b)
			}
			b = append(b, s[i:i+w]...)
		} else if start >= 0 {
			end()
		}
		i += w
	}
	if start >= 0 {
		end()
	}
	return b
}

func asciiWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
}

// vocabulary finds the subjects of sentences: the incident's taxonomy terms
// (a multi-word term also by its last word, "script" for "metadata script"),
// the nouns logs commonly report the state of, and entity-like tokens
// (db-main-2, pg_wal, orders-api).
type vocabulary struct {
	terms  []string
	padded []string // terms with a space either side, as subjects looks for them
	impact []bool   // of terms: a service or customer
	// byWord lists, for a word, the terms whose first word it is and
	// those found by it as their last word: a sentence's words are looked
	// up, once each, rather than every term in every sentence.
	byWord map[string][]wordUse
	headAt []int    // scratch of subjects: where each term's first word first occurs, or -1
	lastAt []int    // scratch of subjects: the same of its last word, when that finds it
	buf    []byte   // scratch of subjects
	hits   []hit    // scratch of subjects
	spans  [][2]int // scratch of subjects (entities)
	slab   []string // subjects' results are cut from it: one allocation for many sentences
}

// wordUse is a term a word finds: as its first word, or as its last.
type wordUse struct {
	term int
	last bool
}

// hit is a term subjects found, and where.
type hit struct {
	at   int
	term string
}

func newVocabulary(t Terms) *vocabulary {
	v := &vocabulary{byWord: map[string][]wordUse{}}
	for i, list := range [][]string{t.Impact, t.Other} {
		for _, term := range list {
			n := normalize(term)
			if n == "" || slices.Contains(v.terms, n) {
				continue
			}
			ti := len(v.terms)
			v.terms = append(v.terms, n)
			v.padded = append(v.padded, " "+n+" ")
			v.impact = append(v.impact, i == 0)
			head, _, _ := strings.Cut(n, " ")
			v.byWord[head] = append(v.byWord[head], wordUse{ti, false})
			// A multi-word term is also found by its last word
			// ("script" for "metadata script") unless that is short
			// or a number.
			if k := strings.LastIndexByte(n, ' '); k > 0 {
				if last := n[k+1:]; len(last) >= 4 && !isNumber(last) {
					v.byWord[last] = append(v.byWord[last], wordUse{ti, true})
				}
			}
		}
	}
	v.headAt = make([]int, len(v.terms))
	v.lastAt = make([]int, len(v.terms))
	return v
}

var entityRE = regexp.MustCompile(`[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+|[a-z]+\d+[a-z0-9]*`)

// entities returns the matches of entityRE in s, found by a scan rather
// than the regexp, which cost a tenth of a build: identifiers are in most
// sentences of a log.
func entities(s string) [][2]int { return appendEntities(nil, s) }

// appendEntities is entities appending to out.
func appendEntities(out [][2]int, s string) [][2]int {
	lower := func(b byte) bool { return 'a' <= b && b <= 'z' }
	digit := func(b byte) bool { return '0' <= b && b <= '9' }
	alnum := func(b byte) bool { return lower(b) || digit(b) }
	for i := 0; i < len(s); {
		if !lower(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && alnum(s[j]) {
			j++
		}
		// [a-z][a-z0-9]*(?:[-_][a-z0-9]+)+
		k, parts := j, 0
		for k+1 < len(s) && (s[k] == '-' || s[k] == '_') && alnum(s[k+1]) {
			k += 2
			for k < len(s) && alnum(s[k]) {
				k++
			}
			parts++
		}
		if parts > 0 {
			out = append(out, [2]int{i, k})
			i = k
			continue
		}
		// [a-z]+\d+[a-z0-9]*
		l := i
		for l < j && lower(s[l]) {
			l++
		}
		if l < j {
			out = append(out, [2]int{i, j})
		}
		// No later start inside this run can match either.
		i = j
	}
	return out
}

// subjects returns what text is about, first-named first, and whether it
// names a service or customer. lower is text lower-cased.
func (v *vocabulary) subjects(text, lower string) ([]string, bool) {
	// " " + normalize(text) + " ", made in the vocabulary's scratch.
	v.buf = append(appendNormal(append(v.buf[:0], ' '), lower), ' ')
	nt := string(v.buf)
	hits := v.hits[:0]
	impact := false
	// Each word of nt is looked up once, where it first occurs (the index
	// of the space before it): for the terms it begins or ends, and for
	// the common subjects it begins, in the order the words come.
	for k := range v.headAt {
		v.headAt[k], v.lastAt[k] = -1, -1
	}
	var commonSeen uint64 // common subjects' first words met so far
	var commonBuf [8]hit
	common := commonBuf[:0]
	for i := 0; i < len(nt)-1; {
		j := strings.IndexByte(nt[i+1:], ' ') + i + 1
		if w := nt[i+1 : j]; w != "" {
			for _, u := range v.byWord[w] {
				at := &v.headAt[u.term]
				if u.last {
					at = &v.lastAt[u.term]
				}
				if *at < 0 {
					*at = i
				}
			}
			if cs, ok := commonByHead[w]; ok && commonSeen&(1<<cs.bit) == 0 {
				commonSeen |= 1 << cs.bit
				for _, c := range cs.terms {
					at := i
					if len(c.term) > len(w) {
						if at = strings.Index(nt, c.padded); at < 0 {
							continue
						}
					}
					common = append(common, hit{at, c.term})
				}
			}
		}
		i = j
	}
	// Terms in their order: by the whole term where its first word is,
	// else by its last word.
	for ti, t := range v.terms {
		at := v.headAt[ti]
		if at >= 0 && strings.IndexByte(t, ' ') >= 0 {
			at = strings.Index(nt, v.padded[ti])
		}
		if at < 0 {
			at = v.lastAt[ti]
		}
		if at < 0 {
			continue
		}
		hits = append(hits, hit{at, t})
		if v.impact[ti] {
			impact = true
		}
	}
	for _, h := range common {
		hits = append(hits, h)
		if impactWords[h.term] {
			impact = true
		}
	}
	// Entity-like tokens from the original text: hyphenated or with digits.
	if strings.ContainsAny(text, "-_0123456789") {
		v.spans = appendEntities(v.spans[:0], lower)
		for _, m := range v.spans {
			key := normalize(lower[m[0]:m[1]])
			if key != "" && !isNumber(key) {
				hits = append(hits, hit{m[0], key})
			}
		}
	}
	// First named first; at the same place the longer, more specific term
	// ("search cluster" rather than "search").
	// With no subject of its own, a sentence is about its first noun
	// phrase: "Synthetic checks failing" and "Synthetic checks green".
	real := false
	for _, h := range hits {
		if !contextWords[h.term] {
			real = true
		}
	}
	if !real {
		if head := headNoun(" " + normalize(core(text)) + " "); head != "" {
			hits = append(hits, hit{-1, head})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		// Context words ("customers", "release") name who or when, not
		// what is in a state; they come after real subjects.
		if ca, cb := contextWords[a.term], contextWords[b.term]; ca != cb {
			if ca {
				return 1
			}
			return -1
		}
		if a.at != b.at {
			return a.at - b.at
		}
		return len(b.term) - len(a.term)
	})
	v.hits = hits
	if len(hits) == 0 {
		return nil, impact
	}
	// out has room for every hit, in the slab, which is cut, never reused.
	if cap(v.slab)-len(v.slab) < len(hits) {
		v.slab = make([]string, 0, max(128, len(hits)))
	}
	out := v.slab[len(v.slab) : len(v.slab) : len(v.slab)+len(hits)]
	for _, h := range hits {
		if !slices.Contains(out, h.term) {
			out = append(out, h.term)
		}
	}
	v.slab = v.slab[:len(v.slab)+len(out)]
	return out[:len(out):len(out)], impact
}

// commonSubjects are nouns incident logs report the state of, so that two
// statements about them supersede each other even when the incident's front
// matter does not list them.
var commonSubjects = []string{"email", "login", "database", "queue", "script", "network", "dns", "api", "deploy", "release", "analytics", "cache", "disk", "cpu", "memory", "certificate", "cert", "latency", "payments", "search", "checkout", "replica", "replication", "lag", "backlog", "error rate", "5xx", "p99", "customers", "users", "tickets", "orders", "status page", "statuspage", "archiver", "volume", "shards", "pops", "traffic", "declines", "approval rate"}

// core strips a sentence to what is reported: no speaker ("Pete reports
// that"), no quotation marks, no lead-in phrase or filler.
func core(text string) string {
	t := strings.TrimSpace(text)
	if m := reported(t); m != nil && len(m[0]) < len(t) {
		t = t[len(m[0]):]
	} else if m := quoted(t); m != nil {
		t = m[2]
	}
	t = strings.TrimSpace(trimQuotes(t))
	if m := leadIn(t); m != nil && wordCount(t[m[1]:]) >= 4 {
		t = t[m[1]:]
	}
	return dropFiller(t)
}

// headNoun returns the first one or two words of a normalised sentence
// after any determiner, unless they are not a noun phrase at all.
func headNoun(nt string) string {
	words := strings.Fields(nt)
	i := 0
	for i < len(words) && determiners[words[i]] {
		i++
	}
	if i >= len(words) || notNoun[words[i]] || isNumber(words[i]) || len(words[i]) < 3 {
		return ""
	}
	head := words[i]
	if i+1 < len(words) && !notNoun[words[i+1]] && !isNumber(words[i+1]) && !strings.HasSuffix(words[i+1], "ing") && !strings.HasSuffix(words[i+1], "ed") {
		head += " " + words[i+1]
	}
	return head
}

var determiners = map[string]bool{"one": true, "another": true, "other": true, "the": true, "a": true, "an": true, "all": true, "our": true, "their": true, "some": true, "both": true, "new": true, "old": true, "this": true, "that": true, "these": true, "those": true, "every": true, "each": true, "most": true, "no": true}

// notNoun holds pronouns, verbs and state words a noun phrase stops at.
var notNoun = map[string]bool{"i": true, "we": true, "you": true, "he": true, "she": true, "it": true, "they": true, "there": true, "nobody": true, "someone": true, "anyone": true, "everyone": true, "is": true, "are": true, "wa": true, "were": true, "ha": true, "have": true, "had": true, "can": true, "will": true, "would": true, "should": true, "do": true, "doe": true, "did": true, "not": true, "still": true, "now": true, "back": true, "up": true, "down": true, "ok": true, "green": true, "red": true, "at": true, "on": true, "in": true, "to": true, "and": true, "of": true, "for": true, "from": true, "with": true, "by": true, "again": true, "fail": true, "look": true, "seem": true, "appear": true, "if": true, "when": true, "what": true, "who": true, "why": true, "how": true, "yes": true, "let": true, "after": true, "before": true, "since": true, "only": true, "also": true, "just": true, "then": true, "this": true, "these": true, "those": true, "unidentified": true, "maybe": true}

// commonNorm is commonSubjects normalised as sentences are; read-only.
var commonNorm = normalizeAll(commonSubjects)

// commonByHead lists commonNorm's subjects by their first word; read-only.
var commonByHead = func() map[string]commonHead {
	m := map[string]commonHead{}
	for _, c := range commonNorm {
		head, _, _ := strings.Cut(c, " ")
		h, ok := m[head]
		if !ok {
			h.bit = len(m)
			if h.bit >= 64 {
				panic("can: more first words of common subjects than a uint64 has bits")
			}
		}
		h.terms = append(h.terms, commonTerm{c, " " + c + " "})
		m[head] = h
	}
	return m
}()

// commonHead is the common subjects with one first word, and that word's
// bit in subjects' set of those met.
type commonHead struct {
	bit   int
	terms []commonTerm
}

// commonTerm is a common subject, and it with a space either side.
type commonTerm struct{ term, padded string }

// contextWords among them say who or when rather than what.
var contextWords = setOf(normalizeAll([]string{"customers", "users", "release", "deploy"}))

// impactWords among them are what users feel.
var impactWords = setOf(normalizeAll([]string{"customers", "users", "checkout", "login", "email", "payments", "search", "5xx", "error rate", "tickets", "declines", "approval rate", "orders"}))

func normalizeAll(list []string) []string {
	out := make([]string, len(list))
	for i, w := range list {
		out[i] = normalize(w)
	}
	return out
}

func setOf(list []string) map[string]bool {
	m := map[string]bool{}
	for _, w := range list {
		m[w] = true
	}
	return m
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
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

// EachAsOf calls fn with the report as of each of times (i indexes times),
// equal to what At returns for it, in one pass over the log: sentences
// become visible in time order and each report reads only the newest lines
// it can show, so a report as of every entry of a long log costs little
// more than one. r and its lines are reused by the next call, so fn must
// copy what it keeps: a page's scrubbable timeline keeps a few strings.
func (a *Analysis) EachAsOf(times []time.Time, opts Options, fn func(i int, r *Report)) {
	a.EachAsOfLines(times, opts, func(i int, r *Report, _ [3][]*Sentence) { fn(i, r) })
}

// EachAsOfLines is EachAsOf telling fn, too, the sentence each line of
// each section (conditions, actions, needs) was made from: a page that
// numbers the lines of every report looks each sentence up once. from is
// reused like r.
func (a *Analysis) EachAsOfLines(times []time.Time, opts Options, fn func(i int, r *Report, from [3][]*Sentence)) {
	if opts.MaxLines <= 0 {
		opts.MaxLines = 5
	}
	if opts.MaxWords <= 0 {
		opts.MaxWords = 120
	}
	order := make([]int, len(a.Sentences))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return a.Sentences[x].Entry.At.Compare(a.Sentences[y].Entry.At) })
	asked := make([]int, len(times))
	for i := range asked {
		asked[i] = i
	}
	slices.SortStableFunc(asked, func(x, y int) int { return times[x].Compare(times[y]) })
	var vis [3][]*Sentence  // conditions, actions, needs visible so far, oldest first
	var lines [3][]Line     // each section's lines before the word budget
	var from [3][]*Sentence // the sentences of lines
	var cands []*Sentence   // reused by newest
	// A section's lines change only when a sentence of its kind becomes
	// visible or one of them gives way to a later sentence that does:
	// each entry touches one section or two, so the others are kept.
	section := func(s *Sentence) int {
		switch {
		case s.Kind == Condition:
			return 0
		case s.Kind == Action:
			return 1
		case s.Kind == Need && s.Rule != "unanswered":
			return 2
		}
		return -1
	}
	var gives [][3]bool // gives[j][k]: a sentence of section k gives way to j
	for i := range a.Sentences {
		s := &a.Sentences[i]
		if k := section(s); k >= 0 && k != 1 && s.Later >= 0 {
			if gives == nil {
				gives = make([][3]bool, len(a.Sentences))
			}
			gives[s.Later][k] = true
		}
	}
	dirty := [3]bool{true, true, true}
	next := 0
	r := &Report{}
	for _, qi := range asked {
		t := times[qi]
		for next < len(order) && !a.Sentences[order[next]].Entry.At.After(t) {
			j := order[next]
			s := &a.Sentences[j]
			next++
			if k := section(s); k >= 0 {
				vis[k] = append(vis[k], s)
				dirty[k] = true
			}
			if gives != nil {
				for k, g := range gives[j] {
					dirty[k] = dirty[k] || g
				}
			}
		}
		*r = Report{Derived: true}
		if next == 0 {
			fn(qi, r, [3][]*Sentence{})
			continue
		}
		r.AsOf = t
		later := func(s *Sentence) bool {
			return s.Kind != Action && s.Later >= 0 && !a.Sentences[s.Later].Entry.At.After(t)
		}
		for k, list := range vis {
			if !dirty[k] {
				continue
			}
			dirty[k] = false
			cands = newest(cands[:0], list, later, opts.MaxLines, k == 0)
			from[k] = from[k][:0]
			lines[k] = pickInto(lines[k][:0], &from[k], cands, [3]Kind{Condition, Action, Need}[k], opts.MaxLines)
		}
		r.Conditions, r.Actions, r.Needs = lines[0], lines[1], lines[2]
		// Each line's words were counted with it (Sentence.line).
		fitBudgetBy(r, opts.MaxWords, func(_ Line, sec, i int) int { return from[sec][i].words })
		fn(qi, r, [3][]*Sentence{from[0][:len(r.Conditions)], from[1][:len(r.Actions)], from[2][:len(r.Needs)]})
	}
}

// newest collects, from the newest end of list, the lines a report may
// show: enough distinct ones for max lines (and, for conditions, the latest
// about what users feel), always whole groups of one moment, so pick
// orders them exactly as it would the whole list.
func newest(out, list []*Sentence, excluded func(*Sentence) bool, max int, wantImpact bool) []*Sentence {
	var distinctBuf [8]string
	distinct := distinctBuf[:0]
	impact := !wantImpact
	for i := len(list) - 1; i >= 0; i-- {
		s := list[i]
		if !excluded(s) {
			out = append(out, s)
			if text := s.line(); text != "" && !slices.Contains(distinct, s.lower) {
				distinct = append(distinct, s.lower)
			}
			if s.Impact {
				impact = true
			}
		}
		if len(distinct) >= max && impact && (i == 0 || !list[i-1].Entry.At.Equal(s.Entry.At)) {
			break
		}
	}
	return out
}
