package build

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ReplaceFile replaces the file name with data, atomically and durably: a
// reader, a crash or a full disk leaves the old bytes or the new ones,
// never part of them. The new file keeps the old one's permissions (perm
// when there is none yet), and a symbolic link is written through, not
// replaced by a file. It is for files the user owns, such as an incident
// that `debrief can --write` extends.
func ReplaceFile(name string, data []byte, perm fs.FileMode) error {
	if real, err := filepath.EvalSymlinks(name); err == nil {
		name = real
	}
	if fi, err := os.Stat(name); err == nil {
		perm = fi.Mode().Perm()
	}
	return replace(name, data, perm, true)
}

// replace writes data to a temporary file beside name, then renames it
// over name. With durable, the data reach the disk before the rename:
// a crash right after it must not leave an empty file. The temporary
// file is .debrief-*.tmp: content listing and the watcher pass over it,
// and a killed build's is no deploy's file to keep (see kept).
func replace(name string, data []byte, perm fs.FileMode, durable bool) (err error) {
	f, err := os.CreateTemp(filepath.Dir(name), ".debrief-*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("writing %s: %w", name, err)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if durable {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}
