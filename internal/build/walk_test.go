package build

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A link back up the tree, to the site itself or to content/, is walked
// no further than the folders it loops to: no hang, no file twice.
func TestContentFilesStopsAtLoops(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "content", "a", "x.md"), "---\ntitle: X\ndate: 2024-01-01\n---\n")
	for link, to := range map[string]string{"content/a/site": "../..", "content/a/self": ".", "content/top": "."} {
		if err := os.Symlink(to, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	files, ds := contentFiles(dir)
	if !slices.Equal(files, []string{"content/a/x.md"}) {
		t.Errorf("files %v", files)
	}
	var loops []string
	for _, d := range ds {
		if !strings.Contains(d.Msg, "loops") {
			t.Errorf("unexpected %s", d)
		}
		loops = append(loops, d.Path)
	}
	slices.Sort(loops)
	if want := []string{"content/a/self", "content/a/site/content", "content/top"}; !slices.Equal(loops, want) {
		t.Errorf("loops reported at %v, want %v", loops, want)
	}
}
