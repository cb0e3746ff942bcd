package can

import (
	"regexp"
	"strings"
	"time"
	"unicode"
)

// State: which sentences a later one supersedes or meets.

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
	a.linkWork()
	a.linkAllClear()
	a.linkReplies()
}

// linkWork lets work under way give way to its end: "starts indexing job"
// to "indexing job completes", "begins migrating nodes" to "completes the
// migration".
func (a *Analysis) linkWork() {
	ss := a.Sentences
	// What a later sentence says, read when first asked: it finishes work
	// (1) or not (-1), and its content words.
	var fin []int8
	var words [][]string
	wordsOf := func(i int) []string {
		if words[i] == nil {
			words[i] = append(contentWords(ss[i].Text), "") // "": read, none
		}
		return words[i]
	}
	for i := range ss {
		s := &ss[i]
		if s.Kind != Action || s.Later >= 0 || !matchLower(s.Text, startsWords, startsWorkRE) {
			continue
		}
		if fin == nil {
			fin, words = make([]int8, len(ss)), make([][]string, len(ss))
		}
		for j := i + 1; j < len(ss) && j < i+200; j++ {
			if fin[j] == 0 {
				fin[j] = -1
				if matchLower(ss[j].Text, finishesWords, finishesRE) {
					fin[j] = 1
				}
			}
			if fin[j] < 0 || ss[j].Entry == s.Entry {
				continue
			}
			if sharesAny(wordsOf(i), wordsOf(j)) {
				s.Later = j
				break
			}
		}
	}
}

// sharesAny reports whether two short lists of words share one (but
// the empty word).
func sharesAny(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y && x != "" {
				return true
			}
		}
	}
	return false
}

// linkAllClear lets an all-clear ("Services full restored", "Prow is once
// again merging at its usual rate") supersede every failure reported
// before it.
func (a *Analysis) linkAllClear() {
	ss := a.Sentences
	for i := range ss {
		s := &ss[i]
		if s.Kind != Condition || s.Rule != "healthy" || !allClearRE.MatchString(strings.ToLower(s.Text)) {
			continue
		}
		for j := 0; j < i; j++ {
			if c := &ss[j]; c.Kind == Condition && c.Later < 0 && c.Rule != "healthy" && c.Entry != s.Entry {
				c.Later = i
			}
		}
	}
}

// linkReplies lets a reply meet a question: the first later statement by
// someone else, within a quarter of an hour, about a word of the question.
func (a *Analysis) linkReplies() {
	ss := a.Sentences
	for i := range ss {
		q := &ss[i]
		if q.Kind != Need || q.Rule != "question" || q.Later >= 0 || q.Entry.Actor == "" {
			continue
		}
		for j := i + 1; j < len(ss); j++ {
			r := &ss[j]
			if r.Entry.At.Sub(q.Entry.At) > 15*time.Minute {
				break
			}
			if r.Entry != q.Entry && r.Entry.Actor != "" && r.Entry.Actor != q.Entry.Actor && r.Kind != Need && sharesAny(contentWords(q.Text), contentWords(r.Text)) {
				q.Later = j
				break
			}
		}
	}
}

// matchLower reports whether re matches text lower-cased, trying re only
// when the text holds one of words, one of which every match holds: the
// patterns run on every action and after it, and most hold none.
func matchLower(text string, words []string, re *regexp.Regexp) bool {
	lower := strings.ToLower(text)
	for _, w := range words {
		if strings.Contains(lower, w) {
			return re.MatchString(lower)
		}
	}
	return false
}

var (
	startsWords   = []string{"start", "begin", "began", "working on", "looking", "investigating", "migrating", "running", "preparing", "building"}
	finishesWords = []string{"complet", "finish", "done", "identified", "found", "fixed", "land", "resolved", "restored"}
	startsWorkRE  = regexp.MustCompile(`\b(starts?|started|begins?|began|starting|beginning)\b|\b(is|are) (now )?(working on|looking|investigating|migrating|running|preparing|building)\b`)
	finishesRE    = regexp.MustCompile(`\b(complet(es|ed|e)|finish(es|ed)|done|identified|found|fixed|lands|landed|resolved|restored)\b`)
	allClearRE    = regexp.MustCompile(`\b(full(y)? (restored|recovered|operational|functional|available)|services? (fully |full )?restored|all (services|systems|network paths) (are )?(back|up|normal|operational|available)|back to normal|once again|usual rate|all clear)\b`)
)

// sharesWord reports whether two sentences share a content word (its first
// five letters, so "migrating" and "migration" are one).
func sharesWord(a, b string) bool {
	words := map[string]bool{}
	for _, w := range contentWords(a) {
		words[w] = true
	}
	for _, w := range contentWords(b) {
		if words[w] {
			return true
		}
	}
	return false
}

func contentWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(w) < 5 || stopWords[w] {
			continue
		}
		out = append(out, w[:5])
	}
	return out
}

// stopWords are long words every sentence may use.
var stopWords = map[string]bool{"about": true, "there": true, "their": true, "which": true, "after": true, "still": true, "other": true, "being": true, "these": true, "those": true, "would": true, "could": true, "should": true, "think": true, "where": true, "while": true, "again": true, "start": true, "starts": true, "started": true, "begins": true, "began": true, "things": true, "really": true, "doing": true, "going": true, "right": true}
