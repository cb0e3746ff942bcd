package render

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/debrief-ssg/debrief/internal/metrics"
	"github.com/debrief-ssg/debrief/internal/search"
	"github.com/debrief-ssg/debrief/internal/site"
)

// Facets are the index's filters: each value links to a page listing its
// incidents, so filtering works without JavaScript.
type Facets struct {
	Groups []FacetGroup
}

// FacetGroup is one filter: severity, status, service or year.
type FacetGroup struct {
	Name, Key string // "Severity", "severity" (the card's data-* attribute)
	Values    []FacetValue
}

// FacetValue is one value with its page and count.
type FacetValue struct {
	Label, Value, Href string
	N                  int
}

// FigureDist is a duration shown as a distribution.
type FigureDist struct {
	Label, Median, P90, Max string
	N                       int
}

// MonthChart is the incidents-by-month bar chart, laid out at build time.
type MonthChart struct {
	Width, Height, Base float64
	Bars                []Bar
	Max                 int
}

// Bar is one month.
type Bar struct {
	X, Y, W, H float64
	Label      string // "Mar 2024"
	Tick       string // shown under some bars
	Count      int
}

// TaxonomyView is a term index page.
type TaxonomyView struct {
	Name, Singular string
	Terms          []TermView
}

// TermView is a term with its page and count.
type TermView struct {
	Name, Href string
	N          int
}

// ReportCard is one incident in the CAN report browser.
type ReportCard struct {
	Card
	CAN CANView
}

func termHref(s *site.Site, taxonomy, name, root string) string {
	if name == "" {
		return ""
	}
	for _, tx := range s.Taxonomies {
		if tx.Name != taxonomy {
			continue
		}
		// The term the name was grouped under (site.Taxonomy.Term).
		if t := tx.Term(name); t != nil {
			return root + tx.URL(t)
		}
	}
	return ""
}

func termLinks(s *site.Site, taxonomy string, names []string, root string) []LinkView {
	var out []LinkView
	for _, n := range names {
		out = append(out, LinkView{Title: n, Href: termHref(s, taxonomy, n, root)})
	}
	return out
}

// facetPages lists the incidents of each severity, status and year.
func facetPages(s *site.Site) map[string]map[string][]*site.Incident {
	out := map[string]map[string][]*site.Incident{"severity": {}, "status": {}, "year": {}}
	for _, inc := range s.Incidents {
		if inc.Severity != "" {
			out["severity"][inc.Severity] = append(out["severity"][inc.Severity], inc)
		}
		if inc.Status != "" {
			out["status"][inc.Status] = append(out["status"][inc.Status], inc)
		}
		y := inc.Date.Format("2006")
		out["year"][y] = append(out["year"][y], inc)
	}
	return out
}

// facetURL is where the page of one facet value lives.
func facetURL(key, value string) string {
	folder := map[string]string{"severity": "severity", "status": "status", "year": "years"}[key]
	return folder + "/" + site.Slug(value) + "/index.html"
}

func facets(s *site.Site, root string) *Facets {
	pages := facetPages(s)
	f := &Facets{}
	add := func(name, key string, values []string, href func(string) string, count func(string) int) {
		g := FacetGroup{Name: name, Key: key}
		for _, v := range values {
			if n := count(v); n > 0 {
				g.Values = append(g.Values, FacetValue{Label: v, Value: strings.ToLower(v), Href: href(v), N: n})
			}
		}
		if len(g.Values) > 0 {
			f.Groups = append(f.Groups, g)
		}
	}
	for _, key := range []string{"severity", "status"} {
		var values []string
		if key == "severity" {
			values = s.Config.Severities
		} else {
			values = []string{"open", "mitigated", "resolved", "closed"}
		}
		add(map[string]string{"severity": "Severity", "status": "Status"}[key], key, values,
			func(v string) string { return root + facetURL(key, v) },
			func(v string) int { return len(pages[key][v]) })
	}
	for _, tx := range s.Taxonomies {
		if tx.Name != "services" {
			continue
		}
		var names []string
		counts := map[string]int{}
		for _, t := range tx.Terms {
			names = append(names, t.Name)
			counts[t.Name] = len(t.Incidents)
		}
		add("Service", "service", names,
			func(v string) string { return termHref(s, "services", v, root) },
			func(v string) int { return counts[v] })
	}
	var years []string
	for y := range pages["year"] {
		years = append(years, y)
	}
	slices.Sort(years)
	slices.Reverse(years)
	add("Year", "year", years,
		func(v string) string { return root + facetURL("year", v) },
		func(v string) int { return len(pages["year"][v]) })
	return f
}

