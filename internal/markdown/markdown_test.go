package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
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

// plainTextRef is PlainText as first written, by ast.Walk.
func plainTextRef(node ast.Node, source []byte) string {
	var buf bytes.Buffer
	_ = ast.Walk(node, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock && buf.Len() > 0 && n.NextSibling() != nil {
				buf.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			buf.Write(t.Segment.Value(source))
			if t.SoftLineBreak() || t.HardLineBreak() {
				buf.WriteByte(' ')
			}
		case *ast.String:
			buf.Write(t.Value)
		case *ast.CodeSpan:
			for c := t.FirstChild(); c != nil; c = c.NextSibling() {
				if tx, ok := c.(*ast.Text); ok {
					buf.Write(tx.Segment.Value(source))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			buf.Write(t.Label(source))
		case *XRefNode:
			if t.Title != "" {
				buf.WriteString(t.Title)
			} else {
				buf.WriteString(t.ID)
			}
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return collapseSpace(buf.Bytes())
}

// The text of every node of any Markdown is what the walk gave.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{
		"- 10:02 **Ana**: paged `db-main` on-call, see [[INC-7]] and https://x.io <b>hi</b>\n  more text\\\nhard break",
		"# Title\n\nPara *one* ~~two~~ 'three' \"four\" -- five...\n\n> quote\n> - [x] task <!-- c -->\n\n| a | b |\n|---|---|\n| 1 | 2 |",
		"```go\ncode\n```\n\n    indented\n\n1. x\n2. y\n\n<div>raw</div>\n\n[l](u) ![i](s) <a@b.c> &amp; &#1; \\* x\ty",
		"", "\n\n", "a  \nb", strings.Repeat("> ", 50) + "deep",
	} {
		f.Add(s)
	}
	md := New(false)
	f.Fuzz(func(t *testing.T, s string) {
		src := []byte(s)
		doc := Parse(md, src)
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering {
				if got, want := PlainText(n, src), plainTextRef(n, src); got != want {
					t.Fatalf("%s node of %q: %q, the walk gave %q", n.Kind(), s, got, want)
				}
			}
			return ast.WalkContinue, nil
		})
	})
}
