package can

import (
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
