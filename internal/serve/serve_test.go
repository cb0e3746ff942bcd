package serve

import (
	"bufio"
	"context"
	"io"
	"net/http"
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

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, url, host string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestServesOnlyTheOutputFolder(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	write(t, filepath.Join(out, "index.html"), "<html><body>home</body></html>")
	write(t, filepath.Join(out, "404.html"), "<html><body>not here</body></html>")
	write(t, filepath.Join(out, "assets", "style.css"), "body{}")
	write(t, filepath.Join(out, ".debrief-output.json"), "{}")
	write(t, filepath.Join(dir, "secret.txt"), "secret")
	srv := New(out, "127.0.0.1")
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()

	code, body, h := get(t, ts.URL+"/", "")
	if code != 200 || !strings.Contains(body, scriptTag+"\n</body>") || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Errorf("index: %d %q %v", code, body, h)
	}
	if code, _, h := get(t, ts.URL+"/assets/style.css", ""); code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/css") {
		t.Errorf("css: %d %v", code, h.Get("Content-Type"))
	}
	for _, p := range []string{"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets/../../secret.txt", "/.debrief-output.json", "/nope"} {
		code, body, _ := get(t, ts.URL+p, "")
		if code != 404 || strings.Contains(body, "secret") {
			t.Errorf("%s: %d %q", p, code, body)
		}
		if !strings.Contains(body, "not here") {
			t.Errorf("%s: not the site's 404 page: %q", p, body)
		}
	}
	// DNS rebinding: a page of evil.example that resolves to 127.0.0.1.
	for _, host := range []string{"evil.example", "evil.example:1313", "127.0.0.1.evil.example"} {
		if code, _, _ := get(t, ts.URL+"/", host); code != 403 {
			t.Errorf("Host %s: %d, want 403", host, code)
		}
	}
	for _, host := range []string{"localhost:1313", "127.0.0.1", "[::1]:1313"} {
		if code, _, _ := get(t, ts.URL+"/", host); code != 200 {
			t.Errorf("Host %s: %d, want 200", host, code)
		}
	}
	req, _ := http.NewRequest("POST", ts.URL+"/", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 405 {
		t.Errorf("POST: %v %v", resp, err)
	}
}

// events reads Server-Sent Events from url into a channel.
func events(t *testing.T, ctx context.Context, url string) <-chan [2]string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+eventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan [2]string, 16)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = line[7:]
			case strings.HasPrefix(line, "data: "):
				ch <- [2]string{name, line[6:]}
			}
		}
		close(ch)
	}()
	return ch
}

func next(t *testing.T, ch <-chan [2]string, want string) string {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("stream closed waiting for %s", want)
			}
			if ev[0] == want {
				return ev[1]
			}
		case <-timeout:
			t.Fatalf("no %s event", want)
		}
	}
}

// The whole loop: `serve` builds, an edit on disk is picked up by the
// watcher, rebuilt, and the page hears "reload" naming it — only after the
// new file is served. A broken save shows the error; the fix clears it.
func TestServeEditReloadAndError(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "content", "a.md"), "---\ntitle: Alpha\ndate: 2024-01-01\nsummary: Alpha went down.\n---\n- 10:00 First.\n")
	write(t, filepath.Join(dir, "content", "b.md"), "---\ntitle: Beta\ndate: 2024-01-02\n---\n- 10:00 Other.\n")
	out := filepath.Join(dir, "public")
	srv := New(out, "127.0.0.1")
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	built := make(chan *build.Result, 16)
	d := &Dev{Session: build.NewSession(build.Options{Source: dir, Version: "test", Theme: themes.Default}), Source: dir, Server: srv, Log: io.Discard,
		Watch: watch.Options{Quiet: 20 * time.Millisecond}, Built: func(r *build.Result, err error) { built <- r }}
	stopped := make(chan struct{})
	go func() { _ = d.Run(ctx); close(stopped) }()
	// Stop the loop, and wait for it, before the folder is removed.
	defer func() { cancel(); <-stopped }()
	<-built
	time.Sleep(100 * time.Millisecond) // let the watcher start
	stream := events(t, ctx, ts.URL)
	for srv.Clients() == 0 {
		time.Sleep(10 * time.Millisecond)
	}

	write(t, filepath.Join(dir, "content", "a.md"), "---\ntitle: Alpha\ndate: 2024-01-01\nsummary: Alpha went down.\n---\n- 10:00 Second version.\n")
	data := next(t, stream, "reload")
	if !strings.Contains(data, `"incidents/a/index.html"`) || strings.Contains(data, `"incidents/b/index.html"`) {
		t.Errorf("reload names %s", data)
	}
	if _, body, _ := get(t, ts.URL+"/incidents/a/index.html", ""); !strings.Contains(body, "Second version.") {
		t.Error("reload sent before the new page was served")
	}
	// The site-wide data follows once the files are quiet.
	data = next(t, stream, "reload")
	if !strings.Contains(data, `"incidents.json"`) {
		t.Errorf("second reload names %s", data)
	}
	if _, body, _ := get(t, ts.URL+"/incidents.json", ""); !strings.Contains(body, "Second version.") {
		t.Error("incidents.json not brought up to date")
	}

	write(t, filepath.Join(dir, "content", "a.md"), "---\ntitle: Alpha\ndate: someday\n---\n- 10:00 Broken.\n")
	data = next(t, stream, "build-error")
	if !strings.Contains(data, `content/a.md:3:7: date \"someday\"`) || !strings.Contains(data, `"here":true`) {
		t.Errorf("error event %s", data)
	}
	if _, body, _ := get(t, ts.URL+"/incidents/a/index.html", ""); !strings.Contains(body, "Second version.") {
		t.Error("the last good page is not served after a failed build")
	}
	// A page opened now still learns of the error.
	late := events(t, ctx, ts.URL)
	next(t, late, "build-error")

	write(t, filepath.Join(dir, "content", "a.md"), "---\ntitle: Alpha\ndate: 2024-01-01\n---\n- 10:00 Fixed.\n")
	next(t, stream, "build-ok")
	next(t, stream, "reload")
}
