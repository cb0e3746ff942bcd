package site

import (
	"fmt"
	"slices"
	"strings"

	"github.com/debrief-ssg/debrief/internal/slug"
)

// Taxonomy is one kind of term (services, components, customers, tags,
// people) with its terms and the incidents of each.
type Taxonomy struct {
	Name     string  // "services"
	Singular string  // "service"
	Terms    []*Term // by name, case-insensitively

	byKey map[string]*Term // by name lowercased and trimmed
}

// Term returns the term a name written in an incident belongs to, or nil.
func (tx *Taxonomy) Term(name string) *Term {
	return tx.byKey[strings.ToLower(strings.TrimSpace(name))]
}

// Term is one value of a taxonomy and where its page lives.
type Term struct {
	Name      string // as first written (in path order)
	Slug      string // unique within the taxonomy
	Incidents []*Incident
}

// URL is the site-relative address of a term's page.
func (tx *Taxonomy) URL(t *Term) string { return tx.Name + "/" + t.Slug + "/index.html" }

// TaxonomyNames lists the taxonomies in the order pages show them.
var TaxonomyNames = []string{"services", "components", "customers", "tags", "people"}

func singular(name string) string {
	if name == "people" {
		return "person"
	}
	return strings.TrimSuffix(name, "s")
}

// termsOf returns an incident's terms in a taxonomy.
func termsOf(inc *Incident, taxonomy string) []string {
	switch taxonomy {
	case "services":
		return inc.Services
	case "components":
		return inc.Components
	case "customers":
		return inc.Customers
	case "tags":
		return inc.Tags
	case "people":
		return inc.People()
	}
	return nil
}

// HasTermsOf reports whether every term inc names, in every taxonomy,
// already has a page in s.
func (s *Site) HasTermsOf(inc *Incident) bool {
	for _, tx := range s.Taxonomies {
		for _, v := range termsOf(inc, tx.Name) {
			if strings.TrimSpace(v) != "" && tx.Term(v) == nil {
				return false
			}
		}
	}
	return true
}

// TermURLs lists the pages of the terms inc names, taxonomy by taxonomy, in
// its order ("" for a name with no term): what its page links to. With
// taxonomies named, only theirs (a card links its services).
func (s *Site) TermURLs(inc *Incident, only ...string) []string {
	var out []string
	for _, tx := range s.Taxonomies {
		if len(only) > 0 && !slices.Contains(only, tx.Name) {
			continue
		}
		for _, v := range termsOf(inc, tx.Name) {
			u := ""
			if t := tx.Term(v); t != nil {
				u = tx.URL(t)
			}
			out = append(out, u)
		}
	}
	return out
}

// buildTaxonomies groups incidents by term. Terms that differ only in case
// are one term; terms whose slugs collide ("Server 24" and "server-24") get
// distinct slugs, "-2" onwards, in a stable order.
func buildTaxonomies(incs []*Incident) []*Taxonomy {
	var out []*Taxonomy
	for _, name := range TaxonomyNames {
		byKey := map[string]*Term{}
		tx := &Taxonomy{Name: name, Singular: singular(name), byKey: byKey}
		// Incidents arrive newest first; take names in path order so the
		// spelling shown does not change when a newer incident is added.
		ordered := slices.Clone(incs)
		slices.SortStableFunc(ordered, func(a, b *Incident) int { return strings.Compare(a.Path, b.Path) })
		for _, inc := range ordered {
			for _, v := range termsOf(inc, name) {
				k := strings.ToLower(strings.TrimSpace(v))
				if k == "" {
					continue
				}
				if byKey[k] == nil {
					byKey[k] = &Term{Name: strings.TrimSpace(v)}
					tx.Terms = append(tx.Terms, byKey[k])
				}
			}
		}
		for _, inc := range incs { // newest first within each term
			seen := map[*Term]bool{}
			for _, v := range termsOf(inc, name) {
				if t := byKey[strings.ToLower(strings.TrimSpace(v))]; t != nil && !seen[t] {
					seen[t] = true
					t.Incidents = append(t.Incidents, inc)
				}
			}
		}
		slices.SortFunc(tx.Terms, func(a, b *Term) int {
			if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
				return c
			}
			return strings.Compare(a.Name, b.Name)
		})
		used := map[string]bool{}
		for _, t := range tx.Terms {
			base := Slug(t.Name)
			s := base
			for n := 2; used[s]; n++ {
				s = fmt.Sprintf("%s-%d", base, n)
			}
			used[s] = true
			t.Slug = s
		}
		out = append(out, tx)
	}
	return out
}

// Slug turns a term into a path segment (slug.Make). It never contains "/"
// or "..", so no term can make a path outside its folder.
func Slug(s string) string { return slug.Make(s) }
