package can

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Observations about what was asked: questions asked again, decisions
// asked for, and who leads or owns what.

// repeatedQuestions finds a question the log says was asked again
// (asked-again), or asked in the same words in a later entry before the
// first time was answered (same-question).
func (ob *observer) repeatedQuestions() {
	var groups []*questionGroup
	byQuestion := map[int]*questionGroup{}
	for i := range ob.ss {
		if ob.ss[i].Rule != "asked-again" {
			continue
		}
		q := ob.openQuestionBefore(i)
		if q < 0 {
			continue
		}
		g := byQuestion[q]
		if g == nil {
			g = &questionGroup{rule: "asked-again", asks: []int{q}, times: 1}
			byQuestion[q] = g
			groups = append(groups, g)
		}
		g.asks = append(g.asks, i)
		g.times = timesAsked(g.times, ob.low(i))
	}
	open := map[string]*questionGroup{} // by the words of the question
	for i := range ob.ss {
		s := &ob.ss[i]
		if s.Rule != "question" || byQuestion[i] != nil {
			continue
		}
		k := questionKey(ob.low(i))
		if k == "" {
			continue
		}
		g := open[k]
		if last := g.lastAsk(); g != nil && ob.ss[last].Entry != s.Entry && (ob.ss[last].Later < 0 || ob.ss[last].Later > i) {
			if len(g.asks) == 1 {
				groups = append(groups, g)
			}
			g.asks = append(g.asks, i)
			g.times++
			continue
		}
		open[k] = &questionGroup{rule: "same-question", asks: []int{i}, times: 1}
	}
	slices.SortStableFunc(groups, func(a, b *questionGroup) int { return a.asks[0] - b.asks[0] })
	for _, g := range groups {
		ob.repeatedQuestion(g.rule, g.asks, g.times)
	}
}

// questionGroup is a question and the times it was asked again.
type questionGroup struct {
	rule  string
	asks  []int // the question, then each time it was asked again
	times int
}

// lastAsk is the latest time a question group was asked; -1 for none.
func (g *questionGroup) lastAsk() int {
	if g == nil {
		return -1
	}
	return g.asks[len(g.asks)-1]
}

// repeatedQuestion writes the observation of a question asked times
// times: asks[0] is the question, the rest the times it was asked again.
func (ob *observer) repeatedQuestion(rule string, asks []int, times int) {
	q := asks[0]
	for _, i := range asks {
		ob.observed[i] = true
	}
	// The answer to the last asking, or, when the log says it was asked
	// again, to the question itself.
	last := asks[len(asks)-1]
	if rule == "asked-again" {
		last = q
	}
	var ats []time.Time
	anchors := make([]string, 0, len(asks)+1)
	for _, i := range asks {
		ats = append(ats, ob.at(i))
		anchors = append(anchors, ob.ss[i].Entry.Anchor)
	}
	base := fmt.Sprintf("%s asked %s %s at %s", ob.speaker(q), quote(ob.said(q)), timesWord(times), clocks(ats))
	ans := ob.ss[last].Later
	if ans < 0 || ans == last {
		ob.add(RepeatedQuestion, rule, base+", and no answer came before the log ended.", -1, true, anchors...)
		return
	}
	who, content := ob.answer(ans)
	if ob.ss[ans].Entry == ob.ss[q].Entry {
		after := ""
		if m := afterRE.FindString(ob.low(ans)); m != "" {
			after = ", " + m
		}
		ob.add(RepeatedQuestion, rule, sentence(fmt.Sprintf("%s before %s answered%s: %s", base, who, after, quote(content))), -1, false, anchors...)
		return
	}
	d := ob.at(ans).Sub(ob.at(q))
	text := sentence(fmt.Sprintf("%s before %s answered at %s, %s after it was first asked: %s", base, who, ob.clock(ans), spoken(d), quote(content)))
	ob.add(RepeatedQuestion, rule, text, d, false, append(anchors, ob.ss[ans].Entry.Anchor)...)
}

var (
	// afterRE: the log's own measure of a wait inside one entry.
	afterRE = regexp.MustCompile(`\bafter (?:several|a few|many|some|\d+|two|three|four|five|ten|fifteen|twenty|thirty) (?:minutes|hours)\b`)
	// answerRE: "…, the SME answers that it will be about 30 minutes".
	answerVerbRE = regexp.MustCompile(`^(.*?)\b(?:answers|answered|responds|responded|replies|replied|says|said)(?: that)?,? (.+)$`)
	ordinalRE    = regexp.MustCompile(`\b(second|third|fourth|fifth|twice|three times|four times)\b`)
)

