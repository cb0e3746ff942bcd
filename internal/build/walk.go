package build

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/debrief-ssg/debrief/internal/diag"
)

// contentFiles lists the *.md files under content/, skipping names that
// start with _ or . (drafts of drafts, editor files, hidden folders).
// Symbolic links, to files and folders alike, are followed only while
// they stay inside the site: a link out of it (content/zz.md to
// /etc/shadow, a cloned repository's link to ~/.ssh) is never read, and
// a warning names it.
func contentFiles(source string) ([]string, diag.List) {
	root := filepath.Join(source, "content")
	w := &walker{source: source}
	st, err := os.Stat(root)
	if err != nil || !st.IsDir() {
		w.ds.Errorf("content", 0, 0, "no content folder in %s: a site is a folder with a content/ folder", source)
		return nil, w.ds
	}
	if w.site, err = filepath.EvalSymlinks(source); err != nil {
		w.ds.Errorf("content", 0, 0, "reading: %v", unwrapPath(err))
		return nil, w.ds
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		w.ds.Errorf("content", 0, 0, "reading: %v", unwrapPath(err))
		return nil, w.ds
	}
	w.walk(root, "content", []string{real})
	slices.Sort(w.files)
	return w.files, w.ds
}

// walker walks content/ for contentFiles.
type walker struct {
	source string
	site   string // the site folder, symbolic links resolved
	files  []string
	ds     diag.List
}

// walk lists the files of dir, site-relative rel; up holds the resolved
// folders it is in, so a link back into one of them is not followed.
func (w *walker) walk(dir, rel string, up []string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.ds.Errorf(rel, 0, 0, "reading: %v", unwrapPath(err))
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
			continue
		}
		p, r := filepath.Join(dir, name), path.Join(rel, name)
		mode, real := e.Type(), ""
		if mode&os.ModeSymlink != 0 {
			var ok bool
			if real, mode, ok = w.follow(p, r); !ok {
				continue
			}
		}
		switch {
		case mode.IsDir():
			if real == "" {
				real = filepath.Join(up[len(up)-1], name)
			}
			if slices.Contains(up, real) {
				w.ds.Warnf(r, 0, 0, "symbolic link loops back to a folder it is in; not followed")
				continue
			}
			w.walk(p, r, append(up[:len(up):len(up)], real))
		case mode.IsRegular() && strings.HasSuffix(strings.ToLower(name), ".md"):
			w.files = append(w.files, r)
		}
	}
}

// follow resolves a symbolic link: where it leads and what is there. ok
// is false for a broken link, and for one that leads out of the site,
// with a warning.
func (w *walker) follow(p, rel string) (real string, mode os.FileMode, ok bool) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", 0, false // broken: as if it were not there
	}
	if real != w.site && !strings.HasPrefix(real, w.site+string(filepath.Separator)) {
		w.ds.Warnf(rel, 0, 0, "symbolic link to %s, outside the site; not followed", real)
		return "", 0, false
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", 0, false
	}
	return real, fi.Mode().Type(), true
}
