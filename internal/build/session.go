package build

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
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
type Session struct {
	opts  Options
	cfg   config.Config
	md    goldmark.Markdown
	theme *render.Theme
	files map[string]*fileState // by site-relative path
	last  *snapshot             // the last good build
	cache *render.Cache         // per-incident JSON and search tokens
	site  *site.Site            // the last good site, for the fast path
	// scorer keeps related scoring's index for the next site.
	scorer *related.Scorer
	// pending holds the files changed since the last good build, while
	// builds fail: the next good one renders their pages.
	pending map[string]bool
	// rerender holds the files whose pages the fast path rendered since the
	// last good build: the next one renders them again with its site.
	rerender map[string]bool
	// Stale is set when a fast rebuild left the site-wide outputs (lists,
	// data, search, feed) to a later full incremental Build.
	Stale bool
	// oneShot is a plain `debrief build`: no later rebuild, so no hashes to
	// keep, and Markdown trees may go once their pages are written.
	oneShot bool
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

// Build rebuilds after a change. A build with content errors writes nothing
// and keeps the last good output; the next good build starts from it.
func (s *Session) Build(ch Change) (*Result, error) {
	start := time.Now()
	full := ch.Full || s.last == nil || s.theme == nil
	res := &Result{}
	if full {
		// Refused before anything is read: no content error may hide it.
		if err := checkOutput(s.opts.Out, s.opts.Source); err != nil {
			return res, err
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
	}
	res.Config = s.cfg
	changed := s.refresh(ch.Paths, full)
	// Files read by builds that did not finish (content errors) are still
	// changed for this one: their pages were never rendered.
	for p := range s.pending {
		changed[p] = true
	}
	// Pages the fast path rendered from the last good site render again
	// from this one: their terms' pages, say, may have moved.
	for p := range s.rerender {
		changed[p] = true
	}
	s.pending = changed // until this build finishes
	var incs []*site.Incident
	paths := make([]string, 0, len(s.files))
	for p := range s.files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		f := s.files[p]
		res.Diags = append(res.Diags, f.diags...)
		if f.inc != nil && (!f.inc.Draft || s.opts.Drafts) {
			incs = append(incs, f.inc)
		}
	}
	var sc *related.Scorer // a one-shot build has no next site
	if !s.oneShot {
		if full || s.scorer == nil {
			s.scorer = &related.Scorer{}
		}
		sc = s.scorer
	}
	st, sds := site.NewScored(incs, s.cfg, sc)
	res.Diags = append(res.Diags, sds...)
	res.Site, res.Incidents, res.Pages = st, len(st.Incidents), len(st.Pages)
	if res.Diags.HasErrors() {
		// Nothing renders: the sketches' bodies are analysed now, so every
		// error comes at once.
		res.Diags = append(res.Diags, s.analyseSketches()...)
	}
	// A one-shot build's sketches have their CAN reports once their pages
	// are rendered: it checks them then.
	if res.Diags.HasErrors() || !s.oneShot {
		res.Diags = append(res.Diags, checkCAN(st)...)
	}
	res.Diags.Sort()
	if res.Diags.HasErrors() {
		return res, nil
	}
	s.cache.Prune(st)
	if s.theme == nil {
		return res, nil // reported above; the next build tries the theme again
	}
	r := &render.Renderer{Theme: s.theme, MD: s.md, BaseURL: s.cfg.BaseURL, Version: s.opts.Version, Cache: s.cache}
	var sigs, members map[string]string
	var late diag.List // what the sketches' analyses found (Reload)
	var lateMu sync.Mutex
	if s.oneShot {
		// Nothing to keep for a next build: cache nothing. Incidents were
		// outlined as they were read, and slimmed beyond a budget: each
		// slimmed one's page reads its file again, and must find it as
		// it was.
		// A sketch's body is analysed here for the first time: what that
		// finds is reported with the rest, and an error in it stops the
		// build before anything is swapped in.
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
				lateMu.Lock()
				late = append(late, ds...)
				lateMu.Unlock()
			}
			if full == nil {
				return false, nil
			}
			inc.Restore(full)
			if ds.HasErrors() {
				inc.Slim() // not rendered; checkCAN reads its report
				return false, nil
			}
			st.Relink(inc)
			return true, nil
		}
	} else {
		terms := termPages(st)
		sigs, members = signatures(st, terms), membership(st)
	}
	next := &snapshot{hashes: map[string][32]byte{}, deps: map[string][]string{}, sigs: sigs, members: members}
	if full {
		// Stream every output to the staging folder, keeping only hashes.
		stg, err := newStager(s.opts)
		if err != nil {
			return res, err
		}
		// The spool goes before the swap; a killed build's goes with its
		// staging folder.
		r.ScratchDir = stg.staging
		_, err = r.RenderTo(st, nil, func(o render.Output) error {
			if err := stg.put(o); err != nil {
				return err
			}
			if !s.oneShot {
				next.hashes[o.Path], next.deps[o.Path] = sha256.Sum256(o.Data), o.Deps
			}
			res.Outputs = append(res.Outputs, render.Output{Path: o.Path, Deps: o.Deps})
			res.Changed = append(res.Changed, o.Path)
			r.Recycle(o) // written and hashed: the next page renders into it
			return nil
		})
		res.Diags = append(res.Diags, late...)
		if s.oneShot {
			res.Diags = append(res.Diags, checkCAN(st)...)
		}
		res.Diags.Sort()
		if errors.Is(err, render.ErrIncomplete) && res.Diags.HasErrors() {
			stg.abort()
			res.Outputs, res.Changed = nil, nil
			return res, nil
		}
		if err != nil {
			stg.abort()
			return res, fmt.Errorf("rendering: %w", err)
		}
		if err := stg.commit(); err != nil {
			return res, err
		}
		slices.Sort(res.Changed)
		slices.SortFunc(res.Outputs, func(a, b render.Output) int { return strings.Compare(a.Path, b.Path) })
		// Files linked unchanged from the last build are not written.
		res.Unchanged = len(stg.linked)
		res.Rendered, res.Written = len(res.Outputs), len(res.Outputs)-res.Unchanged
	} else {
		own := map[string]bool{}
		for _, inc := range append(slices.Clone(st.Incidents), st.Pages...) {
			if changed[inc.Path] {
				own[site.URL(inc)] = true
			}
		}
		outs, all, err := r.RenderSelected(st, s.selector(sigs, members, own))
		if err != nil {
			return res, fmt.Errorf("rendering: %w", err)
		}
		res.Outputs, res.Rendered = outs, len(outs)
		if err := s.writeIncremental(outs, all, next, res); err != nil {
			return res, err
		}
	}
	s.last, s.site, s.Stale, s.pending, s.rerender = next, st, false, nil, nil
	res.Elapsed = time.Since(start)
	return res, nil
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
func (s *Session) BuildFast(ch Change) (res *Result, ok bool, err error) {
	start := time.Now()
	if s.last == nil || s.site == nil || ch.Full || len(ch.Paths) == 0 || s.pending != nil {
		// After a build that did not finish, the files read differ from
		// the last good site: only a Build puts them together again.
		return nil, false, nil
	}
	type swap struct {
		old, new *site.Incident
		f        *fileState
		ds       diag.List
	}
	var swaps []swap
	for _, rel := range ch.Paths {
		f := s.files[rel]
		if f == nil || f.inc == nil || f.diags.HasErrors() {
			return nil, false, nil
		}
		fi, err := os.Stat(filepath.Join(s.opts.Source, filepath.FromSlash(rel)))
		if err != nil {
			return nil, false, nil
		}
		inc, ds := LoadFile(s.opts.Source, rel, s.cfg, s.md)
		if inc == nil || ds.HasErrors() || fastKey(inc) != fastKey(f.inc) || !site.SameLinks(inc, f.inc) || !s.site.HasTermsOf(inc) {
			return nil, false, nil
		}
		swaps = append(swaps, swap{f.inc, inc, &fileState{mod: fi.ModTime(), size: fi.Size(), diags: ds}, ds})
	}
	res = &Result{Config: s.cfg, Site: s.site}
	for _, sw := range swaps {
		// Replace the analysis in place: every map of the site keyed by this
		// incident stays valid.
		*sw.old = *sw.new
		sw.f.inc = sw.old
		s.files[sw.old.Path] = sw.f
		s.cache.Forget(sw.old)
		res.Diags = append(res.Diags, sw.ds...)
		if s.rerender == nil {
			s.rerender = map[string]bool{}
		}
		s.rerender[sw.old.Path] = true
	}
	// Then links, which print the titles of the others saved with it.
	var pages []*site.Incident
	for _, sw := range swaps {
		// A draft is not in the site (unless drafts are built): no page.
		if s.site.ByID(sw.old.ID) == sw.old && !slices.Contains(pages, sw.old) {
			res.Diags = append(res.Diags, s.site.Relink(sw.old)...)
			pages = append(pages, sw.old)
		}
	}
	s.Stale = true
	if res.Diags.HasErrors() {
		return res, true, nil
	}
	r := &render.Renderer{Theme: s.theme, MD: s.md, BaseURL: s.cfg.BaseURL, Version: s.opts.Version, Cache: s.cache}
	outs, err := r.RenderPages(s.site, pages)
	if err != nil {
		return res, true, fmt.Errorf("rendering: %w", err)
	}
	res.Outputs, res.Rendered, res.Incidents, res.Pages = outs, len(outs), len(s.site.Incidents), len(s.site.Pages)
	for _, o := range outs {
		h := sha256.Sum256(o.Data)
		if s.last.hashes[o.Path] == h {
			continue
		}
		if err := writeAtomic(s.opts.Out, o.Path, o.Data); err != nil {
			return res, true, err
		}
		s.last.hashes[o.Path], s.last.deps[o.Path] = h, o.Deps
		res.Written++
		res.Changed = append(res.Changed, o.Path)
	}
	res.Elapsed = time.Since(start)
	return res, true, nil
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

// refresh re-reads the content files that changed on disk (or were named)
// and forgets the ones that are gone. It returns the site-relative paths
// whose content changed.
func (s *Session) refresh(named []string, full bool) map[string]bool {
	changed := map[string]bool{}
	files, walkDiags := contentFiles(s.opts.Source)
	present := map[string]bool{}
	force := map[string]bool{}
	for _, p := range named {
		force[p] = true
	}
	var load []string
	stats := map[string]os.FileInfo{}
	for _, rel := range files {
		present[rel] = true
		fi, err := os.Stat(filepath.Join(s.opts.Source, filepath.FromSlash(rel)))
		old := s.files[rel]
		if err == nil && old != nil && !force[rel] && !full && fi.ModTime().Equal(old.mod) && fi.Size() == old.size {
			continue
		}
		if err == nil {
			stats[rel] = fi
		}
		load = append(load, rel)
	}
	if s.opts.Sized != nil {
		var size int64
		for _, fi := range stats {
			size += fi.Size()
		}
		s.opts.Sized(len(load), size)
	}
	// The first build of a session reads every file: on every core.
	states := loadAll(s.opts, load, s.cfg, s.md, s.oneShot)
	for i, rel := range load {
		if fi, ok := stats[rel]; ok {
			states[i].mod, states[i].size = fi.ModTime(), fi.Size()
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
	if len(walkDiags) > 0 {
		s.files["content"] = &fileState{diags: walkDiags}
	} else {
		delete(s.files, "content")
	}
	return changed
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
func (s *Session) selector(sigs, members map[string]string, own map[string]bool) func(string) bool {
	prev := s.last
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

// writeIncremental writes the rendered outputs whose bytes changed, in
// place and each atomically, removes outputs the site no longer has, and
// updates the manifest.
func (s *Session) writeIncremental(outs []render.Output, all []string, next *snapshot, res *Result) error {
	prev := s.last
	keep := map[string]bool{}
	for _, p := range all {
		keep[p] = true
		if h, ok := prev.hashes[p]; ok {
			next.hashes[p], next.deps[p] = h, prev.deps[p]
		}
	}
	for _, o := range outs {
		h := sha256.Sum256(o.Data)
		next.hashes[o.Path], next.deps[o.Path] = h, o.Deps
		if old, ok := prev.hashes[o.Path]; ok && old == h {
			continue // same bytes: leave the file, and its mtime, alone
		}
		if err := writeAtomic(s.opts.Out, o.Path, o.Data); err != nil {
			return err
		}
		res.Written++
		res.Changed = append(res.Changed, o.Path)
	}
	var gone []string
	for p := range prev.hashes {
		if !keep[p] {
			gone = append(gone, p)
		}
	}
	slices.Sort(gone)
	for _, p := range gone {
		full := filepath.Join(s.opts.Out, filepath.FromSlash(p))
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing %s: %w", p, err)
		}
		// Remove folders left empty (incidents/<id>/).
		for dir := filepath.Dir(full); dir != s.opts.Out && strings.HasPrefix(dir, s.opts.Out); dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil {
				break
			}
		}
		res.Changed = append(res.Changed, p)
		res.Removed++
	}
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
	return writeAtomic(s.opts.Out, MarkerFile, append(mb, '\n'))
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
