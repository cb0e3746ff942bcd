package content

import (
	"testing"

	"github.com/debrief-ssg/debrief/internal/config"
)

// FuzzParse: front matter of any shape gives an incident or diagnostics,
// never a panic, and every diagnostic has a position.
func FuzzParse(f *testing.F) {
	f.Add([]byte("---\ntitle: T\ndate: 2024-03-14\nrelated: [a, {id: b, relation: similar}]\n---\nbody\n"))
	f.Add([]byte("+++\ntitle = \"T\"\ndate = 2024-03-14\n+++\n"))
	f.Add([]byte("{\n\"title\": \"T\"\n}\n\n"))
	f.Add([]byte("---\ntitle: [\n---\n"))
	cfg := config.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ds := Parse("content/f.md", data, cfg)
		for _, d := range ds {
			if d.Path != "content/f.md" || d.Line < 0 {
				t.Fatalf("bad diagnostic %v", d)
			}
		}
	})
}
