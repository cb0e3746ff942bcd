package markdown

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark/extension"
)

// Asking goldmark's autolink parser only at words that can begin a link
// must give its output for any Markdown.
func FuzzLinkify(f *testing.F) {
	for _, s := range []string{
		"see https://example.com/a?b=1. and www.example.org, mail ana@example.com",
		"(http://x.io) *www.y.com* _ftp://z.net_ ~https://q.de~",
		"a\tb@c.de x@y\n- 10:00 Ana: paged bob@corp.example about https://status.example/incident.",
		"no links here: 10:00, foo@bar, www, http, @home, a.b@c",
		"[label https://in.label](https://x.y) `code http://x.y` <https://a.b>",
		"user.name+tag@sub.example.co.uk; www.example.com/path_(x)",
	} {
		f.Add(s)
	}
	ours, ref := New(false), newWith(false, extension.Linkify)
	f.Fuzz(func(t *testing.T, s string) {
		var a, b bytes.Buffer
		if err := ours.Convert([]byte(s), &a); err != nil {
			t.Skip()
		}
		if err := ref.Convert([]byte(s), &b); err != nil {
			t.Skip()
		}
		if a.String() != b.String() {
			t.Fatalf("%q:\nours      %q\ngoldmark  %q", s, a.String(), b.String())
		}
	})
}

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
