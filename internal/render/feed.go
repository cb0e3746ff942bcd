package render

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"time"

	"github.com/debrief-ssg/debrief/internal/site"
	"github.com/gorilla/feeds"
)

// FeedSize is how many incidents the Atom feed carries, newest first.
const FeedSize = 50

// absURL makes a site-relative address absolute when the site has a base
// URL; without one it stays relative, which Atom allows for links.
func (r *Renderer) absURL(rel string) string {
	if r.BaseURL == "" {
		return rel
	}
	return strings.TrimSuffix(r.BaseURL, "/") + "/" + rel
}

// pretty drops the trailing index.html for addresses meant for servers.
func pretty(u string) string { return strings.TrimSuffix(u, "index.html") }

// Feed renders the Atom feed (RFC 4287). Ids are urn:debrief: names, stable
// whatever the site's address; times come from the content, never from the
// clock, so the feed is reproducible.
func (r *Renderer) Feed(s *site.Site) ([]byte, error) {
	f := &feeds.AtomFeed{
		Xmlns:  "http://www.w3.org/2005/Atom",
		Title:  s.Config.Title,
		Id:     "urn:debrief:site:" + site.Slug(s.Config.Title),
		Link:   &feeds.AtomLink{Href: r.absURL("feed.xml"), Rel: "self", Type: "application/atom+xml"},
		Author: &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: s.Config.Title}},
	}
	var updated time.Time
	for i, inc := range s.Incidents {
		if i == FeedSize {
			break
		}
		at := entryUpdated(inc)
		if at.After(updated) {
			updated = at
		}
		e := &feeds.AtomEntry{
			Title:     inc.Title,
			Id:        "urn:debrief:incident:" + strings.ToLower(inc.ID),
			Updated:   at.Format(time.RFC3339),
			Published: inc.Date.Format(time.RFC3339),
			Links:     []feeds.AtomLink{{Href: r.absURL(pretty(site.URL(inc))), Rel: "alternate", Type: "text/html"}},
			// Plain text: a summary pasted from a log must not become markup
			// in a feed reader.
			Summary: &feeds.AtomSummary{Type: "text", Content: feedSummary(inc)},
		}
		if inc.Commander != "" {
			e.Author = &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: inc.Commander}}
		}
		f.Entries = append(f.Entries, e)
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0).UTC()
	}
	f.Updated = updated.Format(time.RFC3339)
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// entryUpdated is the latest moment the incident records.
func entryUpdated(inc *site.Incident) time.Time {
	t := inc.Date
	for _, m := range inc.Moments {
		if m.At.After(t) {
			t = m.At
		}
	}
	if n := len(inc.Timeline.Entries); n > 0 && inc.Timeline.Entries[n-1].At.After(t) {
		t = inc.Timeline.Entries[n-1].At
	}
	return t
}

func feedSummary(inc *site.Incident) string {
	var parts []string
	if inc.Severity != "" {
		parts = append(parts, inc.Severity)
	}
	if inc.Status != "" {
		parts = append(parts, inc.Status)
	}
	head := strings.Join(parts, ", ")
	if head != "" {
		head = "[" + head + "] "
	}
	return head + inc.Summary
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	Xmlns   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// Sitemap lists every page for search engines (sitemaps.org 0.9). Its
// addresses must be absolute, so without a base URL it lists none and says
// so in a comment.
func (r *Renderer) Sitemap(paths []string, lastmod map[string]time.Time) ([]byte, error) {
	set := urlset{Xmlns: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	paths = slices.Clone(paths)
	slices.Sort(paths)
	if r.BaseURL != "" {
		for _, p := range paths {
			if !strings.HasSuffix(p, ".html") || p == "404.html" {
				continue
			}
			u := sitemapURL{Loc: r.absURL(pretty(p))}
			if t, ok := lastmod[p]; ok {
				u.LastMod = t.Format("2006-01-02")
			}
			set.URLs = append(set.URLs, u)
		}
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if r.BaseURL == "" {
		// No "--" inside a comment: XML forbids it, so the flag is named
		// without its dashes.
		buf.WriteString("<!-- Empty: a sitemap lists absolute addresses. Set base_url in debrief.yaml, or build with the base-url flag, to list the pages. -->\n")
	}
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(set); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