// answer is who answered in sentence i, and what.
func (ob *observer) answer(i int) (who, content string) {
	t := ob.ss[i].Text
	if m := answerVerbRE.FindStringSubmatch(t); m != nil {
		w := strings.TrimSpace(m[1])
		if k := strings.LastIndex(w, ","); k >= 0 {
			w = strings.TrimSpace(w[k+1:])
		}
		if w != "" && wordCount(w) <= 4 {
			return midSentence(w), strings.TrimRight(trimQuotes(strings.TrimSpace(m[2])), " .")
		}
	}
	return ob.speaker(i), ob.said(i)
}

// openQuestionBefore is the question asked-again sentence i repeats: the
// latest question before it still open then, as the CAN state has it.
func (ob *observer) openQuestionBefore(i int) int {
	for q := i - 1; q >= 0 && q >= i-200; q-- {
		if s := &ob.ss[q]; s.Rule == "question" && (s.Later < 0 || s.Later > i) {
			return q
		}
	}
	return -1
}

// timesAsked is how many times a question has been asked once the log
// says so again: "a second and third time" makes three, "again" one more.
func timesAsked(before int, lower string) int {
	n := 0
	for _, m := range ordinalRE.FindAllString(lower, -1) {
		switch m {
		case "second", "twice":
			n = max(n, 2)
		case "third", "three times":
			n = max(n, 3)
		case "fourth", "four times":
			n = max(n, 4)
		case "fifth":
			n = max(n, 5)
		}
	}
	if n == 0 {
		return before + 1
	}
	return max(n, before+1)
}

// questionKey is a question's words, without the little ones, so "What
// is the ETA?" and "what's the ETA?" are one question.
func questionKey(lower string) string {
	var ws []string
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127) }) {
		switch w {
		case "a", "an", "the", "is", "are", "s", "re", "so", "any", "now", "still", "again", "please", "pls", "ok":
			continue
		}
		ws = append(ws, w)
	}
	if len(ws) < 2 {
		return ""
	}
	return strings.Join(ws, " ")
}

// eitherOrRE: a question put as a choice, "do we keep it or shrink it?".
var eitherOrRE = regexp.MustCompile(`^(?:do|does|should|shall|can|could|would|will|are|is) (?:we|you|they|i)\b|\basks\b[^.]*\b(?:if|whether) (?:we|they|he|she|i|you|the group|the team)\b[^.]*\b(?:should|want|wants|can|could|would|will|need|needs)\b`)

// decisions finds each decision asked for and the wait for it.
func (ob *observer) decisions() {
	next := ob.nextDecisions()
	for i := range ob.ss {
		s := &ob.ss[i]
		if s.Kind != Need || s.Rule == "asked-again" || s.Rule == "unanswered" {
			continue
		}
		l := ob.low(i)
		if !mayAskDecision(l) || strings.Contains(l, "who") && (whoLeadsCue.MatchString(l) || whoOwnsCue.MatchString(l)) {
			continue
		}
		if !decisionAskCue.MatchString(l) && !(s.Rule == "question" && strings.Contains(l, " or ") && eitherOrRE.MatchString(l)) {
			continue
		}
		ob.observed[i] = true
		noAnswer := ""
		if i+1 < len(ob.ss) && ob.ss[i+1].Entry == s.Entry && ob.ss[i+1].Rule == "unanswered" {
			noAnswer = "no answer came, and "
		}
		head := fmt.Sprintf("At %s %s", ob.clock(i), ob.head(i))
		j, verb := ob.decisionAfter(i, next[i])
		if j < 0 {
			ob.add(DecisionWait, "decision-asked", head+"; "+noAnswer+"no decision followed before the log ended.", -1, true, s.Entry.Anchor)
			continue
		}
		d := ob.at(j).Sub(ob.at(i))
		var text string
		switch {
		case d < time.Minute:
			text = fmt.Sprintf("%s; %sat once, %s", head, noAnswer, ob.utterance(j, verb))
		default:
			text = fmt.Sprintf("%s; %sthe decision waited %s, until %s, when %s", head, noAnswer, spoken(d), ob.clock(j), ob.utterance(j, verb))
		}
		text = sentence(text)
		ob.add(DecisionWait, "decision-asked", text, d, false, s.Entry.Anchor, ob.ss[j].Entry.Anchor)
	}
}

