package serve

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/build"
	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/internal/watch"
	"github.com/debrief-ssg/debrief/themes"
)

// BenchmarkSaveToServed measures what an author waits for: from writing a
// file to the server answering with the new page, through fsnotify, the
// debounce, the incremental rebuild and the write. It reports the median
// and 90th percentile. The corpus size is DEBRIEF_BENCH_INCIDENTS (default
// 1000); run with -benchtime=20x.
func BenchmarkSaveToServed(b *testing.B) {
	b.Run("example", func(b *testing.B) {
		dir := b.TempDir()
		copyTree(b, "../../content", filepath.Join(dir, "content"))
		benchSave(b, dir, "content/incidents/2024-03-14-metadata-script-failure.md", "incidents/inc-2024-034/index.html", addEntry, nil)
	})
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("DEBRIEF_BENCH_INCIDENTS")); err == nil && v > 0 {
		n = v
	}
	// Each edit of one generated incident, on a corpus of its own.
	const file, page = "content/incidents/000/gen-000007.md", "incidents/gen-000007/index.html"
	for _, c := range []struct {
		name string
		edit func(orig, marker string) string
		gap  func(i int) time.Duration // from one save to the next; nil: at once
	}{
		{"", addEntry, nil},
		// An auto-saving editor: saves 0.3-1 s apart, so most land while
		// the lists of the one before are being brought up to date.
		{"-autosave", addEntry, func(i int) time.Duration {
			return 300*time.Millisecond + time.Duration(i*7919%701)*time.Millisecond
		}},
		// A new title shows on other pages and lists, which follow the page.
		{"-title", func(orig, marker string) string {
			return strings.Replace(orig, "title: ", "title: Retitled "+marker+" ", 1)
		}, nil},
		// An action item counts on the index, which follows the page too.
		{"-action-item", func(orig, marker string) string {
			return strings.Replace(orig, "action_items:\n  - {title: ", "action_items:\n  - {title: "+marker+" ", 1)
		}, nil},
	} {
		b.Run(fmt.Sprintf("corpus-%d%s", n, c.name), func(b *testing.B) {
			dir := b.TempDir()
			if err := corpus.Generate(dir, corpus.Options{N: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			benchSave(b, dir, file, page, c.edit, c.gap)
		})
	}
}

// addEntry is the edit of a body: one more timeline entry.
func addEntry(orig, marker string) string {
	return strings.Replace(orig, "## Timeline\n\n", "## Timeline\n\n- 23:59 Edited "+marker+".\n", 1)
}

func benchSave(b *testing.B, dir, file, page string, edit func(orig, marker string) string, gap func(int) time.Duration) {
	srv := New(filepath.Join(dir, "public"), "127.0.0.1")
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	built := make(chan *build.Result, 64)
	d := &Dev{Session: build.NewSession(build.Options{Source: dir, Version: "bench", Theme: themes.Default}), Source: dir, Server: srv, Log: io.Discard,
		Watch: watch.Options{Quiet: 10 * time.Millisecond}, Built: func(r *build.Result, err error) { built <- r }}
	stopped := make(chan struct{})
	go func() { _ = d.Run(ctx); close(stopped) }()
	// Stop the loop, and wait for it, before the folder is removed.
	defer func() { cancel(); <-stopped }()
	first := <-built
	if first.Diags.HasErrors() {
		b.Fatal(first.Diags)
	}
	time.Sleep(200 * time.Millisecond)
	orig, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	var rebuild []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		marker := fmt.Sprintf("marker-%d-%d", i, time.Now().UnixNano())
		body := edit(string(orig), marker)
		start := time.Now()
		if err := os.WriteFile(filepath.Join(dir, file), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
		for {
			resp, err := http.Get(ts.URL + "/" + page)
			if err != nil {
				b.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(got), marker) {
				break
			}
			if time.Since(start) > 60*time.Second {
				b.Fatal("page never updated")
			}
			time.Sleep(time.Millisecond)
		}
		lat = append(lat, time.Since(start))
		if gap != nil {
			time.Sleep(time.Until(start.Add(gap(i))))
		}
		for len(built) > 0 {
			if r := <-built; r != nil {
				rebuild = append(rebuild, r.Elapsed)
			}
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	slices.Sort(rebuild)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(lat[(len(lat)*9)/10].Microseconds())/1000, "p90-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	if len(rebuild) > 0 {
		b.ReportMetric(float64(rebuild[len(rebuild)/2].Microseconds())/1000, "rebuild-median-ms")
	}
}

func copyTree(b *testing.B, from, to string) {
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(to, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
}
