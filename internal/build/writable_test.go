package build

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/themes"
)

// leftovers lists what a build left beside the output folder out.
func leftovers(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+filepath.Base(out)+".") {
			left = append(left, e.Name())
		}
	}
	return left
}

// A read-only output folder is refused, with what to do, before anything
// is staged: it is not replaced, and nothing is left beside it.
func TestReadOnlyOutputRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	buildExample(t, out)
	if err := os.Chmod(out, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(out, 0o755)
	before, _ := os.Stat(filepath.Join(out, "index.html"))
	_, err := Build(Options{Source: exampleSite, Out: out, Version: "test", Theme: themes.Default})
	if !errors.Is(err, ErrUnwritable) || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), "chmod -R u+w "+out) {
		t.Fatalf("err %v; want a refusal that says the folder is read-only and how to make it writable", err)
	}
	if left := leftovers(t, out); len(left) > 0 {
		t.Errorf("left beside the output: %v", left)
	}
	after, err := os.Stat(filepath.Join(out, "index.html"))
	if err != nil || !os.SameFile(before, after) {
		t.Errorf("the read-only output was replaced")
	}
}

// A folder the staging folder cannot be made in says what to do.
func TestUnwritableParentSaysWhatToDo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	opts := Options{Source: exampleSite, Out: out, Version: "test", Theme: themes.Default}
	opts.mkdirTemp = func(dir, pattern string) (string, error) {
		return "", &fs.PathError{Op: "mkdirtemp", Path: filepath.Join(dir, pattern), Err: fs.ErrPermission}
	}
	_, err := Build(opts)
	want := "cannot write in " + filepath.Dir(out) + ", where the build is staged beside " + out + " (permission denied): make that folder writable, or choose an --out in a folder you can write"
	if err == nil || err.Error() != want {
		t.Fatalf("err %v\nwant %s", err, want)
	}
	if !errors.Is(err, ErrUnwritable) {
		t.Errorf("err %v: want ErrUnwritable", err)
	}
}
