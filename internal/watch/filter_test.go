package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

func TestFilter(t *testing.T) {
	root := "/site"
	existing := map[string]bool{
		"/site/content/a.md": true, "/site/content/b.md": true, "/site/content/new": true,
		"/site/debrief.yaml": true, "/site/themes/default/layouts/incident.html": true, "/site/public/index.html": true,
		"/site/content/a.md~": true, "/site/content/.a.md.swp": true, "/site/content/4913": true,
		"/site/content": true, "/site/themes": true, "/site/themes/default": true, "/site/contents": true,
	}
	dirs := map[string]bool{"/site/content/new": true, "/site/content": true, "/site/themes": true, "/site/themes/default": true, "/site/contents": true}
	exists := func(p string) bool { return existing[p] }
	isDir := func(p string) bool { return dirs[p] }
	ev := func(name string, op fsnotify.Op) fsnotify.Event { return fsnotify.Event{Name: name, Op: op} }
	tests := []struct {
		name   string
		events []fsnotify.Event
		want   string
	}{
		{"a save", []fsnotify.Event{ev("/site/content/a.md", fsnotify.Write)}, "paths=content/a.md"},
		{"chmod only is dropped", []fsnotify.Event{ev("/site/content/a.md", fsnotify.Chmod)}, ""},
		{"editor temp files are dropped", []fsnotify.Event{ev("/site/content/a.md~", fsnotify.Create), ev("/site/content/.a.md.swp", fsnotify.Write), ev("/site/content/4913", fsnotify.Create), ev("/site/content/.#a.md", fsnotify.Create), ev("/site/content/a.md.jb_tmp___", fsnotify.Create), ev("/site/content/.goutputstream-XYZ", fsnotify.Create)}, ""},
		{"atomic rename-save: the temp goes, the target is written", []fsnotify.Event{ev("/site/content/.a.md.swp", fsnotify.Rename), ev("/site/content/a.md", fsnotify.Create)}, "paths=content/a.md"},
		{"ghost: created and gone", []fsnotify.Event{ev("/site/content/ghost.md", fsnotify.Create), ev("/site/content/ghost.md", fsnotify.Write)}, ""},
		{"removal is kept", []fsnotify.Event{ev("/site/content/gone.md", fsnotify.Remove)}, "paths=content/gone.md"},
		{"rename keeps both names", []fsnotify.Event{ev("/site/content/old.md", fsnotify.Rename), ev("/site/content/b.md", fsnotify.Create)}, "paths=content/b.md,content/old.md"},
		{"a burst is one batch, each path once", []fsnotify.Event{ev("/site/content/a.md", fsnotify.Write), ev("/site/content/a.md", fsnotify.Write), ev("/site/content/b.md", fsnotify.Create)}, "paths=content/a.md,content/b.md"},
		{"new folder: watch it and rescan", []fsnotify.Event{ev("/site/content/new", fsnotify.Create)}, "dirs=1 rescan"},
		{"config", []fsnotify.Event{ev("/site/debrief.yaml", fsnotify.Write)}, "config"},
		{"theme", []fsnotify.Event{ev("/site/themes/default/layouts/incident.html", fsnotify.Write)}, "theme"},
		{"the output folder is ignored", []fsnotify.Event{ev("/site/public/index.html", fsnotify.Write)}, ""},
		{"non-Markdown content is ignored", []fsnotify.Event{ev("/site/content/notes.txt", fsnotify.Write)}, ""},
		{"content/ made after start (or again after a delete): watch it, rescan", []fsnotify.Event{ev("/site/content", fsnotify.Create)}, "dirs=1 rescan"},
		{"content/ deleted: rescan", []fsnotify.Event{ev("/site/content", fsnotify.Remove)}, "rescan"},
		{"content/ renamed away: rescan", []fsnotify.Event{ev("/site/content", fsnotify.Rename)}, "rescan"},
		{"content/ deleted and made again in one burst", []fsnotify.Event{ev("/site/content/a.md", fsnotify.Remove), ev("/site/content", fsnotify.Remove), ev("/site/content", fsnotify.Create), ev("/site/content/a.md", fsnotify.Create)}, "paths=content/a.md dirs=1 rescan"},
		{"themes/ made after start: watch it, theme", []fsnotify.Event{ev("/site/themes", fsnotify.Create)}, "dirs=1 theme"},
		{"themes/ deleted: theme", []fsnotify.Event{ev("/site/themes", fsnotify.Remove)}, "theme"},
		{"a theme made in themes/: watch it, theme", []fsnotify.Event{ev("/site/themes/default", fsnotify.Create)}, "dirs=1 theme"},
		{"a write to the content folder's own entry is nothing", []fsnotify.Event{ev("/site/content", fsnotify.Write)}, ""},
		{"a folder named like content is not content", []fsnotify.Event{ev("/site/contents", fsnotify.Create)}, ""},
		{"a hidden draft folder is ignored", []fsnotify.Event{ev("/site/content/_drafts/x.md", fsnotify.Remove)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Filter(root, tt.events, exists, isDir)
			var got []string
			if len(b.Paths) > 0 {
				got = append(got, "paths="+strings.Join(b.Paths, ","))
			}
			if len(b.Dirs) > 0 {
				got = append(got, "dirs=1")
			}
			if b.Rescan {
				got = append(got, "rescan")
			}
			if b.Config {
				got = append(got, "config")
			}
			if b.Theme {
				got = append(got, "theme")
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("got %q, want %q", s, tt.want)
			}
		})
	}
}

