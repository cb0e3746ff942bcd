package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/themes"
)

// A file debrief cannot read, or cannot read as content at all, is one
// error: the links other files make to it still resolve, by its file
// name's id, rather than each being one more error.
func TestUnreadableFileIsOneError(t *testing.T) {
	linking := "---\ntitle: A\ndate: 2024-03-14\nrelated: [broken]\n---\n- 10:00 See [[broken]] and [it](broken.md).\n"
	for _, c := range []struct{ name, broken, want string }{
		{"unreadable", "---\ntitle: B\ndate: 2024-03-14\n---\n", "content/broken.md:1:1: reading: permission denied"},
		{"utf-16", "\xff\xfe-\x00-\x00-\x00\n\x00", "content/broken.md:1:1: the file is UTF-16 (little-endian); save it as UTF-8"},
		{"never closed", "---\ntitle: B\ndate: 2024-03-14\n", `content/broken.md:1:1: front matter opened with "---" is never closed`},
		{"no title", "---\ndate: 2024-03-14\nseverity: [\n---\n", "content/broken.md:3:1: front matter: did not find expected node content"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "content", "a.md"), linking)
			writeFile(t, filepath.Join(dir, "content", "broken.md"), c.broken)
			opts := Options{Source: dir, Version: "test", Theme: themes.Default}
			if c.name == "unreadable" {
				// Root reads any file: the test fails the read itself.
				opts.read = func(name string) ([]byte, error) {
					if strings.HasSuffix(name, "broken.md") {
						return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
					}
					return os.ReadFile(name)
				}
			}
			_, ds := Check(opts)
			var errs []string
			for _, d := range ds {
				if d.Severity == 0 {
					errs = append(errs, d.String())
				}
			}
			if len(errs) != 1 || errs[0] != c.want {
				t.Errorf("got %q\nwant %q", errs, c.want)
			}
		})
	}
}
