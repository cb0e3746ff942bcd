package related

import (
	"cmp"
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var weights = map[string]float64{"services": 3, "components": 4, "customers": 3, "tags": 2, "people": 1, "words": 1}

func TestExplicitBothWaysAndTyped(t *testing.T) {
	docs := []Doc{{Text: "a"}, {Text: "b"}, {Text: "c"}}
	links := Compute(docs, []Explicit{{From: 1, To: 0, Relation: "caused-by"}}, Options{Weights: weights, Threshold: 100, Max: 5})
	if len(links[1]) != 1 || links[1][0].To != 0 || links[1][0].Relation != "caused-by" || links[1][0].Inverse {
		t.Errorf("from side: %+v", links[1])
	}
	if len(links[0]) != 1 || links[0][0].To != 1 || !links[0][0].Inverse {
		t.Errorf("other side: %+v", links[0])
	}
	if len(links[2]) != 0 {
		t.Errorf("unrelated doc got links: %+v", links[2])
	}
}

// An explicit link to an incident that also shares terms is shown once,
// as the explicit link, with the score and reasons of what the two share.
func TestExplicitAndSharedIsOneLink(t *testing.T) {
	docs := []Doc{{Services: []string{"e-mail"}, Tags: []string{"dns"}}, {Services: []string{"e-mail"}, Tags: []string{"dns"}}, {Services: []string{"e-mail"}}}
	links := Compute(docs, []Explicit{{From: 0, To: 1, Relation: "similar"}}, Options{Weights: weights, Threshold: 1, Max: 5})
	for i, want := range []int{1, 0} {
		var to []Link
		for _, l := range links[i] {
			if l.To == want {
				to = append(to, l)
			}
		}
		if len(to) != 1 || !to[0].Explicit || to[0].Score <= 0 || len(to[0].Reasons) != 2 {
			t.Errorf("doc %d's links to %d: %+v, want one explicit link, scored, with two reasons", i, want, to)
		}
	}
}

func TestScoredWithReasons(t *testing.T) {
	docs := []Doc{
		{Services: []string{"e-mail"}, Components: []string{"Server 24"}, Text: "Mail queue backlog"},
		{Services: []string{"e-mail"}, Components: []string{"Server 24"}, Text: "E-mail lost after release"},
		{Services: []string{"search"}, Text: "Search results empty"},
		{Services: []string{"e-mail"}, Text: "Spam filter slow"},
	}
	links := Compute(docs, nil, Options{Weights: weights, Threshold: 1, Max: 5})
	if len(links[0]) == 0 || links[0][0].To != 1 {
		t.Fatalf("doc 0's best match: %+v", links[0])
	}
	if !slices.Equal(links[0][0].Reasons, []string{"Server 24", "e-mail"}) {
		t.Errorf("reasons %v, want the rarer, heavier component first", links[0][0].Reasons)
	}
	for _, l := range links[0] {
		if l.To == 2 {
			t.Error("an incident sharing nothing is related")
		}
	}
	// Ordered by score, strongest first.
	for i := 1; i < len(links[0]); i++ {
		if links[0][i].Score > links[0][i-1].Score {
			t.Errorf("not sorted: %+v", links[0])
		}
	}
}

func TestThresholdAndMax(t *testing.T) {
	var docs []Doc
	for i := 0; i < 20; i++ {
		docs = append(docs, Doc{Tags: []string{"shared"}, Components: []string{"db"}})
	}
	links := Compute(docs, nil, Options{Weights: weights, Threshold: 0.1, Max: 5})
	if len(links[0]) != 5 {
		t.Errorf("max 5, got %d", len(links[0]))
	}
	// A term every incident has carries no information.
	if links := Compute(docs, nil, Options{Weights: weights, Threshold: 2, Max: 5}); len(links[0]) != 0 {
		t.Errorf("ubiquitous terms relate: %+v", links[0])
	}
}

func TestWords(t *testing.T) {
	got := Words("The e-mail queue was backed up; e-mail lost!")
	if !slices.Equal(got, []string{"e-mail", "queue", "backed", "lost"}) {
		t.Errorf("%v", got)
	}
}

// windowDocs: 300 docs in time order, all sharing one service (a common
// term), each pair of neighbours also sharing a component, and every 50th
// doc sharing a rare tag with doc 0.
func windowDocs() []Doc {
	docs := make([]Doc, 300)
	for i := range docs {
		docs[i] = Doc{Services: []string{"checkout"}, Components: []string{fmt.Sprintf("c%d", i/2)}}
		if i%50 == 0 {
			docs[i].Tags = []string{"rare"}
		}
	}
	return docs
}

// A term shared by more incidents than the window nominates only the
// nearest in time; candidates are still scored on all they share, so the
// links a windowed doc keeps are exactly those a full scoring finds among
// its window.
func TestWindowBoundsCandidates(t *testing.T) {
	docs := windowDocs()
	opts := Options{Weights: weights, Threshold: 0.01, Max: 1000}
	full := Compute(docs, nil, opts)
	opts.Window = 40
	win := Compute(docs, nil, opts)
	for i := range docs {
		fullScore := map[int]float64{}
		for _, l := range full[i] {
			fullScore[l.To] = l.Score
		}
		for _, l := range win[i] {
			if l.Score != fullScore[l.To] {
				t.Fatalf("doc %d → %d: windowed score %v, full %v", i, l.To, l.Score, fullScore[l.To])
			}
			rare := i%50 == 0 && l.To%50 == 0
			if d := l.To - i; (d > 40 || d < -40) && !rare {
				t.Errorf("doc %d got candidate %d from outside its window", i, l.To)
			}
		}
	}
	// The rare tag (5 docs, under the window) still links doc 0 to doc 250.
	if !slices.ContainsFunc(win[0], func(l Link) bool { return l.To == 250 }) {
		t.Errorf("doc 0 lost its rare-tag match: %+v", win[0])
	}
	// A window as large as every posting changes nothing.
	opts.Window = len(docs)
	if got := Compute(docs, nil, opts); !reflect.DeepEqual(got, full) {
		t.Error("a window over every posting changed the links")
	}
}

// Scoring cost per doc stays flat as a site grows: with the window, the
// postings one doc walks do not grow with the number of docs.
func BenchmarkComputeWindowed(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		docs := make([]Doc, n)
		for i := range docs {
			// As the generated corpus: 40 services, 120 components, 10
			// tags, 20 people, 4 of them on each incident.
			docs[i] = Doc{Services: []string{fmt.Sprintf("s%d", i%40), fmt.Sprintf("s%d", (i*7)%40)}, Components: []string{fmt.Sprintf("c%d", i%120)}, Tags: []string{fmt.Sprintf("t%d", i%10)},
				People: []string{fmt.Sprintf("p%d", i%20), fmt.Sprintf("p%d", (i*3+1)%20), fmt.Sprintf("p%d", (i*7+2)%20), fmt.Sprintf("p%d", (i*11+5)%20)}, Text: "error rate up on checkout"}
		}
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			for b.Loop() {
				Compute(docs, nil, Options{Weights: weights, Threshold: 0.5, Max: 5})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n)/1e3, "µs/doc")
		})
	}
}

