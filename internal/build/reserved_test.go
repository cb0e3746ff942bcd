package build

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/site"
)

// Every name a build writes at the top of the output, but for the example
// site's own pages, is reserved: a page with that id would be a folder
// where the site's file goes, and check would pass a site build fails on.
func TestReservedPageIDs(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	res := buildExample(t, out)
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := strings.ToLower(e.Name())
		if strings.HasPrefix(name, ".") || slices.ContainsFunc(res.Site.Pages, func(p *site.Incident) bool { return strings.ToLower(p.ID) == name }) {
			continue
		}
		if !slices.Contains(site.ReservedPageIDs, name) {
			t.Errorf("%s is written at the top of the output but is not in site.ReservedPageIDs", e.Name())
		}
	}
}
