package build

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/related"
	"github.com/debrief-ssg/debrief/internal/render"
	"github.com/debrief-ssg/debrief/internal/site"
	"github.com/yuin/goldmark"
)

// Session is a build that lives across rebuilds, for watch mode. It keeps
// every file's analysis and every output's hash, so a rebuild reads only the
// files that changed, renders only the pages they touch, and writes only the
// files whose bytes differ.
//
// One Build runs at a time. BuildFast may run while a Build does: the
// Build's long middle (assembling the site, rendering, writing) holds no
// lock, so a save is served while the lists of the one before are still
// being brought up to date (see BuildFast).
type Session struct {
	opts Options
	// building lets one Build run at a time.
	building sync.Mutex

	// mu guards what follows against a BuildFast while a Build runs.
	mu    sync.Mutex
	cfg   config.Config
	md    goldmark.Markdown
	theme *render.Theme
	files map[string]*fileState // by site-relative path
	// built is the files the last good site was made from: files itself,
	// but while a Build reads files again (or after it failed), the map
	// it had before.
	built map[string]*fileState
	last  *snapshot     // the last good build
	cache *render.Cache // per-incident JSON and search tokens
	site  *site.Site    // the last good site, for the fast path
	// scorer keeps related scoring's index for the next site.
	scorer *related.Scorer
	// pending holds the files changed since the last good build, while
	// builds fail: the next good one renders their pages.
	pending map[string]bool
	// rerender holds the files whose pages the fast path rendered since the
	// last good build: the next one renders them again with its site.
	rerender map[string]bool
	// reread holds files the next Build reads again, whatever their time
	// stamps say: saved on the fast path while a Build ran, which could not
	// take their new analysis in.
	reread map[string]bool
	// running is set while a Build runs (full: a full one); during holds
	// what BuildFast did meanwhile, taken in when it ends.
	running, runningFull bool
	during               *deferred
	// slowStart is set while a Build starts by reading many files under
	// the lock: the fast path declines at once rather than wait for it.
	slowStart atomic.Bool
	// refull is set when a full build failed: its files were sketched
	// (load), so the next build is full too, to analyse them all.
	refull bool
	// Stale is set when a fast rebuild left the site-wide outputs (lists,
	// data, search, feed) to a later full incremental Build. Read it only
	// between builds.
	Stale bool
	// oneShot is a plain `debrief build`: no later rebuild, so no hashes to
	// keep, and Markdown trees may go once their pages are written.
	oneShot bool
	// midBuild, in tests, is called when a Build has let go of the lock
	// ("site"), and before it writes each output ("write " and its path):
	// a test saves on the fast path there.
	midBuild func(stage string)
}

type fileState struct {
	mod   time.Time
	size  int64
	inc   *site.Incident
	diags diag.List
}

type snapshot struct {
	hashes  map[string][32]byte // output path → hash of its bytes
	deps    map[string][]string // output path → content files
	sigs    map[string]string   // incident page → what it shows of others
	members map[string]string   // list page → its members, in order
}

// deferred is what the fast path did while a Build ran: the files it read
// (their analyses go into the site when the Build ends) and the pages it
// wrote (the Build leaves them be).
type deferred struct {
	files  map[string]*fileState // by site-relative path
	hashes map[string][32]byte   // output path → hash of what was written
	deps   map[string][]string
}

// Change is what a rebuild is told: the files that changed (site-relative,
// forward slashes), or that everything must be rebuilt (config or theme).
type Change struct {
	Paths []string
	Full  bool
}

// NewSession starts a session; its first Build is a full build.
func NewSession(opts Options) *Session {
	// Outputs are joined to Out and checked against it as clean paths.
	opts.Source = filepath.Clean(opts.Source)
	if opts.Out == "" {
		opts.Out = filepath.Join(opts.Source, "public")
	}
	opts.Out = filepath.Clean(opts.Out)
	return &Session{opts: opts}
}

// Out is the output folder.
func (s *Session) Out() string { return s.opts.Out }

// pass is one Build's own state, from its start to its end.
type pass struct {
	full    bool
	changed map[string]bool // files whose pages render
	incs    []*site.Incident
	prev    *snapshot // the last good build, as the Build started
	st      *site.Site
	next    *snapshot
	// late is what a one-shot build's sketches' analyses found while
	// their pages rendered (reloadSlimmed).
	late   diag.List
	lateMu sync.Mutex
}

