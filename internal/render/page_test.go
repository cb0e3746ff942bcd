package render

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/site"
	"github.com/debrief-ssg/debrief/themes"
)

// renderAll renders every output of the site in dir, its incident pages by
// the templates when templatesOnly.
func renderAll(t *testing.T, dir string, cfg config.Config, baseURL, version string, templatesOnly bool) map[string][]byte {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "content", "incidents", "*.md"))
	more, _ := filepath.Glob(filepath.Join(dir, "content", "incidents", "*", "*.md"))
	files = append(files, more...)
	md := markdown.New(false)
	var incs []*site.Incident
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		ci, _ := content.Parse(filepath.ToSlash(rel), data, cfg)
		if ci == nil {
			continue
		}
		inc, _ := site.Analyse(ci, md, cfg)
		incs = append(incs, inc)
	}
	s, _ := site.New(incs, cfg)
	theme, err := LoadTheme("", "default", themes.Default)
	if err != nil {
		t.Fatal(err)
	}
	if !theme.goIncident || !theme.goList {
		t.Fatal("the default theme's incident and list pages are not written by incidentPage and listPage")
	}
	r := &Renderer{Theme: theme, MD: md, BaseURL: baseURL, Version: version, templatesOnly: templatesOnly}
	out := map[string][]byte{}
	if _, err := r.RenderTo(s, nil, func(o Output) error {
		out[o.Path] = bytes.Clone(o.Data)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// Every page incidentPage and listPage write is the one the default
// theme's templates write, byte for byte: on the example site, on a
// generated corpus, and on incidents with the parts a page can lack or
// escape, with and without a base URL.
func TestIncidentPageMatchesTemplates(t *testing.T) {
	gen := t.TempDir()
	if err := corpus.Generate(gen, corpus.Options{N: 120, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	odd := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(odd, "content", "incidents", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("bare.md", "---\nid: BARE-1\ntitle: Bare\ndate: 2024-01-02\n---\n\nNo timeline at all.\n")
	write("empty.md", "---\nid: EMPTY-1\ntitle: \"Only a title\"\ndate: 2024-01-03\n---\n")
	write("escapes.md", "---\nid: ESC-1\ntitle: \"<script>alert('x')</script> & \\\"quotes\\\" + more\"\ndate: 2024-01-04\nsummary: \"a < b && c > d, 'single' \\\"double\\\" +1\"\nseverity: SEV1\nstatus: resolved\nservices: [\"a&b\", \"<svc>\"]\nrelated: [BARE-1]\naction_items:\n  - {title: \"Fix <it> & 'that'\", owner: \"O'Neil\", status: open, ticket: \"T+1\", due: 2024-02-01}\n---\n\n## Timeline\n\n- 10:00 Ana: the <b>queue</b> & \"cache\" are down, 5xx at 40%+\n- 10:05 Ben: restarted it? who owns 'it'?\n- 10:07 [need] approval to fail over\n\n## Notes\n\nSee [BARE-1] and <https://example.com/?a=1&b=2>.\n")
	write("sitetitle.md", "---\nid: SAME-1\ntitle: debrief\ndate: 2024-01-05\n---\n\n## Timeline\n\n- 09:00 one entry\n")
	for _, tc := range []struct{ name, dir, baseURL, version string }{
		{"example site", "../..", "", "dev"},
		{"example site, base URL", "../..", "https://kb.example.com/incidents/", "1.2.3"},
		{"generated corpus", gen, "", "dev"},
		{"odd incidents", odd, "https://x.example/a b/?q=<1>&r='2'", "v<1>&\"+'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, _ := config.Load(tc.dir)
			if tc.dir == odd {
				cfg.Title = "debrief"
			}
			goPages := renderAll(t, tc.dir, cfg, tc.baseURL, tc.version, false)
			tmplPages := renderAll(t, tc.dir, cfg, tc.baseURL, tc.version, true)
			if len(goPages) != len(tmplPages) {
				t.Fatalf("%d outputs, %d by the templates", len(goPages), len(tmplPages))
			}
			incidents, lists := 0, 0
			for p, want := range tmplPages {
				if strings.HasPrefix(p, "incidents/") && strings.HasSuffix(p, "/index.html") {
					incidents++
				}
				if bytes.Contains(want, []byte(`<body class="kind-list">`)) {
					lists++
				}
				if got := goPages[p]; !bytes.Equal(got, want) {
					t.Errorf("%s differs from the templates' page:\n%s", p, firstDifference(string(want), string(got)))
				}
			}
			if incidents == 0 || lists == 0 {
				t.Fatalf("%d incident pages and %d list pages rendered", incidents, lists)
			}
		})
	}
}

// A site that overrides any of the templates incidentPage or listPage
// stands for gets its templates.
func TestOverriddenTemplatesAreUsed(t *testing.T) {
	for _, p := range append(slices.Clone(goPageFiles), goListFiles...) {
		t.Run(p, func(t *testing.T) {
			dir := t.TempDir()
			b, err := themes.Default.ReadFile("default/" + p)
			if err != nil {
				t.Fatal(err)
			}
			full := filepath.Join(dir, "themes", "default", filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, append(b, "<!-- mine -->"...), 0o644); err != nil {
				t.Fatal(err)
			}
			theme, err := LoadTheme(dir, "default", themes.Default)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(goPageFiles, p) && theme.goIncident {
				t.Errorf("with %s overridden, incident pages would not be the site's templates'", p)
			}
			if slices.Contains(goListFiles, p) && theme.goList {
				t.Errorf("with %s overridden, list pages would not be the site's templates'", p)
			}
		})
	}
}

// firstDifference shows where two texts first differ.
func firstDifference(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	lo := max(0, i-80)
	return "templates: …" + want[lo:min(len(want), i+80)] + "…\n     Go: …" + got[lo:min(len(got), i+80)] + "…"
}

// FuzzIncidentPage: for any text in the fields the page shows itself (not
// through the Go-written parts, which FuzzMarkup holds), incidentPage and
// listPage write what the templates write.
func FuzzIncidentPage(f *testing.F) {
	f.Add("Title <b>", "Site & co", "a summary 'quoted' +1", "https://x.example/a b?c=<d>", "../../", "1.0", "14:05", "Ana", true, true)
	f.Add("debrief", "debrief", "", "", "", "", "", "", false, false)
	f.Add("t", "s", "\x00\xff", "javascript:alert(1)", "../", "v\"", "", "", true, false)
	theme, err := LoadTheme("", "default", themes.Default)
	if err != nil {
		f.Fatal(err)
	}
	goR := &Renderer{Theme: theme}
	tmplR := &Renderer{Theme: theme, templatesOnly: true}
	f.Fuzz(func(t *testing.T, title, siteTitle, summary, canonical, root, version, asOf, actor string, derived, parts bool) {
		v := &IncidentView{Card: Card{Title: title, Summary: summary, ID: "X-1"}, Root: root,
			CAN: CANView{Derived: derived, AsOf: asOf}}
		if parts {
			v.Entries = []EntryView{{Anchor: "t-1405", Clock: "14:05", ISO: "2024-01-02T14:05:00Z", Actor: actor, Classes: "other", HTML: "text"}}
			v.Actors = []string{actor}
			v.AsOfJSON = `{"lines":[],"at":{}}`
			v.Body = "<p>body</p>"
			v.Actions = []ActionView{{Title: summary, Owner: actor}}
			v.Related = []RelatedView{{Href: root + "incidents/y/index.html", Title: title, ID: "Y-1"}}
			v.Moments = []MomentView{{Name: "started", Clock: "14:00"}}
			v.Intro = "<p>intro</p>"
		}
		p := &Page{SiteTitle: siteTitle, Title: title, Root: root, Canonical: canonical, Kind: "incident", Incident: v, Version: version}
		got, err := goR.exec("incident", p)
		if err != nil {
			t.Fatal(err)
		}
		got = bytes.Clone(got)
		want, err := tmplR.exec("incident", p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("page differs from the templates':\n%s", firstDifference(string(want), string(got)))
		}
		// A list page with the same text.
		cards := []*Card{{Title: title, Summary: summary, Href: root + "incidents/x/index.html", ID: "X-1", Severity: actor, Status: asOf}}
		if parts {
			cards = append(cards, &Card{Title: summary, ID: "Y-2"})
		}
		lp := &Page{SiteTitle: siteTitle, Title: title, Root: root, Canonical: canonical, Kind: "list", Heading: summary, Incidents: cards, Version: version}
		got, err = goR.exec("list", lp)
		if err != nil {
			t.Fatal(err)
		}
		got = bytes.Clone(got)
		if want, err = tmplR.exec("list", lp); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("list page differs from the templates':\n%s", firstDifference(string(want), string(got)))
		}
	})
}
