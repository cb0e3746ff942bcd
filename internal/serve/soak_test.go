package serve

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/build"
	"github.com/debrief-ssg/debrief/internal/watch"
	"github.com/debrief-ssg/debrief/themes"
)

func openFiles() int {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(fds)
}

// TestSoak: 1,000 rapid saves while 100 clients fetch pages and hold reload
// streams for 30 s (5 s with -short). No request may fail, and afterwards
// goroutines and open files must be back where they started.
func TestSoak(t *testing.T) {
	duration := 30 * time.Second
	saves := 1000
	if testing.Short() {
		duration, saves = 5*time.Second, 200
	}
	dir := t.TempDir()
	for i, id := range []string{"a", "b", "c"} {
		write(t, filepath.Join(dir, "content", id+".md"), fmt.Sprintf("---\ntitle: Incident %s\ndate: 2024-01-0%d\nservices: [api]\n---\n- 10:00 Event %d.\n", id, i+1, i))
	}
	out := filepath.Join(dir, "public")
	srv := New(out, "127.0.0.1")
	ts := httptest.NewServer(srv)
	ctx, cancel := context.WithCancel(context.Background())
	built := make(chan struct{}, 1)
	d := &Dev{Session: build.NewSession(build.Options{Source: dir, Version: "soak", Theme: themes.Default}), Source: dir, Server: srv, Log: io.Discard,
		Watch: watch.Options{Quiet: 5 * time.Millisecond}, Built: func(*build.Result, error) {
			select {
			case built <- struct{}{}:
			default:
			}
		}}
	stopped := make(chan struct{})
	go func() { _ = d.Run(ctx); close(stopped) }()
	<-built
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	baseG, baseF := runtime.NumGoroutine(), openFiles()

	var requests, failures atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	pages := []string{"/", "/incidents/a/index.html", "/incidents/b/index.html", "/services/api/index.html", "/incidents.json", "/assets/style.css", "/search-index.js", "/nope"}
	for c := 0; c < 100; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
			sctx, scancel := context.WithCancel(ctx)
			defer scancel()
			req, _ := http.NewRequestWithContext(sctx, "GET", ts.URL+eventsPath, nil)
			if resp, err := client.Do(req); err != nil || resp.StatusCode != 200 {
				failures.Add(1)
			} else {
				go func() { _, _ = io.Copy(io.Discard, resp.Body); resp.Body.Close() }()
			}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				p := pages[(c+i)%len(pages)]
				resp, err := client.Get(ts.URL + p)
				requests.Add(1)
				if err != nil {
					failures.Add(1)
					t.Logf("GET %s: %v", p, err)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				want := 200
				if p == "/nope" {
					want = 404
				}
				if resp.StatusCode != want {
					failures.Add(1)
					t.Logf("GET %s: %d", p, resp.StatusCode)
				}
				time.Sleep(5 * time.Millisecond)
			}
		}(c)
	}
	start := time.Now()
	for i := 0; i < saves; i++ {
		write(t, filepath.Join(dir, "content", "a.md"), fmt.Sprintf("---\ntitle: Incident a\ndate: 2024-01-01\nservices: [api]\n---\n- 10:00 Save %d.\n", i))
		time.Sleep(duration / time.Duration(saves) / 2)
	}
	if left := duration - time.Since(start); left > 0 {
		time.Sleep(left)
	}
	close(stop)
	wg.Wait()
	t.Logf("%d requests, %d failed, over %s with %d saves", requests.Load(), failures.Load(), time.Since(start).Round(time.Second), saves)
	if failures.Load() > 0 {
		t.Errorf("%d requests failed", failures.Load())
	}
	// Streams end when their clients go; give the server a moment.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && (srv.Clients() > 0 || runtime.NumGoroutine() > baseG+5) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := srv.Clients(); n != 0 {
		t.Errorf("%d event streams still open", n)
	}
	if g := runtime.NumGoroutine(); g > baseG+5 {
		t.Errorf("goroutines grew from %d to %d", baseG, g)
	}
	if f := openFiles(); baseF >= 0 && f > baseF+10 {
		t.Errorf("open files grew from %d to %d", baseF, f)
	}
	cancel()
	<-stopped
	srv.Close()
	ts.Close()
}
