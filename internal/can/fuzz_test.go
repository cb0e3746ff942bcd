package can

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzClassify: any text classifies to a known kind, splits into sentences
// that keep its words, and trims to a line without panicking.
func FuzzClassify(f *testing.F) {
	for _, r := range Rules {
		f.Add(r.Example)
	}
	f.Add("Pete says, “Disable it?” e.g. Dr. No. 5xx at 40%! ok")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		k, _ := Classify(s)
		switch k {
		case Condition, Action, Need, None:
		default:
			t.Fatalf("kind %q", k)
		}
		var words int
		for _, sen := range SplitSentences(s) {
			if strings.TrimSpace(sen) == "" {
				t.Fatalf("empty sentence from %q", s)
			}
			words += len(strings.Fields(sen))
		}
		if words != len(strings.Fields(s)) {
			t.Fatalf("splitting %q lost words", s)
		}
		if l := Concise(s, "Ana"); len(strings.Fields(l)) > MaxLineWords+4 {
			t.Fatalf("line %q too long", l)
		}
	})
}

// FuzzSplitSentences: valid UTF-8 is split by byte offsets (splitValid)
// exactly as rune by rune (splitRunes, which invalid UTF-8 still takes).
func FuzzSplitSentences(f *testing.F) {
	for _, s := range []string{
		`Pete says, “After the release, customers are not able to log in.” Paul chimes in, “This may be a metadata issue.” One of the SMEs confirms. See e.g. the runbook. Dr. Who agrees? Yes!`,
		"Really? no. Ok!  Done.\u00a0Next É. A. b.c. (“Fine.”) ’Tis.\u2003Über.",
		"ETA 17:15. Paged on-call… 5xx at 40%! ok? yes. I. K. ",
		".", "?!", "a .b", "x.\u2028Y", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		want := splitRunes(s)
		if got := splitValid(s); !slices.Equal(got, want) {
			t.Fatalf("splitValid(%q) = %q, splitRunes %q", s, got, want)
		}
		if got := SplitSentences(s); !slices.Equal(got, want) {
			t.Fatalf("SplitSentences(%q) = %q, splitRunes %q", s, got, want)
		}
	})
}
