package render_test

import (
	"encoding/xml"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/build"
	"github.com/debrief-ssg/debrief/themes"
)

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	IDs     []string   `xml:"id"`
	Titles  []string   `xml:"title"`
	Updated []string   `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Authors []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Summary *atomText `xml:"summary"`
	Content *atomText `xml:"content"`
}

type atomFeed struct {
	XMLName xml.Name
	IDs     []string   `xml:"id"`
	Titles  []string   `xml:"title"`
	Updated []string   `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Authors []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

func buildSite(t *testing.T, baseURL string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	res, err := build.Build(build.Options{Source: "../..", Out: out, BaseURL: baseURL, Version: "test", Theme: themes.Default})
	if err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	return out
}

func absoluteIRI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != ""
}

// The feed meets RFC 4287: one id, title and updated per feed and per entry;
// ids are absolute IRIs, unique; dates are RFC 3339; an author for every
// entry (the feed's); a self link; summaries as text.
func TestFeedRFC4287(t *testing.T) {
	for _, base := range []string{"", "https://reviews.example.com/kb/"} {
		out := buildSite(t, base)
		b, err := os.ReadFile(filepath.Join(out, "feed.xml"))
		if err != nil {
			t.Fatal(err)
		}
		var f atomFeed
		if err := xml.Unmarshal(b, &f); err != nil {
			t.Fatalf("feed is not XML: %v", err)
		}
		if f.XMLName.Space != "http://www.w3.org/2005/Atom" || f.XMLName.Local != "feed" {
			t.Errorf("root element %v", f.XMLName)
		}
		one := func(what string, v []string) string {
			if len(v) != 1 || strings.TrimSpace(v[0]) == "" {
				t.Errorf("%s: want exactly one non-empty, got %q", what, v)
				return ""
			}
			return v[0]
		}
		if id := one("feed id", f.IDs); !absoluteIRI(id) {
			t.Errorf("feed id %q is not an absolute IRI", id)
		}
		one("feed title", f.Titles)
		if _, err := time.Parse(time.RFC3339, one("feed updated", f.Updated)); err != nil {
			t.Errorf("feed updated: %v", err)
		}
		if len(f.Authors) == 0 {
			t.Error("feed has no author, so entries without one are invalid")
		}
		self := false
		for _, l := range f.Links {
			if l.Rel == "self" {
				self = true
				if base != "" && l.Href != base+"feed.xml" {
					t.Errorf("self link %q", l.Href)
				}
			}
		}
		if !self {
			t.Error("no self link")
		}
		if len(f.Entries) < 6 {
			t.Fatalf("%d entries", len(f.Entries))
		}
		ids := map[string]bool{}
		for _, e := range f.Entries {
			id := one("entry id", e.IDs)
			if !absoluteIRI(id) || ids[id] {
				t.Errorf("entry id %q: not absolute or not unique", id)
			}
			ids[id] = true
			one("entry title", e.Titles)
			if _, err := time.Parse(time.RFC3339, one("entry updated", e.Updated)); err != nil {
				t.Errorf("entry updated: %v", err)
			}
			alt := ""
			for _, l := range e.Links {
				if l.Rel == "alternate" {
					alt = l.Href
				}
			}
			if alt == "" || (base != "" && !strings.HasPrefix(alt, base+"incidents/")) {
				t.Errorf("entry %s alternate link %q", id, alt)
			}
			if e.Summary == nil || e.Summary.Type != "text" {
				t.Errorf("entry %s summary must be type text", id)
			}
		}
	}
}

func TestSitemapAbsoluteWithBaseURL(t *testing.T) {
	out := buildSite(t, "https://reviews.example.com/")
	b, _ := os.ReadFile(filepath.Join(out, "sitemap.xml"))
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	if len(set.URLs) < 20 {
		t.Fatalf("%d urls", len(set.URLs))
	}
	for _, u := range set.URLs {
		if !strings.HasPrefix(u.Loc, "https://reviews.example.com/") || strings.HasSuffix(u.Loc, "index.html") {
			t.Errorf("sitemap loc %q", u.Loc)
		}
	}
	page, _ := os.ReadFile(filepath.Join(out, "incidents", "inc-2024-031", "index.html"))
	if !strings.Contains(string(page), `<link rel="canonical" href="https://reviews.example.com/incidents/inc-2024-031/">`) {
		t.Error("no absolute canonical link")
	}
	if strings.Contains(string(page), `href="https://reviews.example.com/assets`) {
		t.Error("assets must stay relative")
	}
}
