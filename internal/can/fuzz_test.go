package can

import (
	"slices"
	"strings"
	"testing"
	"unicode"
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

// FuzzSplitSentences: text is split by byte offsets (splitValid) exactly
// as rune by rune (splitRunes), invalid UTF-8 too.
func FuzzSplitSentences(f *testing.F) {
	for _, s := range []string{
		`Pete says, “After the release, customers are not able to log in.” Paul chimes in, “This may be a metadata issue.” One of the SMEs confirms. See e.g. the runbook. Dr. Who agrees? Yes!`,
		"Really? no. Ok!  Done.\u00a0Next É. A. b.c. (“Fine.”) ’Tis.\u2003Über.",
		"ETA 17:15. Paged on-call… 5xx at 40%! ok? yes. I. K. ",
		".", "?!", "a .b", "x.\u2028Y", "",
	} {
		f.Add(s)
	}
	f.Add("bad \xff. Next \xc3. x")
	f.Fuzz(func(t *testing.T, s string) {
		want := splitRunes(s)
		if utf8.ValidString(s) {
			if got := splitValid(s); !slices.Equal(got, want) {
				t.Fatalf("splitValid(%q) = %q, splitRunes %q", s, got, want)
			}
		}
		if got := SplitSentences(s); !slices.Equal(got, want) {
			t.Fatalf("SplitSentences(%q) = %q, splitRunes %q", s, got, want)
		}
	})
}

// splitRunes is SplitSentences as first written, rune by rune: the
// reference splitValid is held to.
func splitRunes(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(rs) && strings.ContainsRune(`"”’')`, rs[j]) {
			j++
		}
		if j < len(rs) && !unicode.IsSpace(rs[j]) {
			continue
		}
		k := j
		for k < len(rs) && unicode.IsSpace(rs[k]) {
			k++
		}
		// Chat logs start sentences in lower case too; only a lower-case
		// word after "?" or "!" is taken as the same sentence ("really? no").
		if k < len(rs) && c != '.' && unicode.IsLower(rs[k]) {
			continue
		}
		if c == '.' {
			w := lastWord(rs[start:i])
			if abbrevs[strings.ToLower(w)] || (utf8.RuneCountInString(w) == 1 && unicode.IsUpper([]rune(w)[0])) {
				continue
			}
		}
		if s := strings.TrimSpace(string(rs[start:j])); s != "" {
			out = append(out, s)
		}
		start = k
		i = k - 1
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

func lastWord(rs []rune) string {
	i := len(rs)
	for i > 0 && !unicode.IsSpace(rs[i-1]) {
		i--
	}
	return strings.Trim(string(rs[i:]), "(\"“")
}
