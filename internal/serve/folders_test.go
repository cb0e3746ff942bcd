package serve

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/build"
	"github.com/debrief-ssg/debrief/internal/watch"
	"github.com/debrief-ssg/debrief/themes"
)

// The README's way to override one file of the theme works while serving
// a site that had no themes/ folder, and content/ deleted and made again
// is watched again: both are served without a restart.
func TestServeFoldersMadeAfterStart(t *testing.T) {
	dir := t.TempDir()
	incident := func(text string) string {
		return "---\ntitle: Alpha\ndate: 2024-01-01\n---\n- 10:00 " + text + "\n"
	}
	write(t, filepath.Join(dir, "content", "a.md"), incident("First."))
	srv := New(filepath.Join(dir, "public"), "127.0.0.1")
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	built := make(chan *build.Result, 64)
	d := &Dev{Session: build.NewSession(build.Options{Source: dir, Version: "test", Theme: themes.Default}), Source: dir, Server: srv, Log: io.Discard,
		Watch: watch.Options{Quiet: 20 * time.Millisecond}, Settle: 50 * time.Millisecond, Built: func(r *build.Result, err error) { built <- r }}
	stopped := make(chan struct{})
	go func() { _ = d.Run(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()
	<-built
	time.Sleep(100 * time.Millisecond) // let the watcher start
	served := func(what, path, want string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if _, body, _ := get(t, ts.URL+path, ""); strings.Contains(body, want) {
				return
			}
		}
		t.Fatalf("%s: %s never served %q", what, path, want)
	}

	write(t, filepath.Join(dir, "themes", "default", "assets", "style.css"), "/* site override 1 */")
	served("a theme folder made after start", "/assets/style.css", "site override 1")
	write(t, filepath.Join(dir, "themes", "default", "assets", "style.css"), "/* site override 2 */")
	served("a save in it", "/assets/style.css", "site override 2")

	if err := os.RemoveAll(filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	write(t, filepath.Join(dir, "content", "a.md"), incident("Made again."))
	served("content/ made again", "/incidents/a/index.html", "Made again.")
	write(t, filepath.Join(dir, "content", "a.md"), incident("Saved after."))
	served("a save in content/ made again", "/incidents/a/index.html", "Saved after.")
}
