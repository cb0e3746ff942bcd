// Package render turns the site graph into output files: HTML pages from the
// theme's templates, and incidents.json.
package render

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/related"
	"github.com/debrief-ssg/debrief/internal/search"
	"github.com/debrief-ssg/debrief/internal/site"
	"github.com/debrief-ssg/debrief/internal/timeline"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
)

// Output is one file of the site and the content files it was made from.
type Output struct {
	Path string
	Data []byte
	// File, when set instead of Data, is a finished file in the
	// Renderer's ScratchDir to move into place: the site-wide data file
	// of a big site, written while its pages render (Renderer.Reload).
	File string
	// Deps are the content files whose change can change this output;
	// "*" means every content file (lists over the whole site).
	Deps []string
	// pooled: Data is a page buffer Renderer.Recycle may take back.
	pooled bool
}

// Renderer renders sites with one theme.
type Renderer struct {
	// Cache, when set, keeps per-incident work across the builds of a
	// watch session.
	Cache *Cache
	// Reload, when set, gives a slimmed incident (site.Incident.Slim) back
	// its parse trees and analysis before its page is rendered; the page
	// done, the incident is slimmed again. What the site-wide outputs need
	// of it is taken meanwhile, and incidents.json is written as the pages
	// are (Output.File): at 100,000 incidents it is over a gigabyte.
	// Reload returns false for an incident whose page cannot be rendered
	// (a sketch's body with errors, which Reload reports itself): the
	// other pages go on, so that every such error is found, and then
	// rendering ends with ErrIncomplete.
	Reload func(*site.Incident) (bool, error)
	// ScratchDir holds temporary files while slimmed incidents render (the
	// build's staging folder); "" means the system's.
	ScratchDir string
	Theme      *Theme
	MD         goldmark.Markdown
	BaseURL    string
	Version    string

	sizes sync.Map  // page kind → *atomic.Int64, the size to start a page's buffer at
	bufs  sync.Pool // *[]byte: page buffers given back by Recycle
	// templatesOnly renders incident and list pages by the templates even
	// where incidentPage and listPage would write them (for the test that
	// holds the two to the same bytes).
	templatesOnly bool
}

// Recycle gives o's page buffer back for the next page to render into,
// once o has been written and nothing holds o.Data. A build's pages were
// a tenth of what it allocated, each buffer used once.
func (r *Renderer) Recycle(o Output) {
	if o.pooled && cap(o.Data) <= maxPooled {
		b := o.Data[:0]
		r.bufs.Put(&b)
	}
}

// maxPooled: bigger pages (a big site's lists) are few; holding on to
// their buffers would keep megabytes for pages that need kilobytes.
const maxPooled = 1 << 20

// Page is what every template gets.
type Page struct {
	SiteTitle string
	Title     string
	Root      string // relative path to the site root, "" or "../../"
	Canonical string // absolute URL when a base URL is set
	Kind      string
	Version   string

	Incident  *IncidentView
	Incidents []*Card
	Severity  []Count
	Actions   []ActionView
	Body      template.HTML

	// Knowledge-base pages.
	Heading   string        // list pages: what the list is
	Facets    *Facets       // filter links (and, with the script, selects)
	Durations []FigureDist  // time to detect … resolve, as distributions
	Chart     *MonthChart   // incidents by month
	Taxonomy  *TaxonomyView // a term index page
	Reports   []*ReportCard // the CAN report browser
	Patterns  *PatternsView // the command observations across incidents
	FeedHref  string
}

// Count is a label and a number.
type Count struct {
	Label string
	N     int
}

// Card is an incident in a list.
type Card struct {
	Href, ID, Title, Date, DateISO, Severity, Status, Summary string
	Services                                                  []LinkView
	Duration                                                  string
	Year                                                      string
	ServiceKey                                                string // "|e-mail|login|", for the filter script

	html template.HTML // CardHTML's, when made once for every list (cardCache)
}

// cardCache makes each incident's card, and its HTML, once for all the
// lists at one depth: an incident is a card on a dozen lists or more, and
// making it for each was most of their rendering.
type cardCache struct {
	mu sync.Mutex
	m  map[cardKey]*Card
}

type cardKey struct {
	inc  *site.Incident
	root string
}

// get returns inc's card on a page at root; the card is shared, and
// nothing may change it.
func (c *cardCache) get(s *site.Site, inc *site.Incident, root string) *Card {
	k := cardKey{inc, root}
	c.mu.Lock()
	cd := c.m[k]
	c.mu.Unlock()
	if cd != nil {
		return cd
	}
	v := card(s, inc, root)
	v.html = CardHTML(&v)
	c.mu.Lock()
	defer c.mu.Unlock()
	if cd = c.m[k]; cd == nil {
		if c.m == nil {
			c.m = map[cardKey]*Card{}
		}
		cd = &v
		c.m[k] = cd
	}
	return cd
}

// IncidentView is an incident page's data.
type IncidentView struct {
	Card
	Root          string // relative path to the site root, as Page.Root
	Zone          string
	Commander     string
	CommanderHref string
	Roles         []content.Role
	Participants  []LinkView
	Components    []LinkView
	Customers     []LinkView
	Tags          []LinkView
	Figures       []Figure
	Moments       []MomentView
	CAN           CANView
	// Observations are the command observations of the log.
	Observations []ObservationView
	Intro        template.HTML
	Entries      []EntryView
	Body         template.HTML
	Related      []RelatedView
	Backlinks    []LinkView
	Actions      []ActionView
	Axis         *Axis
	Actors       []string
	// AsOf holds the CAN report as of every entry, for the timeline's
	// script: computed here so the CAN rules have one implementation.
	AsOf *AsOfData
	// AsOfJSON is AsOf as JSON, the bytes html/template would write for
	// it in a script, without its reflection.
	AsOfJSON template.JS
}

