package can_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/site"
)

// BenchmarkEachAsOf is the report as of every entry, as an incident page
// embeds them, over 200 generated incidents (their lines already made:
// each sentence's line is made once per build, not per report).
func BenchmarkEachAsOf(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Generate(dir, corpus.Options{N: 200, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "content", "incidents", "*", "*.md"))
	cfg := config.Default()
	md := markdown.New(false)
	type log struct {
		a     *can.Analysis
		times []time.Time
	}
	var logs []log
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		ci, _ := content.Parse(f, data, cfg)
		inc, _ := site.Analyse(ci, md, cfg)
		var times []time.Time
		for _, e := range inc.Timeline.Entries {
			times = append(times, e.At)
		}
		logs = append(logs, log{inc.Analysis, times})
	}
	opts := can.Options{MaxLines: 5, MaxWords: 120}
	lines := 0
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range logs {
			l.a.EachAsOfLines(l.times, opts, func(_ int, r *can.Report, _ [3][]*can.Sentence) {
				lines += len(r.Conditions) + len(r.Actions) + len(r.Needs)
			})
		}
	}
	if lines == 0 {
		b.Fatal("no report had a line")
	}
}
