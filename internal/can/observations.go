package can

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Command observations: what an incident-command instructor points out in
// a log — a question asked again and again, a decision asked for and long
// in coming, confusion over who leads or owns what, long silences while
// users are hurt, needs left open, work handed out and never reported
// done — found in the classified statements, each with the rule that found
// it and the entries it rests on.

// ObservationKind is what an observation is about.
type ObservationKind string

// The kinds of observation, in the order a page lists them.
const (
	TimeToAction     ObservationKind = "time-to-action"     // impact start to the first action
	TimeToMitigation ObservationKind = "time-to-mitigation" // impact start to mitigation (or resolution)
	EndingDecision   ObservationKind = "ending-decision"    // the decision that ended the impact
	RepeatedQuestion ObservationKind = "repeated-question"  // a question asked more than once
	DecisionWait     ObservationKind = "decision-wait"      // a decision asked for, and the wait for it
	RoleConfusion    ObservationKind = "role-confusion"     // who leads, who owns, a silent role holder
	Silence          ObservationKind = "silence"            // no entry for a long stretch of the impact
	OpenNeed         ObservationKind = "open-need"          // a need still open when the log ends
	UnconfirmedWork  ObservationKind = "unconfirmed-work"   // work handed out, never reported done
	// Noted is an observation the author wrote in an ## Observations
	// section: used verbatim, instead of the derived ones.
	Noted ObservationKind = "noted"
)

// ObservationKinds lists the kinds in the order a page shows them.
var ObservationKinds = []ObservationKind{TimeToAction, TimeToMitigation, EndingDecision, RepeatedQuestion, DecisionWait, RoleConfusion, Silence, OpenNeed, UnconfirmedWork}

// Observation is one thing the log shows about how the incident was run,
// said in one sentence.
type Observation struct {
	Kind ObservationKind `json:"kind"`
	Rule string          `json:"rule"` // the rule of ObservationRules that found it
	Text string          `json:"text"`
	// Entries are the anchors of the timeline entries it rests on, in log
	// order.
	Entries []string `json:"entries"`
	// Seconds is the duration it measures, where one applies: nil when
	// the log does not time it (an answer in the same entry).
	Seconds *int64 `json:"seconds,omitempty"`
	// Open: the question, decision, need or work never got its answer,
	// decision, meeting or sign of being done before the log ended.
	Open bool `json:"open,omitempty"`
}

// ObserveOptions is what Observe needs to know beyond the log.
type ObserveOptions struct {
	// Moments are the incident's key moments by name: started, detected,
	// acknowledged, mitigated, resolved.
	Moments map[string]time.Time
	// Silence is the shortest stretch without an entry worth noting.
	Silence time.Duration
	// Commander and Roles (person → role) name the role holders whose
	// silence is worth noting.
	Commander string
	Roles     map[string]string
	// Report bounds the report whose needs are open at the end.
	Report Options
}

// ObservationRule is one way of finding an observation: a cue in the words
// of a sentence, or a shape of the log (Cue nil).
type ObservationRule struct {
	Name    string
	Kind    ObservationKind
	Finds   string         // what it looks for, for a reader of the table
	Cue     *regexp.Regexp // on the lower-cased sentence; nil for a shape
	Example string         // a line of a real log it exists for; a test holds the rule to it
}

