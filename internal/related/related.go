// Package related scores how incidents relate: explicit links both ways,
// and what pairs share (services, components, customers, tags, people, words
// of title and summary), found through an inverted index rather than by
// comparing every pair.
package related

import (
	"cmp"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
)

// Doc is what scoring knows of one incident.
type Doc struct {
	Services, Components, Customers, Tags, People []string
	Text                                          string // title and summary
}

// Explicit is a link an author wrote: From's front matter names To.
type Explicit struct {
	From, To int
	Relation string // similar, duplicate, caused-by, follow-up, or ""
}

// Link is one related incident of a doc.
type Link struct {
	To       int
	Relation string // as written on the From side
	Inverse  bool   // the link was written on the other incident
	Explicit bool
	Score    float64
	Reasons  []string // the shared terms, strongest first
}

// Options are the weights of each field, the score a scored link needs and
// how many scored links a doc keeps.
type Options struct {
	Weights   map[string]float64
	Threshold float64
	Max       int
	// Window bounds the incidents one shared term can nominate: the Window
	// nearest in the docs' order (newest first, so nearest in time). A term
	// shared by 5,000 of 100,000 incidents would otherwise make every one of
	// them a candidate of every other, and scoring quadratic. 0 means
	// DefaultWindow.
	Window int
}

// DefaultWindow is Options.Window's default: on sites where no term is
// shared by more incidents than this, it changes nothing.
const DefaultWindow = 1000

type posting struct {
	field, label string
	lower        string // label lowercased, for topReasons
}

// Compute returns, for every doc, its explicit links followed by its top
// scored ones, each with reasons.
func Compute(docs []Doc, explicit []Explicit, opts Options) [][]Link {
	return new(Scorer).Compute(docs, explicit, opts)
}

// Scorer is Compute that remembers: it keeps the inverted index and the
// links of its last call, so that when the next call's docs differ from
// the last in a few docs only (a watch-mode edit of a title or a tag), it
// rescores only the docs those edits can move, and gives exactly what a
// fresh Compute gives. The zero value is ready; a Scorer is not for
// concurrent use.
type Scorer struct {
	docs     []Doc
	explicit []Explicit
	opts     Options
	ix       *index
	out      [][]Link
}

// maxRescored is how many changed docs a Scorer updates its index for;
// beyond it, it scores everything again.
const maxRescored = 16

// Compute is the package's Compute, rescoring only what changed since the
// Scorer's last call where it can. The slices it returns are not changed
// by later calls.
func (sc *Scorer) Compute(docs []Doc, explicit []Explicit, opts Options) [][]Link {
	if sc.ix != nil && len(docs) == len(sc.docs) && slices.Equal(explicit, sc.explicit) && sameOptions(opts, sc.opts) {
		var changed []int
		for i := range docs {
			if !sameDoc(docs[i], sc.docs[i]) {
				if changed = append(changed, i); len(changed) > maxRescored {
					break
				}
			}
		}
		if len(changed) <= maxRescored {
			rows := map[int]bool{}
			for _, i := range changed {
				sc.ix.update(docs, i, rows)
			}
			out := slices.Clone(sc.out)
			list := slices.Sorted(maps.Keys(rows))
			sc.ix.score(list, out)
			sc.docs, sc.out = slices.Clone(docs), out
			return out
		}
	}
	sc.ix = newIndex(docs, explicit, opts)
	out := make([][]Link, len(docs))
	all := make([]int, len(docs))
	for i := range all {
		all[i] = i
	}
	sc.ix.score(all, out)
	sc.docs, sc.explicit, sc.opts, sc.out = slices.Clone(docs), slices.Clone(explicit), opts, out
	return out
}

func sameDoc(a, b Doc) bool {
	return a.Text == b.Text && slices.Equal(a.Services, b.Services) && slices.Equal(a.Components, b.Components) &&
		slices.Equal(a.Customers, b.Customers) && slices.Equal(a.Tags, b.Tags) && slices.Equal(a.People, b.People)
}

func sameOptions(a, b Options) bool {
	return maps.Equal(a.Weights, b.Weights) && a.Threshold == b.Threshold && a.Max == b.Max && a.Window == b.Window
}

// index is what scoring reads: each doc's terms, each term's docs (the
// postings, in doc order) and weight.
type index struct {
	opts   Options
	n      int
	window int
	ids    map[string]int // field + "\x00" + lowercased value -> term
	labels []posting
	post   [][]int32 // term -> docs that have it, ascending
	terms  [][]int32 // doc -> its terms, in field order
	sorted [][]int32 // doc -> its terms, ascending, to search
	weight []float64
	expl   [][]Link // each doc's explicit links, unscored
}