func durationFigures(s *site.Site) []FigureDist {
	var out []FigureDist
	for _, d := range metrics.Durations(s.Incidents) {
		out = append(out, FigureDist{Label: figureLabel(d.Name), Median: FormatDuration(d.Median), P90: FormatDuration(d.P90), Max: FormatDuration(d.Max), N: d.N})
	}
	return out
}

func monthChart(s *site.Site) *MonthChart {
	months := metrics.ByMonth(s.Incidents)
	if len(months) == 0 {
		return nil
	}
	c := &MonthChart{Width: 720, Height: 160, Base: 130}
	for _, m := range months {
		c.Max = max(c.Max, m.Count)
	}
	slot := (c.Width - 20) / float64(len(months))
	every := max(1, len(months)/12) // at most a dozen labels
	for i, m := range months {
		h := 0.0
		if c.Max > 0 {
			h = float64(m.Count) / float64(c.Max) * (c.Base - 20)
		}
		b := Bar{X: round1(10 + float64(i)*slot + slot*0.15), W: round1(slot * 0.7), H: round1(h), Y: round1(c.Base - h), Count: m.Count,
			Label: time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).Format("Jan 2006")}
		if i%every == 0 {
			b.Tick = time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).Format("Jan 06")
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

func paths(incs []*site.Incident) []string {
	out := make([]string, 0, len(incs))
	for _, inc := range incs {
		out = append(out, inc.Path)
	}
	slices.Sort(out)
	return out
}

// knowledgeBase returns the jobs that render the pages looking across
// incidents: taxonomy pages and their indexes, per-severity/status/year
// lists, the CAN report browser, search, and the Atom feed. On a big site
// they hold every incident many times over; they run on every core.
func (r *Renderer) knowledgeBase(s *site.Site, want func(string) bool, sp *spool) []job {
	var jobs []job
	var cards cardCache
	list := func(path, title, heading string, incs []*site.Incident) {
		if !want(path) {
			return
		}
		jobs = append(jobs, func() (Output, error) {
			deps := paths(incs)
			root := site.RootRel(path)
			p := &Page{SiteTitle: s.Config.Title, Title: title, Heading: heading, Root: root, Canonical: r.canonical(path), Kind: "list", Version: r.Version}
			for _, inc := range incs {
				p.Incidents = append(p.Incidents, cards.get(s, inc, root))
			}
			data, err := r.exec("list", p)
			if err != nil {
				return Output{}, fmt.Errorf("%s: %w", path, err)
			}
			return Output{Path: path, Data: data, pooled: true, Deps: deps}, nil
		})
	}
	// page is a job rendering one page of the site's own.
	page := func(path, kind string, p *Page, deps []string) {
		jobs = append(jobs, func() (Output, error) {
			data, err := r.exec(kind, p)
			if err != nil {
				return Output{}, fmt.Errorf("%s: %w", path, err)
			}
			return Output{Path: path, Data: data, pooled: true, Deps: deps}, nil
		})
	}
	for _, tx := range s.Taxonomies {
		idx := tx.Name + "/index.html"
		root := site.RootRel(idx)
		tv := &TaxonomyView{Name: tx.Name, Singular: tx.Singular}
		for _, t := range tx.Terms {
			// From taxonomy/index.html, a term page is one folder down.
			tv.Terms = append(tv.Terms, TermView{Name: t.Name, Href: t.Slug + "/index.html", N: len(t.Incidents)})
			list(tx.URL(t), t.Name, strings.ToUpper(tx.Singular[:1])+tx.Singular[1:]+": "+t.Name, t.Incidents)
		}
		if want(idx) {
			page(idx, "terms", &Page{SiteTitle: s.Config.Title, Title: strings.ToUpper(tx.Name[:1]) + tx.Name[1:], Root: root, Canonical: r.canonical(idx), Kind: "terms", Taxonomy: tv, Version: r.Version}, []string{"*"})
		}
	}
	names := map[string]string{"severity": "Severity", "status": "Status", "year": "Year"}
	pages := facetPages(s)
	for _, key := range []string{"severity", "status", "year"} {
		values := make([]string, 0, len(pages[key]))
		for v := range pages[key] {
			values = append(values, v)
		}
		slices.Sort(values)
		for _, v := range values {
			incs := pages[key][v]
			list(facetURL(key, v), names[key]+" "+v, names[key]+": "+v, incs)
		}
	}
	// The CAN report browser.
	if path := "can/index.html"; want(path) {
		jobs = append(jobs, func() (Output, error) {
			root := site.RootRel(path)
			p := &Page{SiteTitle: s.Config.Title, Title: "CAN reports", Root: root, Canonical: r.canonical(path), Kind: "reports", Facets: facets(s, root), Version: r.Version}
			for _, inc := range s.Incidents {
				p.Reports = append(p.Reports, &ReportCard{Card: card(s, inc, root), CAN: canView(inc.CAN, inc.Location)})
			}
			data, err := r.exec("reports", p)
			if err != nil {
				return Output{}, fmt.Errorf("%s: %w", path, err)
			}
			return Output{Path: path, Data: data, pooled: true, Deps: []string{"*"}}, nil
		})
	}
	// The command observations across incidents, when the theme has a
	// page for them (a theme made before them has not).
	if _, ok := r.Theme.pages["patterns"]; ok && want(PatternsPath) {
		root := site.RootRel(PatternsPath)
		page(PatternsPath, "patterns", &Page{SiteTitle: s.Config.Title, Title: "Command patterns", Root: root, Canonical: r.canonical(PatternsPath), Kind: "patterns", Patterns: patternsView(s, root), Version: r.Version}, []string{"*"})
	}
	// Search: the page, and the index as a script.
	if path := "search/index.html"; want(path) {
		page(path, "search", &Page{SiteTitle: s.Config.Title, Title: "Search", Root: site.RootRel(path), Canonical: r.canonical(path), Kind: "search", Version: r.Version}, nil)
	}
	if want("search-index.js") {
		jobs = append(jobs, func() (Output, error) {
			var ix *search.Index
			if sp != nil {
				ix = sp.search.Index(s.Incidents)
			} else {
				ix = search.BuildWith(s.Incidents, r.docTokens)
			}
			js, err := ix.Script()
			if err != nil {
				return Output{}, fmt.Errorf("search index: %w", err)
			}
			return Output{Path: "search-index.js", Data: js, Deps: []string{"*"}}, nil
		})
	}
	if want("feed.xml") {
		jobs = append(jobs, func() (Output, error) {
			feed, err := r.Feed(s)
			if err != nil {
				return Output{}, fmt.Errorf("feed.xml: %w", err)
			}
			return Output{Path: "feed.xml", Data: feed, Deps: []string{"*"}}, nil
		})
	}
	return jobs
}

// ListPages returns every page that lists incidents as cards — term pages
// and severity, status and year lists — with its members, without
// rendering: an incremental build compares memberships to know which to
// render again.
func ListPages(s *site.Site) map[string][]*site.Incident {
	out := map[string][]*site.Incident{}
	for _, tx := range s.Taxonomies {
		for _, t := range tx.Terms {
			out[tx.URL(t)] = t.Incidents
		}
	}
	for key, values := range facetPages(s) {
		for v, incs := range values {
			out[facetURL(key, v)] = incs
		}
	}
	return out
}

// docTokens is search.DocTokens, cached per incident in a watch session.
func (r *Renderer) docTokens(inc *site.Incident) []string {
	if r.Cache == nil {
		return search.DocTokens(inc)
	}
	r.Cache.mu.Lock()
	t, ok := r.Cache.tokens[inc]
	r.Cache.mu.Unlock()
	if !ok {
		t = search.DocTokens(inc)
		r.Cache.mu.Lock()
		r.Cache.tokens[inc] = t
		r.Cache.mu.Unlock()
	}
	return t
}
