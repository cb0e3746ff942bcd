package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/internal/render"
	"github.com/debrief-ssg/debrief/themes"
)

// A one-shot build sketches incidents as it reads them, or outlines those
// it cannot sketch, keeps outlines whole up to a memory budget (none by
// default) and slims the rest; each page reads its file again. A watch
// session keeps everything. All must write the same bytes: on the example
// site, on a generated one full of [[ID]] and .md cross-references, and on
// a corpus that is all sketches, whether every outline is kept, none or
// some.
func TestSlimBuildMatchesSession(t *testing.T) {
	gen := t.TempDir()
	generateSite(t, gen, 60)
	// A slimmed page finds its body again by length, in the file as
	// normalised: Windows line ends and a byte-order mark must not move it.
	crlf := t.TempDir()
	generateSite(t, crlf, 20)
	files, _ := filepath.Glob(filepath.Join(crlf, "content", "*.md"))
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b = []byte(strings.ReplaceAll(string(b), "\n", "\r\n"))
		if i%2 == 0 {
			b = append([]byte("\ufeff"), b...)
		}
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Generated incidents are sketched (site.Sketch): their bodies are
	// parsed for the first time for their pages.
	sketches := t.TempDir()
	if err := corpus.Generate(sketches, corpus.Options{N: 30, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{"example": "../..", "generated": gen, "windows line ends": crlf, "sketched": sketches} {
		kept := filepath.Join(t.TempDir(), "kept")
		res, err := NewSession(Options{Source: src, Out: kept, Version: "test", Theme: themes.Default}).Build(Change{Full: true})
		if err != nil || res.Diags.HasErrors() {
			t.Fatal(err, res.Diags)
		}
		session := treeHash(t, kept)
		for budget, outlines := range map[string]int64{"all kept": 1 << 40, "none kept": -1, "some kept": outlineCost * 300 * 20 /* about half the generated site */} {
			t.Run(name+"/"+budget, func(t *testing.T) {
				one := filepath.Join(t.TempDir(), "one")
				res, err := Build(Options{Source: src, Out: one, Version: "test", Theme: themes.Default, outlines: outlines})
				if err != nil || res.Diags.HasErrors() {
					t.Fatal(err, res.Diags)
				}
				if a := treeHash(t, one); a != session {
					t.Errorf("one-shot build %s, session %s", a, session)
				}
			})
		}
	}
}

// A slimmed file edited between its first reading and its page fails the
// build with the file named, and leaves the output as it was. (An outline
// kept whole is rendered as first read, as any file read before the edit.)
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
	_, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default, outlines: -1, wrote: func(string) {
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

// A rebuild links every output whose bytes did not change from the last
// build instead of writing it again, writes the rest, and gives the bytes a
// build into an empty folder gives.
func TestRebuildLinksUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	generateSite(t, dir, 30)
	out := filepath.Join(dir, "public")
	build := func(out string) *Result {
		t.Helper()
		res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default})
		if err != nil || res.Diags.HasErrors() {
			t.Fatal(err, res.Diags)
		}
		return res
	}
	if res := build(out); res.Unchanged != 0 {
		t.Fatalf("first build: %d files unchanged", res.Unchanged)
	}
	before := map[string]os.FileInfo{}
	data := map[string][]byte{}
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			before[p], _ = os.Stat(p)
			data[p], _ = os.ReadFile(p)
		}
		return nil
	})
	files, _ := filepath.Glob(filepath.Join(dir, "content", "*.md"))
	b, _ := os.ReadFile(files[3])
	if err := os.WriteFile(files[3], append(b, "\nOne more paragraph, about the pager.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	res := build(out)
	if res.Unchanged == 0 || res.Written == 0 {
		t.Fatalf("rebuild after one edit: %d written, %d unchanged", res.Written, res.Unchanged)
	}
	linked, changed := 0, 0
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || before[p] == nil {
			return nil
		}
		now, _ := os.ReadFile(p)
		fi, _ := os.Stat(p)
		same := os.SameFile(before[p], fi)
		switch {
		case string(now) != string(data[p]):
			changed++
			if same {
				t.Errorf("%s changed in place", p)
			}
		case same:
			linked++
		case filepath.Base(p) != MarkerFile && filepath.Base(p) != "incidents.json":
			t.Errorf("%s: same bytes, written again", p)
		}
		return nil
	})
	if linked != res.Unchanged || changed == 0 {
		t.Errorf("%d files linked, %d changed; the build says %d unchanged", linked, changed, res.Unchanged)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	build(fresh)
	if a, b := treeHash(t, out), treeHash(t, fresh); a != b {
		t.Errorf("rebuild %s, fresh build %s", a, b)
	}
}

// An output linked from the live site and then written again (two outputs
// at one path) is replaced in the staging folder, never written through
// the link into the live site.
func TestStagerNeverWritesThroughALink(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	if err := Write(out, []render.Output{{Path: "a/index.html", Data: []byte("old")}}, false, ""); err != nil {
		t.Fatal(err)
	}
	st, err := newStager(Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []render.Output{{Path: "a/index.html", Data: []byte("old")}, {Path: "a/index.html", Data: []byte("new")}} {
		if err := st.put(o); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "a", "index.html")); string(b) != "old" {
		t.Fatalf("live output changed mid-build: %q", b)
	}
	if err := st.commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "a", "index.html")); string(b) != "new" {
		t.Fatalf("after the build: %q, want the last output written", b)
	}
}