func newIndex(docs []Doc, explicit []Explicit, opts Options) *index {
	ix := &index{opts: opts, n: len(docs), window: opts.Window, ids: map[string]int{},
		terms: make([][]int32, len(docs)), sorted: make([][]int32, len(docs)),
		expl: make([][]Link, len(docs))}
	if ix.window <= 0 {
		ix.window = DefaultWindow
	}
	linked := map[[2]int]bool{} // from, to: each pair's link is made once
	for _, e := range explicit {
		if e.From == e.To || linked[[2]int{e.From, e.To}] {
			continue
		}
		linked[[2]int{e.From, e.To}] = true
		ix.expl[e.From] = append(ix.expl[e.From], Link{To: e.To, Relation: e.Relation, Explicit: true})
		if !linked[[2]int{e.To, e.From}] {
			linked[[2]int{e.To, e.From}] = true
			ix.expl[e.To] = append(ix.expl[e.To], Link{To: e.From, Relation: e.Relation, Inverse: true, Explicit: true})
		}
	}
	// The inverted index: term -> docs that have it. Terms are numbered so
	// scoring works on slices, not maps.
	for i, d := range docs {
		ix.terms[i] = ix.termsOf(d)
		for _, id := range ix.terms[i] {
			ix.post[id] = append(ix.post[id], int32(i))
		}
		ix.sorted[i] = slices.Sorted(slices.Values(ix.terms[i]))
	}
	ix.weight = make([]float64, len(ix.labels))
	for id := range ix.labels {
		ix.weight[id] = ix.weightOf(id)
	}
	return ix
}

// termsOf numbers a doc's distinct terms, in field order, numbering new
// ones; a new term's label is this doc's spelling.
func (ix *index) termsOf(d Doc) []int32 {
	var ts []int32
	ix.eachTerm(d, func(key, label string) {
		id, ok := ix.ids[key]
		if !ok {
			id = len(ix.labels)
			ix.ids[key] = id
			ix.labels = append(ix.labels, posting{strings.SplitN(key, "\x00", 2)[0], label, strings.ToLower(label)})
			ix.post = append(ix.post, nil)
			ix.weight = append(ix.weight, 0)
		}
		if !slices.Contains(ts, int32(id)) {
			ts = append(ts, int32(id))
		}
	})
	return ts
}

// eachTerm calls fn with each term of d as written, in field order.
func (ix *index) eachTerm(d Doc, fn func(key, label string)) {
	for _, f := range [...]struct {
		field  string
		values []string
	}{{"services", d.Services}, {"components", d.Components}, {"customers", d.Customers}, {"tags", d.Tags}, {"people", d.People}, {"words", Words(d.Text)}} {
		for _, v := range f.values {
			fn(f.field+"\x00"+strings.ToLower(v), v)
		}
	}
}

// weightOf is a term's weight: its field's weight times its rarity. A term
// in more than a quarter of all incidents says little and would make
// scoring quadratic, so it is left out once the site is big enough for
// that to matter.
func (ix *index) weightOf(id int) float64 {
	df := len(ix.post[id])
	if df < 2 || (ix.n >= 40 && df*4 > ix.n) {
		return 0
	}
	n := float64(ix.n)
	return ix.opts.Weights[ix.labels[id].field] * math.Log(1+n/float64(df)) / math.Log(1+n)
}