// ObservationRules is the table of rules. Each rule's example is a real
// log's line, and observations_test.go finds the observation it names.
var ObservationRules = []ObservationRule{
	{"first-action", TimeToAction, "the first action (not a suggestion) after the impact began", nil,
		"There is some discussion, then someone says, “Disable it, then we can discuss it.”"},
	{"mitigated", TimeToMitigation, "the mitigated moment, else the resolved one, after the impact began", nil,
		"mitigated: \"06:31:05\""},
	{"ending-decision", EndingDecision, "the last decision before mitigation that is not about another service than the mitigation", nil,
		"After several minutes, the Executive says, “Let’s move forward.”"},
	{"asked-again", RepeatedQuestion, "a question the log says was asked again (asks the question again / a second and third time)", nil,
		"Paul asks the question a second and third time."},
	{"same-question", RepeatedQuestion, "the same question, word for word, in a later entry before the first was answered", nil,
		"16:24 – Grace: What is the ETA? I need something for the board call at 17:00."},
	{"decision-asked", DecisionWait, "should we / do we want / if they want / whether to / decide, or an either-or question; then the first decision, assent or choice of an option",
		cue(`\b(should|shall) (we|i|they)\b|\bdo (we|you|they) (want|need)\b|\b(if|whether) (they|you|we|he|she) (want|wants|would like|prefer)\b|\bwhether to\b|\b(need|needs|have|has|got) to decide\b|\bdecide (whether|if|between|on|what|which|how)\b|\b(need|needs|want|waiting for) a (decision|call|go-ahead)\b|\bgo or no[- ]go\b`),
		"Pete asks both Executives if they want the group to focus on resolving the issue or continue investigating."},
	{"who-leads", RoleConfusion, "a question of who runs, leads or commands the response", cue(`\bwho(?:'s|’s| is| was)? (?:running|leading|in charge|in command|driving|coordinating|the (?:ic|incident commander|commander|lead|leader))\b|\bwho (?:runs|leads)\b`),
		"Paul asks who is running this bridge, Pete or another SME?"},
	{"who-owns", RoleConfusion, "a question of who owns or is responsible for something", cue(`\bwho (?:owns|will own|is going to own|is the owner|is responsible|has the pager)\b|\bwho(?:'s|’s| is)? on point\b`),
		"16:10 – Nadia: Who owns the search cluster now that the platform team was split?"},
	{"confusion", RoleConfusion, "confusion or doubt said out loud about who does something", cue(`\b(?:confusion|confused|unclear|not sure|unsure|no one knows|nobody knows|disagreement) (?:as to |about |over |on )?who\b`),
		"There is confusion as to who is going to handle database issues between the SMEs."},
	{"silent-role", RoleConfusion, "the commander or a named role holder said to be silent", cue(`\b(?:is|was|remains|remained|stays|stayed|goes|went|keeps|kept) (?:\w+ )?silent\b|\bsays nothing\b|\bdoes not (?:speak|say anything)\b`),
		"There is some discussion, but the Pete is silent in this discussion."},
	{"silence", Silence, "consecutive entries further apart than timeline.silence_minutes, between the start and the end of the impact", nil,
		"05:15:52 … 05:44:23"},
	{"open-need", OpenNeed, "a need in the report as of the last entry, not already observed as a question or decision", nil,
		"The Executive wants to make sure everything is documented for the root cause analysis."},
	{"assigned", UnconfirmedWork, "an assignment with no later done, healthy or [met] statement sharing a word with the task", nil,
		"Pete asks another SME to take care of it."},
}

// ruleCue is the cue of the named rule.
func ruleCue(name string) *regexp.Regexp {
	for _, r := range ObservationRules {
		if r.Name == name {
			return r.Cue
		}
	}
	panic("no observation rule " + name)
}

var (
	decisionAskCue = ruleCue("decision-asked")
	whoLeadsCue    = ruleCue("who-leads")
	whoOwnsCue     = ruleCue("who-owns")
	confusionCue   = ruleCue("confusion")
	silentCue      = ruleCue("silent-role")
)

// Observe finds the command observations of the log.
func (a *Analysis) Observe(o ObserveOptions) []Observation {
	if len(a.Sentences) == 0 {
		return nil
	}
	ob := newObserver(a, o)
	ob.timing()
	ob.repeatedQuestions()
	ob.decisions()
	ob.roles()
	ob.silences()
	ob.openNeeds()
	ob.unconfirmedWork()
	return ob.out
}

// observer is one Observe call's work.
type observer struct {
	a     *Analysis
	o     ObserveOptions
	ss    []Sentence
	lower []string // sentences lower-cased, as asked for (low)
	out   []Observation
	// start and end bound the impact: started (else detected, else the
	// first entry) to resolved (else mitigated, else the last entry).
	start, end time.Time
	startName  string          // what start is: "the impact began", …
	observed   map[int]bool    // sentences an observation speaks of already
	names      map[string]bool // the words of people's names, lower-cased
}

