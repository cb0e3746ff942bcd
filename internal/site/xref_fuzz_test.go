package site

import (
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/yuin/goldmark/ast"
)

// FuzzSlug: a slug is never empty and can never leave its folder.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Server 24", "../../etc", "e-mail", "检索", "", "...", "a/b\\c", "Ω-cache"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slug := Slug(s)
		if slug == "" || strings.ContainsAny(slug, `/\`) || strings.Contains(slug, "..") || slug == "." {
			t.Fatalf("Slug(%q) = %q", s, slug)
		}
	})
}

// FuzzXRef: [[ID]] links parse only with valid ids, and render escaped.
func FuzzXRef(f *testing.F) {
	for _, s := range []string{"[[INC-1]]", "[[a b]]", "[[<script>]]", "[[x]] and [y](z.md) [[", "[[[[x]]]]"} {
		f.Add(s)
	}
	md := markdown.New(false)
	f.Fuzz(func(t *testing.T, s string) {
		src := []byte(s)
		doc := markdown.Parse(md, src)
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if x, ok := n.(*markdown.XRefNode); ok && entering {
				if !markdown.IDPattern.MatchString(x.ID) {
					t.Fatalf("xref with id %q from %q", x.ID, s)
				}
				x.Href, x.Title = "../x/index.html", x.ID+"<b>"
			}
			return ast.WalkContinue, nil
		})
		out, err := markdown.Render(md, src, doc)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), "<b>") || strings.Contains(string(out), "<script") {
			t.Fatalf("unescaped markup in %q", out)
		}
	})
}