// update gives doc i its new terms, and adds to rows every doc whose links
// that can change: i, and every doc holding a term whose docs (and so
// weight) changed, or whose label did (the spelling of the first doc
// holding it). Every other doc shares with i what it shared before, at
// the same weights, and its candidates and windows are as they were.
func (ix *index) update(docs []Doc, i int, rows map[int]bool) {
	rows[i] = true
	old := ix.terms[i]
	now := ix.termsOf(docs[i])
	ix.terms[i], ix.sorted[i] = now, slices.Sorted(slices.Values(now))
	touched := map[int32]bool{}
	for _, id := range old {
		touched[id] = true
		if !slices.Contains(now, id) {
			if k, ok := slices.BinarySearch(ix.post[id], int32(i)); ok {
				ix.post[id] = slices.Delete(ix.post[id], k, k+1)
			}
		}
	}
	for _, id := range now {
		touched[id] = true
		if !slices.Contains(old, id) {
			k, _ := slices.BinarySearch(ix.post[id], int32(i))
			ix.post[id] = slices.Insert(ix.post[id], k, int32(i))
		}
	}
	for id := range touched {
		label := ix.labels[id].label
		if p := ix.post[id]; len(p) > 0 {
			key := ix.labels[id].field + "\x00" + ix.labels[id].lower
			first := true
			ix.eachTerm(docs[p[0]], func(k, l string) {
				if first && k == key {
					label, first = l, false
				}
			})
		}
		w := ix.weightOf(int(id))
		inOld, inNow := slices.Contains(old, id), slices.Contains(now, id)
		// A term of no weight, before and after, scores nothing and is no
		// reason: its docs stay as they were (a word in a quarter of all
		// titles would otherwise rescore a quarter of the site).
		moved := (w > 0 || ix.weight[id] > 0) && (inOld != inNow || w != ix.weight[id] || label != ix.labels[id].label)
		ix.weight[id] = w
		ix.labels[id].label, ix.labels[id].lower = label, strings.ToLower(label)
		if moved {
			for _, j := range ix.post[id] {
				rows[int(j)] = true
			}
		}
	}
}

// score sets out[i] for every doc i of list, on every core, each worker
// with its own accumulator, in chunks of docs.
func (ix *index) score(list []int, out [][]Link) {
	workers := max(1, min(runtime.GOMAXPROCS(0), len(list)/64+1))
	var next atomic.Int64
	var wg sync.WaitGroup
	const chunk = 64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{scores: make([]float64, ix.n)} // reused for every doc
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(list) {
					return
				}
				for _, i := range list[lo:min(lo+chunk, len(list))] {
					out[i] = ix.row(i, w)
				}
			}
		}()
	}
	wg.Wait()
}

// worker is one scoring goroutine's scratch space.
type worker struct {
	scores      []float64
	touched     []int32
	cands, best []cand
}

// row is doc i's links: its explicit ones, then its top scored ones.
func (ix *index) row(i int, w *worker) []Link {
	opts, weight, terms, sorted, labels := ix.opts, ix.weight, ix.terms, ix.sorted, ix.labels
	links := slices.Clone(ix.expl[i])
	scores := w.scores
	touched := w.touched[:0]
	windowed := false
	for _, id := range terms[i] {
		wt := weight[id]
		if wt <= 0 {
			continue
		}
		post := ix.post[id]
		if len(post) > ix.window {
			// The incidents nearest this one in time.
			p, _ := slices.BinarySearch(post, int32(i))
			hi := min(len(post), max(p-ix.window/2, 0)+ix.window)
			post, windowed = post[hi-ix.window:hi], true
		}
		touched = accumulate(scores, touched, post, wt) // doc i is skipped below
	}
	w.touched = touched
	// Within the windows a candidate's score may miss terms the two share
	// outside them: rank by it, keep four times as many as wanted, and
	// score those on all they share.
	keep := opts.Max
	if windowed {
		keep = 4 * opts.Max
	}
	cands := w.cands[:0]
	// links holds the explicit ones alone so far: a handful at most, so a
	// scan of them beats a set.
	explicit := func(j int) bool {
		for k := range links {
			if links[k].To == j {
				return true
			}
		}
		return false
	}
	for _, j := range touched {
		sc := scores[j]
		scores[j] = 0
		if int(j) == i {
			continue
		}
		if len(links) > 0 && explicit(int(j)) {
			if windowed {
				sc = sharedWeight(terms[i], sorted[j], weight)
			}
			// An explicit link also shows what the two share.
			for k := range links {
				if links[k].To == int(j) {
					links[k].Score, links[k].Reasons = round(sc), shared(terms[i], sorted[j], weight, labels)
				}
			}
			continue
		}
		// Most of thousands of candidates fall well short of the last one
		// kept: skip those before rounding (a rounded score moves by at
		// most 0.005).
		if len(cands) == keep && keep > 0 && sc < cands[keep-1].score-0.01 {
			continue
		}
		if windowed || sc >= opts.Threshold && sc > 0 {
			cands = keepBest(cands, cand{int(j), round(sc)}, keep)
		}
	}
	if windowed {
		best := w.best[:0]
		for _, c := range cands {
			if sc := sharedWeight(terms[i], sorted[c.to], weight); sc >= opts.Threshold && sc > 0 {
				best = keepBest(best, cand{c.to, round(sc)}, opts.Max)
			}
		}
		cands, w.best = best, cands
		// An explicit link to an incident outside every window still
		// shows what the two share.
		for k := range links {
			if l := &links[k]; l.Explicit && l.Score == 0 {
				if sc := sharedWeight(terms[i], sorted[l.To], weight); sc > 0 {
					l.Score, l.Reasons = round(sc), shared(terms[i], sorted[l.To], weight, labels)
				}
			}
		}
	}
	w.cands = cands
	// Reasons only for the links kept: what the two share.
	for _, c := range cands {
		links = append(links, Link{To: c.to, Score: c.score, Reasons: shared(terms[i], sorted[c.to], weight, labels)})
	}
	return links
}

