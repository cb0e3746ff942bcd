//go:build unix

package render

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// incidents.json is made with the mode of every other output: 0o644 less
// the umask, not os.CreateTemp's 0o600, nor 0o644 whatever the umask.
func TestSpoolFileModeFollowsUmask(t *testing.T) {
	for _, mask := range []int{0o022, 0o077, 0o002} {
		old := syscall.Umask(mask)
		dir := t.TempDir()
		sp, err := newSpool(dir, 1)
		var path string
		if err == nil {
			sp.put(0, []byte("{}"))
		}
		if err == nil {
			path, err = sp.finish()
		}
		ref := filepath.Join(dir, "ref")
		if err == nil {
			err = os.WriteFile(ref, nil, 0o644) // as every page is written
		}
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		got, err1 := os.Stat(path)
		want, err2 := os.Stat(ref)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if got.Mode() != want.Mode() {
			t.Errorf("umask %o: incidents.json %v, other outputs %v", mask, got.Mode(), want.Mode())
		}
		sp.close()
	}
}