// Build rebuilds after a change. A build with content errors writes nothing
// and keeps the last good output; the next good build starts from it.
func (s *Session) Build(ch Change) (*Result, error) {
	s.building.Lock()
	defer s.building.Unlock()
	start := time.Now()
	res := &Result{}
	b, err := s.begin(ch, res, scanContent(s.opts.Source))
	if err != nil {
		return res, err
	}
	done, err := s.assemble(b, res)
	s.finish(b, done && err == nil)
	if done && err == nil {
		res.Elapsed = time.Since(start)
	}
	return res, err
}

// begin is the start of a Build, under the lock: the config and theme
// when everything is rebuilt, the files read again, the incidents of the
// site to be. From here until finish, BuildFast leaves the session's
// files and last build alone.
func (s *Session) begin(ch Change, res *Result, sc scan) (*pass, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.slowStart.Store(false)
	full := ch.Full || s.last == nil || s.theme == nil || s.refull
	if full {
		// Refused before anything is read: no content error may hide it.
		if err := checkOutput(s.opts.Out, s.opts.Source); err != nil {
			return nil, err
		}
		// A build killed mid-swap may have left the last good output
		// aside: back first, whether this build succeeds or not.
		if abs, err := filepath.Abs(s.opts.Out); err == nil {
			cleanStale(filepath.Dir(abs), filepath.Base(abs))
		}
		cfg, cds := config.Load(s.opts.Source)
		if s.opts.BaseURL != "" {
			cfg.BaseURL = s.opts.BaseURL
		}
		// A bad config or theme is reported with every content error, not
		// instead of them: the config is usable with its defaults.
		res.Diags = cds
		theme, err := render.LoadTheme(s.opts.Source, cfg.Theme, s.opts.Theme)
		if err != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Path: config.FileName, Line: 1, Col: 1, Msg: err.Error()})
		}
		s.cfg, s.theme, s.md = cfg, theme, markdown.New(cfg.UnsafeHTML)
		s.files = map[string]*fileState{}
		s.cache = render.NewCache()
	} else {
		// The fast path reads the files the last good site was made of
		// (built) while this Build reads them again.
		s.files = maps.Clone(s.files)
	}
	res.Config = s.cfg
	named := ch.Paths
	for p := range s.reread {
		named = append(named, p)
	}
	s.reread = nil
	changed := s.refresh(sc, named, full)
	// Files read by builds that did not finish (content errors) are still
	// changed for this one: their pages were never rendered.
	for p := range s.pending {
		changed[p] = true
	}
	// Pages the fast path rendered from the last good site render again
	// from this one: their terms' pages, say, may have moved. Those it
	// renders while this Build runs are for the next.
	for p := range s.rerender {
		changed[p] = true
	}
	s.rerender = nil
	b := &pass{full: full, changed: changed, prev: s.last}
	paths := make([]string, 0, len(s.files))
	for p := range s.files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		f := s.files[p]
		res.Diags = append(res.Diags, f.diags...)
		if f.inc != nil && (!f.inc.Draft || s.opts.Drafts) {
			b.incs = append(b.incs, f.inc)
		}
	}
	s.running, s.runningFull, s.during = true, full, nil
	return b, nil
}

// assemble is the long middle of a Build, without the lock: the site,
// its checks, rendering and writing. It reads no field of the session that
// BuildFast writes while a Build runs. done is false when the build stops
// on content errors.
func (s *Session) assemble(b *pass, res *Result) (done bool, err error) {
	if s.midBuild != nil {
		s.midBuild("site")
	}
	var sc *related.Scorer // a one-shot build has no next site
	if !s.oneShot {
		if b.full || s.scorer == nil {
			s.scorer = &related.Scorer{}
		}
		sc = s.scorer
	}
	st, sds := site.NewScored(b.incs, s.cfg, sc)
	b.st = st
	res.Diags = append(res.Diags, sds...)
	res.Site, res.Incidents, res.Pages = st, len(st.Incidents), len(st.Pages)
	if res.Diags.HasErrors() {
		// Nothing renders: the sketches' bodies are analysed now, so every
		// error comes at once.
		res.Diags = append(res.Diags, s.analyseSketches()...)
	}
	// A full build's sketches have their CAN reports once their pages are
	// rendered: it checks them then.
	if res.Diags.HasErrors() || !b.full {
		res.Diags = append(res.Diags, checkCAN(st)...)
	}
	res.Diags.Sort()
	if res.Diags.HasErrors() {
		return false, nil
	}
	s.cache.Prune(st)
	if s.theme == nil {
		return false, nil // reported above; the next build tries the theme again
	}
	r := &render.Renderer{Theme: s.theme, MD: s.md, BaseURL: s.cfg.BaseURL, Version: s.opts.Version, Cache: s.cache}
	b.next = &snapshot{hashes: map[string][32]byte{}, deps: map[string][]string{}}
	if s.oneShot {
		s.reloadSlimmed(r, b)
	}
	if b.full {
		return s.renderFull(r, b, res)
	}
	sigs, members := signatures(st, termPages(st)), membership(st)
	b.next.sigs, b.next.members = sigs, members
	own := map[string]bool{}
	for _, inc := range append(slices.Clone(st.Incidents), st.Pages...) {
		if b.changed[inc.Path] {
			own[site.URL(inc)] = true
		}
	}
	// Each output is written as it is rendered, and its buffer goes back
	// for the next: a change to every file holds no site's worth of pages.
	all, err := s.renderPaged(r, b, selector(b.prev, sigs, members, own), func(o render.Output) error {
		defer r.Recycle(o)
		return s.writeOutput(o, b, res)
	})
	if err != nil {
		return false, fmt.Errorf("rendering: %w", err)
	}
	slices.SortFunc(res.Outputs, func(a, b render.Output) int { return strings.Compare(a.Path, b.Path) })
	slices.Sort(res.Changed)
	res.Rendered = len(res.Outputs)
	if err := s.writeIncremental(all, b, res); err != nil {
		return false, err
	}
	return true, nil
}

