package site

import (
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/related"
)

// Site is every analysed file of a site and the links between them.
type Site struct {
	Config    config.Config
	Incidents []*Incident // newest first
	Pages     []*Incident // type: page
	byID      map[string]*Incident
	byPath    map[string]*Incident
	// Refs[a] lists the incidents a's body links to; Backlinks the reverse.
	Refs      map[*Incident][]*Incident
	Backlinks map[*Incident][]*Incident
	Related   map[*Incident][]related.Link
	// Taxonomies groups incidents by service, component, customer, tag and
	// person.
	Taxonomies []*Taxonomy
}

// ReservedPageIDs are the names at the top of the output a page, whose
// folder is its lower-cased id, may not take: the site's own folders and
// files (a page "feed.xml" would be a folder where the feed goes), and
// CNAME, which a deploy keeps there. TestReservedPageIDs (internal/build)
// holds the list to what a build writes.
var ReservedPageIDs = []string{
	"incidents", "services", "components", "customers", "tags", "people", "assets", "404", "index", "feed", "sitemap", "can", "search", "severity", "status", "years",
	"index.html", "404.html", "feed.xml", "sitemap.xml", "search-index.js", "incidents.json", "cname",
}

// URL is the site-relative address of an incident's or page's file.
func URL(inc *Incident) string {
	if inc.url != "" {
		return inc.url // every list card and link asks again
	}
	return urlOf(inc.Incident)
}

func urlOf(ci *content.Incident) string {
	id := strings.ToLower(ci.ID)
	if ci.Type == content.TypePage {
		return id + "/index.html"
	}
	return "incidents/" + id + "/index.html"
}

// RootRel is the relative path from a page's folder to the site root.
func RootRel(siteURL string) string {
	return strings.Repeat("../", strings.Count(siteURL, "/"))
}

// ByID finds an incident or page by id, ignoring case.
func (s *Site) ByID(id string) *Incident { return s.byID[strings.ToLower(id)] }

// New assembles the site: unique ids, resolved cross-references and
// Markdown links, backlinks, and related incidents.
func New(all []*Incident, cfg config.Config) (*Site, diag.List) {
	return NewScored(all, cfg, nil)
}

