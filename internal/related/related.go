// Package related scores how incidents relate: explicit links both ways,
// and what pairs share (services, components, customers, tags, people, words
// of title and summary), found through an inverted index rather than by
// comparing every pair.
package related

import (
	"cmp"
	"math"
	"slices"
	"strings"
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
}

type posting struct {
	field, label string
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

	// The inverted index: term -> docs that have it.
	index := map[string][]int{}
	labels := map[string]posting{}
	terms := make([][]string, len(docs))
	for i, d := range docs {
		seen := map[string]bool{}
		add := func(field string, values []string) {
			for _, v := range values {
				key := field + "\x00" + strings.ToLower(v)
				if seen[key] {
					continue
				}
				seen[key] = true
				if _, ok := labels[key]; !ok {
					labels[key] = posting{field, v}
				}
				index[key] = append(index[key], i)
				terms[i] = append(terms[i], key)
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
	for i := range docs {
		scores := map[int]float64{}
		reasons := map[int][]reason{}
		for _, key := range terms[i] {
			p := labels[key]
			w := opts.Weights[p.field]
			if w == 0 {
				continue
			}
			docsWith := index[key]
			// Rarer terms say more: scale by inverse document frequency,
			// so a tag every incident has relates nothing.
			idf := math.Log(1 + n/float64(len(docsWith)))
			s := w * idf / math.Log(1+n)
			if len(docsWith) > 1 && s > 0 {
				for _, j := range docsWith {
					if j != i {
						scores[j] += s
						reasons[j] = append(reasons[j], reason{p.label, s})
					}
				}
			}
		}
		var cands []Link
		for j, sc := range scores {
			if linked[i][j] {
				// An explicit link also shows what the two share.
				for k := range out[i] {
					if out[i][k].To == j {
						out[i][k].Score, out[i][k].Reasons = round(sc), topReasons(reasons[j])
					}
				}
				continue
			}
			if sc >= opts.Threshold && sc > 0 {
				cands = append(cands, Link{To: j, Score: round(sc), Reasons: topReasons(reasons[j])})
			}
		}
		slices.SortFunc(cands, func(a, b Link) int {
			return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.To, b.To))
		})
		if len(cands) > opts.Max {
			cands = cands[:opts.Max]
		}
		out[i] = append(out[i], cands...)
	}
	return out
}

type reason struct {
	label string
	s     float64
}

// topReasons lists the strongest shared terms, leaving out a word already
// said by a term ("server" after "Server 24").
func topReasons(rs []reason) []string {
	slices.SortStableFunc(rs, func(a, b reason) int { return cmp.Compare(b.s, a.s) })
	var out []string
	for _, r := range rs {
		if len(out) == 6 {
			break
		}
		said := false
		for _, o := range out {
			if strings.Contains(strings.ToLower(o), strings.ToLower(r.label)) {
				said = true
			}
		}
		if !said {
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