// AsOfData is the point-in-time CAN report at each entry. Lines are shared
// between entries; each entry lists its lines by index, per section.
type AsOfData struct {
	Lines [][4]string         `json:"lines"` // text, kind, entry anchor, clock
	At    map[string][3][]int `json:"at"`    // entry anchor → conditions, actions, needs
}

// Figure is a key figure in the header.
type Figure struct{ Label, Value string }

// MomentView is a key moment.
type MomentView struct {
	Name, Clock, ISO, Anchor string
	Derived                  bool // marked by the log's words, not front matter
}

// CANView is a CAN report as shown.
type CANView struct {
	Derived  bool
	AsOf     string
	Sections []CANSection
	// Missing: the file has no timeline and no author-written report, so
	// there is no report to show (never an empty derived one).
	Missing bool
}

// CANSection is one of Conditions, Actions, Needs.
type CANSection struct {
	Name  string
	Kind  string
	Lines []CANLine
}

// CANLine is one line, linked to its entry when it has one.
type CANLine struct{ Text, Anchor, Clock string }

// EntryView is a timeline entry.
type EntryView struct {
	Anchor, Clock, ISO, Actor string
	Kinds                     []string // tags as written
	Classes                   string   // kinds, tagged or classified: "condition need"
	HTML                      template.HTML
	DayBreak                  string // the date, on the first entry of a new day
}

// RelatedView is a related incident with why.
type RelatedView struct {
	Href, Title, ID, Label string
	Reasons                []string
}

// LinkView is a plain link.
type LinkView struct{ Href, Title, ID string }

// ActionView is an action item.
type ActionView struct {
	Title, Owner, Status, Ticket, Due string
	IncidentHref, IncidentID          string
}

// Render renders every output of the site.
func (r *Renderer) Render(s *site.Site) ([]Output, error) {
	outs, _, err := r.RenderSelected(s, nil)
	return outs, err
}

