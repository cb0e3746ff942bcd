package e2e

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/debrief-ssg/debrief/internal/build"
	"github.com/debrief-ssg/debrief/internal/serve"
	"github.com/debrief-ssg/debrief/internal/watch"
	"github.com/debrief-ssg/debrief/themes"
)

func devSite(t *testing.T) (dir, url string) {
	t.Helper()
	dir = t.TempDir()
	writeTo(t, filepath.Join(dir, "content", "a.md"), "---\ntitle: Alpha\ndate: 2024-01-01\n---\n## Timeline\n\n- 10:00 First version.\n")
	srv := serve.New(filepath.Join(dir, "public"), "127.0.0.1")
	ts := httptest.NewServer(srv)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	t.Cleanup(func() { cancel(); <-stopped; srv.Close(); ts.Close() })
	built := make(chan struct{}, 16)
	d := &serve.Dev{Session: build.NewSession(build.Options{Source: dir, Version: "test", Theme: themes.Default}), Source: dir, Server: srv, Log: io.Discard,
		Watch: watch.Options{Quiet: 20 * time.Millisecond}, Built: func(*build.Result, error) { built <- struct{}{} }}
	go func() { _ = d.Run(ctx); close(stopped) }()
	<-built
	time.Sleep(100 * time.Millisecond)
	return dir, ts.URL
}

func writeTo(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", js)
}

// An open page reloads when its incident is saved.
func TestBrowserLiveReload(t *testing.T) {
	dir, url := devSite(t)
	ctx, problems := browser(t)
	run(t, ctx, chromedp.Navigate(url+"/incidents/a/index.html"), controls)
	waitFor(t, ctx, `document.body.textContent.includes('First version.')`)
	js(t, ctx, `window.__marker = 1`)
	writeTo(t, filepath.Join(dir, "content", "a.md"), "---\ntitle: Alpha\ndate: 2024-01-01\n---\n## Timeline\n\n- 10:00 Second version.\n")
	waitFor(t, ctx, `document.body.textContent.includes('Second version.')`)
	if eval[bool](t, ctx, `window.__marker === 1`) {
		t.Error("the page changed without a reload")
	}
	if p := problems.take(); len(p) > 0 {
		t.Errorf("console: %v", p)
	}
}

// A broken save shows an overlay with the message and the lines around it;
// the next good save clears it.
func TestBrowserErrorOverlay(t *testing.T) {
	dir, url := devSite(t)
	ctx, _ := browser(t)
	run(t, ctx, chromedp.Navigate(url+"/incidents/a/index.html"), controls)
	time.Sleep(200 * time.Millisecond) // the event stream connects
	writeTo(t, filepath.Join(dir, "content", "a.md"), "---\ntitle: Alpha\ndate: not a date\n---\n## Timeline\n\n- 10:00 Broken.\n")
	waitFor(t, ctx, `!!document.getElementById('debrief-error')`)
	text := eval[string](t, ctx, `document.getElementById('debrief-error').textContent`)
	for _, want := range []string{`content/a.md:3:7: date "not a date"`, "3 > date: not a date", "last good site"} {
		if !strings.Contains(text, want) {
			t.Errorf("overlay lacks %q: %s", want, text)
		}
	}
	if !eval[bool](t, ctx, `document.body.textContent.includes('First version.')`) {
		t.Error("the last good page is gone")
	}
	writeTo(t, filepath.Join(dir, "content", "a.md"), "---\ntitle: Alpha\ndate: 2024-01-01\n---\n## Timeline\n\n- 10:00 Fixed version.\n")
	waitFor(t, ctx, `!document.getElementById('debrief-error') && document.body.textContent.includes('Fixed version.')`)
}