// reloadSlimmed sets up a one-shot build's renderer: nothing to keep for
// a next build, so it caches nothing. Incidents were outlined as they
// were read, and slimmed beyond a budget: each slimmed one's page reads
// its file again, and must find it as it was. A sketch's body is analysed
// here for the first time: what that finds is reported with the rest
// (renderFull), and an error in it stops the build before anything is
// swapped in.
func (s *Session) reloadSlimmed(r *render.Renderer, b *pass) {
	r.Cache = nil
	r.Reload = func(inc *site.Incident) (bool, error) {
		if inc.Outlined() {
			inc.Classify(s.cfg)
			return true, nil
		}
		sketch := inc.Sketched()
		full, ds, err := reanalyse(s.opts.Source, inc, s.cfg, s.md)
		if err != nil {
			return false, err
		}
		if sketch {
			b.lateMu.Lock()
			b.late = append(b.late, ds...)
			b.lateMu.Unlock()
		}
		if full == nil {
			return false, nil
		}
		inc.Restore(full)
		if ds.HasErrors() {
			inc.Slim() // not rendered; checkCAN reads its report
			return false, nil
		}
		b.st.Relink(inc)
		return true, nil
	}
}

// renderFull streams every output to a staging folder, keeping only their
// hashes, and swaps it in.
func (s *Session) renderFull(r *render.Renderer, b *pass, res *Result) (bool, error) {
	stg, err := newStager(s.opts)
	if err != nil {
		return false, err
	}
	// The spool goes before the swap; a killed build's goes with its
	// staging folder.
	r.ScratchDir = stg.staging
	renderAll := func(emit func(render.Output) error) ([]string, error) { return r.RenderTo(b.st, nil, emit) }
	if !s.oneShot {
		renderAll = func(emit func(render.Output) error) ([]string, error) { return s.renderPaged(r, b, nil, emit) }
	}
	_, err = renderAll(func(o render.Output) error {
		if err := stg.put(o); err != nil {
			return err
		}
		if !s.oneShot {
			b.next.hashes[o.Path], b.next.deps[o.Path] = sha256.Sum256(o.Data), o.Deps
		}
		res.Outputs = append(res.Outputs, render.Output{Path: o.Path, Deps: o.Deps})
		res.Changed = append(res.Changed, o.Path)
		r.Recycle(o) // written and hashed: the next page renders into it
		return nil
	})
	res.Diags = append(res.Diags, b.late...)
	res.Diags = append(res.Diags, checkCAN(b.st)...)
	res.Diags.Sort()
	if errors.Is(err, render.ErrIncomplete) && res.Diags.HasErrors() {
		stg.abort()
		res.Outputs, res.Changed = nil, nil
		return false, nil
	}
	if err != nil {
		stg.abort()
		return false, fmt.Errorf("rendering: %w", err)
	}
	if !s.oneShot {
		// What the pages show of others, and the lists' members, as
		// sketches have them once analysed.
		b.next.sigs, b.next.members = signatures(b.st, termPages(b.st)), membership(b.st)
	}
	if err := stg.commit(); err != nil {
		return false, err
	}
	slices.Sort(res.Changed)
	slices.SortFunc(res.Outputs, func(a, b render.Output) int { return strings.Compare(a.Path, b.Path) })
	// Files linked unchanged from the last build are not written.
	res.Unchanged = len(stg.linked)
	res.Rendered, res.Written = len(res.Outputs), len(res.Outputs)-res.Unchanged
	return true, nil
}

