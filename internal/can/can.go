// Package can builds CAN reports (Conditions, Actions, Needs): the author's
// own, or one derived from the timeline with the cue rules in rules.go, as of
// any point in time.
package can

import (
	"strings"
	"time"

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
		for _, text := range statementsOf(e) {
			lower := strings.ToLower(text)
			has := literals.find(lower)
			k, rule, body := classifyReported(lower, &has)
			if len(lower) != len(text) {
				body = 0 // lower-casing moved the bytes
			}
			subs, impact := vocab.subjects(text[body:], lower[body:])
			if len(subs) == 0 && body > 0 {
				subs, impact = vocab.subjects(text, lower)
			}
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

// The patterns of Concise and core behind cheap tests every match passes:
// they run on every sentence a report may show.
