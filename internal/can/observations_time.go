package can

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// Observations about time and follow-through: how long the first action,
// the mitigation and the deciding call took, the silences during the
// impact, what was still open at the end, and work never reported done.

// leaderRE: a claim to lead, which the assigns rule also catches; it is
// not work handed out.
var leaderRE = regexp.MustCompile(`\b(?:leader|ic|incident commander|command|drive|in charge)\b`)

// askedToRE: a question that hands out work, "Luis, can you …?".
var askedToRE = regexp.MustCompile(`^[A-Z][\w'’-]*, (?:can|could|would|will) you\b`)

// timing measures from the start of the impact to the first action, to
// mitigation, and to the decision that ended the impact.
func (ob *observer) timing() {
	if ob.startName == "" {
		return
	}
	since := fmt.Sprintf("%s (%s)", ob.startName, FormatClock(ob.start))
	for i := range ob.ss {
		s := &ob.ss[i]
		// Strictly after: what the log says at the very start is how
		// the impact began ("lag starts to grow"), not a response to it.
		if s.Kind != Action || !ob.at(i).After(ob.start) || strings.Contains(ob.low(i), "suggest") {
			continue
		}
		d := ob.at(i).Sub(ob.start)
		ob.add(TimeToAction, "first-action", sentence(fmt.Sprintf("The first action came %s after %s, at %s: %s", spoken(d), since, ob.clock(i), ob.utterance(i, ""))), d, false, s.Entry.Anchor)
		break
	}
	name := "mitigated"
	end, ok := ob.o.Moments[name]
	if !ok {
		name = "resolved"
		end, ok = ob.o.Moments[name]
	}
	if !ok || end.Before(ob.start) {
		return
	}
	d := end.Sub(ob.start)
	ob.add(TimeToMitigation, "mitigated", fmt.Sprintf("%s %s after %s, at %s.", upperFirst(name), spoken(d), since, FormatClock(end)), d, false, ob.entryAt(end))
	ob.endingDecision(end, name)
}

// endingDecision finds the decision that ended the impact: the last one
// before end, passing over decisions about another service or customer
// than the statements logged at end ("Let's work on the e-mail issue" did
// not bring log-ins back).
func (ob *observer) endingDecision(end time.Time, name string) {
	ending := map[string]bool{}
	for i := range ob.ss {
		if ob.at(i).Equal(end) {
			for _, sub := range ob.ss[i].Subjects {
				ending[sub] = true
			}
		}
	}
	for i := len(ob.ss) - 1; i >= 0; i-- {
		s := &ob.ss[i]
		if ob.at(i).After(end) || !ob.isDecision(i) {
			continue
		}
		if ob.at(i).Before(ob.start) {
			return
		}
		if s.Impact && len(ending) > 0 && !slices.ContainsFunc(s.Subjects, func(sub string) bool { return ending[sub] }) {
			continue
		}
		verb := "decided"
		if quoted(s.Text) != nil {
			verb = "said"
		}
		d := ob.at(i).Sub(ob.start)
		text := fmt.Sprintf("The decision that ended the impact came %s after %s: at %s %s, %s before it was %s at %s.",
			spoken(d), ob.startName, ob.clock(i), ob.utterance(i, verb), spoken(end.Sub(ob.at(i))), name, FormatClock(end))
		ob.add(EndingDecision, "ending-decision", text, d, false, s.Entry.Anchor, ob.entryAt(end))
		return
	}
}

// entryAt is the anchor of the entry at t, or of the last one before it,
// or, for a moment before the log, of its first entry.
func (ob *observer) entryAt(t time.Time) string {
	anchor := ""
	for _, e := range ob.a.entries {
		if e.At.After(t) {
			if anchor == "" {
				anchor = e.Anchor
			}
			break
		}
		anchor = e.Anchor
	}
	return anchor
}

// maxSilences: the longest silences are the ones worth a reviewer's time;
// a log of days would otherwise list every night.
const maxSilences = 5

// silences finds stretches of the impact with no entry for at least the
// silence threshold: the longest few, in the order they happened.
func (ob *observer) silences() {
	if ob.o.Silence <= 0 {
		return
	}
	type gap struct {
		from, to int // entries
		lo, hi   time.Time
	}
	var gaps []gap
	es := ob.a.entries
	for k := 1; k < len(es); k++ {
		if es[k].DateOnly || es[k-1].DateOnly {
			continue
		}
		lo, hi := es[k-1].At, es[k].At
		if lo.Before(ob.start) {
			lo = ob.start
		}
		if hi.After(ob.end) {
			hi = ob.end
		}
		if hi.Sub(lo) >= ob.o.Silence {
			gaps = append(gaps, gap{k - 1, k, lo, hi})
		}
	}
	if len(gaps) > maxSilences {
		sort.SliceStable(gaps, func(a, b int) bool { return gaps[a].hi.Sub(gaps[a].lo) > gaps[b].hi.Sub(gaps[b].lo) })
		gaps = gaps[:maxSilences]
		sort.SliceStable(gaps, func(a, b int) bool { return gaps[a].from < gaps[b].from })
	}
	for _, g := range gaps {
		d := g.hi.Sub(g.lo)
		during := " during the impact"
		if m, ok := ob.o.Moments["mitigated"]; ok && !g.lo.Before(m) {
			during = " after mitigation"
		}
		if ob.startName == "" {
			during = ""
		}
		text := fmt.Sprintf("No entry for %s%s, from %s to %s.", spoken(d), during, FormatClock(g.lo), FormatClock(g.hi))
		ob.add(Silence, "silence", text, d, false, es[g.from].Anchor, es[g.to].Anchor)
	}
}

