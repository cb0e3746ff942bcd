// Package build is the pipeline: read content, analyse it, assemble the site,
// render, then write into a staging folder and swap it in only when the
// whole build succeeded.
package build

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/render"
	"github.com/debrief-ssg/debrief/internal/site"
	"github.com/yuin/goldmark"
)

// MarkerFile marks an output folder as debrief's; it also holds the
// manifest of which inputs each output was made from.
const MarkerFile = ".debrief-output.json"

// Options configure a build.
type Options struct {
	Source  string // the site folder, holding content/
	Out     string // output folder; default Source/public
	BaseURL string // overrides the config's
	Drafts  bool
	Force   bool
	Version string
	Theme   fs.FS // the embedded themes (holding default/)
	// Progress, if set, is told how many content files are read so far.
	Progress func(done, total int)
	// Sized, if set, is told how many content files a build is about to
	// read and how many bytes they hold: a one-shot build's memory limit
	// follows the size of the site (cmd/debrief).
	Sized func(files int, bytes int64)

	// wrote, in tests, is called after each staged file: it lets a test
	// kill a build mid-write.
	wrote func(path string)
	// swapping, in tests, is called mid-swap, once the output is out of
	// the way: it lets a test kill a build there.
	swapping func()
	// noExchange, in tests, swaps by two renames as where the system has
	// no atomic exchange.
	noExchange bool
	// outlines, in tests, overrides outlineBudget when positive; negative
	// keeps none.
	outlines int64
	// read, in tests, reads content files instead of readSource: it lets
	// a test fail a read, which root's cannot.
	read func(name string) ([]byte, error)
	// mkdirTemp, in tests, makes the staging folder instead of
	// os.MkdirTemp: it lets a test fail it, which root's cannot.
	mkdirTemp func(dir, pattern string) (string, error)
}

// outlineBudget is how much memory a one-shot build spends on keeping
// outlines whole (see loadAll): up to it, a page renders from what was
// read first instead of reading and parsing its file again; beyond it,
// incidents are slimmed, so memory stays flat on any size of site.
// It is none: with the collector allowing three times the live heap
// (cmd/debrief), each MiB kept costs three of peak, and 128 MiB (about
// 2,000 incidents) saved an eighth of the CPU at 1,000 incidents for three
// times the peak, past half of Hugo's (docs/decisions.md). Tests set other budgets (Options.outlines).
const outlineBudget = 0

// outlineCost estimates the memory an outline holds per byte of its
// body: parse tree, timeline, lines (measured: 63 KB for a 4.6 KB file).
const outlineCost = 14

// Result reports what a build did.
type Result struct {
	Config    config.Config
	Site      *site.Site
	Diags     diag.List
	Outputs   []render.Output
	Written   int
	Unchanged int      // outputs of a full build kept from the last, byte for byte
	Rendered  int      // outputs rendered (an incremental build renders fewer)
	Removed   int      // outputs deleted because their source is gone
	Changed   []string // outputs written or removed, for live reload
	Incidents int
	Pages     int
	Elapsed   time.Duration
}

// Manifest records, for each output, the content files it depends on, so an
// incremental build can tell which outputs an edit touches.
type Manifest struct {
	Generator string              `json:"generator"`
	Outputs   map[string][]string `json:"outputs"`
}

// Affected returns the outputs that depend on the content file changed.
func (m Manifest) Affected(changed string) []string {
	var out []string
	for o, deps := range m.Outputs {
		if slices.Contains(deps, changed) || slices.Contains(deps, "*") {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return out
}

// Load reads and analyses every content file of a site. It never stops at
// the first problem: all diagnostics come back together.
func Load(opts Options) (config.Config, []*site.Incident, diag.List) {
	cfg, ds := config.Load(opts.Source)
	if opts.BaseURL != "" {
		cfg.BaseURL = opts.BaseURL
	}
	files, fds := contentFiles(opts.Source)
	ds = append(ds, fds...)
	md := markdown.New(cfg.UnsafeHTML)

	results := loadAll(opts, files, cfg, md, false)
	var incs []*site.Incident
	for _, r := range results {
		ds = append(ds, r.diags...)
		if r.inc != nil && (!r.inc.Draft || opts.Drafts) {
			incs = append(incs, r.inc)
		}
	}
	return cfg, incs, ds
}

// loadAll reads and analyses files on every core, telling opts.Progress as
// it goes.
// With slim, files are sketched where they can be (site.Sketch), else
// outlined (site.Outline); each outline is kept whole while the outlines
// kept fit in the budget (outlineBudget), then slimmed (see
// site.Incident.Slim).
func loadAll(opts Options, files []string, cfg config.Config, md goldmark.Markdown, slim bool) []*fileState {
	results := make([]*fileState, len(files))
	var done atomic.Int64
	var budget atomic.Int64
	budget.Store(outlineBudget)
	if opts.outlines > 0 {
		budget.Store(opts.outlines)
	}
	read := readSource
	if opts.read != nil {
		read = opts.read
	}
	var wg sync.WaitGroup
	work := make(chan int)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				how := analyseAll
				switch {
				case slim && opts.Drafts:
					how = sketchOrOutlineDrafts
				case slim:
					how = sketchOrOutline
				}
				inc, d := loadFile(opts.Source, files[i], cfg, md, how, read)
				if slim && inc != nil && inc.Type != content.TypePage && !inc.Sketched() {
					if cost := int64(outlineCost * len(inc.Body)); budget.Add(-cost) < 0 {
						budget.Add(cost)
						inc.Slim()
					}
				}
				results[i] = &fileState{inc: inc, diags: d}
				if opts.Progress != nil {
					opts.Progress(int(done.Add(1)), len(files))
				}
			}
		}()
	}
	for i := range files {
		work <- i
	}
	close(work)
	wg.Wait()
	return results
}

