package can

import (
	"slices"
	"strings"
	"testing"
)

// FuzzSubjects holds subjects, which looks each word of a sentence up
// once, to subjectsRef, which looked every term up in a map of the
// sentence's words: the same subjects in the same order, and the same
// impact, for any sentence and terms.
func FuzzSubjects(f *testing.F) {
	for _, s := range []string{
		"Ana: 5xx rising on svc-028, customers in the EU region see it first.",
		"metadata script failed again; the script owner is paged",
		"Search cluster red, search latency up, error rate at 4%",
		"db-main-2 has no replica; replica lag 40s on comp-119",
		"the status page is up", "Payments API back up for customers",
		"", "disk disk", "ALL GREEN on svc 028 and svc-028",
	} {
		f.Add(s, "svc-028", "metadata script", "comp-119")
		f.Add(s, "payments", "search cluster", "disk disk")
	}
	f.Fuzz(func(t *testing.T, text, t1, t2, t3 string) {
		terms := Terms{Impact: []string{t1}, Other: []string{t2, t3}}
		lower := strings.ToLower(text)
		v := newVocabulary(terms)
		got, gotImpact := v.subjects(text, lower)
		// Twice with one vocabulary: nothing of a sentence is left over.
		got2, _ := v.subjects(text, lower)
		want, wantImpact := subjectsRef(terms, text, lower)
		if !slices.Equal(got, want) || gotImpact != wantImpact || !slices.Equal(got2, want) {
			t.Fatalf("subjects(%q) with %q = %q %v (again %q), want %q %v", text, []string{t1, t2, t3}, got, gotImpact, got2, want, wantImpact)
		}
	})
}

// subjectsRef is subjects as it was before session 9.
func subjectsRef(t Terms, text, lower string) ([]string, bool) {
	var terms []string
	impactTerm := map[string]bool{}
	for i, list := range [][]string{t.Impact, t.Other} {
		for _, term := range list {
			n := normalize(term)
			if n == "" || slices.Contains(terms, n) {
				continue
			}
			terms = append(terms, n)
			if i == 0 {
				impactTerm[n] = true
			}
		}
	}
	byHead := map[string][]string{}
	for _, c := range commonNorm {
		head, _, _ := strings.Cut(c, " ")
		byHead[head] = append(byHead[head], c)
	}
	nt := " " + normalize(lower) + " "
	var hits []hit
	impact := false
	first := map[string]int{}
	var common []hit
	for i := 0; i < len(nt)-1; {
		j := strings.IndexByte(nt[i+1:], ' ') + i + 1
		if w := nt[i+1 : j]; w != "" {
			if _, ok := first[w]; !ok {
				first[w] = i
				for _, c := range byHead[w] {
					at := i
					if len(c) > len(w) {
						if at = strings.Index(nt, " "+c+" "); at < 0 {
							continue
						}
					}
					common = append(common, hit{at, c})
				}
			}
		}
		i = j
	}
	find := func(term, key string) bool {
		head, _, multi := strings.Cut(term, " ")
		at, ok := first[head]
		if !ok {
			return false
		}
		if multi {
			if at = strings.Index(nt, " "+term+" "); at < 0 {
				return false
			}
		}
		hits = append(hits, hit{at, key})
		return true
	}
	for _, t := range terms {
		ok := find(t, t)
		if !ok {
			if i := strings.LastIndexByte(t, ' '); i > 0 {
				head := t[i+1:]
				if len(head) >= 4 && !isNumber(head) {
					ok = find(head, t)
				}
			}
		}
		if ok && impactTerm[t] {
			impact = true
		}
	}
	for _, h := range common {
		hits = append(hits, h)
		if impactWords[h.term] {
			impact = true
		}
	}
	if strings.ContainsAny(text, "-_0123456789") {
		for _, m := range entities(lower) {
			key := normalize(lower[m[0]:m[1]])
			if key != "" && !isNumber(key) {
				hits = append(hits, hit{m[0], key})
			}
		}
	}
	real := false
	for _, h := range hits {
		if !contextWords[h.term] {
			real = true
		}
	}
	if !real {
		if head := headNoun(" " + normalize(core(text)) + " "); head != "" {
			hits = append(hits, hit{-1, head})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if ca, cb := contextWords[a.term], contextWords[b.term]; ca != cb {
			if ca {
				return 1
			}
			return -1
		}
		if a.at != b.at {
			return a.at - b.at
		}
		return len(b.term) - len(a.term)
	})
	var out []string
	for _, h := range hits {
		if !slices.Contains(out, h.term) {
			out = append(out, h.term)
		}
	}
	return out, impact
}