// The real watcher: a save, a new sub-folder with a file, and a burst of
// files each arrive as batches; the burst is coalesced.
func TestWatchRealFiles(t *testing.T) {
	for _, mode := range []string{"fsnotify", "poll"} {
		t.Run(mode, func(t *testing.T) {
			root := t.TempDir()
			mustWrite(t, filepath.Join(root, "content", "a.md"), "x")
			opts := Options{Quiet: 30 * time.Millisecond, MaxWait: 2 * time.Second}
			if mode == "poll" {
				opts.Poll = 20 * time.Millisecond
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			out := make(chan Batch, 16)
			go func() { _ = Watch(ctx, root, opts, out, nil) }()
			time.Sleep(100 * time.Millisecond)
			next := func() Batch {
				select {
				case b := <-out:
					return b
				case <-time.After(5 * time.Second):
					t.Fatal("no batch")
				}
				return Batch{}
			}
			mustWrite(t, filepath.Join(root, "content", "a.md"), "y")
			if b := next(); !slices.Contains(b.Paths, "content/a.md") {
				t.Errorf("save: %+v", b)
			}
			// A new sub-folder, then a file in it.
			if err := os.MkdirAll(filepath.Join(root, "content", "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			time.Sleep(150 * time.Millisecond)
			drain(out)
			mustWrite(t, filepath.Join(root, "content", "sub", "b.md"), "z")
			got := false
			for deadline := time.Now().Add(3 * time.Second); !got && time.Now().Before(deadline); {
				b := next()
				got = slices.Contains(b.Paths, "content/sub/b.md")
			}
			if !got {
				t.Error("file in a new sub-folder not seen")
			}
			// A burst of 200 files arrives as few batches, not 200.
			drain(out)
			for i := 0; i < 200; i++ {
				mustWrite(t, filepath.Join(root, "content", fmt.Sprintf("burst%03d.md", i)), "b")
			}
			seen, batches := 0, 0
			for seen < 200 {
				b := next()
				batches++
				seen += len(b.Paths)
			}
			if batches > 5 {
				t.Errorf("200 files came as %d batches", batches)
			}
		})
	}
}

// Folders made after start: a theme added to a site that had none (the
// README's way to override one file of it), and content/ deleted and made
// again, are watched from then on; a later save in each is seen.
func TestWatchFoldersMadeAfterStart(t *testing.T) {
	for _, mode := range []string{"fsnotify", "poll"} {
		t.Run(mode, func(t *testing.T) {
			root := t.TempDir()
			mustWrite(t, filepath.Join(root, "content", "a.md"), "x")
			opts := Options{Quiet: 30 * time.Millisecond, MaxWait: 2 * time.Second}
			if mode == "poll" {
				opts.Poll = 20 * time.Millisecond
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			out := make(chan Batch, 16)
			go func() { _ = Watch(ctx, root, opts, out, nil) }()
			time.Sleep(100 * time.Millisecond)
			// until waits for a batch that ok accepts.
			until := func(what string, ok func(Batch) bool) {
				t.Helper()
				deadline := time.After(5 * time.Second)
				for {
					select {
					case b := <-out:
						if ok(b) {
							return
						}
					case <-deadline:
						t.Fatalf("%s: not seen", what)
					}
				}
			}
			theme := func(b Batch) bool { return b.Theme }
			style := filepath.Join(root, "themes", "default", "assets", "style.css")
			mustWrite(t, style, "body{color:red}")
			until("a theme made after start", theme)
			drain(out)
			mustWrite(t, style, "body{color:blue}")
			until("a save in a theme made after start", theme)

			if err := os.RemoveAll(filepath.Join(root, "content")); err != nil {
				t.Fatal(err)
			}
			until("content/ deleted", func(b Batch) bool { return b.Rescan || slices.Contains(b.Paths, "content/a.md") })
			drain(out)
			mustWrite(t, filepath.Join(root, "content", "a.md"), "y")
			until("content/ made again", func(b Batch) bool { return b.Rescan || slices.Contains(b.Paths, "content/a.md") })
			drain(out)
			mustWrite(t, filepath.Join(root, "content", "a.md"), "z")
			until("a save in content/ made again", func(b Batch) bool { return slices.Contains(b.Paths, "content/a.md") })
		})
	}
}

func drain(ch chan Batch) {
	for {
		select {
		case <-ch:
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}

func mustWrite(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
