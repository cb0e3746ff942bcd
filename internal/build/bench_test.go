package build

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/render"
	"github.com/debrief-ssg/debrief/internal/site"
	"github.com/debrief-ssg/debrief/internal/timeline"
	"github.com/debrief-ssg/debrief/themes"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
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

// stageInput is a generated corpus read into memory, for the stage
// benchmarks: each times one stage of the pipeline on every file.
type stageInput struct {
	dir   string
	cfg   config.Config
	md    goldmark.Markdown
	files []string
	data  [][]byte
}

func loadStageInput(b *testing.B, n int) *stageInput {
	b.Helper()
	in := &stageInput{dir: benchCorpus(b, n)}
	in.cfg, _ = config.Load(in.dir)
	in.md = markdown.New(false)
	in.files, _ = contentFiles(in.dir)
	for _, f := range in.files {
		d, err := os.ReadFile(filepath.Join(in.dir, filepath.FromSlash(f)))
		if err != nil {
			b.Fatal(err)
		}
		in.data = append(in.data, d)
	}
	return in
}

// perIncident reports the time of one loop over the corpus per incident.
func perIncident(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n)/1e3, "µs/incident")
}

// BenchmarkStage times each stage on its own, run as the build runs it
// (rendering and related scoring on every core), at the sizes of
// BenchmarkBuild: parse (front matter and Markdown), timeline (extraction
// from the parsed tree), CAN (classifying every sentence), related
// (assembling the site: ids, links, related scoring, taxonomies), render
// (every output to memory), write (every output to a new staging folder)
// and rewrite (the same outputs over the last build: linked, not written).
func BenchmarkStage(b *testing.B) {
	for _, n := range benchSizes() {
		in := loadStageInput(b, n)
		contents := func(b *testing.B) []*content.Incident {
			var out []*content.Incident
			for i, f := range in.files {
				ci, ds := content.Parse(f, in.data[i], in.cfg)
				if ci == nil || ds.HasErrors() {
					b.Fatal(ds)
				}
				out = append(out, ci)
			}
			return out
		}
		b.Run(fmt.Sprintf("parse/incidents=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for i, f := range in.files {
					ci, _ := content.Parse(f, in.data[i], in.cfg)
					markdown.Parse(in.md, ci.Body)
				}
			}
			perIncident(b, n)
		})
		b.Run(fmt.Sprintf("timeline/incidents=%d", n), func(b *testing.B) {
			cis := contents(b)
			type parsed struct {
				blocks []ast.Node
				src    []byte
				opts   timeline.Options
			}
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				var ps []parsed
				for _, ci := range cis {
					doc := markdown.Parse(in.md, ci.Body)
					for _, s := range markdown.Sections(doc, ci.Body) {
						if strings.EqualFold(strings.TrimSpace(s.Title), "timeline") {
							ps = append(ps, parsed{s.Blocks, ci.Body, timeline.Options{Path: ci.Path, BodyLine: ci.BodyLine, Day: ci.Date, Location: ci.Location, People: ci.People()}})
						}
					}
				}
				b.StartTimer()
				for _, p := range ps {
					timeline.Extract(p.blocks, p.src, true, p.opts)
				}
			}
			perIncident(b, n)
		})
		b.Run(fmt.Sprintf("can/incidents=%d", n), func(b *testing.B) {
			var outlined []*site.Incident
			for _, ci := range contents(b) {
				inc, _ := site.Outline(ci, in.md, in.cfg)
				outlined = append(outlined, inc)
			}
			b.ReportAllocs()
			for b.Loop() {
				for _, inc := range outlined {
					can.Analyse(inc.Timeline.Entries, can.Terms{Impact: inc.Services, Other: inc.Components})
				}
			}
			perIncident(b, n)
		})
		var analysed []*site.Incident
		for _, ci := range contents(b) {
			inc, _ := site.Analyse(ci, in.md, in.cfg)
			analysed = append(analysed, inc)
		}
		b.Run(fmt.Sprintf("related/incidents=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ds := site.New(slices.Clone(analysed), in.cfg); ds.HasErrors() {
					b.Fatal(ds)
				}
			}
			perIncident(b, n)
		})
		st, _ := site.New(slices.Clone(analysed), in.cfg)
		theme, err := render.LoadTheme(in.dir, in.cfg.Theme, themes.Default)
		if err != nil {
			b.Fatal(err)
		}
		r := &render.Renderer{Theme: theme, MD: in.md, Version: "bench"}
		var outs []render.Output
		b.Run(fmt.Sprintf("render/incidents=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				outs = outs[:0]
				if _, err := r.RenderTo(st, nil, func(o render.Output) error { outs = append(outs, o); return nil }); err != nil {
					b.Fatal(err)
				}
			}
			perIncident(b, n)
		})
		stage := func(out string) {
			stg, err := newStager(Options{Out: out, Source: in.dir})
			if err != nil {
				b.Fatal(err)
			}
			for _, o := range outs {
				if err := stg.put(o); err != nil {
					b.Fatal(err)
				}
			}
			if err := stg.commit(); err != nil {
				b.Fatal(err)
			}
		}
		// Every output written into a new folder, as a first build does.
		b.Run(fmt.Sprintf("write/incidents=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				stage(filepath.Join(dir, strconv.Itoa(i)))
			}
			perIncident(b, n)
		})
		// The same outputs again over the last build: each file compared
		// and linked, not written.
		b.Run(fmt.Sprintf("rewrite/incidents=%d", n), func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "out")
			stage(out)
			b.ReportAllocs()
			for b.Loop() {
				stage(out)
			}
			perIncident(b, n)
		})
	}
}

// BenchmarkTitleEdit is a watch session's rebuild after an edit other
// pages show (a title): related incidents are scored again, and every page
// showing the title is rendered again. Body edits take the fast path,
// measured by BenchmarkSaveToServed in internal/serve.
func BenchmarkTitleEdit(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("incidents=%d", n), func(b *testing.B) {
			dir := benchCorpus(b, n)
			s := NewSession(Options{Source: dir, Out: filepath.Join(b.TempDir(), "out"), Version: "bench", Theme: themes.Default})
			if res, err := s.Build(Change{Full: true}); err != nil || res.Diags.HasErrors() {
				b.Fatal(err, res.Diags)
			}
			file := "content/incidents/000/gen-000007.md"
			orig, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				i++
				body := strings.Replace(string(orig), "title: ", "title: Edited "+strconv.Itoa(i)+" ", 1)
				if err := os.WriteFile(filepath.Join(dir, file), []byte(body), 0o644); err != nil {
					b.Fatal(err)
				}
				res, err := s.Build(Change{Paths: []string{file}})
				if err != nil || res.Diags.HasErrors() {
					b.Fatal(err, res.Diags)
				}
				if res.Rendered < 2 {
					b.Fatalf("a title edit rendered %d outputs", res.Rendered)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/edit")
		})
	}
}
