package markdown

import (
	"bytes"
	"testing"
)

// collapseSpace must be bytes.Fields joined by single spaces, for any
// bytes: Unicode spaces, invalid UTF-8 and all.
func FuzzCollapseSpace(f *testing.F) {
	for _, s := range []string{"", " a  b\t\nc ", "\u00a0x\u2003y\u0085", "\xff \xfe\x85", "a\u200bb", "  "} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if want, got := string(bytes.Join(bytes.Fields(b), []byte(" "))), collapseSpace(b); want != got {
			t.Fatalf("collapseSpace(%q) = %q, want %q", b, got, want)
		}
	})
}