// LoadFile reads and analyses one content file; rel is site-relative.
func LoadFile(source, rel string, cfg config.Config, md goldmark.Markdown) (inc *site.Incident, ds diag.List) {
	return loadFile(source, rel, cfg, md, analyseAll, readSource)
}

// analysis is how far a file is analysed when it is read.
type analysis int

const (
	// analyseAll is the whole analysis (site.Analyse).
	analyseAll analysis = iota
	// sketchOrOutline is a one-shot build's first reading: a sketch
	// (site.Sketch) of an incident that parsed cleanly, else an outline
	// (site.Outline). A sketch's body is analysed only for its page, so
	// it is never made of a page (type: page), or of a draft with no
	// page: its diagnostics would never be found.
	sketchOrOutline
	// sketchOrOutlineDrafts is sketchOrOutline when drafts have pages.
	sketchOrOutlineDrafts
)

// loadFile is LoadFile, analysing as far as how goes.
func loadFile(source, rel string, cfg config.Config, md goldmark.Markdown, how analysis, read func(string) ([]byte, error)) (inc *site.Incident, ds diag.List) {
	// A bug of ours on a strange file must cost that file, not the build.
	defer func() {
		if r := recover(); r != nil {
			inc = nil
			ds = append(ds, diag.Diagnostic{Path: rel, Line: 1, Col: 1, Msg: fmt.Sprintf("internal error reading this file (please report it): %v", r)})
		}
	}()
	data, err := read(filepath.Join(source, filepath.FromSlash(rel)))
	if err != nil {
		var ds diag.List
		ds.Errorf(rel, 0, 0, "reading: %v", unwrapPath(err))
		return placeholder(rel, nil, cfg, md), ds
	}
	ci, ds := content.Parse(rel, data, cfg)
	// A file with errors still takes part when its id and title are known,
	// so one bad field does not also break every link to it; the build
	// stops on its errors anyway. Else it stands in the site as a
	// placeholder, for the same reason.
	if ci == nil || ds.HasErrors() && (ci.ID == "" || ci.Title == "") {
		return placeholder(rel, ci, cfg, md), ds
	}
	if how == analyseAll {
		inc, ads := site.Analyse(ci, md, cfg)
		inc.SourceHash = sha256.Sum256(data)
		return inc, append(append(ds, ads...), checkYears(inc)...)
	}
	// A file with errors is outlined: its diagnostics now, as the build
	// stops on them.
	if ci.Type != content.TypePage && (!ci.Draft || how == sketchOrOutlineDrafts) && !ds.HasErrors() {
		if inc, ok := site.Sketch(ci, md); ok {
			inc.SourceHash = sha256.Sum256(data)
			inc.Slim()
			return inc, ds
		}
	}
	inc, ads := site.Outline(ci, md, cfg)
	inc.SourceHash = sha256.Sum256(data)
	return inc, append(append(ds, ads...), checkYears(inc)...)
}

// placeholder stands for a file whose errors leave too little of it to
// analyse (it cannot be read, is not text, or has no front matter, id or
// title that can be read): it has the file's id, or its file name's, and
// takes part in the site only so that links to it resolve (see
// site.NewScored) and its errors are the only ones it costs. nil when it
// has no id either.
func placeholder(rel string, ci *content.Incident, cfg config.Config, md goldmark.Markdown) *site.Incident {
	p := &content.Incident{Path: rel, Type: content.TypeIncident, Location: cfg.Location}
	if ci != nil {
		p.ID, p.Title, p.Type = ci.ID, ci.Title, ci.Type
	}
	if p.ID == "" {
		p.ID = strings.TrimSuffix(path.Base(rel), ".md")
	}
	if !markdown.IDPattern.MatchString(p.ID) {
		return nil
	}
	if p.Title == "" {
		p.Title = p.ID
	}
	p.Placeholder = true
	inc, _ := site.Outline(p, md, cfg)
	return inc
}