// finish is the end of a Build, under the lock. A good build becomes the
// last good one; then what the fast path read while it ran goes into its
// site, as the fast path would have put it there (and the site-wide
// outputs are stale again). After a failed build the files changed stay
// pending, and those the fast path read are read again by the next.
func (s *Session) finish(b *pass, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.during
	s.running, s.runningFull, s.during = false, false, nil
	if !ok {
		s.pending, s.refull = b.changed, b.full

		if d != nil {
			for p, h := range d.hashes {
				s.last.hashes[p], s.last.deps[p] = h, d.deps[p]
			}
			s.rereadAll(d.files)
		}
		return
	}
	s.last, s.site, s.built, s.Stale, s.pending, s.refull = b.next, b.st, s.files, false, nil, false
	s.slimFiles()
	if len(s.reread) > 0 {
		s.Stale = true // pages restoreAll could not render
	}
	if d == nil {
		return
	}
	for p, h := range d.hashes {
		s.last.hashes[p], s.last.deps[p] = h, d.deps[p]
	}
	for rel, f := range d.files {
		cur := s.files[rel]
		if cur == nil || cur.inc == nil || cur.diags.HasErrors() || !fits(s.site, cur.inc, f.inc) {
			s.rereadAll(map[string]*fileState{rel: f})
			continue
		}
		s.swapIn(cur.inc, f)
		if s.site.ByID(f.inc.ID) == f.inc {
			s.site.Relink(f.inc) // its errors were reported when it was read
		}
	}
	s.Stale = true
}

// rereadAll has the next Build read files again, and render their pages.
func (s *Session) rereadAll(files map[string]*fileState) {
	if s.reread == nil {
		s.reread = map[string]bool{}
	}
	for rel := range files {
		s.reread[rel] = true
	}
	s.Stale = true
}

