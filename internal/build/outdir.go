package build

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

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

// kept reports whether an entry at the top of the output folder is a
// deploy's, kept across rebuilds: dot-files and dot-folders (.git,
// .nojekyll, .well-known) other than ours (.debrief-*), and CNAME.
func kept(name string) bool {
	return name == "CNAME" || strings.HasPrefix(name, ".") && !strings.HasPrefix(name, ".debrief-")
}

// moveKept moves the kept entries at the top of from into to. An entry
// that to already has stays where it is; ok is false then, and from must
// not be deleted.
func moveKept(from, to string) (ok bool, err error) {
	entries, err := os.ReadDir(from)
	if err != nil {
		return false, err
	}
	ok = true
	for _, e := range entries {
		if !kept(e.Name()) {
			continue
		}
		dst := filepath.Join(to, e.Name())
		if _, err := os.Lstat(dst); err == nil {
			ok = false
			continue
		}
		if err := os.Rename(filepath.Join(from, e.Name()), dst); err != nil {
			return false, fmt.Errorf("keeping %s: %w", e.Name(), err)
		}
	}
	return ok, nil
}

// commit writes the marker and swaps the staging folder in; the old
// output's kept entries (see kept) move into the new one first, so that
// no reader and no kill ever sees the output without them.
func (st *stager) commit() (err error) {
	defer func() {
		if err != nil {
			st.abort()
		}
	}()
	mb, err := json.MarshalIndent(st.manifest, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(st.staging, MarkerFile), append(mb, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing marker: %w", err)
	}
	if err := os.Chmod(st.staging, 0o755); err != nil {
		return err
	}
	if _, err := os.Lstat(st.absOut); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(st.staging, st.absOut); err != nil {
			return fmt.Errorf("replacing %s: %w", st.out, err)
		}
		return nil
	}
	if _, err := moveKept(st.absOut, st.staging); err != nil {
		_, _ = moveKept(st.staging, st.absOut)
		return fmt.Errorf("replacing %s: %w", st.out, err)
	}
	if err := st.swap(); err != nil {
		_, _ = moveKept(st.staging, st.absOut)
		return fmt.Errorf("replacing %s: %w", st.out, err)
	}
	return nil
}

// swap replaces the output with the staging folder, by one atomic
// exchange where the system has one; else the old output is renamed
// aside, the new one in, and a kill between the two leaves the old aside,
// for the next run to put back (cleanStale). The old output is deleted.
func (st *stager) swap() error {
	if !st.noExchange {
		err := exchange(st.staging, st.absOut)
		if err == nil {
			if st.swapping != nil {
				st.swapping()
			}
			_ = removeAll(st.staging) // the old output now
			return nil
		}
		if !errors.Is(err, errNoExchange) {
			return err
		}
	}
	parent, base := filepath.Dir(st.absOut), filepath.Base(st.absOut)
	old := filepath.Join(parent, fmt.Sprintf(".%s.old-%d", base, os.Getpid()))
	_ = removeAll(old)
	if err := os.Rename(st.absOut, old); err != nil {
		return err
	}
	if st.swapping != nil {
		st.swapping()
	}
	if err := os.Rename(st.staging, st.absOut); err != nil {
		_ = os.Rename(old, st.absOut)
		return err
	}
	_ = removeAll(old)
	return nil
}

// checkOurs refuses to replace a folder that holds files debrief did not
// write, unless force. A deploy's kept entries alone (a fresh clone of a
// gh-pages branch) are no such files: they are kept.
func checkOurs(out string, force bool) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading output folder: %w", err)
	}
	if !slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return !kept(e.Name()) }) {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, MarkerFile)); err == nil || force {
		return nil
	}
	return fmt.Errorf("%s: %w", out, ErrNotOurs)
}

// cleanStale cleans up after a build killed beside the output: an old
// output with no output (killed between the two renames of a swap) is
// put back; then every staging and old folder gives its kept entries back
// to the output (a build killed mid-swap may have moved them) and is
// deleted. A folder whose kept entries cannot go back stays.
func cleanStale(parent, base string) {
	out := filepath.Join(parent, base)
	entries, _ := os.ReadDir(parent)
	var stale, olds []string
	for _, e := range entries {
		n := e.Name()
		switch {
		case !e.IsDir():
		case strings.HasPrefix(n, "."+base+".old-"):
			olds = append(olds, filepath.Join(parent, n))
			stale = append(stale, filepath.Join(parent, n))
		case strings.HasPrefix(n, "."+base+".staging-"):
			stale = append(stale, filepath.Join(parent, n))
		}
	}
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) && len(olds) > 0 {
		// Of several (several kills), the newest is the last good output.
		slices.SortFunc(olds, func(a, b string) int { return modTime(b).Compare(modTime(a)) })
		_ = os.Rename(olds[0], out)
	}
	for _, p := range stale {
		if _, err := os.Lstat(p); err != nil {
			continue // the one put back
		}
		if ok, err := moveKept(p, out); err == nil && ok {
			_ = removeAll(p)
		}
	}
}

// modTime is p's modification time, zero when it cannot be read.
func modTime(p string) time.Time {
	fi, err := os.Stat(p)
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}

// errNoExchange: the system or file system cannot exchange two paths
// atomically.
var errNoExchange = errors.New("no atomic exchange")
