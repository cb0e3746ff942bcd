package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/themes"
)

// benchSizes are the corpus sizes of the full-build benchmarks: 1,000 and
// 10,000 incidents, or DEBRIEF_BENCH_INCIDENTS alone when it is set (CI
// runs a small size as a smoke test).
func benchSizes() []int {
	if v, err := strconv.Atoi(os.Getenv("DEBRIEF_BENCH_INCIDENTS")); err == nil && v > 0 {
		return []int{v}
	}
	return []int{1000, 10000}
}

// benchCorpus generates a corpus of n incidents once per benchmark.
func benchCorpus(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "site")
	if err := corpus.Generate(dir, corpus.Options{N: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBuild is `debrief build` of a generated corpus, start to swap.
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("incidents=%d", n), func(b *testing.B) {
			dir := benchCorpus(b, n)
			out := filepath.Join(b.TempDir(), "out")
			b.ReportAllocs()
			for b.Loop() {
				res, err := Build(Options{Source: dir, Out: out, Version: "bench", Theme: themes.Default})
				if err != nil {
					b.Fatal(err)
				}
				if res.Diags.HasErrors() {
					b.Fatal(res.Diags)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/incident")
		})
	}
}
