package build

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/render"
	"github.com/debrief-ssg/debrief/internal/site"
	"github.com/debrief-ssg/debrief/themes"
)

// A renderer whose page buffers are given back after each write renders
// every page as one that never reuses a buffer does: a reused buffer must
// start empty, and pages rendering at once must never share one.
func TestRecycledPageBuffers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := corpus.Generate(dir, corpus.Options{N: 120, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	md := markdown.New(false)
	files, err := contentFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var incs []*site.Incident
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		ci, ds := content.Parse(f, data, cfg)
		if ds.HasErrors() {
			t.Fatal(ds)
		}
		inc, _ := site.Analyse(ci, md, cfg)
		incs = append(incs, inc)
	}
	st, ds := site.New(incs, cfg)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	theme, terr := render.LoadTheme(dir, cfg.Theme, themes.Default)
	if terr != nil {
		t.Fatal(terr)
	}
	render1 := func(r *render.Renderer, recycle bool) map[string][]byte {
		got := map[string][]byte{}
		if _, err := r.RenderTo(st, nil, func(o render.Output) error {
			got[o.Path] = bytes.Clone(o.Data)
			if recycle {
				r.Recycle(o)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := render1(&render.Renderer{Theme: theme, MD: md, Version: "test"}, false)
	r := &render.Renderer{Theme: theme, MD: md, Version: "test"}
	for pass := range 2 { // the second starts with the first's buffers
		got := render1(r, true)
		if len(got) != len(want) {
			t.Fatalf("pass %d: %d outputs, want %d", pass, len(got), len(want))
		}
		for p, w := range want {
			if !bytes.Equal(got[p], w) {
				t.Fatalf("pass %d: %s differs from a render without recycling", pass, p)
			}
		}
	}
}