func newObserver(a *Analysis, o ObserveOptions) *observer {
	ob := &observer{a: a, o: o, ss: a.Sentences, observed: map[int]bool{}, names: map[string]bool{}}
	ob.lower = make([]string, len(ob.ss))
	addName := func(n string) {
		for _, w := range strings.Fields(strings.ToLower(n)) {
			ob.names[w] = true
		}
	}
	for i := range ob.ss {
		addName(ob.ss[i].Entry.Actor)
	}
	for p := range o.Roles {
		addName(p)
	}
	addName(o.Commander)
	first, last := ob.ss[0].Entry.At, ob.ss[len(ob.ss)-1].Entry.At
	for _, e := range a.entries {
		if e.At.Before(first) {
			first = e.At
		}
		if e.At.After(last) {
			last = e.At
		}
	}
	// Without a moment that says when the impact began, the whole log
	// stands for it, and nothing is timed from its start (timing).
	ob.start, ob.startName = first, ""
	if t, ok := o.Moments["detected"]; ok {
		ob.start, ob.startName = t, "detection"
	}
	if t, ok := o.Moments["started"]; ok {
		ob.start, ob.startName = t, "the impact began"
	}
	ob.end = last
	if t, ok := o.Moments["mitigated"]; ok {
		ob.end = t
	}
	if t, ok := o.Moments["resolved"]; ok {
		ob.end = t
	}
	return ob
}

// low is sentence i lower-cased, made the first time it is asked for:
// most sentences never are.
func (ob *observer) low(i int) string {
	if ob.lower[i] == "" {
		ob.lower[i] = strings.ToLower(ob.ss[i].Text)
	}
	return ob.lower[i]
}

// add records an observation; d < 0 means it measures no duration.
func (ob *observer) add(kind ObservationKind, rule, text string, d time.Duration, open bool, anchors ...string) {
	o := Observation{Kind: kind, Rule: rule, Text: text, Open: open}
	for _, a := range anchors {
		if a != "" && (len(o.Entries) == 0 || o.Entries[len(o.Entries)-1] != a) {
			o.Entries = append(o.Entries, a)
		}
	}
	if d >= 0 {
		s := int64(d / time.Second)
		o.Seconds = &s
	}
	ob.out = append(ob.out, o)
}

// at is the time of sentence i, and its clock as report lines show it.
func (ob *observer) at(i int) time.Time { return ob.ss[i].Entry.At }
func (ob *observer) clock(i int) string { return FormatClock(ob.at(i)) }

// isDecision: a decision made, by the cue rules or a [decision] tag; a
// suggestion is not one yet.
func (ob *observer) isDecision(i int) bool {
	s := &ob.ss[i]
	if s.Rule == "tag" {
		return s.Entry.Has("decision")
	}
	return s.Rule == "decision" && !strings.Contains(ob.low(i), "suggest")
}

// leadSpeakerRE: a sentence that starts with who does the speaking.
var leadSpeakerRE = regexp.MustCompile(`^((?:(?:The|An?|One of the|Another) [\w ]{1,30}?)|[A-Z][\w’'-]*(?: [A-Z][\w’'-]*){0,2}) (?:asks|asked|offers|offered|directs|directed|says|said|suggests|wants|decides|decided|announces|answers|answered|responds|responded|replies|replied|reports|reported)\b`)

// speaker is who says sentence i: the frame's speaker ("Pete reports",
// "the Executive says, “…”"), else the entry's actor, else "someone".
func (ob *observer) speaker(i int) string {
	s := &ob.ss[i]
	who := ""
	if m := reported(s.Text); m != nil {
		who = m[1]
	} else if m := leadSpeakerRE.FindStringSubmatch(s.Text); m != nil {
		who = m[1]
	} else if m := quoted(s.Text); m != nil {
		w := strings.TrimSpace(m[1])
		if k := strings.LastIndex(w, ","); k >= 0 {
			w = strings.TrimSpace(w[k+1:])
		}
		w = strings.TrimPrefix(w, "then ")
		if r, _ := utf8.DecodeRuneInString(articles.ReplaceAllString(w, "")); unicode.IsUpper(r) && wordCount(w) <= 4 {
			who = w
		}
	}
	if who == "" {
		who = s.Entry.Actor
	}
	if who == "" {
		return "someone"
	}
	return midSentence(who)
}

// said is what sentence i says: its quotation, else its words.
func (ob *observer) said(i int) string {
	t := ob.ss[i].Text
	if m := quoted(t); m != nil {
		t = trimQuotes(m[2])
	}
	return strings.TrimRight(strings.TrimSpace(t), " .")
}

