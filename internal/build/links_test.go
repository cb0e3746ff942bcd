package build

import (
	"fmt"
	"math/rand"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/themes"
)

var (
	linkRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	idRE   = regexp.MustCompile(`\sid="([^"]+)"`)
)

// checkLinks crawls every HTML page of a built site and reports each
// internal link or asset that does not resolve to a file, and each
// #fragment that names no element of its page.
func checkLinks(t *testing.T, out string) int {
	t.Helper()
	ids := map[string]map[string]bool{}
	pageIDs := func(file string) map[string]bool {
		if m, ok := ids[file]; ok {
			return m
		}
		m := map[string]bool{}
		b, _ := os.ReadFile(file)
		for _, x := range idRE.FindAllStringSubmatch(string(b), -1) {
			m[x[1]] = true
		}
		ids[file] = m
		return m
	}
	checked := 0
	_ = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".html") || filepath.Base(p) == "404.html" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range linkRE.FindAllStringSubmatch(string(b), -1) {
			raw := strings.ReplaceAll(m[1], "&amp;", "&")
			u, err := url.Parse(raw)
			if err != nil {
				t.Errorf("%s: bad link %q", p, raw)
				continue
			}
			if u.Scheme != "" || u.Host != "" || strings.HasPrefix(raw, "//") {
				continue // external
			}
			target := p
			if u.Path != "" {
				if strings.HasPrefix(u.Path, "/") {
					t.Errorf("%s: root-absolute link %q breaks under file:// and sub-folders", rel(out, p), raw)
					continue
				}
				target = filepath.Join(filepath.Dir(p), filepath.FromSlash(u.Path))
				if !strings.HasPrefix(target, out) {
					t.Errorf("%s: link %q leaves the site", rel(out, p), raw)
					continue
				}
				st, err := os.Stat(target)
				if err != nil {
					t.Errorf("%s: link %q: no such file %s", rel(out, p), raw, rel(out, target))
					continue
				}
				if st.IsDir() {
					t.Errorf("%s: link %q is a folder; under file:// it must name index.html", rel(out, p), raw)
					continue
				}
			}
			checked++
			if u.Fragment != "" && strings.HasSuffix(target, ".html") && !pageIDs(target)[u.Fragment] {
				t.Errorf("%s: link %q: no element with id %q in %s", rel(out, p), raw, u.Fragment, rel(out, target))
			}
		}
		return nil
	})
	return checked
}

func rel(base, p string) string {
	r, err := filepath.Rel(base, p)
	if err != nil {
		return p
	}
	return r
}

func TestLinksExampleSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	buildExample(t, out)
	if n := checkLinks(t, out); n < 500 {
		t.Errorf("only %d links checked", n)
	}
}

// generateSite writes n incidents with overlapping taxonomies, explicit and
// typed related links, [[ID]] and .md cross-references, terms that slug
// alike, and Unicode names.
func generateSite(t *testing.T, dir string, n int) {
	t.Helper()
	r := rand.New(rand.NewSource(42))
	services := []string{"e-mail", "E-mail", "login", "payments", "search", "api gateway", "Zahlungen", "检索"}
	components := []string{"Server 24", "server-24", "db-main-1", "mail queue", "cdn edge", "Ω-cache"}
	people := []string{"Ana", "Raj", "Zoë", "Pete", "Amélie", "محمد"}
	for i := 0; i < n; i++ {
		pick := func(list []string, k int) string {
			var out []string
			for j := 0; j < k; j++ {
				out = append(out, fmt.Sprintf("%q", list[r.Intn(len(list))]))
			}
			return "[" + strings.Join(out, ", ") + "]"
		}
		var related string
		if i > 0 {
			rel := []string{"similar", "duplicate", "caused-by", "follow-up"}[r.Intn(4)]
			related = fmt.Sprintf("related:\n  - {id: gen-%03d, relation: %s}\n", r.Intn(i), rel)
		}
		body := fmt.Sprintf("Generated incident %d.\n\n## Timeline\n\n- 10:%02d [condition] %s: api errors rising\n- 10:%02d [action] restarted the pods\n- 11:%02d Errors back to normal.\n", i, r.Intn(60), people[r.Intn(len(people))], r.Intn(60), r.Intn(60))
		if i > 1 {
			body += fmt.Sprintf("\nSee [[gen-%03d]] and [the earlier one](gen-%03d.md#timeline).\n", i-1, i-2)
		}
		doc := fmt.Sprintf("---\nid: gen-%03d\ntitle: \"Generated incident %d: <b>api</b> & more\"\ndate: 2024-%02d-%02d\nseverity: SEV%d\nstatus: %s\ncommander: %q\nparticipants: %s\nservices: %s\ncomponents: %s\ntags: [generated]\n%s---\n\n%s",
			i, i, 1+r.Intn(12), 1+r.Intn(28), 1+r.Intn(5), []string{"open", "mitigated", "resolved", "closed"}[r.Intn(4)],
			people[r.Intn(len(people))], pick(people, 2), pick(services, 2), pick(components, 2), related, body)
		p := filepath.Join(dir, "content", fmt.Sprintf("gen-%03d.md", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLinksGeneratedSite(t *testing.T) {
	dir := t.TempDir()
	generateSite(t, dir, 120)
	out := filepath.Join(dir, "public")
	res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	if n := checkLinks(t, out); n < 5000 {
		t.Errorf("only %d links checked", n)
	}
	// Terms that slug alike get their own pages.
	for _, p := range []string{"components/server-24/index.html", "components/server-24-2/index.html", "services/e-mail/index.html", "services/检索/index.html"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("missing %s", p)
		}
	}
	// "E-mail" and "e-mail" are one term.
	if _, err := os.Stat(filepath.Join(out, "services", "e-mail-2")); err == nil {
		t.Error("terms differing only in case got two pages")
	}
}