// BuildFast is the fast path of a save: when the changed files are
// incidents whose edit leaves the site's graph alone (see fastKey) — a body
// edit, the common case while writing, or a new title, summary, severity,
// status, key moment or action item — only their own pages are rendered
// and written. The site-wide
// outputs, other pages that show the incident and the page's own related
// incidents (rescored for a new title or summary) are left Stale for a
// Build soon after, which brings them all up to date. ok is false when the
// fast path does not apply; nothing has been changed then.
//
// While a Build runs, its site is made of the incidents the fast path
// would replace in place: the page is rendered from the last good site
// with the new analysis standing in for the old (overlay), and the new
// analysis goes into the site when the Build ends (finish).
func (s *Session) BuildFast(ch Change) (res *Result, ok bool, err error) {
	start := time.Now()
	if s.slowStart.Load() {
		return nil, false, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil || s.site == nil || ch.Full || len(ch.Paths) == 0 || len(ch.Paths) > maxFast || s.pending != nil || s.runningFull {
		// After a build that did not finish, the files read differ from
		// the last good site: only a Build puts them together again.
		return nil, false, nil
	}
	files, olds, ok := s.readFast(ch.Paths)
	if !ok {
		return nil, false, nil
	}
	res = &Result{Config: s.cfg, Site: s.site}
	for _, f := range files {
		res.Diags = append(res.Diags, f.diags...)
	}
	var st *site.Site
	var pages []*site.Incident
	if s.running {
		st, pages = s.overlay(files, olds, res)
	} else {
		st, pages = s.site, s.swapAll(files, olds, res)
	}
	s.Stale = true
	if res.Diags.HasErrors() {
		return res, true, nil
	}
	r := &render.Renderer{Theme: s.theme, MD: s.md, BaseURL: s.cfg.BaseURL, Version: s.opts.Version, Cache: s.cache}
	outs, err := r.RenderPages(st, pages)
	if err != nil {
		return res, true, fmt.Errorf("rendering: %w", err)
	}
	res.Outputs, res.Rendered, res.Incidents, res.Pages = outs, len(outs), len(s.site.Incidents), len(s.site.Pages)
	if err := s.writeFast(outs, res); err != nil {
		return res, true, err
	}
	res.Elapsed = time.Since(start)
	return res, true, nil
}

// maxFast is the most files the fast path takes at once: a save is one
// or a few. More (a checkout, a search and replace) are a Build's, which
// reads and renders on every core and writes as it renders; the fast path
// would hold every page it renders, and every file's old analysis and new.
const maxFast = 16

// bigChange is how many files a Build reads again before it lets the last
// good site go as it starts, rather than hold every file's old analysis
// and new at once; the fast path waits for its end then.
const bigChange = 256

// readFast reads the changed files for the fast path: each must be an
// incident of the last good site (olds) whose new analysis fits it.
func (s *Session) readFast(paths []string) (files []*fileState, olds []*site.Incident, ok bool) {
	for _, rel := range paths {
		f := s.built[rel]
		if f == nil || f.inc == nil || f.diags.HasErrors() {
			return nil, nil, false
		}
		fi, err := os.Stat(filepath.Join(s.opts.Source, filepath.FromSlash(rel)))
		if err != nil {
			return nil, nil, false
		}
		inc, ds := LoadFile(s.opts.Source, rel, s.cfg, s.md)
		if inc == nil || ds.HasErrors() || !fits(s.site, f.inc, inc) {
			return nil, nil, false
		}
		files = append(files, &fileState{mod: fi.ModTime(), size: fi.Size(), inc: inc, diags: ds})
		olds = append(olds, f.inc)
	}
	return files, olds, true
}

// fits reports whether new, a file's new analysis, can stand in for old
// in st without changing its graph (fastKey, the same links, terms that
// have pages).
func fits(st *site.Site, old, new *site.Incident) bool {
	return fastKey(new) == fastKey(old) && site.SameLinks(new, old) && st.HasTermsOf(new)
}

// swapAll replaces each old analysis by the new one in place: every map
// of the site keyed by the incident stays valid. It returns the pages to
// render: those of the site (a draft has none, unless drafts are built).
func (s *Session) swapAll(files []*fileState, olds []*site.Incident, res *Result) []*site.Incident {
	for i, f := range files {
		s.swapIn(olds[i], f)
	}
	// Then links, which print the titles of the others saved with it.
	var pages []*site.Incident
	for _, old := range olds {
		if s.site.ByID(old.ID) == old && !slices.Contains(pages, old) {
			res.Diags = append(res.Diags, s.site.Relink(old)...)
			pages = append(pages, old)
		}
	}
	return pages
}

// swapIn puts f's analysis in place of old's, and f in place of its file.
func (s *Session) swapIn(old *site.Incident, f *fileState) {
	*old = *f.inc
	f.inc = old
	s.files[old.Path] = f
	s.cache.Forget(old)
	if s.rerender == nil {
		s.rerender = map[string]bool{}
	}
	s.rerender[old.Path] = true
}

// overlay is the fast path while a Build runs, whose site holds the old
// analyses: the new ones are kept aside for the Build's end, and their
// pages render from a copy of the last good site in which each new
// analysis has the old one's links, backlinks and related incidents —
// all of the site an incident's page reads by the incident
// (TestOverlayRendersAsInPlace). Its links print the titles of the last
// good site until the Build that follows.
func (s *Session) overlay(files []*fileState, olds []*site.Incident, res *Result) (*site.Site, []*site.Incident) {
	if s.during == nil {
		s.during = &deferred{files: map[string]*fileState{}, hashes: map[string][32]byte{}, deps: map[string][]string{}}
	}
	ov := *s.site
	ov.Related = map[*site.Incident][]related.Link{}
	ov.Backlinks = map[*site.Incident][]*site.Incident{}
	ov.Refs = map[*site.Incident][]*site.Incident{}
	var pages []*site.Incident
	for i, f := range files {
		s.during.files[f.inc.Path] = f
		old := olds[i]
		if s.site.ByID(old.ID) != old {
			continue // a draft
		}
		ov.Related[f.inc], ov.Backlinks[f.inc], ov.Refs[f.inc] = s.site.Related[old], s.site.Backlinks[old], s.site.Refs[old]
		res.Diags = append(res.Diags, s.site.Relink(f.inc)...)
		pages = slices.DeleteFunc(pages, func(p *site.Incident) bool { return p.Path == f.inc.Path })
		pages = append(pages, f.inc)
	}
	return &ov, pages
}

// writeFast writes the fast path's pages whose bytes changed. While a
// Build runs, their hashes are kept aside for its end, and the Build
// leaves these pages be (writeIncremental).
func (s *Session) writeFast(outs []render.Output, res *Result) error {
	for _, o := range outs {
		h := sha256.Sum256(o.Data)
		prev, ok := s.last.hashes[o.Path]
		if s.during != nil {
			if dh, dok := s.during.hashes[o.Path]; dok {
				prev, ok = dh, true
			}
		}
		if ok && prev == h {
			continue
		}
		if err := writeAtomic(s.opts.Out, o.Path, o.Data); err != nil {
			return err
		}
		if s.running {
			s.during.hashes[o.Path], s.during.deps[o.Path] = h, o.Deps
		} else {
			s.last.hashes[o.Path], s.last.deps[o.Path] = h, o.Deps
		}
		res.Written++
		res.Changed = append(res.Changed, o.Path)
	}
	return nil
}

// fastKey is what of an incident the fast path needs unchanged: where it
// sits in the site (id, path, date, draft) and the incidents its page links
// to (related ids). Its title, summary, severity, status, key moments,
// action items, services, components, customers, tags and people may
// change, as long as every term it names has a page already
// (Site.HasTermsOf: a new term has none until the next Build): they show
// on its own page, rendered at once, and on other pages, lists and the
// site-wide figures, which the Build that follows renders again (their
// signatures and memberships record the old ones; the site-wide outputs
// render on every Build).
func fastKey(inc *site.Incident) string {
	// Lines are left out: a longer title above them moves them.
	related := make([]string, len(inc.Related))
	for i, r := range inc.Related {
		related[i] = r.ID + "|" + r.Relation
	}
	return fmt.Sprintf("%s|%s|%v|%v|%v|%s|%q",
		inc.ID, inc.Type, inc.Draft, inc.Date, inc.HasTime, inc.Path, related)
}

// scan is content/ as a Build starts: its files and their time stamps
// (missing where a stat failed), read before the Build takes the lock —
// a walk and a stat per file, a tenth of a second at 10,000 files on a
// busy machine, which a save on the fast path would otherwise wait for.
type scan struct {
	files []string
	stats map[string]os.FileInfo
	diags diag.List
}

func scanContent(source string) scan {
	files, ds := contentFiles(source)
	sc := scan{files: files, stats: make(map[string]os.FileInfo, len(files)), diags: ds}
	for _, rel := range files {
		if fi, err := os.Stat(filepath.Join(source, filepath.FromSlash(rel))); err == nil {
			sc.stats[rel] = fi
		}
	}
	return sc
}

// refresh re-reads the content files that changed on disk (or were named)
// and forgets the ones that are gone. It returns the site-relative paths
// whose content changed.
func (s *Session) refresh(sc scan, named []string, full bool) map[string]bool {
	changed := map[string]bool{}
	present := map[string]bool{}
	force := map[string]bool{}
	for _, p := range named {
		force[p] = true
	}
	var load []string
	stats := map[string]os.FileInfo{}
	for _, rel := range sc.files {
		present[rel] = true
		fi, ok := sc.stats[rel]
		old := s.files[rel]
		if ok && old != nil && !force[rel] && !full && fi.ModTime().Equal(old.mod) && fi.Size() == old.size {
			continue
		}
		if ok {
			stats[rel] = fi
		}
		load = append(load, rel)
	}
	if full || len(load) > bigChange {
		s.slowStart.Store(true) // cleared when begin ends
	}
	if s.opts.Sized != nil {
		var size int64
		for _, fi := range stats {
			size += fi.Size()
		}
		s.opts.Sized(len(load), size)
	}
	if !full && len(load) > bigChange {
		// A checkout: the last good site and the old analyses go before
		// the new are read, not after. The fast path declines without a
		// site until this Build ends.
		s.site, s.built = nil, nil
		for _, rel := range load {
			if old := s.files[rel]; old != nil && old.inc != nil {
				s.cache.Forget(old.inc)
			}
			delete(s.files, rel)
		}
	}
	states := s.load(load, full)
	for i, rel := range load {
		if fi, ok := stats[rel]; ok {
			states[i].mod, states[i].size = fi.ModTime(), fi.Size()
		}
		if old := s.files[rel]; old != nil && old.inc != nil {
			s.cache.Forget(old.inc) // no site will hold it again
		}
		s.files[rel] = states[i]
		changed[rel] = true
	}
	for rel := range s.files {
		if !present[rel] {
			delete(s.files, rel)
			changed[rel] = true
		}
	}
	if len(sc.diags) > 0 {
		s.files["content"] = &fileState{diags: sc.diags}
	} else {
		delete(s.files, "content")
	}
	return changed
}

// load reads and analyses files on every core. A watch session reading
// many files for an incremental build (a checkout) slims each chunk as it
// is read: the pages restore what they need as they render
// (renderPaged), and no build holds every file's analysis at once.
func (s *Session) load(files []string, full bool) []*fileState {
	if s.oneShot || full {
		// Outlines and sketches, as a one-shot build reads them: a full
		// build's pages are all rendered, each analysed then, and its
		// staging folder is not swapped in when that finds an error.
		return loadAll(s.opts, files, s.cfg, s.md, true)
	}
	if len(files) <= bigChange {
		return loadAll(s.opts, files, s.cfg, s.md, false)
	}
	states := make([]*fileState, 0, len(files))
	for start := 0; start < len(files); start += renderChunk {
		chunk := loadAll(s.opts, files[start:min(start+renderChunk, len(files))], s.cfg, s.md, false)
		for _, f := range chunk {
			slimInc(f.inc)
		}
		states = append(states, chunk...)
	}
	return states
}

// analyseSketches analyses the bodies of the files sketched on their first
// reading (site.Sketch), on every core, for their diagnostics; each is
// restored (a CAN report to check) and slimmed again.
func (s *Session) analyseSketches() diag.List {
	var todo []*site.Incident
	for _, f := range s.files {
		if f.inc != nil && f.inc.Sketched() {
			todo = append(todo, f.inc)
		}
	}
	var (
		ds   diag.List
		mu   sync.Mutex
		wg   sync.WaitGroup
		next atomic.Int64
	)
	for range min(len(todo), max(1, runtime.GOMAXPROCS(0))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(todo); i = int(next.Add(1)) - 1 {
				inc := todo[i]
				full, fds, err := reanalyse(s.opts.Source, inc, s.cfg, s.md)
				if err != nil {
					fds = append(fds, diag.Diagnostic{Path: inc.Path, Line: 1, Col: 1, Msg: err.Error()})
				}
				if full != nil {
					inc.Restore(full)
					inc.Slim()
				}
				mu.Lock()
				ds = append(ds, fds...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return ds
}

// termPages is, for each incident, the pages of the terms it names
// (Site.TermURLs), for signatures: a term page moves when two terms' slugs
// stop colliding.
func termPages(st *site.Site) map[*site.Incident]string {
	out := make(map[*site.Incident]string, len(st.Incidents))
	for _, inc := range st.Incidents {
		out[inc] = strings.Join(st.TermURLs(inc), "\x00")
	}
	return out
}

// signatures records, for each incident page, what it shows of other
// incidents: related ones with their reasons, backlinks and the titles its
// cross-references print. A page whose signature changed renders again.
func signatures(st *site.Site, terms map[*site.Incident]string) map[string]string {
	out := map[string]string{}
	for _, inc := range append(slices.Clone(st.Incidents), st.Pages...) {
		var b strings.Builder
		for _, l := range st.Related[inc] {
			to := st.Incidents[l.To]
			fmt.Fprintf(&b, "r:%s|%s|%s|%v|%v;", to.ID, to.Title, l.Relation, l.Inverse, l.Reasons)
		}
		for _, x := range st.Backlinks[inc] {
			fmt.Fprintf(&b, "b:%s|%s;", x.ID, x.Title)
		}
		for _, x := range st.Refs[inc] {
			fmt.Fprintf(&b, "x:%s|%s;", x.ID, x.Title)
		}
		// A term's page moves when another term's slug stops colliding.
		b.WriteString("t:")
		b.WriteString(terms[inc])
		out[site.URL(inc)] = b.String()
	}
	return out
}

// membership records, for each list page, its members as their cards show
// them: a list renders again when an incident joins or leaves it, or when a
// member's card (title, date, severity, status, summary, services) or, for
// a term page, the term's spelling changes.
func membership(st *site.Site) map[string]string {
	out := map[string]string{}
	cards := map[*site.Incident]string{}
	for _, inc := range st.Incidents {
		var resolve time.Duration
		for _, d := range inc.Durations {
			if d.Name == "resolve" {
				resolve = d.D
			}
		}
		cards[inc] = fmt.Sprintf("%s|%s|%s|%s|%s|%s|%v|%v|%q", inc.ID, inc.Title, inc.Date, inc.Severity, inc.Status, inc.Summary, inc.Services, resolve, st.TermURLs(inc, "services"))
	}
	for p, incs := range render.ListPages(st) {
		sigs := make([]string, len(incs))
		for i, inc := range incs {
			sigs[i] = cards[inc]
		}
		out[p] = strings.Join(sigs, "\x00")
	}
	// A term page is headed with the term as its first file spells it.
	for _, tx := range st.Taxonomies {
		for _, t := range tx.Terms {
			out[tx.URL(t)] = t.Name + "\x01" + out[tx.URL(t)]
		}
	}
	return out
}

// selector decides which outputs an incremental build renders: pages of
// changed files, pages that show something of a changed file (by the last
// manifest), incident pages whose links to others changed, list pages whose
// membership changed, and the site-wide lists.
func selector(prev *snapshot, sigs, members map[string]string, own map[string]bool) func(string) bool {
	return func(p string) bool {
		if _, existed := prev.hashes[p]; !existed {
			return true // a new page
		}
		if own[p] {
			return true // the page of a changed file
		}
		if sig, ok := sigs[p]; ok {
			return sig != prev.sigs[p] // another incident's page: what it shows of others
		}
		if m, ok := members[p]; ok {
			return m != prev.members[p] // a list of cards
		}
		return slices.Contains(prev.deps[p], "*") // the site-wide lists and data
	}
}

// writeOutput writes one output of an incremental build if its bytes
// changed, in place and atomically. A page the fast path wrote while this
// Build ran is newer than this Build's: it is left be (ours).
func (s *Session) writeOutput(o render.Output, b *pass, res *Result) error {
	h := sha256.Sum256(o.Data)
	b.next.hashes[o.Path], b.next.deps[o.Path] = h, o.Deps
	res.Outputs = append(res.Outputs, render.Output{Path: o.Path, Deps: o.Deps})
	if old, ok := b.prev.hashes[o.Path]; ok && old == h {
		return nil // same bytes: leave the file, and its mtime, alone
	}
	// Written beside it first, and renamed into place under the lock: a
	// disk slow to take the bytes never keeps a save waiting.
	tmp, dest, err := stageOutput(s.opts.Out, o.Path, o.Data)
	if err != nil {
		return err
	}
	if s.midBuild != nil {
		s.midBuild("write " + o.Path)
	}
	wrote, err := s.ours(o.Path, func() error { return os.Rename(tmp, dest) })
	if !wrote || err != nil {
		os.Remove(tmp)
	}
	if wrote && err == nil {
		res.Written++
		res.Changed = append(res.Changed, o.Path)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", o.Path, err)
	}
	return nil
}

// writeIncremental ends an incremental build's writing, once every output
// it rendered is written (writeOutput): the outputs not rendered keep
// their hashes, those the site no longer has are removed, and the
// manifest is updated.
func (s *Session) writeIncremental(all []string, b *pass, res *Result) error {
	prev, next := b.prev, b.next
	keep := map[string]bool{}
	for _, p := range all {
		keep[p] = true
		if _, rendered := next.hashes[p]; rendered {
			continue
		}
		if h, ok := prev.hashes[p]; ok {
			next.hashes[p], next.deps[p] = h, prev.deps[p]
		}
	}
	var gone []string
	for p := range prev.hashes {
		if !keep[p] {
			gone = append(gone, p)
		}
	}
	slices.Sort(gone)
	for _, p := range gone {
		removed, err := s.ours(p, func() error { return s.remove(p) })
		if err != nil {
			return err
		}
		if removed {
			res.Changed = append(res.Changed, p)
			res.Removed++
		}
	}
	return writeManifest(s.opts.Out, next)
}

// ours runs do, which writes or removes the output p, unless the fast
// path wrote p while this Build ran; it reports whether it ran. The lock
// is held while do runs, so a save's page is never overwritten by an
// older one.
func (s *Session) ours(p string, do func() error) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.during != nil {
		if _, fast := s.during.hashes[p]; fast {
			return false, nil
		}
	}
	return true, do()
}

// remove deletes an output the site no longer has, and the folders it
// leaves empty (incidents/<id>/).
func (s *Session) remove(p string) error {
	full := filepath.Join(s.opts.Out, filepath.FromSlash(p))
	if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing %s: %w", p, err)
	}
	for dir := filepath.Dir(full); dir != s.opts.Out && strings.HasPrefix(dir, s.opts.Out); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break
		}
	}
	return nil
}