// quote puts words in quotation marks, unless they hold some already
// (`"Let's move forward." Rerun approved`): marks inside marks read worse
// than none.
func quote(t string) string {
	if strings.ContainsAny(t, "\"“”") {
		return t
	}
	return "“" + t + "”"
}

// head is sentence i as an observation opens with it: the log's own
// narrative ("Pete asks both Executives if …"), or, for words said by
// someone, "Grace asked “What is the ETA?”".
func (ob *observer) head(i int) string {
	t := strings.TrimSpace(ob.ss[i].Text)
	if ob.narrative(i) {
		return midSentence(strings.TrimRight(t, " .?"))
	}
	verb := " said "
	if strings.Contains(t, "?") {
		verb = " asked "
	}
	return ob.speaker(i) + verb + quote(ob.said(i))
}

// narrative reports whether sentence i tells of someone ("Maria directs
// Ken to …") rather than being their words.
func (ob *observer) narrative(i int) bool {
	t := ob.ss[i].Text
	if quoted(t) != nil {
		return false
	}
	if a := ob.ss[i].Entry.Actor; a != "" && strings.HasPrefix(t, a+" ") {
		return true // "Dana opens the incident and takes command"
	}
	return leadSpeakerRE.MatchString(t)
}

// utterance is sentence i as a clause of an observation: the log's
// narrative as it is, or who said what with verb ("decided", "agreed"):
// `the Executive said “Let’s move forward”`.
func (ob *observer) utterance(i int, verb string) string {
	who := ob.speaker(i)
	if quoted(ob.ss[i].Text) != nil {
		return who + " said " + quote(ob.said(i))
	}
	if ob.narrative(i) || who == "someone" {
		return midSentence(strings.TrimRight(strings.TrimSpace(ob.ss[i].Text), " ."))
	}
	if verb == "" {
		return who + ": " + quote(ob.said(i))
	}
	return who + " " + verb + ": " + quote(ob.said(i))
}

// sentence ends t with a full stop unless it ends with its own mark.
func sentence(t string) string {
	t = strings.TrimRight(t, " ")
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, ".") {
		return t
	}
	return t + "."
}

// midSentence lower-cases a leading article or pronoun, so a sentence
// of the log reads inside an observation's: "At 04:19:20 there is …".
func midSentence(t string) string {
	w, _, _ := strings.Cut(t, " ")
	switch w {
	case "The", "There", "It", "A", "An", "One", "Another", "Some", "Someone", "Somebody", "Nobody", "No", "We", "They", "This", "That", "These", "Those",
		"Many", "Most", "All", "Any", "Anything", "Anyone", "Everyone", "Everything", "Nothing", "Additional", "Discussion", "Our", "Their", "Its", "His", "Her", "My":
		return strings.ToLower(w[:1]) + t[1:]
	}
	return t
}

// spoken says a duration as a sentence would: "51 minutes", "2h 27m".
func spoken(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Minute:
		return "under a minute"
	case d == time.Minute:
		return "1 minute"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	}
	return fmt.Sprintf("%dh %02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// timesWord says how many times: "twice", "three times".
func timesWord(n int) string {
	words := []string{"", "once", "twice", "three times", "four times", "five times", "six times", "seven times", "eight times", "nine times", "ten times"}
	if n < len(words) {
		return words[n]
	}
	return fmt.Sprintf("%d times", n)
}

// clocks lists times as a sentence does: "16:05, 16:12 and 16:24".
func clocks(ts []time.Time) string {
	var parts []string
	for _, t := range ts {
		c := FormatClock(t)
		if len(parts) == 0 || parts[len(parts)-1] != c {
			parts = append(parts, c)
		}
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// ObservationsText renders observations for a terminal: each sentence,
// then its kind, the rule that found it and the entries it rests on.
func ObservationsText(obs []Observation) string {
	var b strings.Builder
	b.WriteString("\nCOMMAND OBSERVATIONS\n")
	if len(obs) == 0 {
		b.WriteString("  - No observations\n")
	}
	for _, o := range obs {
		fmt.Fprintf(&b, "  - %s\n", o.Text)
		fmt.Fprintf(&b, "      %s by rule %s; entries #%s\n", o.Kind, o.Rule, strings.Join(o.Entries, ", #"))
	}
	return b.String()
}