// reanalyse analyses a slimmed incident's file again, for its page. The
// front matter was parsed on the first reading: only the body is analysed,
// found again by its length once the file is known unchanged. A sketch's
// body (site.Sketch) is analysed for the first time: ds holds what that
// found, errors too (full is not to be rendered then). Any other file was
// analysed without errors on the first reading: an error now means it
// changed, and is err.
func reanalyse(source string, inc *site.Incident, cfg config.Config, md goldmark.Markdown) (full *site.Incident, ds diag.List, err error) {
	changed := errors.New("the file changed while the site was being built; build again")
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("internal error reading this file (please report it): %v", r)
			if inc.Sketched() {
				full, ds, err = nil, diag.List{{Path: inc.Path, Line: 1, Col: 1, Msg: msg}}, nil
				return
			}
			full, ds, err = nil, nil, errors.New(msg)
		}
	}()
	data, err := readSource(filepath.Join(source, filepath.FromSlash(inc.Path)))
	if err != nil || sha256.Sum256(data) != inc.SourceHash {
		return nil, nil, changed
	}
	data = content.Normalize(data)
	if inc.BodyLen() > len(data) {
		return nil, nil, changed
	}
	ci := *inc.Incident
	ci.Body = data[len(data)-inc.BodyLen():]
	full, ds = site.Analyse(&ci, md, cfg)
	ds = append(ds, checkYears(full)...)
	switch {
	case !ds.HasErrors():
		return full, ds, nil
	case inc.Sketched():
		return full, ds, nil
	}
	return nil, nil, changed
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Check loads and validates a site without writing anything.
func Check(opts Options) (*site.Site, diag.List) {
	cfg, incs, ds := Load(opts)
	s, sds := site.New(incs, cfg)
	ds = append(ds, sds...)
	ds = append(ds, checkCAN(s)...)
	ds.Sort()
	return s, ds
}

// checkCAN holds author-written CAN reports to the site's word budget.
func checkCAN(s *site.Site) diag.List {
	var ds diag.List
	for _, inc := range s.Incidents {
		if inc.CAN == nil || inc.CAN.Derived {
			continue
		}
		line := inc.CANLine
		if w := inc.CAN.Words(); w > s.Config.CAN.CheckWords {
			ds.Warnf(inc.Path, line, 1, "CAN report is %d words; a spoken report keeps to %d", w, s.Config.CAN.CheckWords)
		}
		for _, sec := range inc.CAN.Sections() {
			if len(sec.Lines) == 0 {
				ds.Warnf(inc.Path, line, 1, "CAN report has no %s; write \"No additional %s\" if there are none", strings.ToLower(sec.Name), strings.ToLower(sec.Name))
			}
		}
	}
	return ds
}

// Build runs the whole pipeline once. Content errors come back in
// Result.Diags with nothing written; err is for failures of the build itself.
func Build(opts Options) (*Result, error) {
	s := NewSession(opts)
	s.oneShot = true
	return s.Build(Change{Full: true})
}

// ManifestOf builds the manifest of a set of outputs.
func ManifestOf(outs []render.Output) Manifest {
	m := Manifest{Generator: "debrief", Outputs: map[string][]string{}}
	for _, o := range outs {
		deps := o.Deps
		if deps == nil {
			deps = []string{}
		}
		m.Outputs[o.Path] = deps
	}
	return m
}

// ErrNotOurs is returned when the output folder holds files debrief did not
// write and --force was not given.
var ErrNotOurs = errors.New("output folder is not empty and was not created by debrief (no " + MarkerFile + "); use --force to replace it")

// Write writes outputs into a staging folder beside out, then swaps it in.
// A failure at any point leaves out as it was.
func Write(out string, outs []render.Output, force bool, source string) error {
	st, err := newStager(Options{Out: out, Force: force, Source: source})
	if err != nil {
		return err
	}
	for _, o := range outs {
		if err := st.put(o); err != nil {
			st.abort()
			return err
		}
	}
	return st.commit()
}