// writeManifest writes the marker file with what each output was made of.
func writeManifest(out string, next *snapshot) error {
	m := Manifest{Generator: "debrief", Outputs: map[string][]string{}}
	for p, d := range next.deps {
		if d == nil {
			d = []string{}
		}
		m.Outputs[p] = d
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(out, MarkerFile, append(mb, '\n'))
}

// stageOutput writes data to a temporary file beside the output rel
// (.debrief-*.tmp: content listing and the watcher pass over it), to be
// renamed to dest.
func stageOutput(out, rel string, data []byte) (tmp, dest string, err error) {
	dest = filepath.Join(out, filepath.FromSlash(rel))
	if !strings.HasPrefix(dest, out+string(filepath.Separator)) {
		return "", "", fmt.Errorf("output path %q leaves the output folder", rel)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return "", "", err
	}
	f, err := os.CreateTemp(filepath.Dir(dest), ".debrief-*.tmp")
	if err != nil {
		return "", "", fmt.Errorf("writing %s: %w", rel, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", fmt.Errorf("writing %s: %w", rel, err)
	}
	return f.Name(), dest, nil
}

// writeAtomic replaces one output file: a reader sees the old bytes or the
// new ones, never half a file.
func writeAtomic(out, rel string, data []byte) error {
	p := filepath.Join(out, filepath.FromSlash(rel))
	if !strings.HasPrefix(p, out+string(filepath.Separator)) {
		return fmt.Errorf("output path %q leaves the output folder", rel)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return replace(p, data, 0o644, false)
}