// mayAskDecision is a cheap test every sentence the decision cues match
// passes: the cues backtrack, and most needs hold none of these words.
func mayAskDecision(lower string) bool {
	for _, w := range [...]string{"should", "shall", "do ", "whether", "if ", "decid", "decision", "call", "go-ahead", "go or", " or "} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// nextDecisions gives, for each sentence, the first decision after it (-1
// for none), so finding each one's is not a walk to the end of the log.
func (ob *observer) nextDecisions() []int {
	next := make([]int, len(ob.ss))
	n := -1
	for i := len(ob.ss) - 1; i >= 0; i-- {
		next[i] = n
		if ob.isDecision(i) {
			n = i
		}
	}
	return next
}

var (
	// assentRE: a reply that settles a question put to the room.
	assentRE = regexp.MustCompile(`^(?:yes|yep|yeah|agreed|ok|okay|sure|approved|go ahead|do it)\b|\b(?:good idea|sounds good|makes sense|go for it|let'?s do (?:it|that))\b`)
	// optionRE: the verbs of a choice, "do we keep … or shrink …".
	optionRE = regexp.MustCompile(`\b(?:should|shall|do|can|could|would) (?:we|i|they) ([a-z]+)|\b(?:whether|need) to ([a-z]+)|\bwant (?:[a-z]+ ){0,3}?to ([a-z]+)|\bor (?:to )?([a-z]+)`)
)

// decisionAfter finds the decision that answers the ask in sentence i,
// with the verb that says how it came: the first later decision (next),
// or before it an assent from someone else within a quarter of an hour,
// or an action that takes one of the options the question named.
func (ob *observer) decisionAfter(i, next int) (int, string) {
	var options []string
	for _, m := range optionRE.FindAllStringSubmatch(ob.low(i), -1) {
		for _, v := range m[1:] {
			if len(v) >= 3 && !slices.Contains([]string{"not", "more", "less", "two", "the", "want", "need", "know", "have"}, v) {
				options = append(options, v)
			}
		}
	}
	asker := ob.speaker(i)
	limit := len(ob.ss)
	if next >= 0 {
		limit = next
	}
	for j := i + 1; j < limit && j <= i+400; j++ {
		s := &ob.ss[j]
		if s.Kind == Need || s.Entry == ob.ss[i].Entry {
			continue
		}
		soon := ob.at(j).Sub(ob.at(i)) <= 15*time.Minute
		if soon && assentRE.MatchString(ob.low(j)) && ob.speaker(j) != asker {
			return j, "agreed"
		}
		if s.Kind == Action && choosesOption(ob.low(j), options) {
			return j, "chose"
		}
		// Someone doing something about the question soon after settles
		// it too: "Do we need to tell the enterprise customers?" —
		// "Drafting an e-mail to enterprise accounts now."
		if soon && s.Kind == Action && s.Rule != "assigns" && sharesWord(ob.ss[i].Text, s.Text) && ob.speaker(j) != asker {
			return j, "acted"
		}
	}
	if next < 0 {
		return -1, ""
	}
	if quoted(ob.ss[next].Text) != nil {
		return next, "said"
	}
	return next, "decided"
}

// choosesOption reports whether a sentence does one of the options: the
// verb itself or its -ing, -s or -ed form ("keeping" for "keep").
func choosesOption(lower string, options []string) bool {
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return r < 'a' || r > 'z' }) {
		for _, o := range options {
			stem := strings.TrimSuffix(o, "e")
			if w == o || w == o+"s" || w == stem+"ing" || w == stem+"ed" || w == o+"d" {
				return true
			}
		}
	}
	return false
}

// roles finds confusion over who leads or owns what, and a role holder
// silent when the room needs them.
func (ob *observer) roles() {
	for i := range ob.ss {
		// The cues backtrack: each runs only on sentences holding its
		// word, "who" (or "Who") or a word of silence.
		t := ob.ss[i].Text
		who := strings.Contains(t, "who") || strings.Contains(t, "Who")
		silent := strings.Contains(t, "silent") || strings.Contains(t, "says nothing") || strings.Contains(t, "does not")
		if !who && !silent {
			continue
		}
		l := ob.low(i)
		switch {
		case who && whoLeadsCue.MatchString(l):
			ob.roleQuestion(i, "who-leads")
		case who && whoOwnsCue.MatchString(l):
			ob.roleQuestion(i, "who-owns")
		case who && confusionCue.MatchString(l):
			ob.observed[i] = true
			ob.add(RoleConfusion, "confusion", fmt.Sprintf("At %s %s.", ob.clock(i), midSentence(strings.TrimRight(ob.ss[i].Text, " ."))), -1, false, ob.ss[i].Entry.Anchor)
		case silent && silentCue.MatchString(l):
			ob.silentRole(i)
		}
	}
}

