package markdown

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// indented is a list nested n deep, each item indented under the last.
func indented(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	return b.String()
}

func TestTooDeep(t *testing.T) {
	fence := "```\n" + strings.Repeat("> ", 20) + "code, not a quote\n" + strings.Repeat("- ", 20) + "x\n```\n"
	tests := []struct {
		name      string
		src       string
		line, col int // where the depth goes past 10; 0: never
	}{
		{"a plain body", "Some text.\n\n- 10:00 a\n- 10:05 b\n", 0, 0},
		{"lists ten deep", indented(10), 0, 0},
		{"lists eleven deep", indented(11), 11, 21},
		{"siblings and a blank line close items", indented(10) + "\n- back at the top\n  - two\n", 0, 0},
		{"quotes ten deep", strings.Repeat(">", 10) + " x\n", 0, 0},
		{"quotes eleven deep on one line", strings.Repeat(">", 11) + " x\n", 1, 11},
		{"items eleven deep on one line", strings.Repeat("- ", 11) + "x\n", 1, 21},
		{"numbered items", strings.Repeat("1. ", 11) + "x\n", 1, 31},
		{"quotes and lists mixed", strings.Repeat("> - ", 6) + "x\n", 1, 21},
		{"a thematic break of many dashes is no list", strings.Repeat("- ", 40) + "\n", 0, 0},
		{"fenced code holds no markers", indented(5) + fence + indented(5), 0, 0},
		{"a backtick in the info string makes no fence", "```a`b\n" + strings.Repeat("- ", 11) + "x\n", 2, 21},
		{"the fence ends with its container", "- ```\n" + strings.Repeat("- ", 11) + "x\n", 2, 21},
		{"indented code holds no markers", "    " + strings.Repeat("- ", 20) + "x\n", 0, 0},
		// A lazy line continues a paragraph inside every open container,
		// so the next, indented as deep as before, nests deeper still.
		{"lazy lines keep the depth", "- a\n  - b\nlazy\n    - c\nlazy\n      - d\nlazy\n        - e\nlazy\n          - f\n" +
			"lazy\n            - g\nlazy\n              - h\nlazy\n                - i\nlazy\n                  - j\nlazy\n                    - k\n", 20, 21},
		{"a blank line ends laziness", "- a\n  - b\n\nx\n    - c\n", 0, 0},
		{"tabs indent like four spaces", "- a\n\t- b\n\t\t- c\n", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			start, at, ok := TooDeep(src, 10)
			if !ok {
				if tt.line != 0 {
					t.Errorf("not too deep; want line %d", tt.line)
				}
				return
			}
			line, col := NewLines(src).Pos(at)
			if l, _ := NewLines(src).Pos(start); l != line {
				t.Errorf("line starts on line %d, marker on %d", l, line)
			}
			if line != tt.line || col != tt.col {
				t.Errorf("too deep at %d:%d, want %d:%d", line, col, tt.line, tt.col)
			}
			if real := nesting(goldmark.New().Parser().Parse(text.NewReader(src))); real <= 10 {
				t.Errorf("goldmark nests it only %d deep", real)
			}
		})
	}
}

// A body nested deeper than MaxNesting that reaches the parser anyway is
// read no deeper: the deeper markers are text.
func TestParseCapsNesting(t *testing.T) {
	md := New(false)
	for _, src := range []string{
		strings.Repeat(">", 3*MaxNesting) + " x\n",
		strings.Repeat("- ", 3*MaxNesting) + "x\n",
		indented(3 * MaxNesting),
	} {
		doc := Parse(md, []byte(src))
		if got := nesting(doc); got != MaxNesting {
			t.Errorf("%.20q…: nested %d deep, want %d", src, got, MaxNesting)
		}
	}
	// Below the cap, the parse is goldmark's.
	src := []byte(indented(MaxNesting) + strings.Repeat("> ", 30) + "x\n")
	if got, want := nesting(Parse(md, src)), nesting(goldmark.New().Parser().Parse(text.NewReader(src))); got != want {
		t.Errorf("nested %d deep, goldmark %d", got, want)
	}
}

// FuzzTooDeep holds the scan to goldmark: it never counts fewer levels
// than goldmark opens, so a body it lets through parses no deeper than it
// said.
func FuzzTooDeep(f *testing.F) {
	for _, s := range []string{
		indented(4), "> > - x\n>\n> y\n", "- a\n  - b\nc\n    - d\n", "1. a\n   1) b\n", "- ```\n  - x\n- y\n",
		"\t-\t-\tx\n", "> ```\n> - x\n- ```\n", "-\n  - a\n", "* * *\n- - x\n", " >  -   x\n     - y\n",
	} {
		f.Add([]byte(s))
	}
	const max = 3
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 2000 {
			return
		}
		real := nesting(goldmark.New().Parser().Parse(text.NewReader(src)))
		if _, _, ok := TooDeep(src, max); !ok && real > max {
			t.Fatalf("goldmark nests %q %d deep; the scan let it through at %d", src, real, max)
		}
	})
}

// nesting is how deep list items and block quotes sit in doc.
func nesting(n ast.Node) int {
	deepest := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		deepest = max(deepest, nesting(c))
	}
	if k := n.Kind(); k == ast.KindListItem || k == ast.KindBlockquote {
		deepest++
	}
	return deepest
}

// BenchmarkDeepList parses a list indented 1,500 deep: with the cap, the
// parse stops nesting at MaxNesting (0.9 s; goldmark alone, 6–9 s). A
// file never brings it this far: content.Parse cuts such a body short
// (BenchmarkParseDeepList).
func BenchmarkDeepList(b *testing.B) {
	src := []byte(indented(1500))
	md := New(false)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Parse(md, bytes.Clone(src))
	}
}

// BenchmarkTooDeep scans the example site's largest incident, a raw
// bridge-call log: the scan runs on every file read.
func BenchmarkTooDeep(b *testing.B) {
	src, err := os.ReadFile("../../content/incidents/2024-03-14-email-loss-login-failures.md")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		TooDeep(src, MaxNesting)
	}
}
