package build

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/debrief-ssg/debrief/themes"
)

// BenchmarkWatchMemory is a watch session's memory: its first build, then
// b.N changes to every file (a checkout), each a Build. It reports the
// heap left live after them (live-MB) and the most the heap ever took
// from the system (heap-sys-MB, about the peak). GOGC is the default, as
// in `debrief serve`.
func BenchmarkWatchMemory(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("incidents=%d", n), func(b *testing.B) {
			dir := benchCorpus(b, n)
			s := NewSession(Options{Source: dir, Out: filepath.Join(b.TempDir(), "out"), Version: "bench", Theme: themes.Default})
			if res, err := s.Build(Change{Full: true}); err != nil || res.Diags.HasErrors() {
				b.Fatal(err, res.Diags)
			}
			files, _ := contentFiles(dir)
			for b.Loop() {
				if res, err := s.Build(Change{Paths: files}); err != nil || res.Diags.HasErrors() {
					b.Fatal(err, res.Diags)
				}
			}
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			b.ReportMetric(float64(m.HeapAlloc>>20), "live-MB")
			b.ReportMetric(float64(m.HeapSys>>20), "heap-sys-MB")
			runtime.KeepAlive(s)
		})
	}
}
