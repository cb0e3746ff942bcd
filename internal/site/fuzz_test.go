package site

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/markdown"
)

// FuzzIncident feeds arbitrary files through front matter, timeline and CAN
// parsing and rendering: no input may panic, and what parses must hold
// together (unique anchors, bounded reports).
func FuzzIncident(f *testing.F) {
	seeds, _ := filepath.Glob("../../content/incidents/*.md")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("---\ntitle: T\ndate: 2024-01-01\n---\n## Timeline\n\n[14:02] <ana> [action] x\n14:03Z y\n2:05 PM – z\n"))
	f.Add([]byte("+++\ntitle = \"T\"\ndate = 2024-01-01\n+++\n- 23:59 a\n- 00:01 b\n"))
	f.Add([]byte("---\ntitle: T\ndate: 2024-01-01\n---\n## CAN report\n### Conditions\n- c (10:00)\n### Needs\n"))
	cfg := config.Default()
	md := markdown.New(false)
	f.Fuzz(func(t *testing.T, data []byte) {
		ci, ds := content.Parse("content/f.md", data, cfg)
		if ci == nil || ds.HasErrors() {
			return
		}
		inc, _ := Analyse(ci, md, cfg)
		seen := map[string]bool{}
		for _, e := range inc.Timeline.Entries {
			if seen[e.Anchor] {
				t.Fatalf("duplicate anchor %s", e.Anchor)
			}
			seen[e.Anchor] = true
			if e.At.IsZero() {
				t.Fatal("entry without an instant")
			}
			if _, err := markdown.Render(md, ci.Body, e.Content); err != nil {
				t.Fatal(err)
			}
		}
		if len(inc.Timeline.Entries) == 0 && inc.CAN != nil && inc.CAN.Derived {
			t.Fatal("a derived report without a timeline")
		}
		if inc.CAN != nil && inc.CAN.Derived {
			for _, s := range inc.CAN.Sections() {
				if len(s.Lines) > cfg.CAN.MaxLines {
					t.Fatalf("%s has %d lines", s.Name, len(s.Lines))
				}
			}
		}
		if _, err := markdown.Render(md, ci.Body, inc.Doc); err != nil {
			t.Fatal(err)
		}
	})
}