// RenderSelected renders the outputs whose path sel accepts (all when sel
// is nil) and returns them with the paths of every output the site has, so
// an incremental build can re-render only what an edit touched and remove
// what no longer exists.
func (r *Renderer) RenderSelected(s *site.Site, sel func(path string) bool) ([]Output, []string, error) {
	var outs []Output
	all, err := r.RenderTo(s, sel, func(o Output) error {
		outs = append(outs, o)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(outs, func(a, b Output) int { return strings.Compare(a.Path, b.Path) })
	return outs, all, nil
}

// RenderPages renders the pages of incs (incidents or pages) and nothing
// else: the fast path of a save, which must not cost a walk over every
// list of a big site.
func (r *Renderer) RenderPages(s *site.Site, incs []*site.Incident) ([]Output, error) {
	var outs []Output
	for _, inc := range incs {
		render := r.incident
		if inc.Type == content.TypePage {
			render = r.page
		}
		o, err := render(s, inc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", inc.Path, err)
		}
		outs = append(outs, o)
	}
	slices.SortFunc(outs, func(a, b Output) int { return strings.Compare(a.Path, b.Path) })
	return outs, nil
}

// RenderTo renders the selected outputs and hands each to emit as soon as it
// is ready, so a big site need not be held in memory. It returns the paths
// of every output the site has.
func (r *Renderer) RenderTo(s *site.Site, sel func(path string) bool, emit func(Output) error) ([]string, error) {
	var all []string
	want := func(p string) bool {
		all = append(all, p)
		return sel == nil || sel(p)
	}
	// Incident pages are most of the work and independent: render them on
	// every core, and hand each on as it is done.
	var todo []*site.Incident
	for _, inc := range s.Incidents {
		if want(site.URL(inc)) {
			todo = append(todo, inc)
		}
	}
	// Slimmed incidents (Reload) keep only the last entry of their
	// timeline: what the site-wide outputs need of each is taken while its
	// page renders.
	var sp *spool
	if r.Reload != nil {
		if sel != nil {
			return nil, errors.New("rendering slimmed incidents needs every output")
		}
		var err error
		if sp, err = newSpool(r.ScratchDir, len(s.Incidents)); err != nil {
			return nil, err
		}
		defer sp.close()
	}
	var skipped atomic.Int64
	err := parallel(len(todo), func(i int) (Output, error) {
		inc := todo[i]
		if r.Reload != nil {
			ok, err := r.Reload(inc)
			if err != nil {
				return Output{}, fmt.Errorf("%s: %w", inc.Path, err)
			}
			if !ok {
				skipped.Add(1)
				if sp != nil {
					sp.skip(i)
				}
				return Output{}, nil
			}
		}
		o, err := r.incident(s, inc)
		if err == nil && sp != nil {
			err = sp.add(s, i, inc) // todo is s.Incidents: every output is wanted
		}
		if r.Reload != nil {
			inc.Slim()
		}
		if err != nil {
			return Output{}, fmt.Errorf("%s: %w", inc.Path, err)
		}
		return o, nil
	}, func(o Output) error {
		if o.Path == "" {
			return nil // skipped
		}
		return emit(o)
	})
	if err != nil {
		return nil, err
	}
	if skipped.Load() > 0 {
		return nil, ErrIncomplete
	}
	// Then everything else, which reads what the incident pages left (a
	// derived CAN report is made with its page): on every core again.
	var jobs []job
	for _, p := range s.Pages {
		if want(site.URL(p)) {
			jobs = append(jobs, func() (Output, error) {
				o, err := r.page(s, p)
				if err != nil {
					return o, fmt.Errorf("%s: %w", p.Path, err)
				}
				return o, nil
			})
		}
	}
	if want("index.html") {
		jobs = append(jobs, func() (Output, error) {
			idx, err := r.index(s)
			if err != nil {
				return idx, fmt.Errorf("index: %w", err)
			}
			return idx, nil
		})
	}
	if want("404.html") {
		jobs = append(jobs, func() (Output, error) {
			nf, err := r.exec("404", &Page{SiteTitle: s.Config.Title, Title: "Page not found", Root: r.root404(), Kind: "404", Version: r.Version})
			if err != nil {
				return Output{}, fmt.Errorf("404: %w", err)
			}
			return Output{Path: "404.html", Data: nf, pooled: true}, nil
		})
	}
	jobs = append(jobs, r.knowledgeBase(s, want, sp)...)
	if want("incidents.json") {
		jobs = append(jobs, func() (Output, error) {
			o := Output{Path: "incidents.json", Deps: []string{"*"}}
			if sp != nil {
				var err error
				o.File, err = sp.finish()
				return o, err
			}
			var err error
			if o.Data, err = incidentsJSON(s, r.Cache); err != nil {
				return o, fmt.Errorf("incidents.json: %w", err)
			}
			return o, nil
		})
	}
	names := make([]string, 0, len(r.Theme.assets))
	for name := range r.Theme.assets {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if want("assets/" + name) {
			jobs = append(jobs, func() (Output, error) {
				return Output{Path: "assets/" + name, Data: r.Theme.assets[name]}, nil
			})
		}
	}
	if want("sitemap.xml") {
		// Every want above has run: all is complete when this job runs.
		jobs = append(jobs, func() (Output, error) {
			lastmod := map[string]time.Time{}
			for _, inc := range s.Incidents {
				lastmod[site.URL(inc)] = entryUpdated(inc)
			}
			sm, err := r.Sitemap(all, lastmod)
			if err != nil {
				return Output{}, fmt.Errorf("sitemap.xml: %w", err)
			}
			return Output{Path: "sitemap.xml", Data: sm, Deps: []string{"*"}}, nil
		})
	}
	if err := parallel(len(jobs), func(i int) (Output, error) { return jobs[i]() }, emit); err != nil {
		return nil, err
	}
	slices.Sort(all)
	return all, nil
}

// ErrIncomplete is RenderTo's error when Reload could not give some
// incidents their pages back: the site-wide outputs are not rendered.
var ErrIncomplete = errors.New("some incident pages could not be rendered")

// job renders one output.
type job func() (Output, error)

// parallel runs job(0) … job(n-1) on every core and hands each output to
// emit, on the calling goroutine, as soon as it is ready. After the first
// error nothing more is emitted; the workers finish and that error returns.
func parallel(n int, job func(i int) (Output, error), emit func(Output) error) error {
	type done struct {
		out Output
		err error
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	// Buffered, so the workers go on while the caller writes.
	results := make(chan done, 4*workers)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				o, err := job(i)
				results <- done{o, err}
			}
		}()
	}
	stop := make(chan struct{})
	go func() {
		defer func() { wg.Wait(); close(results) }()
		defer close(next)
		for i := range n {
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	var firstErr error
	for d := range results {
		if firstErr != nil {
			continue // drain, so the workers finish
		}
		if firstErr = d.err; firstErr == nil {
			firstErr = emit(d.out)
		}
		if firstErr != nil {
			close(stop)
		}
	}
	return firstErr
}

// The 404 page is served at any depth, so its links go from the server root
// (or the base URL), not relative to itself.
func (r *Renderer) root404() string {
	if r.BaseURL != "" {
		u, err := url.Parse(r.BaseURL)
		if err == nil {
			return strings.TrimSuffix(u.Path, "/") + "/"
		}
	}
	return "/"
}

func (r *Renderer) exec(kind string, p *Page) ([]byte, error) {
	t := r.Theme.pages[kind]
	// Pages of a kind are alike in size per thing they show: start at the
	// last one's size per thing, rather than copying a page over and over
	// as its buffer doubles. A hint per page instead (the last page's
	// size) made the next, longer page grow its buffer: three times the
	// page's size allocated, a fifth of a build's.
	units := pageUnits(p)
	hint, ok := r.sizes.Load(kind)
	if !ok {
		hint, _ = r.sizes.LoadOrStore(kind, new(atomic.Int64))
	}
	want := int(min(hint.(*atomic.Int64).Load()*units, maxSizeHint))
	var buf *bytes.Buffer
	if b, _ := r.bufs.Get().(*[]byte); b != nil && cap(*b) >= want {
		buf = bytes.NewBuffer((*b)[:0])
	} else {
		buf = new(bytes.Buffer)
		buf.Grow(want)
	}
	switch {
	case kind == "incident" && r.Theme.goIncident && !r.templatesOnly:
		incidentPage(buf, p)
	case kind == "list" && r.Theme.goList && !r.templatesOnly:
		listPage(buf, p)
	default:
		if err := t.ExecuteTemplate(buf, "layouts/baseof.html", p); err != nil {
			return nil, err
		}
	}
	per := int64(buf.Len()) / units
	hint.(*atomic.Int64).Store(per + per/16)
	return buf.Bytes(), nil
}

// pageUnits measures what a page shows: its timeline's entries, or the
// incidents it lists, a unit per KB of its written review, plus the page
// around them (about ten entries' worth). A long review with few entries
// must not make the next page's entries each ask for a KB of prose.
func pageUnits(p *Page) int64 {
	n := len(p.Incidents) + len(p.Reports) + len(p.Body)>>10
	if v := p.Incident; v != nil {
		n += len(v.Entries) + len(v.Body)>>10 + len(v.Intro)>>10
	}
	return int64(n) + 10
}

// maxSizeHint caps exec's starting buffer: a bigger page grows its own.
const maxSizeHint = 4 << 20

func (r *Renderer) canonical(siteURL string) string {
	if r.BaseURL == "" {
		return ""
	}
	return strings.TrimSuffix(r.BaseURL, "/") + "/" + strings.TrimSuffix(siteURL, "index.html")
}

// html renders n with w, one writer for all of a page's Markdown.
func (r *Renderer) html(w *markdown.Writer, inc *site.Incident, n ast.Node) (template.HTML, error) {
	if n == nil {
		return "", nil
	}
	h, err := w.Render(r.MD, inc.Body, n)
	// goldmark escapes text and drops raw HTML unless the site allows it.
	return template.HTML(h), err
}

func card(s *site.Site, inc *site.Incident, root string) Card {
	c := Card{
		Href: root + site.URL(inc), ID: inc.ID, Title: inc.Title,
		Date: inc.Date.Format("2 Jan 2006"), DateISO: inc.Date.Format("2006-01-02"),
		Severity: inc.Severity, Status: inc.Status, Summary: inc.Summary,
		Year: inc.Date.Format("2006"), ServiceKey: "|" + strings.ToLower(strings.Join(inc.Services, "|")) + "|",
	}
	c.Services = termLinks(s, "services", inc.Services, root)
	for _, d := range inc.Durations {
		if d.Name == "resolve" {
			c.Duration = FormatDuration(d.D)
		}
	}
	return c
}

func (r *Renderer) incident(s *site.Site, inc *site.Incident) (Output, error) {
	w := &markdown.Writer{}
	u := site.URL(inc)
	root := site.RootRel(u)
	v := &IncidentView{
		Card: card(s, inc, root), Root: root, Zone: inc.Location.String(), Commander: inc.Commander, Roles: inc.Roles,
		Participants: termLinks(s, "people", inc.Participants, root), Components: termLinks(s, "components", inc.Components, root),
		Customers: termLinks(s, "customers", inc.Customers, root), Tags: termLinks(s, "tags", inc.Tags, root),
		CommanderHref: termHref(s, "people", inc.Commander, root),
	}
	deps := []string{inc.Path}
	for _, d := range inc.Durations {
		v.Figures = append(v.Figures, Figure{figureLabel(d.Name), FormatDuration(d.D)})
	}
	if len(inc.Moments) > 0 {
		v.Moments = make([]MomentView, 0, len(inc.Moments))
	}
	for _, m := range inc.Moments {
		mv := MomentView{Name: m.Name, Clock: clockIn(m.At, inc.Location), ISO: m.At.Format(time.RFC3339), Derived: m.Derived}
		for _, e := range inc.Timeline.Entries {
			if e.At.Equal(m.At) {
				mv.Anchor = e.Anchor
				break
			}
		}
		v.Moments = append(v.Moments, mv)
	}
	v.CAN = canView(inc.CAN, inc.Location)
	v.Observations = observationViews(inc)
	var err error
	if len(inc.Timeline.Intro) > 0 {
		doc := ast.NewDocument()
		for _, n := range inc.Timeline.Intro {
			doc.AppendChild(doc, n)
		}
		if v.Intro, err = r.html(w, inc, doc); err != nil {
			return Output{}, err
		}
	}
	kinds := entryKinds(inc)
	v.Axis = buildAxis(inc, kinds, time.Duration(s.Config.Timeline.SilenceMinutes)*time.Minute)
	v.AsOf = asOfData(inc, can.Options{MaxLines: s.Config.CAN.MaxLines, MaxWords: s.Config.CAN.MaxWords})
	if v.AsOf != nil {
		js, err := v.AsOf.MarshalJSON()
		if err != nil {
			return Output{}, err
		}
		v.AsOfJSON = template.JS(js)
	}
	actors := map[string]bool{}
	lastDay := 0
	if len(inc.Timeline.Entries) > 0 {
		v.Entries = make([]EntryView, 0, len(inc.Timeline.Entries))
	}
	for i, e := range inc.Timeline.Entries {
		h, err := r.html(w, inc, e.Content)
		if err != nil {
			return Output{}, err
		}
		ev := EntryView{Anchor: e.Anchor, Clock: e.Clock, ISO: e.ISO(), Actor: e.Actor, Kinds: e.Kinds, HTML: h}
		ev.Classes = strings.Join(kinds[e.Anchor], " ")
		if ev.Classes == "" {
			ev.Classes = "other"
		}
		if e.Actor != "" && !actors[e.Actor] {
			actors[e.Actor] = true
			v.Actors = append(v.Actors, e.Actor)
		}
		// The day's name is made only where it changes.
		local := e.At.In(inc.Location)
		y, m, d := local.Date()
		day := y*10000 + int(m)*100 + d
		if day != lastDay && i > 0 {
			ev.DayBreak = local.Format("Mon 2 Jan 2006")
		}
		lastDay = day
		v.Entries = append(v.Entries, ev)
	}
	if v.Body, err = r.html(w, inc, inc.Doc); err != nil {
		return Output{}, err
	}
	for _, l := range s.Related[inc] {
		to := s.Incidents[l.To]
		v.Related = append(v.Related, RelatedView{Href: root + site.URL(to), Title: to.Title, ID: to.ID, Label: RelationLabel(l), Reasons: l.Reasons})
		deps = append(deps, to.Path)
	}
	for _, b := range s.Backlinks[inc] {
		v.Backlinks = append(v.Backlinks, LinkView{Href: root + site.URL(b), Title: b.Title, ID: b.ID})
		deps = append(deps, b.Path)
	}
	for _, to := range s.Refs[inc] {
		deps = append(deps, to.Path) // their titles appear in our links
	}
	for _, a := range inc.ActionItems {
		v.Actions = append(v.Actions, ActionView{Title: a.Title, Owner: a.Owner, Status: a.Status, Ticket: a.Ticket, Due: a.Due})
	}
	data, err := r.exec("incident", &Page{SiteTitle: s.Config.Title, Title: inc.Title, Root: root, Canonical: r.canonical(u), Kind: "incident", Incident: v, Version: r.Version})
	slices.Sort(deps)
	return Output{Path: u, Data: data, pooled: true, Deps: slices.Compact(deps)}, err
}

// lineOf numbers the line sentence si makes in d. Two sentences of one
// entry (they are next to each other in the analysis) may make the same
// line: it is numbered once.
func lineOf(d *AsOfData, sentences []can.Sentence, numbered []int32, si int, l can.Line, loc *time.Location) int {
	key := [4]string{l.Text, string(l.Kind), l.Entry, clockIn(l.At, loc)}
	entry := sentences[si].Entry
	for _, dir := range [2]int{-1, 1} {
		for k := si + dir; k >= 0 && k < len(sentences) && sentences[k].Entry == entry; k += dir {
			if n := numbered[k]; n > 0 && d.Lines[n-1] == key {
				return int(n) - 1
			}
		}
	}
	d.Lines = append(d.Lines, key)
	return len(d.Lines) - 1
}

// figureLabel is how the header names a key figure.
func figureLabel(name string) string {
	switch name {
	case "detect":
		return "Time to detect"
	case "acknowledge":
		return "Time to acknowledge"
	case "mitigate":
		return "Time to mitigate"
	case "resolve":
		return "Time to resolve"
	}
	return ""
}

// entryKinds returns, per entry anchor, the kinds of what it says: its tags
// and the classes of its sentences, in the order condition, action, need.
// The lists are shared between entries: read them, never change them.
func entryKinds(inc *site.Incident) map[string][]string {
	const condition, action, need = 1, 2, 4
	has := make(map[string]uint8, len(inc.Timeline.Entries))
	for _, sen := range inc.Analysis.Sentences {
		switch sen.Kind {
		case can.Condition:
			has[sen.Entry.Anchor] |= condition
		case can.Action:
			has[sen.Entry.Anchor] |= action
		case can.Need:
			has[sen.Entry.Anchor] |= need
		}
	}
	for _, e := range inc.Timeline.Entries {
		for _, t := range e.Kinds {
			switch t {
			case "impact", "condition":
				has[e.Anchor] |= condition
			case "decision", "action":
				has[e.Anchor] |= action
			case "need":
				has[e.Anchor] |= need
			}
		}
	}
	out := make(map[string][]string, len(has))
	for anchor, bits := range has {
		out[anchor] = kindLists[bits]
	}
	return out
}

// kindLists are the lists entryKinds gives, by their bits.
var kindLists = func() [8][]string {
	var out [8][]string
	for bits := 1; bits < 8; bits++ {
		for i, k := range []string{"condition", "action", "need"} {
			if bits&(1<<i) != 0 {
				out[bits] = append(out[bits], k)
			}
		}
	}
	return out
}()

// MaxAsOf is how many entries of one timeline get a report as of their
// moment; a longer log gets reports at evenly spaced entries, and the page
// shows the nearest earlier one, so a 100,000-entry log does not embed
// 100,000 reports in its page.
const MaxAsOf = 1500

// asOfData computes the derived CAN report as of each entry.
func asOfData(inc *site.Incident, opts can.Options) *AsOfData {
	es := inc.Timeline.Entries
	if len(es) == 0 {
		return nil
	}
	step := (len(es) + MaxAsOf - 1) / MaxAsOf
	var chosen []*timeline.Entry
	var times []time.Time
	for i, e := range es {
		if i%step == 0 || i == len(es)-1 {
			chosen = append(chosen, e)
			times = append(times, e.At)
		}
	}
	// A sentence always makes the same line: each is numbered once, by
	// its place in the analysis, not looked up by its text in every report.
	sentences := inc.Analysis.Sentences
	numbered := make([]int32, len(sentences)) // line number + 1; 0 not yet
	d := &AsOfData{Lines: make([][4]string, 0, len(sentences)), At: make(map[string][3][]int, len(chosen))}
	// Every report's line numbers, in one backing array.
	flat := make([]int, 0, len(chosen)*3*max(opts.MaxLines, 5))
	inc.Analysis.EachAsOfLines(times, opts, func(j int, r *can.Report, from [3][]*can.Sentence) {
		var sets [3][]int
		for i, sec := range [3][]can.Line{r.Conditions, r.Actions, r.Needs} {
			start := len(flat)
			for x, l := range sec {
				si := from[i][x].Index
				if numbered[si] == 0 {
					numbered[si] = int32(lineOf(d, sentences, numbered, si, l, inc.Location)) + 1
				}
				flat = append(flat, int(numbered[si])-1)
			}
			sets[i] = flat[start:len(flat):len(flat)]
		}
		d.At[chosen[j].Anchor] = sets
	})
	return d
}

func (r *Renderer) page(s *site.Site, inc *site.Incident) (Output, error) {
	w := &markdown.Writer{}
	u := site.URL(inc)
	root := site.RootRel(u)
	body, err := r.html(w, inc, inc.Doc)
	if err != nil {
		return Output{}, err
	}
	deps := []string{inc.Path}
	for _, to := range s.Refs[inc] {
		deps = append(deps, to.Path)
	}
	data, err := r.exec("page", &Page{SiteTitle: s.Config.Title, Title: inc.Title, Root: root, Canonical: r.canonical(u), Kind: "page", Body: body, Version: r.Version})
	return Output{Path: u, Data: data, pooled: true, Deps: deps}, err
}

func (r *Renderer) index(s *site.Site) (Output, error) {
	p := &Page{SiteTitle: s.Config.Title, Title: s.Config.Title, Root: "", Canonical: r.canonical("index.html"), Kind: "index", Version: r.Version}
	counts := map[string]int{}
	for _, inc := range s.Incidents {
		p.Incidents = append(p.Incidents, ptr(card(s, inc, "")))
		counts[inc.Severity]++
		for _, a := range inc.ActionItems {
			if a.Open() {
				p.Actions = append(p.Actions, ActionView{Title: a.Title, Owner: a.Owner, Status: a.Status, Ticket: a.Ticket, Due: a.Due, IncidentHref: site.URL(inc), IncidentID: inc.ID})
			}
		}
	}
	for _, sev := range s.Config.Severities {
		p.Severity = append(p.Severity, Count{sev, counts[sev]})
	}
	if counts[""] > 0 {
		p.Severity = append(p.Severity, Count{"unrated", counts[""]})
	}
	p.Facets = facets(s, "")
	p.Durations = durationFigures(s)
	p.Chart = monthChart(s)
	p.FeedHref = "feed.xml"
	slices.SortStableFunc(p.Actions, func(a, b ActionView) int {
		if a.Due == "" || b.Due == "" {
			return strings.Compare(b.Due, a.Due) // undated last
		}
		return strings.Compare(a.Due, b.Due)
	})
	data, err := r.exec("index", p)
	return Output{Path: "index.html", Data: data, pooled: true, Deps: []string{"*"}}, err
}

func ptr[T any](v T) *T { return &v }

func canView(r *can.Report, loc *time.Location) CANView {
	if r == nil {
		return CANView{Missing: true}
	}
	v := CANView{Derived: r.Derived}
	if !r.AsOf.IsZero() {
		v.AsOf = clockIn(r.AsOf, loc)
	}
	for _, s := range r.Sections() {
		sec := CANSection{Name: s.Name, Kind: strings.TrimSuffix(strings.ToLower(s.Name), "s")}
		for _, l := range s.Lines {
			cl := CANLine{Text: l.Text, Anchor: l.Entry}
			if !l.At.IsZero() {
				cl.Clock = clockIn(l.At, loc)
			}
			sec.Lines = append(sec.Lines, cl)
		}
		v.Sections = append(v.Sections, sec)
	}
	return v
}

func clockIn(t time.Time, loc *time.Location) string {
	return can.FormatClock(t.In(loc))
}

// RelationLabel says how two incidents relate, from the viewing side.
func RelationLabel(l related.Link) string {
	switch {
	case !l.Explicit:
		return ""
	case l.Relation == "caused-by" && !l.Inverse:
		return "caused by"
	case l.Relation == "caused-by":
		return "led to"
	case l.Relation == "follow-up" && !l.Inverse:
		return "follow-up of"
	case l.Relation == "follow-up":
		return "followed up by"
	case l.Relation == "":
		return "related"
	}
	return l.Relation
}

// FormatDuration writes a duration as people say it: 2h 17m, 45m, 1d 3h.
func FormatDuration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var s string
	switch {
	case days > 0:
		s = fmt.Sprintf("%dd %dh", days, hours)
	case hours > 0:
		s = fmt.Sprintf("%dh %02dm", hours, mins)
	default:
		s = fmt.Sprintf("%dm", mins)
	}
	if neg {
		s = "−" + s
	}
	return s
}

var funcs = template.FuncMap{
	"entries":    EntriesHTML,
	"marks":      MarksHTML,
	"card":       CardHTML,
	"axis":       AxisHTML,
	"report":     ReportHTML,
	"facts":      FactsHTML,
	"canreport":  CANGridHTML,
	"moments":    MomentsHTML,
	"links":      LinksHTML,
	"headline":   HeadlineHTML,
	"actors":     ActorOptionsHTML,
	"actionrows": ActionRowsHTML,
	"add":        func(a, b float64) float64 { return a + b },
	"sub":        func(a, b float64) float64 { return a - b },
	"half":       func(a float64) float64 { return a / 2 },
	"join":       strings.Join,
	"lower":      strings.ToLower,
	"title":      titleCase,
}

// JSON shapes of incidents.json.
type jsonIncident struct {
	ID         string            `json:"id"`
	Title      string            `json:"title"`
	URL        string            `json:"url"`
	Date       string            `json:"date"`
	Severity   string            `json:"severity,omitempty"`
	Status     string            `json:"status,omitempty"`
	Services   []string          `json:"services"`
	Components []string          `json:"components"`
	Customers  []string          `json:"customers"`
	Tags       []string          `json:"tags"`
	People     []string          `json:"people"`
	Summary    string            `json:"summary"`
	Moments    map[string]string `json:"moments"`
	// Derived names the moments the log's words marked, not front matter.
	Derived   []string         `json:"moments_derived,omitempty"`
	Durations map[string]int64 `json:"durations_seconds"`
	CAN       *can.Report      `json:"can"`
	// Observations are the command observations of the log, [] for none.
	Observations []can.Observation `json:"observations"`
	Timeline     []jsonEntry       `json:"timeline"`
	Related      []jsonRelated     `json:"related"`
}

type jsonEntry struct {
	At     string   `json:"at"`
	Anchor string   `json:"anchor"`
	Kinds  []string `json:"kinds"`
	Actor  string   `json:"actor,omitempty"`
	Text   string   `json:"text"`
}

type jsonRelated struct {
	ID       string   `json:"id"`
	Relation string   `json:"relation,omitempty"`
	Score    float64  `json:"score"`
	Reasons  []string `json:"reasons"`
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// IncidentsJSON renders every incident as data.
func IncidentsJSON(s *site.Site) ([]byte, error) { return incidentsJSON(s, nil) }

// Cache keeps per-incident work between the builds of a watch session: an
// unchanged incident (the same *site.Incident) is not encoded or tokenised
// again. The zero value is not usable; make one with NewCache.
type Cache struct {
	mu     sync.Mutex
	json   map[*site.Incident]cachedJSON
	tokens map[*site.Incident][]string
}

type cachedJSON struct {
	key  string
	data []byte
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{json: map[*site.Incident]cachedJSON{}, tokens: map[*site.Incident][]string{}}
}

// Forget drops what the cache holds for an incident whose analysis changed
// in place.
func (c *Cache) Forget(inc *site.Incident) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.json, inc)
	delete(c.tokens, inc)
}