// ownerRE: a reply that says who owns or leads.
var ownerRE = regexp.MustCompile(`\bowns?\b|\bowner\b|\bresponsible\b|\bi(?:'ll|’ll| will) (?:take|own|handle|lead|run)\b|\b(?:i am|i'm|i’m|he is|she is) (?:the )?(?:leader|lead|ic|incident commander|owner)\b`)

// roleQuestion: a question of who leads or owns, and its answer.
func (ob *observer) roleQuestion(i int, rule string) {
	ob.observed[i] = true
	s := &ob.ss[i]
	when := "At " + ob.clock(i)
	if at := ob.at(i); ob.startName == "the impact began" && at.After(ob.start) && !at.After(ob.end) {
		when += ", " + spoken(at.Sub(ob.start)) + " into the impact,"
	}
	head := when + " " + ob.head(i)
	// "who owns the database issues? answer: the DB SME stays here": a
	// chat line that asks and answers.
	if q, rest, ok := strings.Cut(s.Text, "?"); ok && !ob.narrative(i) {
		rest, answered := strings.CutPrefix(strings.TrimSpace(rest), "answer:")
		if rest = strings.TrimSpace(rest); answered && rest != "" {
			ob.add(RoleConfusion, rule, sentence(fmt.Sprintf("%s %s asked %s, and answered in the same message: %s", when, ob.speaker(i), quote(strings.TrimSpace(q)+"?"), quote(strings.TrimRight(rest, " .")))), -1, false, s.Entry.Anchor)
			return
		}
	}
	j := s.Later
	if j >= 0 && j != i && ob.ss[j].Entry != s.Entry && !ob.ss[j].Answer && !ownerRE.MatchString(ob.low(j)) {
		j = -1 // a reply to something else ("Nadia, please add disk")
	}
	switch {
	case j < 0 || j == i:
		ob.add(RoleConfusion, rule, head+", and nobody answered.", -1, true, s.Entry.Anchor)
	case ob.ss[j].Entry == s.Entry:
		ob.add(RoleConfusion, rule, head+"; "+midSentence(strings.TrimRight(ob.ss[j].Text, " ."))+".", -1, false, s.Entry.Anchor)
	default:
		who, content := ob.answer(j)
		ob.add(RoleConfusion, rule, sentence(fmt.Sprintf("%s; %s answered at %s: %s", head, who, ob.clock(j), quote(content))), ob.at(j).Sub(ob.at(i)), false, s.Entry.Anchor, ob.ss[j].Entry.Anchor)
	}
}

// silentRole: the commander or a role holder said to be silent, and the
// course someone else set meanwhile, in the same entry.
func (ob *observer) silentRole(i int) {
	s := &ob.ss[i]
	name, role := "", ""
	holders := map[string]string{ob.o.Commander: "commander"}
	for p, r := range ob.o.Roles {
		if _, ok := holders[p]; !ok {
			holders[p] = r
		}
	}
	for p, r := range holders {
		if p != "" && namesWord(s.Text, p) && (name == "" || p < name) {
			name, role = p, r
		}
	}
	if name == "" {
		return
	}
	text := fmt.Sprintf("At %s the %s, %s, is silent in the discussion.", ob.clock(i), role, name)
	first := i
	for first > 0 && ob.ss[first-1].Entry == s.Entry {
		first--
	}
	for k := first; k < len(ob.ss) && ob.ss[k].Entry == s.Entry; k++ {
		if ob.isDecision(k) && !namesWord(ob.ss[k].Text, name) {
			text = sentence(fmt.Sprintf("At %s the %s, %s, is silent while %s sets the course: %s", ob.clock(i), role, name, ob.speaker(k), quote(ob.said(k))))
			break
		}
	}
	ob.add(RoleConfusion, "silent-role", text, -1, false, s.Entry.Anchor)
}

// namesWord reports whether text holds word as a whole word.
func namesWord(text, word string) bool {
	for off := 0; ; {
		k := strings.Index(text[off:], word)
		if k < 0 {
			return false
		}
		at := off + k
		end := at + len(word)
		if (at == 0 || !isWordByte(text[at-1])) && (end == len(text) || !isWordByte(text[end])) {
			return true
		}
		off = at + 1
	}
}
