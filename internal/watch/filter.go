// Package watch turns file-system events into rebuild requests: fsnotify
// (or polling) on content/, the theme and the config, with the noise real
// editors and git make filtered out and bursts coalesced.
package watch

import (
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fsnotify/fsnotify"
)

// Batch is one rebuild's worth of changes.
type Batch struct {
	Paths  []string // content files, site-relative with forward slashes
	Config bool     // debrief.yaml changed: rebuild everything
	Theme  bool     // a theme file changed: rebuild everything
	Dirs   []string // new folders to watch (absolute)
	Rescan bool     // a folder appeared or went: walk content again
}

// Empty reports whether the batch asks for nothing.
func (b Batch) Empty() bool {
	return len(b.Paths) == 0 && !b.Config && !b.Theme && !b.Rescan
}

// IsEditorTemp reports whether a file name is an editor's or tool's
// temporary file: vim swap files and its 4913 probe, emacs lock and
// auto-save files, backups ending in ~, JetBrains and GNOME safe-write
// files, and .tmp files.
func IsEditorTemp(name string) bool {
	base := filepath.Base(name)
	switch {
	case base == "4913",
		strings.HasSuffix(base, "~"),
		strings.HasSuffix(base, ".swp"), strings.HasSuffix(base, ".swx"), strings.HasSuffix(base, ".swo"),
		strings.HasPrefix(base, ".#"),
		strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"),
		strings.HasSuffix(base, ".tmp"),
		strings.Contains(base, "jb_tmp___"), strings.Contains(base, "jb_old___"),
		strings.HasPrefix(base, ".goutputstream"),
		strings.HasSuffix(base, ".crswap"):
		return true
	}
	return false
}

// Filter turns raw events under root into a batch. It is a pure function of
// the events and of whether each path exists now (exists and isDir), so it
// is tested table-driven. CHMOD-only events, editor temp files, "ghost"
// events for paths already gone, and anything outside content/, the themes
// folder and debrief.yaml are dropped. content/ and themes/ themselves,
// created or removed while watched, are a rescan and a theme change: a
// folder made after start is watched from then on (Dirs).
func Filter(root string, events []fsnotify.Event, exists func(string) bool, isDir func(string) bool) Batch {
	var b Batch
	seen := map[string]bool{}
	for _, ev := range events {
		if ev.Op == fsnotify.Chmod {
			continue
		}
		if IsEditorTemp(ev.Name) {
			continue
		}
		gone := ev.Op.Has(fsnotify.Remove) || ev.Op.Has(fsnotify.Rename)
		if !gone && !exists(ev.Name) {
			continue // a ghost: created and gone again before we looked
		}
		rel, err := filepath.Rel(root, ev.Name)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		rel = filepath.ToSlash(rel)
		switch {
		case rel == "debrief.yaml":
			b.Config = true
		case rel == "content" || rel == "themes":
			// The folder itself, seen from the root's watch: made after
			// start (or made again after a delete), it has no watch yet.
			if ev.Op.Has(fsnotify.Create) && isDir(ev.Name) {
				b.Dirs = append(b.Dirs, ev.Name)
			} else if !gone {
				continue
			}
			if rel == "content" {
				b.Rescan = true
			} else {
				b.Theme = true
			}
		case strings.HasPrefix(rel, "themes/"):
			b.Theme = true
			if ev.Op.Has(fsnotify.Create) && isDir(ev.Name) {
				b.Dirs = append(b.Dirs, ev.Name)
			}
		case strings.HasPrefix(rel, "content/"):
			if ev.Op.Has(fsnotify.Create) && isDir(ev.Name) {
				b.Dirs = append(b.Dirs, ev.Name)
				b.Rescan = true
				continue
			}
			if strings.HasSuffix(strings.ToLower(rel), ".md") {
				if hidden(rel) {
					continue
				}
				if !seen[rel] {
					seen[rel] = true
					b.Paths = append(b.Paths, rel)
				}
			} else if gone {
				b.Rescan = true // perhaps a folder of incidents
			}
		}
	}
	slices.Sort(b.Paths)
	return b
}

// hidden reports whether a content path is one debrief skips (_ or . names).
func hidden(rel string) bool {
	for _, part := range strings.Split(path.Dir(rel), "/")[1:] {
		if strings.HasPrefix(part, "_") || strings.HasPrefix(part, ".") {
			return true
		}
	}
	base := path.Base(rel)
	return strings.HasPrefix(base, "_") || strings.HasPrefix(base, ".")
}