// accumulate adds wt to the score of each doc in post, and appends to
// touched each whose score was 0. Every doc is written to touched and kept
// there only when it is new: no branch to mispredict in a build's hottest
// loop, kept small so its variables stay in registers.
func accumulate(scores []float64, touched, post []int32, wt float64) []int32 {
	n := len(touched)
	touched = slices.Grow(touched, len(post))[:n+len(post)]
	for _, j := range post {
		sc := scores[j]
		touched[n] = j
		if sc == 0 {
			n++
		}
		scores[j] = sc + wt
	}
	return touched[:n]
}

// cand is a scored candidate: a Link without what only kept links need,
// so keeping the best moves no pointers.
type cand struct {
	to    int
	score float64
}

// better orders candidates: highest score first, then lowest index.
func better(a, b cand) bool {
	return a.score > b.score || a.score == b.score && a.to < b.to
}

// keepBest inserts c into best, which holds at most max candidates, best
// first (see better): the top of thousands of candidates without sorting
// them all.
func keepBest(best []cand, c cand, max int) []cand {
	if max <= 0 {
		return best
	}
	if len(best) == max && !better(c, best[len(best)-1]) {
		return best
	}
	k := len(best)
	for k > 0 && better(c, best[k-1]) {
		k--
	}
	if len(best) < max {
		best = append(best, cand{})
	}
	copy(best[k+1:], best[k:len(best)-1])
	best[k] = c
	return best
}

// sharedWeight adds up the weights of the terms two docs share, in the
// order of a, one doc's terms, as scoring adds them; b is the other's,
// sorted. The order of the terms' numbers, which depends on the order docs
// were indexed in, never changes a sum.
func sharedWeight(a, b []int32, weight []float64) float64 {
	sum := 0.0
	for _, id := range a {
		if w := weight[id]; w > 0 {
			if _, ok := slices.BinarySearch(b, id); ok {
				sum += w
			}
		}
	}
	return sum
}

// shared lists the terms two docs have in common, strongest first; a is
// one doc's terms in its order, b the other's sorted.
func shared(a, b []int32, weight []float64, labels []posting) []string {
	var buf [16]reason
	rs := buf[:0]
	for _, id := range a {
		if w := weight[id]; w > 0 {
			if _, ok := slices.BinarySearch(b, id); ok {
				rs = append(rs, reason{labels[id].label, labels[id].lower, w})
			}
		}
	}
	return topReasons(rs)
}

type reason struct {
	label, lower string
	s            float64
}

// topReasons lists the strongest shared terms, leaving out a word already
// said by a term ("server" after "Server 24").
func topReasons(rs []reason) []string {
	slices.SortStableFunc(rs, func(a, b reason) int { return cmp.Compare(b.s, a.s) })
	if len(rs) == 0 {
		return nil
	}
	// Kept with the link all build: made once, at its most.
	out := make([]string, 0, min(len(rs), 6))
	var lowers [6]string
	for _, r := range rs {
		if len(out) == 6 {
			break
		}
		said := false
		for _, o := range lowers[:len(out)] {
			if strings.Contains(o, r.lower) {
				said = true
			}
		}
		if !said {
			lowers[len(out)] = r.lower
			out = append(out, r.label)
		}
	}
	return out
}

func round(f float64) float64 { return math.Round(f*100) / 100 }

// stop holds words too common to relate incidents; read-only.
var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`about above after again against all also and any are because been before being below
	between both but by can could did does doing down during each few for from further had has have having here how
	into its itself just more most not now off once only other our out over own same should some such than that the
	their them then there these they this those through too under until very was were what when where which while who
	whom why will with would your incident incidents issue issues`) {
		m[w] = true
	}
	return m
}()

// Words returns the distinct significant words of text, lowercased.
func Words(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	}) {
		w = strings.Trim(w, "-")
		if len([]rune(w)) < 4 || stop[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}
