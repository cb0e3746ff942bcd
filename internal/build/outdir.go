package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/debrief-ssg/debrief/internal/config"
)

// ErrSources is returned when the output folder is, holds or is inside the
// site's sources: a build replaces its output folder, so building there
// would delete them. --force does not override it.
var ErrSources = errors.New("a build replaces everything in its output folder; choose an --out outside content/, themes/ and " + config.FileName)

// checkOutput refuses an output folder that overlaps the site's sources:
// content/, themes/ or the config file, or the site folder itself. Paths
// are compared as the file system sees them (os.SameFile), so symbolic
// links, ".." and case-blind file systems do not hide an overlap.
func checkOutput(out, source string) error {
	if source == "" {
		return nil
	}
	absOut, err := realPath(out)
	if err != nil {
		return fmt.Errorf("output folder %s: %w", out, err)
	}
	absSrc, err := realPath(source)
	if err != nil {
		return fmt.Errorf("site folder %s: %w", source, err)
	}
	for _, s := range []struct{ name, what string }{
		{"content", "content folder"}, {"themes", "themes folder"}, {config.FileName, "config file"},
	} {
		p := filepath.Join(absSrc, s.name)
		switch {
		case sameFile(absOut, p):
			return fmt.Errorf("output folder %s is the site's %s: %w", out, s.what, ErrSources)
		case within(absOut, p):
			return fmt.Errorf("output folder %s is inside the site's %s: %w", out, s.what, ErrSources)
		}
	}
	if sameFile(absOut, absSrc) || within(absSrc, absOut) {
		return fmt.Errorf("output folder %s holds the site's sources: %w", out, ErrSources)
	}
	return nil
}

// realPath is p made absolute with the symbolic links of its longest
// existing part resolved; the rest, not yet made, is joined as it is.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest), nil
		}
		if filepath.Dir(dir) == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

// within reports whether p is strictly inside dir: whether one of p's
// ancestors is dir, by identity, not by name.
func within(p, dir string) bool {
	fi, err := os.Stat(dir)
	if err != nil {
		return false
	}
	for a := filepath.Dir(p); ; a = filepath.Dir(a) {
		if st, err := os.Stat(a); err == nil && os.SameFile(st, fi) {
			return true
		}
		if filepath.Dir(a) == a {
			return false
		}
	}
}

// sameFile reports whether a and b name one existing file or folder.
func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