// keepBest keeps what sorting every candidate and cutting would.
func TestKeepBestIsSortAndCut(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for round := 0; round < 500; round++ {
		var all, best []cand
		max := r.Intn(7)
		for i := 0; i < r.Intn(40); i++ {
			c := cand{to: r.Intn(30), score: float64(r.Intn(5)) / 2}
			all = append(all, c)
			best = keepBest(best, c, max)
		}
		slices.SortStableFunc(all, func(a, b cand) int { return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.to, b.to)) })
		want := all[:min(max, len(all))]
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(best, want) {
			t.Fatalf("max %d: kept %v, want %v", max, best, want)
		}
	}
}

// shared finds what two docs share by searching the other's sorted terms,
// and gives what a set of the other's terms gave: strongest first, in the
// first doc's order among equals, a word already said by a term left out.
func TestSharedMatchesSetLookup(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	labels := make([]posting, 40)
	weight := make([]float64, len(labels))
	for id := range labels {
		l := fmt.Sprintf("Term%d", id%13)
		if id%5 == 0 {
			l = "Server " + l
		}
		labels[id] = posting{"tags", l, strings.ToLower(l)}
		weight[id] = float64(r.Intn(4)) / 2 // some zero: left out
	}
	reference := func(a, b []int32) []string {
		inB := map[int32]bool{}
		for _, id := range b {
			inB[id] = true
		}
		type rs struct {
			label string
			s     float64
		}
		var found []rs
		for _, id := range a {
			if inB[id] && weight[id] > 0 {
				found = append(found, rs{labels[id].label, weight[id]})
			}
		}
		slices.SortStableFunc(found, func(x, y rs) int { return cmp.Compare(y.s, x.s) })
		var out []string
		for _, f := range found {
			if len(out) == 6 {
				break
			}
			said := false
			for _, o := range out {
				said = said || strings.Contains(strings.ToLower(o), strings.ToLower(f.label))
			}
			if !said {
				out = append(out, f.label)
			}
		}
		return out
	}
	pick := func() []int32 {
		seen := map[int32]bool{}
		var ts []int32
		for range r.Intn(25) {
			if id := int32(r.Intn(len(labels))); !seen[id] {
				seen[id] = true
				ts = append(ts, id)
			}
		}
		return ts
	}
	for range 2000 {
		a, b := pick(), pick()
		got := shared(a, slices.Sorted(slices.Values(b)), weight, labels)
		if want := reference(a, b); !reflect.DeepEqual(got, want) {
			t.Fatalf("shared(%v, %v) = %q, want %q", a, b, got, want)
		}
	}
}

