package build

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/render"
	"github.com/debrief-ssg/debrief/themes"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// exampleSite is the repository root: the example knowledge base.
const exampleSite = "../.."

func buildExample(t *testing.T, out string) *Result {
	t.Helper()
	res, err := Build(Options{Source: exampleSite, Out: out, Version: "test", Theme: themes.Default})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diags.HasErrors() {
		t.Fatalf("example site has errors:\n%v", res.Diags)
	}
	return res
}

// The example site's key pages and data match the golden files. Run
// `go test ./internal/build -update` after an intended change, and review
// the diff.
func TestGoldenExampleSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	res := buildExample(t, out)
	if len(res.Diags) != 0 {
		t.Errorf("example site has warnings:\n%v", res.Diags)
	}
	for _, f := range []string{
		"index.html",
		"incidents/inc-2024-031/index.html", // the seed: derived CAN, no Timeline heading
		"incidents/inc-2024-034/index.html", // author-written CAN report
		"incidents/inc-2024-032/index.html", // chat export timeline
		"about/index.html",
		"404.html",
		"incidents.json",
		"can/index.html",             // the CAN report browser
		"services/e-mail/index.html", // a term's list of cards
	} {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(f, "/", "_"))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; run with -update and review the diff.\n%s", f, golden, firstDiff(string(want), string(got)))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n- " + x + "\n+ " + y
		}
	}
	return ""
}

func TestExampleSiteShowsEveryIncident(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	res := buildExample(t, out)
	if res.Incidents < 5 {
		t.Fatalf("example site has %d incidents; want the seed and at least four more", res.Incidents)
	}
	index, _ := os.ReadFile(filepath.Join(out, "index.html"))
	for _, inc := range res.Site.Incidents {
		if !bytes.Contains(index, []byte(`href="incidents/`+strings.ToLower(inc.ID)+`/index.html"`)) {
			t.Errorf("index does not link %s", inc.ID)
		}
		page, err := os.ReadFile(filepath.Join(out, "incidents", strings.ToLower(inc.ID), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`<section class="can"`, `<h3>Conditions</h3>`, `<ol class="entries">`, `<time datetime=`} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("%s page lacks %s", inc.ID, want)
			}
		}
		if len(inc.Timeline.Entries) == 0 {
			t.Errorf("%s has no timeline entries", inc.ID)
		}
	}
	seed := res.Site.ByID("INC-2024-031")
	page, _ := os.ReadFile(filepath.Join(out, "incidents", "inc-2024-031", "index.html"))
	if n := bytes.Count(page, []byte(`<li class="entry`)); n != 21 {
		t.Errorf("seed page shows %d timeline entries, want 21", n)
	}
	if !seed.CAN.Derived {
		t.Error("seed CAN report should be derived")
	}
	if res.Site.ByID("INC-2024-034").CAN.Derived {
		t.Error("INC-2024-034 has an author-written CAN report")
	}
}

// A build says how much content it is about to read, which a one-shot
// build's memory limit follows: every content file, and its bytes.
func TestBuildTellsItsSize(t *testing.T) {
	var files int
	var size int64
	res, err := Build(Options{Source: exampleSite, Out: filepath.Join(t.TempDir(), "public"), Version: "test", Theme: themes.Default,
		Sized: func(n int, b int64) { files, size = files+n, size+b }})
	if err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	var wantFiles int
	var wantBytes int64
	err = filepath.WalkDir("../../content", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			wantFiles++
			wantBytes += fi.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != wantFiles || size != wantBytes {
		t.Errorf("told %d files of %d bytes, want %d of %d", files, size, wantFiles, wantBytes)
	}
}

func TestBuildsAreByteIdentical(t *testing.T) {
	dir := t.TempDir()
	a := buildExample(t, filepath.Join(dir, "a"))
	b := buildExample(t, filepath.Join(dir, "b"))
	if len(a.Outputs) != len(b.Outputs) || len(a.Outputs) < 50 {
		t.Fatalf("%d and %d outputs", len(a.Outputs), len(b.Outputs))
	}
	// Every file, the marker and its manifest included, byte for byte.
	if ha, hb := treeHash(t, filepath.Join(dir, "a")), treeHash(t, filepath.Join(dir, "b")); ha != hb {
		t.Fatalf("two builds of the same input differ: %s vs %s", ha, hb)
	}
}

// The manifest says which outputs an edit of one file touches: its own page,
// the pages that show its title (related, backlinks) and the site-wide lists,
// and not the pages of unrelated incidents.
func TestManifestDependencies(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	res := buildExample(t, out)
	m := ManifestOf(res.Outputs)
	got := m.Affected("content/incidents/2024-03-14-metadata-script-failure.md")
	for _, want := range []string{"incidents/inc-2024-034/index.html", "incidents/inc-2024-031/index.html", "index.html", "incidents.json"} {
		if !slices.Contains(got, want) {
			t.Errorf("editing INC-2024-034 should touch %s; affected: %v", want, got)
		}
	}
	if slices.Contains(got, "about/index.html") || slices.Contains(got, "assets/style.css") {
		t.Errorf("editing INC-2024-034 touches unrelated outputs: %v", got)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWriteSwapsAndCleansStaging(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	// A staging folder a killed build left behind.
	if err := os.MkdirAll(filepath.Join(dir, ".public.staging-123"), 0o755); err != nil {
		t.Fatal(err)
	}
	outs := []render.Output{{Path: "index.html", Data: []byte("one")}, {Path: "a/b.html", Data: []byte("b")}}
	if err := Write(out, outs, false, ""); err != nil {
		t.Fatal(err)
	}
	if err := Write(out, outs[:1], false, ""); err != nil {
		t.Fatal(err)
	}
	// The second build has no a/b.html: no stale files survive a swap.
	if _, err := os.Stat(filepath.Join(out, "a", "b.html")); !os.IsNotExist(err) {
		t.Error("stale output file survived the rebuild")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left behind: %v", names)
	}
}

func TestWriteRefusesForeignFolder(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	writeFile(t, filepath.Join(out, "precious.txt"), "mine")
	err := Write(out, []render.Output{{Path: "index.html", Data: []byte("x")}}, false, "")
	if err == nil {
		t.Fatal("wrote over a folder debrief did not create")
	}
	if b, _ := os.ReadFile(filepath.Join(out, "precious.txt")); string(b) != "mine" {
		t.Error("foreign file lost")
	}
	if err := Write(out, []render.Output{{Path: "index.html", Data: []byte("x")}}, true, ""); err != nil {
		t.Fatalf("--force: %v", err)
	}
}

func TestWriteRejectsEscapingPaths(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := Write(out, []render.Output{{Path: "../evil.html", Data: []byte("x")}}, false, ""); err == nil {
		t.Fatal("wrote outside the output folder")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), "evil.html")); !os.IsNotExist(err) {
		t.Error("file escaped the output folder")
	}
}
