package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/themes"
)

// A one-shot build slims incidents after reading them and reads each file
// again for its page; a watch session keeps everything. Both must write the
// same bytes, on the example site and on a generated one full of [[ID]] and
// .md cross-references.
func TestSlimBuildMatchesSession(t *testing.T) {
	gen := t.TempDir()
	generateSite(t, gen, 60)
	for name, src := range map[string]string{"example": "../..", "generated": gen} {
		t.Run(name, func(t *testing.T) {
			one := filepath.Join(t.TempDir(), "one")
			res, err := Build(Options{Source: src, Out: one, Version: "test", Theme: themes.Default})
			if err != nil || res.Diags.HasErrors() {
				t.Fatal(err, res.Diags)
			}
			kept := filepath.Join(t.TempDir(), "kept")
			res, err = NewSession(Options{Source: src, Out: kept, Version: "test", Theme: themes.Default}).Build(Change{Full: true})
			if err != nil || res.Diags.HasErrors() {
				t.Fatal(err, res.Diags)
			}
			if a, b := treeHash(t, one), treeHash(t, kept); a != b {
				t.Errorf("one-shot build %s, session %s", a, b)
			}
		})
	}
}

// A file edited between its first reading and its page fails the build
// with the file named, and leaves the output as it was.
func TestSlimBuildNoticesEditsDuringBuild(t *testing.T) {
	dir := t.TempDir()
	generateSite(t, dir, 40)
	out := filepath.Join(dir, "public")
	if res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default}); err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	before := treeHash(t, out)
	files, _ := filepath.Glob(filepath.Join(dir, "content", "*.md"))
	edited := false
	_, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default, wrote: func(string) {
		if edited {
			return
		}
		edited = true
		// Every file: some pages are still to come when the first is staged.
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Error(err)
				return
			}
			if err := os.WriteFile(f, append(b, "\nEdited during the build.\n"...), 0o644); err != nil {
				t.Error(err)
			}
		}
	}})
	if err == nil || !strings.Contains(err.Error(), "changed while the site was being built") || !strings.Contains(err.Error(), "content/gen-") {
		t.Fatalf("err = %v, want a file named as changed during the build", err)
	}
	if after := treeHash(t, out); after != before {
		t.Errorf("output changed by a failed build: %s, was %s", after, before)
	}
}