// openNeeds: the needs of the report as of the last entry, each with how
// long it had been open, but for those another observation speaks of.
func (ob *observer) openNeeds() {
	last := ob.at(0)
	for i := range ob.ss {
		if ob.at(i).After(last) {
			last = ob.at(i)
		}
	}
	ob.a.EachAsOfLines([]time.Time{last}, ob.o.Report, func(_ int, r *Report, from [3][]*Sentence) {
		for k, l := range r.Needs {
			s := from[2][k]
			if ob.observed[s.Index] {
				continue
			}
			d := last.Sub(s.Entry.At)
			what := sentence(midSentence(l.Text))
			text := fmt.Sprintf("Still open when the log ended at %s, %s after %s: %s", FormatClock(last), spoken(d), FormatClock(s.Entry.At), what)
			if d < time.Minute {
				text = fmt.Sprintf("Raised in the last entry, at %s, and still open: %s", FormatClock(last), what)
			}
			ob.add(OpenNeed, "open-need", text, d, true, s.Entry.Anchor)
		}
	})
}

// unconfirmedWork finds work handed out that no later statement reports
// done: no later condition, finished action or [met] entry shares a word
// with the task (the assignment, and the need it answers in the same
// entry).
func (ob *observer) unconfirmedWork() {
	var assigned []int
	for i := range ob.ss {
		if ob.ss[i].Rule == "assigns" && !leaderRE.MatchString(ob.low(i)) {
			assigned = append(assigned, i)
		}
	}
	if len(assigned) == 0 {
		return
	}
	done := map[string][]int{} // word stem → sentences that report it done, in order
	for j := assigned[0] + 1; j < len(ob.ss); j++ {
		s := &ob.ss[j]
		// What was found or done about the task is a sign it was done;
		// a question, a new assignment or work still under way is not.
		if s.Met || s.Kind == Condition || s.Kind == Action && s.Rule != "doing" && s.Rule != "assigns" {
			for _, w := range ob.taskWords(j) {
				done[w] = append(done[w], j)
			}
		}
	}
	for _, i := range assigned {
		s := &ob.ss[i]
		// "Anything I can do to help?" offers; "Luis, can you stop the
		// reindex job?" hands out work.
		if strings.HasSuffix(strings.TrimSpace(s.Text), "?") && !askedToRE.MatchString(s.Text) {
			continue
		}
		words := ob.taskWords(i)
		task := ""
		if i > 0 && ob.ss[i-1].Entry == s.Entry && ob.ss[i-1].Kind == Need {
			words = append(words, ob.taskWords(i-1)...)
			task = " (" + strings.TrimRight(ob.ss[i-1].Text, " .") + ")"
		}
		if len(words) == 0 || ob.doneLater(i, words, done) {
			continue
		}
		text := fmt.Sprintf("At %s %s%s, and no later entry says it was done.", ob.clock(i), midSentence(strings.TrimRight(s.Text, " .?")), task)
		ob.add(UnconfirmedWork, "assigned", text, -1, true, s.Entry.Anchor)
	}
}

// doneLater reports whether a sentence of a later entry than i's reports
// one of words done.
func (ob *observer) doneLater(i int, words []string, done map[string][]int) bool {
	for _, w := range words {
		list := done[w]
		for k := sort.SearchInts(list, i+1); k < len(list); k++ {
			if ob.ss[list[k]].Entry != ob.ss[i].Entry {
				return true
			}
		}
	}
	return false
}

// taskStop are words every assignment uses, which say nothing of the task.
var taskStop = map[string]bool{"the": true, "and": true, "for": true, "with": true, "that": true, "this": true, "can": true, "you": true, "could": true, "please": true, "asks": true, "ask": true, "another": true, "take": true, "care": true, "handle": true, "look": true, "into": true, "them": true, "they": true, "him": true, "her": true, "his": true, "its": true, "now": true, "then": true, "some": true, "help": true, "one": true, "sme": true, "smes": true, "team": true, "group": true, "pls": true, "give": true, "min": true, "mins": true, "minutes": true, "will": true, "are": true, "was": true, "has": true, "have": true, "need": true, "needs": true, "does": true, "get": true, "new": true, "all": true, "not": true}

// taskWords are the words of sentence i that can say what a task is
// about: three letters or more, not a name, not scaffolding, each cut to
// five letters so "flushing" and "flushed" meet.
func (ob *observer) taskWords(i int) []string {
	var out []string
	l := ob.low(i)
	for k := 0; k < len(l); {
		if !isTaskByte(l[k]) {
			k++
			continue
		}
		end := k
		for end < len(l) && isTaskByte(l[end]) {
			end++
		}
		w := l[k:end]
		k = end
		if len(w) < 3 || taskStop[w] || stopWords[w] || ob.names[w] {
			continue
		}
		if len(w) > 5 {
			w = w[:5]
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func isTaskByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
