package can

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
}
