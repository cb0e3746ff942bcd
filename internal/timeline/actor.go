package timeline

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// speaker returns the person an entry is by: the participant who is the
// subject of its first sentence ("Pete reports …", "The Executive, Paul,
// joins …", "After the release, Joe said …"), not one it merely mentions.
func speaker(text string, people []string) string {
	first := text
	if i := sentenceEnd(text); i > 0 {
		first = text[:i]
	}
	best, bestAt := "", len(first)+1
	for _, p := range people {
		if p == "" {
			continue
		}
		for from := 0; from < len(first); {
			i := strings.Index(first[from:], p)
			if i < 0 {
				break
			}
			i += from
			end := i + len(p)
			if wordBoundary(first, i-1, true) && wordBoundary(first, end, false) && isSubject(first, i, end) && i < bestAt {
				best, bestAt = p, i
				break
			}
			from = end
		}
	}
	return best
}

// isSubject reports whether the name at first[i:end] is its sentence's
// subject: it starts the sentence or a clause (after ", " of an
// appositive or a lead-in), and a verb or an appositive follows it.
func isSubject(first string, i, end int) bool {
	before := strings.TrimRight(first[:i], " ")
	if before != "" && !strings.HasSuffix(before, ",") {
		return false
	}
	after := strings.TrimLeft(first[end:], " ")
	if strings.HasPrefix(after, ",") {
		return true // "The Executive, Paul, joins": an appositive
	}
	w := after
	if j := strings.IndexAny(w, " ,.;:"); j >= 0 {
		w = w[:j]
	}
	r, _ := utf8.DecodeRuneInString(w)
	return w != "" && unicode.IsLower(r) && !notVerbs[w]
}

// Words after a name that show it is not the subject ("Pete and Paul
// discuss" has two; "Pete's laptop" is not Pete).
var notVerbs = map[string]bool{"and": true, "or": true, "of": true, "from": true, "to": true, "with": true}

// sentenceEnd is the end of text's first sentence, or -1.
func sentenceEnd(text string) int {
	for i := 0; i+1 < len(text); i++ {
		if (text[i] == '.' || text[i] == '?' || text[i] == '!') && text[i+1] == ' ' {
			return i + 1
		}
	}
	return -1
}

func wordBoundary(s string, i int, before bool) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(s[:i+1])
	} else {
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}
