package can

import (
	"slices"
	"time"
)

// Ranking: the lines a report as of a time has room for.

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
			if !later(s) {
				acts = append(acts, s)
			}
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
		if k := section(s); k >= 0 && s.Later >= 0 {
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
			return s.Later >= 0 && !a.Sentences[s.Later].Entry.At.After(t)
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
