package can

import (
	"slices"
	"testing"
)

// A rule's \b(...)\b group is read as the phrases it matches, so that its
// bare words are looked up rather than searched for; anything but a few
// literal phrases is left to the regexp. FuzzGates holds every rule to its
// pattern.
func TestPhrases(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		want    []string // nil: not phrases
	}{
		{`\b(is|are) (up|back)\b`, []string{"is up", "is back", "are up", "are back"}},
		{`\basks? for\b`, []string{"ask for", "asks for"}},
		{`\bre-?ran\b`, []string{"reran", "re-ran"}},
		{`\bran (?:the|a)\b`, []string{"ran the", "ran a"}},
		{`\bcan(no|')t\b`, []string{"cannot", "can't"}},
		{`\bstatus ?page\b`, []string{"statuspage", "status page"}},
		{`\b\d+ min\b`, nil},
		{`\b(has|have) to (be )?\w+`, nil},
		{`^nothing (was|has been)\b`, nil},
		{`\bfoo\b[^.]*\bbar\b`, nil},
		{`\b(a|b)?\b`, nil},
	} {
		got, ok := phrases(tc.pattern)
		if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
			t.Errorf("phrases(%s) = %q, %v; want %q", tc.pattern, got, ok, tc.want)
		}
	}
}