// stager writes a build into a staging folder beside the output, one file
// at a time as it is rendered (so a big site is never held in memory), and
// swaps it in on commit. Until commit the output is untouched.
type stager struct {
	out, absOut, staging string
	manifest             Manifest
	// Test hooks: see Options.
	wrote      func(string)
	swapping   func()
	noExchange bool
	// ours: absOut holds a build of ours, whose unchanged files are
	// linked into the staging folder rather than written again (reuse).
	ours   bool
	buf    []byte          // reuse's reading buffer
	linked map[string]bool // staging paths that are links into the live output
	dirs   map[string]bool // folders made in the staging folder
}

// newStager makes the staging folder for a build into opts.Out.
func newStager(opts Options) (*stager, error) {
	out := opts.Out
	absOut, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	if err := checkOutput(out, opts.Source); err != nil {
		return nil, err
	}
	if err := checkOurs(absOut, opts.Force); err != nil {
		return nil, err
	}
	if err := checkWritable(out, absOut); err != nil {
		return nil, err
	}
	parent, base := filepath.Dir(absOut), filepath.Base(absOut)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, unwritableParent(out, parent, err)
	}
	cleanStale(parent, base)
	mkdirTemp := os.MkdirTemp
	if opts.mkdirTemp != nil {
		mkdirTemp = opts.mkdirTemp
	}
	staging, err := mkdirTemp(parent, "."+base+".staging-")
	if err != nil {
		return nil, unwritableParent(out, parent, err)
	}
	_, err = os.Stat(filepath.Join(absOut, MarkerFile))
	return &stager{out: out, absOut: absOut, staging: staging, ours: err == nil,
		wrote: opts.wrote, swapping: opts.swapping, noExchange: opts.noExchange,
		manifest: Manifest{Generator: "debrief", Outputs: map[string][]string{}}}, nil
}

// reuse hard-links the output's file from the current output into the
// staging folder when that file holds exactly data, and reports whether it
// did. A rebuild then writes only the files that changed: writing every
// page again, each a new inode after the old tree's were freed, was most
// of a rebuild's system time. Nothing of ours ever writes a file in place,
// so the shared inode never changes under the old or the new tree.
func (st *stager) reuse(rel, p string, data []byte) bool {
	if !st.ours {
		return false
	}
	old := filepath.Join(st.absOut, filepath.FromSlash(rel))
	fi, err := os.Lstat(old)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	f, err := os.Open(old)
	if err != nil {
		return false
	}
	if cap(st.buf) < len(data) {
		st.buf = make([]byte, len(data))
	}
	n, err := io.ReadFull(f, st.buf[:len(data)])
	f.Close()
	if err != nil || !bytes.Equal(st.buf[:n], data) {
		return false
	}
	if os.Link(old, p) != nil {
		return false
	}
	if st.linked == nil {
		st.linked = map[string]bool{}
	}
	st.linked[p] = true
	return true
}

func (st *stager) put(o render.Output) error {
	p := filepath.Join(st.staging, filepath.FromSlash(o.Path))
	if !strings.HasPrefix(p, st.staging+string(filepath.Separator)) || path.IsAbs(o.Path) {
		return fmt.Errorf("output path %q leaves the output folder", o.Path)
	}
	if err := st.mkdir(filepath.Dir(p)); err != nil {
		return fmt.Errorf("writing %s: %w", o.Path, err)
	}
	if st.linked[p] {
		// Two outputs at one path: never write through a link into the
		// live output.
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("writing %s: %w", o.Path, err)
		}
		delete(st.linked, p)
	}
	if o.File != "" {
		// Written in the staging folder already: moved, not copied.
		if err := os.Rename(o.File, p); err != nil {
			return fmt.Errorf("writing %s: %w", o.Path, err)
		}
	} else if !st.reuse(o.Path, p, o.Data) {
		if err := writeOutput(p, o.Data); err != nil {
			return fmt.Errorf("writing %s: %w", o.Path, err)
		}
	}
	deps := o.Deps
	if deps == nil {
		deps = []string{}
	}
	st.manifest.Outputs[o.Path] = deps
	if st.wrote != nil {
		st.wrote(o.Path)
	}
	return nil
}

// mkdir makes a folder of the staging folder once. Most are a page's own
// folder in a known parent: one system call, not MkdirAll's three.
func (st *stager) mkdir(dir string) error {
	if dir == st.staging || st.dirs[dir] {
		return nil
	}
	if st.dirs == nil {
		st.dirs = map[string]bool{}
	}
	if parent := filepath.Dir(dir); parent != st.staging && !st.dirs[parent] || os.Mkdir(dir, 0o755) != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	for d := dir; d != st.staging && !st.dirs[d]; d = filepath.Dir(d) {
		st.dirs[d] = true
	}
	return nil
}

func (st *stager) abort() { _ = removeAll(st.staging) }