// Prune forgets incidents that are no longer in the site.
func (c *Cache) Prune(s *site.Site) {
	if c == nil {
		return
	}
	keep := map[*site.Incident]bool{}
	for _, inc := range s.Incidents {
		keep[inc] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for inc := range c.json {
		if !keep[inc] {
			delete(c.json, inc)
		}
	}
	for inc := range c.tokens {
		if !keep[inc] {
			delete(c.tokens, inc)
		}
	}
}

func incidentsJSON(s *site.Site, c *Cache) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeIncidentsJSON(&buf, s, c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// appendFragment appends inc's entry of incidents.json to dst (nil for a
// new slice), with its related incidents rel.
func appendFragment(dst []byte, inc *site.Incident, rel []jsonRelated) ([]byte, error) {
	j := incidentJSON(inc)
	if rel != nil {
		j.Related = rel
	}
	if dst == nil {
		// About 200 bytes an entry: room for them all, not grown twice.
		dst = make([]byte, 0, 2048+256*len(j.Timeline))
	}
	// One line per incident: an eighth smaller than indented, and still
	// a line per incident to diff and grep.
	return appendIncident(dst, &j)
}

// jsonFragment is one incident's entry of incidents.json, from the cache
// when it is there (c may be nil).
func jsonFragment(s *site.Site, inc *site.Incident, c *Cache) ([]byte, error) {
	rel := jsonRelations(s, inc)
	var key string
	if c != nil {
		key = fmt.Sprint(rel)
		c.mu.Lock()
		hit, ok := c.json[inc]
		c.mu.Unlock()
		if ok && hit.key == key {
			return hit.data, nil
		}
	}
	frag, err := appendFragment(nil, inc, rel)
	if err != nil {
		return nil, err
	}
	if c != nil {
		c.mu.Lock()
		c.json[inc] = cachedJSON{key, frag}
		c.mu.Unlock()
	}
	return frag, nil
}

// jsonRelations are inc's related incidents as incidents.json gives them.
func jsonRelations(s *site.Site, inc *site.Incident) []jsonRelated {
	var rel []jsonRelated
	for _, l := range s.Related[inc] {
		r := l.Relation
		if l.Explicit && r == "" {
			r = "related"
		}
		rel = append(rel, jsonRelated{ID: s.Incidents[l.To].ID, Relation: r, Score: l.Score, Reasons: orEmpty(l.Reasons)})
	}
	return rel
}

// spool holds what site-wide outputs need of each incident of a big
// one-shot build, taken while its page is rendered so its timeline can go:
// its entry of incidents.json, written in site order to a file in the
// scratch folder that becomes incidents.json itself, and its search words,
// as postings. Pages finish a little out of order: an entry that comes
// early waits in pending for those before it.
type spool struct {
	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	n       int            // incidents
	next    int            // the next incident to write
	pending map[int][]byte // entries done before those ahead of them
	search  *search.Builder
	tokens  sync.Pool // of *search.Tokenizer, one per worker at a time
	frags   sync.Pool // of *[]byte, an entry's buffer once it is written
}

func newSpool(dir string, n int) (*spool, error) {
	f, err := createOutput(dir, ".debrief-incidents-*.json")
	if err != nil {
		return nil, fmt.Errorf("spooling incidents.json: %w", err)
	}
	sp := &spool{f: f, w: bufio.NewWriterSize(f, 64<<10), n: n, pending: map[int][]byte{}, search: search.NewBuilder()}
	if n > 0 {
		sp.w.WriteString("[\n")
	}
	return sp, nil
}

// createOutput makes a new file in dir named by pattern's "*", with the
// mode every output gets (0o644 less the umask): os.CreateTemp's is
// 0o600, and a chmod would ignore the umask.
func createOutput(dir, pattern string) (*os.File, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	prefix, suffix, _ := strings.Cut(pattern, "*")
	for i := 0; ; i++ {
		name := filepath.Join(dir, prefix+strconv.Itoa(os.Getpid())+"-"+strconv.Itoa(i)+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) || i >= 10000 {
			return f, err
		}
	}
}

func (sp *spool) close() {
	sp.f.Close() // again after finish: harmless
	os.Remove(sp.f.Name())
}

// add takes incident number i (its place in the site) while it is whole.
func (sp *spool) add(s *site.Site, i int, inc *site.Incident) error {
	tk, _ := sp.tokens.Get().(*search.Tokenizer)
	if tk == nil {
		tk = new(search.Tokenizer)
	}
	sp.search.Add(i, tk.DocTokens(inc))
	sp.tokens.Put(tk)
	buf, _ := sp.frags.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	frag, err := appendFragment((*buf)[:0], inc, jsonRelations(s, inc))
	if err != nil {
		return err
	}
	if cap(frag) <= 1<<20 { // one huge log's buffer is not kept
		*buf = frag
		defer sp.frags.Put(buf)
	}
	sp.put(i, frag)
	return nil
}

// skip stands for incident i, whose page was not rendered: the build
// fails, but the entries after it must not wait for it.
func (sp *spool) skip(i int) { sp.put(i, nil) }

// put writes incident i's entry (none for nil) once those before it are
// written, and any that waited for it; an entry that comes early is
// copied to wait. Write errors surface at finish, from the writer.
func (sp *spool) put(i int, frag []byte) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if i != sp.next {
		sp.pending[i] = slices.Clone(frag)
		return
	}
	for {
		if len(frag) > 0 {
			sp.w.Write(frag)
			if sp.next < sp.n-1 {
				sp.w.WriteByte(',')
			}
			sp.w.WriteByte('\n')
		}
		sp.next++
		var waiting bool
		if frag, waiting = sp.pending[sp.next]; !waiting {
			return
		}
		delete(sp.pending, sp.next)
	}
}

// finish ends incidents.json once every incident is put, and returns the
// file's path.
func (sp *spool) finish() (string, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.next != sp.n {
		return "", fmt.Errorf("spooling incidents.json: %d of %d incidents written", sp.next, sp.n)
	}
	if sp.n == 0 {
		sp.w.WriteString("[]\n")
	} else {
		sp.w.WriteString("]\n")
	}
	if err := sp.w.Flush(); err != nil {
		return "", fmt.Errorf("spooling incidents.json: %w", err)
	}
	// Closed before it is moved: Windows renames no file that is open.
	if err := sp.f.Close(); err != nil {
		return "", fmt.Errorf("spooling incidents.json: %w", err)
	}
	return sp.f.Name(), nil
}

// writeIncidentsJSON writes every incident as data, one at a time.
func writeIncidentsJSON(w io.Writer, s *site.Site, c *Cache) error {
	if len(s.Incidents) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("[\n")
	for i, inc := range s.Incidents {
		frag, err := jsonFragment(s, inc, c)
		if err != nil {
			return err
		}
		bw.Write(frag)
		if i < len(s.Incidents)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

func incidentJSON(inc *site.Incident) jsonIncident {
	j := jsonIncident{
		ID: inc.ID, Title: inc.Title, URL: site.URL(inc), Date: inc.Date.Format("2006-01-02"),
		Severity: inc.Severity, Status: inc.Status,
		Services: orEmpty(inc.Services), Components: orEmpty(inc.Components), Customers: orEmpty(inc.Customers),
		Tags: orEmpty(inc.Tags), People: orEmpty(inc.People()), Summary: inc.Summary,
		Moments: map[string]string{}, Durations: map[string]int64{}, CAN: inc.CAN, Observations: inc.Observations,
		Timeline: make([]jsonEntry, 0, len(inc.Timeline.Entries)), Related: []jsonRelated{},
	}
	if j.Observations == nil {
		j.Observations = []can.Observation{}
	}
	if inc.HasTime {
		j.Date = inc.Date.Format(time.RFC3339)
	}
	for _, m := range inc.Moments {
		j.Moments[m.Name] = m.At.Format(time.RFC3339)
		if m.Derived {
			j.Derived = append(j.Derived, m.Name)
		}
	}
	for _, d := range inc.Durations {
		j.Durations[d.Name] = int64(d.D / time.Second)
	}
	for _, e := range inc.Timeline.Entries {
		j.Timeline = append(j.Timeline, jsonEntry{At: e.ISO(), Anchor: e.Anchor, Kinds: orEmpty(e.Kinds), Actor: e.Actor, Text: e.Text})
	}
	return j
}
