package content

import (
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/markdown"
)

// deepList is a file whose body holds a list nested n deep.
func deepList(n int) string {
	var b strings.Builder
	b.WriteString("---\ntitle: Deep\ndate: 2024-01-01\n---\n- 10:00 start\n")
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- level\n")
	}
	return b.String()
}

// Nesting past markdown.MaxNesting is an error at the marker that goes
// past it, and the body stops before that line, so nothing parses it.
func TestParseNestingTooDeep(t *testing.T) {
	_, ds := Parse("content/a.md", []byte(deepList(markdown.MaxNesting)), config.Default())
	if ds.HasErrors() {
		t.Fatalf("%d deep: %v", markdown.MaxNesting, ds)
	}
	inc, ds := Parse("content/a.md", []byte(deepList(3000)), config.Default())
	want := "content/a.md:106:201: lists and block quotes nested more than 100 deep; debrief reads no further (a line that starts with > is a quote)"
	if len(ds) != 1 || ds[0].String() != want {
		t.Fatalf("got %v, want %s", ds, want)
	}
	if inc == nil || strings.Count(string(inc.Body), "\n") != markdown.MaxNesting+1 {
		t.Errorf("body not cut before the line: %d lines", strings.Count(string(inc.Body), "\n"))
	}
}

// BenchmarkParseDeepList reads a file whose list nests 3,000 deep (113 s
// and 653 MB to build before the cap): Parse now stops at the cap.
func BenchmarkParseDeepList(b *testing.B) {
	data := []byte(deepList(3000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Parse("content/a.md", data, config.Default())
	}
}