// NewScored is New scoring related incidents with sc, which keeps its work
// for the next site of a watch session, so that an edit rescores only the
// incidents it can move (related.Scorer); with nil, everything is scored.
func NewScored(all []*Incident, cfg config.Config, sc *related.Scorer) (*Site, diag.List) {
	var ds diag.List
	s := &Site{Config: cfg, byID: map[string]*Incident{}, byPath: map[string]*Incident{},
		Refs: map[*Incident][]*Incident{}, Backlinks: map[*Incident][]*Incident{}}
	// Files are read in path order, so "first" is stable.
	slices.SortFunc(all, func(a, b *Incident) int { return strings.Compare(a.Path, b.Path) })
	var placeholders []*Incident
	for _, inc := range all {
		if inc.Placeholder {
			placeholders = append(placeholders, inc)
			continue
		}
		key := strings.ToLower(inc.ID)
		if other, dup := s.byID[key]; dup {
			what := "id"
			if other.ID != inc.ID {
				what = "id (differing only in case)"
			}
			ds.Errorf(inc.Path, max(inc.IDLine, 1), 1, "%s %q is already used by %s", what, inc.ID, other.Path)
			continue
		}
		if inc.Type == content.TypePage && slices.Contains(ReservedPageIDs, key) {
			if inc.IDLine == 0 {
				ds.Errorf(inc.Path, 1, 1, "page id %q (from the file name) is reserved for the site's own files and pages; set id: or rename the file", inc.ID)
			} else {
				ds.Errorf(inc.Path, inc.IDLine, inc.IDCol, "page id %q is reserved for the site's own files and pages; choose another", inc.ID)
			}
			continue
		}
		s.byID[key] = inc
		s.byPath[inc.Path] = inc
		if inc.Type == content.TypePage {
			s.Pages = append(s.Pages, inc)
		} else {
			s.Incidents = append(s.Incidents, inc)
		}
	}
	// A placeholder (a file with errors that leave only its id) answers
	// links to its id and path, where no incident has them: each link to
	// a broken file is not one more error. It is on no list.
	for _, inc := range placeholders {
		if key := strings.ToLower(inc.ID); s.byID[key] == nil {
			s.byID[key] = inc
		}
		s.byPath[inc.Path] = inc
	}
	slices.SortStableFunc(s.Incidents, func(a, b *Incident) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, inc := range append(append([]*Incident{}, s.Incidents...), s.Pages...) {
		s.resolveRefs(inc, &ds, true)
	}
	// The taxonomies are built while related scoring indexes, which is
	// on one core until it scores: a tenth of a second at 10,000.
	taxonomies := make(chan []*Taxonomy, 1)
	go func() { taxonomies <- buildTaxonomies(s.Incidents) }()
	s.Related = s.relate(&ds, sc)
	s.Taxonomies = <-taxonomies
	return s, ds
}

// Relink resolves the [[ID]] and .md links of an incident whose body was
// replaced in place (a watch-mode edit that links to the same incidents as
// before), without touching the site's graph.
func (s *Site) Relink(inc *Incident) diag.List {
	var ds diag.List
	s.resolveRefs(inc, &ds, false)
	return ds
}

// SameLinks reports whether two analyses of one file reference the same
// targets, so the site's graph of links need not change.
func SameLinks(a, b *Incident) bool {
	if len(a.refs) != len(b.refs) {
		return false
	}
	for i := range a.refs {
		x, y := a.refs[i], b.refs[i]
		if x.id != y.id || x.dest != y.dest {
			return false
		}
	}
	return true
}

func (s *Site) resolveRefs(inc *Incident, ds *diag.List, record bool) {
	from := URL(inc)
	root := RootRel(from)
	seen := map[*Incident]bool{}
	note := func(to *Incident) {
		if record && to != inc && !seen[to] {
			seen[to] = true
			s.Refs[inc] = append(s.Refs[inc], to)
			s.Backlinks[to] = append(s.Backlinks[to], inc)
		}
	}
	for _, r := range inc.refs {
		if r.id != "" {
			to := s.ByID(r.id)
			if to == nil {
				ds.Errorf(inc.Path, r.line, r.col, "[[%s]]: no incident or page has this id", r.id)
				continue
			}
			if r.xref != nil {
				r.xref.Href = root + URL(to)
				r.xref.Title = to.Title
			}
			note(to)
			continue
		}
		// Resolve from what the author wrote: the site is assembled again
		// on every rebuild, and the destination may have been rewritten.
		dest := r.dest
		u, ok := contentLink(dest)
		if !ok {
			continue
		}
		target := path.Clean(path.Join(path.Dir(inc.Path), u.Path))
		if strings.HasPrefix(u.Path, "/") {
			target = path.Clean(path.Join("content", u.Path))
		}
		to := s.byPath[target]
		if to == nil {
			ds.Errorf(inc.Path, r.line, r.col, "link to %s: no such content file (looked for %s)", dest, target)
			continue
		}
		href := root + URL(to)
		if u.Fragment != "" {
			href += "#" + u.Fragment
		}
		if r.link != nil {
			r.link.Destination = []byte(href)
		}
		note(to)
	}
}

// contentLink parses a Markdown link's destination, reporting whether it
// is a link to a content file: a relative path ending in .md.
func contentLink(dest string) (*url.URL, bool) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasSuffix(strings.ToLower(u.Path), ".md") {
		return nil, false
	}
	return u, true
}

// relate collects explicit related links (both ways) and scored ones.
func (s *Site) relate(ds *diag.List, sc *related.Scorer) map[*Incident][]related.Link {
	idx := make([]related.Doc, len(s.Incidents))
	pos := map[*Incident]int{}
	for i, inc := range s.Incidents {
		pos[inc] = i
		idx[i] = related.Doc{
			Services: inc.Services, Components: inc.Components, Customers: inc.Customers,
			Tags: inc.Tags, People: inc.People(), Text: inc.Title + " " + inc.Summary,
		}
	}
	var explicit []related.Explicit
	for _, inc := range s.Incidents {
		for _, r := range inc.Related {
			to := s.ByID(r.ID)
			if to == nil || to.Type == content.TypePage {
				ds.Errorf(inc.Path, r.Line, r.Col, "related: no incident has id %q", r.ID)
				continue
			}
			if to == inc {
				ds.Warnf(inc.Path, r.Line, r.Col, "related: an incident is not related to itself")
				continue
			}
			explicit = append(explicit, related.Explicit{From: pos[inc], To: pos[to], Relation: r.Relation})
		}
	}
	if sc == nil {
		sc = &related.Scorer{}
	}
	links := sc.Compute(idx, explicit, related.Options{
		Weights: s.Config.Related.Weights, Threshold: s.Config.Related.Threshold, Max: s.Config.Related.Max,
	})
	out := map[*Incident][]related.Link{}
	for i, ls := range links {
		if len(ls) > 0 {
			out[s.Incidents[i]] = ls
		}
	}
	return out
}
