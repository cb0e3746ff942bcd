package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pageOf reads an output page.
func pageOf(t *testing.T, dir, page string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "public", filepath.FromSlash(page)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A save while a Build runs takes the fast path at once — while the Build
// assembles its site, and after it rendered the saved file's page from
// before the save — and that Build never writes its older page over the
// new one. The Build after it leaves what a fresh build writes.
func TestFastPathDuringBuild(t *testing.T) {
	for _, stage := range []string{"site", "write incidents/inc-2024-034/index.html"} {
		t.Run(strings.Fields(stage)[0], func(t *testing.T) {
			dir := copySite(t)
			s, _ := session(t, dir)
			const page = "incidents/inc-2024-034/index.html"
			// A new title for INC-2024-031, which INC-2024-034 links to: the
			// Build renders 034's page again, from its old body.
			edit(t, dir, seedFile, "title: E-mail loss", "title: Mail loss")
			if _, ok, err := s.BuildFast(Change{Paths: []string{seedFile}}); !ok || err != nil {
				t.Fatalf("fast path not taken: %v %v", ok, err)
			}
			saved := false
			s.midBuild = func(at string) {
				if at != stage {
					return
				}
				saved = true
				edit(t, dir, metaFile, "Root cause", "Root cause v2")
				if _, ok, err := s.BuildFast(Change{Paths: []string{metaFile}}); !ok || err != nil {
					t.Fatalf("fast path not taken while a Build runs: %v %v", ok, err)
				}
				if !strings.Contains(pageOf(t, dir, page), "Root cause v2") {
					t.Error("the save is not on its page")
				}
			}
			res := rebuild(t, s)
			if !saved {
				t.Fatal("the Build never reached " + stage)
			}
			s.midBuild = nil
			if !strings.Contains(pageOf(t, dir, page), "Root cause v2") {
				t.Errorf("the Build wrote its older page over the save's (changed %v)", res.Changed)
			}
			if !s.Stale {
				t.Error("a save during the Build left nothing stale")
			}
			rebuild(t, s)
			if !strings.Contains(pageOf(t, dir, page), "Root cause v2") {
				t.Error("the save lost by the Build after")
			}
			matchesFresh(t, dir, filepath.Join(dir, "public"), "after the Build that follows")
		})
	}
}

// While a Build runs, the fast path renders a page from the last good site
// with the new analysis standing in for the old (Session.overlay): the
// page is the one the in-place swap renders, related incidents, backlinks
// and cross-references included.
func TestOverlayRendersAsInPlace(t *testing.T) {
	pages := map[string]string{}
	for _, running := range []bool{false, true} {
		dir := copySite(t)
		s, _ := session(t, dir)
		edit(t, dir, metaFile, "Root cause", "Root cause, edited")
		edit(t, dir, seedFile, "Prepare a CAN report", "A new paragraph.\n\nPrepare a CAN report")
		save := func() {
			if _, ok, err := s.BuildFast(Change{Paths: []string{metaFile, seedFile}}); !ok || err != nil {
				t.Fatalf("fast path not taken: %v %v", ok, err)
			}
			for _, p := range []string{seedPage, "incidents/inc-2024-034/index.html"} {
				pages[p] += pageOf(t, dir, p) + "\x00"
			}
		}
		if !running {
			save()
			continue
		}
		s.midBuild = func(at string) {
			if at == "site" {
				save()
			}
		}
		rebuild(t, s)
	}
	for p, both := range pages {
		in, over, _ := strings.Cut(both, "\x00")
		over = strings.TrimSuffix(over, "\x00")
		if in != over {
			t.Errorf("%s: the overlay's page differs from the in-place one", p)
		}
		for _, want := range []string{`<h2 id="rel-h">Related incidents</h2>`, "Root cause, edited", "A new paragraph."} {
			if p == seedPage && want == "Root cause, edited" || p != seedPage && want == "A new paragraph." {
				continue
			}
			if !strings.Contains(in, want) {
				t.Errorf("%s: no %q: the test shows nothing", p, want)
			}
		}
	}
	if !strings.Contains(pages["incidents/inc-2024-034/index.html"], `class="xref" href="../../incidents/inc-2024-031/index.html"`) {
		t.Error("INC-2024-034's cross-reference not resolved on the fast path")
	}
}
