package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/themes"
	"github.com/rogpeppe/go-internal/txtar"
)

// sketched counts the files a one-shot build's first reading sketches.
func sketched(t *testing.T, dir string) (n, of int) {
	t.Helper()
	cfg, _ := config.Load(dir)
	files, _ := contentFiles(dir)
	for _, f := range loadAll(Options{Source: dir}, files, cfg, markdown.New(false), true) {
		if f.inc != nil && f.inc.Sketched() {
			n++
		}
	}
	return n, len(files)
}

// Generated incidents, like most written ones, link to no other incident
// and open with a paragraph: a one-shot build reads their front matter and
// first paragraph, and parses the rest only for the page.
func TestCorpusIsSketched(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{N: 40, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if n, of := sketched(t, dir); n != of {
		t.Errorf("%d of %d generated files sketched, want all", n, of)
	}
}

// The generated corpus is content a user could have written: it builds
// with no warning. Its author-written CAN reports once named "HH:20",
// which no entry had, and a 10,000-incident build printed a thousand
// warnings.
func TestCorpusBuildsClean(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{N: 150, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	res, err := Build(Options{Source: dir, Out: filepath.Join(t.TempDir(), "out"), Version: "test", Theme: themes.Default})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diags) > 0 {
		t.Errorf("%d diagnostics, want none; the first:\n%s", len(res.Diags), res.Diags[0])
	}
}

// diagLines is every diagnostic of a build, one per line.
func diagLines(ds diag.List) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

// A one-shot build analyses a sketch's body while rendering its page; a
// watch session analyses every body first. They must find the same errors
// and warnings, reported together: on every bad-input case, and on a site
// whose sketched files have nothing but warnings.
func TestOneShotDiagnosticsMatchSession(t *testing.T) {
	sites := map[string]map[string]string{
		"warnings only": {
			// An author's CAN report whose time matches no entry, and
			// with no needs; the CAN report comes after the lead paragraph.
			"content/a.md": "---\ntitle: A\ndate: 2024-03-03\n---\nThe queue backed up.\n\n## CAN report\n\n### Conditions\n\n- queue backed up (09:00)\n\n### Actions\n\n- drained it\n\n## Timeline\n\n- 10:00 Ana: paged\n",
			"content/b.md": "---\ntitle: B\ndate: 2024-03-04\n---\nAll fine here.\n\n## Timeline\n\n- 10:00 paged\n",
		},
	}
	cases, _ := filepath.Glob("../../testdata/badinput/*.txtar")
	for _, f := range cases {
		ar, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		for _, file := range ar.Files {
			if file.Name != "want" {
				files[file.Name] = string(file.Data)
			}
		}
		sites[strings.TrimSuffix(filepath.Base(f), ".txtar")] = files
	}
	for name, files := range sites {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for p, data := range files {
				writeFile(t, filepath.Join(dir, p), data)
			}
			one, err := Build(Options{Source: dir, Out: filepath.Join(t.TempDir(), "one"), Version: "test", Theme: themes.Default})
			if err != nil {
				t.Fatal(err)
			}
			session, err := NewSession(Options{Source: dir, Out: filepath.Join(t.TempDir(), "session"), Version: "test", Theme: themes.Default}).Build(Change{Full: true})
			if err != nil {
				t.Fatal(err)
			}
			if a, b := diagLines(one.Diags), diagLines(session.Diags); a != b {
				t.Errorf("one-shot build reports\n%ssession reports\n%s", a, b)
			}
		})
	}
	// The warnings-only site must show that warnings from sketches arrive.
	dir := t.TempDir()
	for p, data := range sites["warnings only"] {
		writeFile(t, filepath.Join(dir, p), data)
	}
	if n, _ := sketched(t, dir); n != 2 {
		t.Fatalf("%d files sketched, want 2", n)
	}
	res, err := Build(Options{Source: dir, Out: filepath.Join(dir, "public"), Version: "test", Theme: themes.Default})
	if err != nil {
		t.Fatal(err)
	}
	got := diagLines(res.Diags)
	for _, want := range []string{"content/a.md:11:1: warning: CAN line's time matches no timeline entry", "content/a.md:7:1: warning: CAN report has no needs"} {
		if !strings.Contains(got, want) {
			t.Errorf("diagnostics\n%slack %q", got, want)
		}
	}
}

// An error found in a sketch's body while pages render leaves the last
// good output as it was.
func TestSketchErrorKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{N: 20, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	if res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default}); err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	before := treeHash(t, out)
	files, _ := filepath.Glob(filepath.Join(dir, "content", "incidents", "*", "*.md"))
	b, err := os.ReadFile(files[7])
	if err != nil {
		t.Fatal(err)
	}
	// A key moment dated years before the others: found only when the
	// sketched body is analysed for its page.
	at := strings.Index(string(b), "\nresolved: ")
	if at < 0 {
		t.Fatal("no resolved moment to break")
	}
	end := at + 1 + strings.Index(string(b)[at+1:], "\n")
	bad := string(b[:at]) + "\nresolved: 1999-01-01T10:00:00Z" + string(b[end:])
	if err := os.WriteFile(files[7], []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default})
	if err != nil {
		t.Fatal(err)
	}
	if errs, _ := res.Diags.Count(); errs != 1 || !strings.Contains(res.Diags[0].String(), "goes back more than a day") {
		t.Fatalf("diagnostics\n%swant the one timeline error", diagLines(res.Diags))
	}
	if after := treeHash(t, out); after != before {
		t.Errorf("output changed by a failed build: %s, was %s", after, before)
	}
}
