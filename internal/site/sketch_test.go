package site

import (
	"testing"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/markdown"
)

// sketchFile is a content file with the body given; summary, if set, is
// the front matter's.
func sketchFile(body, summary string) []byte {
	fm := "---\nid: INC-1\ntitle: T\ndate: 2024-03-01\nparticipants: [Ana]\n"
	if summary != "" {
		fm += "summary: " + summary + "\n"
	}
	return []byte(fm + "---\n" + body)
}

// linksSite reports whether an analysis found a link the site resolves:
// an [[ID]] or a link to a .md file.
func linksSite(inc *Incident) bool {
	for _, r := range inc.refs {
		if _, ok := contentLink(r.dest); r.id != "" || ok {
			return true
		}
	}
	return false
}

// checkSketch holds a sketch to the outline of the same file: the same
// summary, and no link the site would resolve.
func checkSketch(t *testing.T, data []byte) (sketched bool) {
	t.Helper()
	cfg := config.Default()
	md := markdown.New(false)
	ci, ds := content.Parse("content/f.md", data, cfg)
	if ci == nil || ds.HasErrors() {
		return false
	}
	sk, ok := Sketch(ci, md)
	if !ok {
		return false
	}
	out, _ := Outline(ci, md, cfg)
	if sk.Summary != out.Summary {
		t.Fatalf("sketch's summary %q, outline's %q, of %q", sk.Summary, out.Summary, data)
	}
	if linksSite(out) {
		t.Fatalf("sketched a file that links to another: %q", data)
	}
	return true
}

func TestSketch(t *testing.T) {
	for _, tc := range []struct {
		name, body, summary string
		sketched            bool
	}{
		{"lead paragraph", "The API was down.\nFor an hour.\n\n## Timeline\n\n- 10:00 Ana: paged\n", "", true},
		{"front matter summary", "## Timeline\n\n- 10:00 Ana: paged\n", "Down", true},
		{"web link", "See [the graph](https://grafana.example/d/1).\n\n## Timeline\n\n- 10:00 paged\n", "", true},
		{"leading blank lines", "\n\n  \nThe API was down.\n", "", true},
		{"xref", "Like [[INC-2]].\n", "", false},
		{"xref elsewhere", "The API.\n\n## Timeline\n\n- 10:00 like [[INC-2]]\n", "", false},
		{"link to a file", "The API.\n\nSee [before](other.md).\n", "", false},
		{"link to a file, escaped", "The API.\n\nSee [before](other%2Emd).\n", "", false},
		{"link to a file, entity", "The API.\n\nSee [before](other&#46;md).\n", "", false},
		{"link definition", "The API, as [before].\n\n[before]: https://x.example\n", "", false},
		{"heading first", "## Impact\n\nThe API.\n", "", false},
		{"list first", "- the API\n- the DB\n", "", false},
		{"no summary at all", "", "", false},
		{"timestamped lead without a timeline section", "10:00 Ana: paged\n\nThe API.\n", "", false},
		{"timestamped lead with a timeline section", "10:00 Ana: paged\n\n## Timeline\n\n- 10:05 ack\n", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkSketch(t, sketchFile(tc.body, tc.summary)); got != tc.sketched {
				t.Errorf("sketched: %v, want %v", got, tc.sketched)
			}
		})
	}
}

// FuzzSketch: whatever a sketch is made of, it agrees with the outline.
func FuzzSketch(f *testing.F) {
	for _, b := range []string{
		"The API was down.\n\n## Timeline\n\n- 10:00 Ana: paged\n",
		"See [x](https://e.example) and [y](y.md).\n",
		"Para\n===\n\nmore\n",
		"```\ncode\n\nmore\n```\n\nThe API.\n",
		"<!--\n\n-->\nThe API.\n",
		"a | b\n--|--\n1 | 2\n\nThe API.\n",
		"10:00 paged\n11:00 fixed\n",
		"**The** _API_ `x`\n> quote\n",
	} {
		f.Add(b, "")
		f.Add(b, "Given")
	}
	f.Fuzz(func(t *testing.T, body, summary string) {
		checkSketch(t, sketchFile(body, summary))
	})
}