// A Scorer that rescores only what a few edits can move gives exactly what
// scoring everything again gives: edits of titles, of a term's spelling
// (a label), of tags and services, on small windows and with explicit
// links, one doc or several at a time.
func TestScorerRescoresLikeCompute(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	words := []string{"database", "failover", "latency", "checkout", "mail", "queue", "backlog", "search", "errors", "timeout", "Database", "Checkout"}
	pick := func(pre string, n, k int) []string {
		var out []string
		for range r.Intn(k + 1) {
			v := fmt.Sprintf("%s%d", pre, r.Intn(n))
			if r.Intn(4) == 0 {
				v = strings.ToUpper(v) // the same term, another spelling
			}
			out = append(out, v)
		}
		return out
	}
	text := func() string {
		var ws []string
		for range 2 + r.Intn(5) {
			ws = append(ws, words[r.Intn(len(words))])
		}
		return strings.Join(ws, " ")
	}
	doc := func() Doc {
		return Doc{Services: pick("svc", 6, 2), Components: pick("comp", 12, 3), Customers: pick("cust", 3, 1), Tags: pick("tag", 5, 2), People: pick("p", 8, 3), Text: text()}
	}
	for round := range 30 {
		n := 20 + r.Intn(80)
		docs := make([]Doc, n)
		for i := range docs {
			docs[i] = doc()
		}
		var explicit []Explicit
		for range r.Intn(5) {
			explicit = append(explicit, Explicit{From: r.Intn(n), To: r.Intn(n), Relation: "similar"})
		}
		opts := Options{Weights: weights, Threshold: 0.3, Max: 1 + r.Intn(5), Window: []int{0, 8, 25}[r.Intn(3)]}
		var sc Scorer
		sc.Compute(docs, explicit, opts)
		for edit := range 25 {
			docs = slices.Clone(docs)
			for range 1 + r.Intn(3) {
				i := r.Intn(n)
				d := docs[i]
				switch r.Intn(5) {
				case 0:
					d.Text = text()
				case 1:
					d.Tags = pick("tag", 5, 2)
				case 2:
					d.Services = pick("svc", 6, 2)
				case 3:
					d.People = slices.Clone(d.People)
					for k := range d.People {
						d.People[k] = strings.ToUpper(d.People[k])
					}
				case 4:
					d = doc()
				}
				docs[i] = d
			}
			got := sc.Compute(docs, explicit, opts)
			want := Compute(docs, explicit, opts)
			if !reflect.DeepEqual(got, want) {
				for i := range want {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Fatalf("round %d, edit %d, doc %d: rescored %+v, scored afresh %+v", round, edit, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// accumulate, a branchless scatter, keeps what the plain loop it replaced
// kept: each doc once, in the order first touched, its weights summed.
func TestAccumulateTouchesEachDocOnce(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for round := 0; round < 200; round++ {
		n := 1 + r.Intn(40)
		scores, want := make([]float64, n), make([]float64, n)
		var touched, wantTouched []int32
		for range 1 + r.Intn(6) {
			var post []int32
			for d := range n {
				if r.Intn(3) == 0 {
					post = append(post, int32(d))
				}
			}
			wt := float64(1+r.Intn(4)) / 4
			for _, j := range post {
				if want[j] == 0 {
					wantTouched = append(wantTouched, j)
				}
				want[j] += wt
			}
			touched = accumulate(scores, touched, post, wt)
		}
		if !slices.Equal(touched, wantTouched) || !slices.Equal(scores, want) {
			t.Fatalf("round %d: touched %v scores %v, want %v %v", round, touched, scores, wantTouched, want)
		}
	}
}
