// Package related scores how incidents relate: explicit links both ways,
// and what pairs share (services, components, customers, tags, people, words
// of title and summary), found through an inverted index rather than by
// comparing every pair.
package related

import (
	"cmp"
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
	out := make([][]Link, len(docs))
	linked := make([]map[int]bool, len(docs))
	for i := range linked {
		linked[i] = map[int]bool{}
	}
	for _, e := range explicit {
		if e.From == e.To || linked[e.From][e.To] {
			continue
		}
		linked[e.From][e.To] = true
		out[e.From] = append(out[e.From], Link{To: e.To, Relation: e.Relation, Explicit: true})
		if !linked[e.To][e.From] {
			linked[e.To][e.From] = true
			out[e.To] = append(out[e.To], Link{To: e.From, Relation: e.Relation, Inverse: true, Explicit: true})
		}
	}

	// The inverted index: term -> docs that have it. Terms are numbered so
	// scoring works on slices, not maps.
	ids := map[string]int{}
	var labels []posting
	var index [][]int32
	terms := make([][]int32, len(docs))
	for i, d := range docs {
		seen := map[int]bool{}
		add := func(field string, values []string) {
			for _, v := range values {
				key := field + "\x00" + strings.ToLower(v)
				id, ok := ids[key]
				if !ok {
					id = len(labels)
					ids[key] = id
					labels = append(labels, posting{field, v, strings.ToLower(v)})
					index = append(index, nil)
				}
				if seen[id] {
					continue
				}
				seen[id] = true
				index[id] = append(index[id], int32(i))
				terms[i] = append(terms[i], int32(id))
			}
		}
		add("services", d.Services)
		add("components", d.Components)
		add("customers", d.Customers)
		add("tags", d.Tags)
		add("people", d.People)
		add("words", Words(d.Text))
	}
	n := float64(len(docs))
	// Each term's contribution: its field's weight times its rarity. A term
	// in more than a quarter of all incidents says little and would make
	// scoring quadratic, so it is left out once the site is big enough for
	// that to matter.
	weight := make([]float64, len(labels))
	for id, p := range labels {
		df := len(index[id])
		if df < 2 || (len(docs) >= 40 && df*4 > len(docs)) {
			continue
		}
		idf := math.Log(1 + n/float64(df))
		weight[id] = opts.Weights[p.field] * idf / math.Log(1+n)
	}
	window := opts.Window
	if window <= 0 {
		window = DefaultWindow
	}
	// Terms in id order, to add up exactly what two docs share.
	sorted := make([][]int32, len(docs))
	for i, t := range terms {
		sorted[i] = slices.Sorted(slices.Values(t))
	}
	// Each doc's scores are its own: score them on every core, each worker
	// with its own accumulator, in chunks of docs.
	workers := max(1, runtime.GOMAXPROCS(0))
	var next atomic.Int64
	var wg sync.WaitGroup
	const chunk = 64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			scores := make([]float64, len(docs)) // reused for every doc
			var touched []int32
			var cands, best []cand // reused for every doc
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(docs) {
					return
				}
				for i := lo; i < min(lo+chunk, len(docs)); i++ {
					touched = touched[:0]
					windowed := false
					for _, id := range terms[i] {
						w := weight[id]
						if w <= 0 {
							continue
						}
						post := index[id]
						if len(post) > window {
							// The incidents nearest this one in time.
							p, _ := slices.BinarySearch(post, int32(i))
							hi := min(len(post), max(p-window/2, 0)+window)
							post, windowed = post[hi-window:hi], true
						}
						for _, j := range post {
							if int(j) == i {
								continue
							}
							if scores[j] == 0 {
								touched = append(touched, j)
							}
							scores[j] += w
						}
					}
					// Within the windows a candidate's score may miss terms
					// the two share outside them: rank by it, keep four times
					// as many as wanted, and score those on all they share.
					keep := opts.Max
					if windowed {
						keep = 4 * opts.Max
					}
					cands = cands[:0]
					links := linked[i]
					for _, j := range touched {
						sc := scores[j]
						scores[j] = 0
						if len(links) > 0 && links[int(j)] {
							if windowed {
								sc = sharedWeight(sorted[i], sorted[j], weight)
							}
							// An explicit link also shows what the two share.
							for k := range out[i] {
								if out[i][k].To == int(j) {
									out[i][k].Score, out[i][k].Reasons = round(sc), shared(terms[i], sorted[j], weight, labels)
								}
							}
							continue
						}
						// Most of thousands of candidates fall well short of
						// the last one kept: skip those before rounding (a
						// rounded score moves by at most 0.005).
						if len(cands) == keep && keep > 0 && sc < cands[keep-1].score-0.01 {
							continue
						}
						if windowed || sc >= opts.Threshold && sc > 0 {
							cands = keepBest(cands, cand{int(j), round(sc)}, keep)
						}
					}
					if windowed {
						best = best[:0]
						for _, c := range cands {
							if sc := sharedWeight(sorted[i], sorted[c.to], weight); sc >= opts.Threshold && sc > 0 {
								best = keepBest(best, cand{c.to, round(sc)}, opts.Max)
							}
						}
						cands, best = best, cands
					}
					if windowed {
						// An explicit link to an incident outside every
						// window still shows what the two share.
						for k := range out[i] {
							if l := &out[i][k]; l.Explicit && l.Score == 0 {
								if sc := sharedWeight(sorted[i], sorted[l.To], weight); sc > 0 {
									l.Score, l.Reasons = round(sc), shared(terms[i], sorted[l.To], weight, labels)
								}
							}
						}
					}
					// Reasons only for the links kept: what the two share.
					for _, c := range cands {
						out[i] = append(out[i], Link{To: c.to, Score: c.score, Reasons: shared(terms[i], sorted[c.to], weight, labels)})
					}

				}
			}
		}()
	}
	wg.Wait()
	return out
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

// sharedWeight adds up the weights of the terms two sorted lists share.
func sharedWeight(a, b []int32, weight []float64) float64 {
	sum := 0.0
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] < b[0]:
			a = a[1:]
		case a[0] > b[0]:
			b = b[1:]
		default:
			if w := weight[a[0]]; w > 0 {
				sum += w
			}
			a, b = a[1:], b[1:]
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
	var out []string
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
