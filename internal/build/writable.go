package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrUnwritable is returned when the output folder, or the folder it is
// in, cannot be written: a build stages beside the output and swaps it in,
// and would otherwise leave a copy it cannot delete.
var ErrUnwritable = errors.New("output folder cannot be written")

// unwritable is an error that says what to do, and is ErrUnwritable.
type unwritable struct{ msg string }

func (e unwritable) Error() string        { return e.msg }
func (e unwritable) Is(target error) bool { return target == ErrUnwritable }

// checkWritable refuses an output folder that is read-only: its files
// could be swapped away, but the old copy then could not be deleted, and
// a read-only folder says it is not to be replaced.
func checkWritable(out, absOut string) error {
	fi, err := os.Stat(absOut)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder %s: %w", out, err)
	}
	if fi.IsDir() && (fi.Mode().Perm()&0o200 == 0 || !canWrite(absOut)) {
		return unwritable{fmt.Sprintf("output folder %s is read-only: make it writable (chmod -R u+w %s) to build into it, or choose another --out", out, out)}
	}
	return nil
}

// unwritableParent is the error for a staging folder that cannot be made
// in parent, the folder the output is in.
func unwritableParent(out, parent string, err error) error {
	if !errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("creating the staging folder in %s: %w", parent, err)
	}
	return unwritable{fmt.Sprintf("cannot write in %s, where the build is staged beside %s (%v): make that folder writable, or choose an --out in a folder you can write",
		parent, out, unwrapPath(err))}
}

// removeAll deletes p, a folder of ours being discarded (a staging folder,
// an old output): a folder in it made read-only is made writable first,
// so that nothing is left behind that cannot be deleted.
func removeAll(p string) error {
	if os.RemoveAll(p) == nil {
		return nil
	}
	_ = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if fi, err := d.Info(); err == nil && fi.Mode().Perm()&0o700 != 0o700 {
				_ = os.Chmod(q, fi.Mode().Perm()|0o700)
			}
		}
		return nil
	})
	return os.RemoveAll(p)
}
