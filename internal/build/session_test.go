package build

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/themes"
)

// copySite copies the example site's content and config to a new folder.
func copySite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(filepath.Join(exampleSite, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(exampleSite, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		writeFile(t, filepath.Join(dir, rel), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(exampleSite, "debrief.yaml"))
	writeFile(t, filepath.Join(dir, "debrief.yaml"), string(b))
	return dir
}

func session(t *testing.T, dir string) (*Session, *Result) {
	t.Helper()
	s := NewSession(Options{Source: dir, Version: "test", Theme: themes.Default})
	res, err := s.Build(Change{Full: true})
	if err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	return s, res
}

func rebuild(t *testing.T, s *Session, paths ...string) *Result {
	t.Helper()
	res, err := s.Build(Change{Paths: paths})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func rendered(res *Result) []string {
	var out []string
	for _, o := range res.Outputs {
		out = append(out, o.Path)
	}
	return out
}

const (
	seedFile = "content/incidents/2024-03-14-email-loss-login-failures.md"
	seedPage = "incidents/inc-2024-031/index.html"
)

func edit(t *testing.T, dir, rel, old, new string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", rel, old)
	}
	writeFile(t, p, strings.Replace(string(b), old, new, 1))
}

// Editing one incident's body re-renders its page, the pages that show it
// and the site-wide lists — not every page — and writes only what changed.
func TestIncrementalEdit(t *testing.T) {
	dir := copySite(t)
	s, first := session(t, dir)
	total := first.Rendered
	const file = "content/incidents/2024-03-14-metadata-script-failure.md"
	edit(t, dir, file, "Root cause", "Root cause (revised)")
	res := rebuild(t, s, file)
	got := rendered(res)
	if !slices.Contains(got, "incidents/inc-2024-034/index.html") || !slices.Contains(got, "index.html") {
		t.Errorf("edited page or index not rendered: %v", got)
	}
	if slices.Contains(got, "incidents/inc-2024-035/index.html") || slices.Contains(got, "assets/style.css") || slices.Contains(got, "about/index.html") {
		t.Errorf("unaffected outputs rendered: %v", got)
	}
	if res.Rendered*3 > total {
		t.Errorf("rendered %d of %d outputs for a one-file edit", res.Rendered, total)
	}
	// A body edit changes the page and the data, not the lists of cards.
	if !slices.Contains(res.Changed, "incidents/inc-2024-034/index.html") || slices.Contains(res.Changed, "services/login/index.html") {
		t.Errorf("written: %v", res.Changed)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "public", "incidents", "inc-2024-034", "index.html"))
	if !strings.Contains(string(b), "Root cause (revised)") {
		t.Error("edit not in the output")
	}
	// Nothing changed: nothing rendered beyond the lists, nothing written.
	res = rebuild(t, s)
	if res.Written != 0 {
		t.Errorf("a rebuild with no change wrote %v", res.Changed)
	}
}

// A title edit shows on every page that prints the title.
func TestIncrementalTitleReachesLinkingPages(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	edit(t, dir, seedFile, "title: E-mail loss and customer log-in failures after software release", "title: E-mail loss after release 2024.03.2")
	res := rebuild(t, s, seedFile)
	for _, p := range []string{seedPage, "incidents/inc-2024-034/index.html", "incidents/inc-2024-032/index.html", "index.html", "services/e-mail/index.html", "about/index.html"} {
		if !slices.Contains(res.Changed, p) {
			t.Errorf("%s not rewritten after the title changed (changed: %v)", p, res.Changed)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "public", filepath.FromSlash(p)))
		if !strings.Contains(string(b), "E-mail loss after release 2024.03.2") {
			t.Errorf("%s does not show the new title", p)
		}
	}
}

func TestIncrementalAddRemoveRename(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	out := filepath.Join(dir, "public")
	// Add, in a new sub-folder.
	writeFile(t, filepath.Join(dir, "content", "2025", "new.md"), "---\ntitle: Brand new\ndate: 2025-01-05\nservices: [billing]\n---\n- 10:00 Billing down.\n")
	res := rebuild(t, s, "content/2025/new.md")
	if res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	for _, p := range []string{"incidents/new/index.html", "services/billing/index.html", "years/2025/index.html"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err != nil {
			t.Errorf("%s not created", p)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); !strings.Contains(string(b), "Brand new") {
		t.Error("index does not list the new incident")
	}
	// Rename: the old page goes, the new one comes.
	if err := os.Rename(filepath.Join(dir, "content", "2025", "new.md"), filepath.Join(dir, "content", "2025", "renamed.md")); err != nil {
		t.Fatal(err)
	}
	rebuild(t, s, "content/2025/new.md", "content/2025/renamed.md")
	if _, err := os.Stat(filepath.Join(out, "incidents", "new")); err == nil {
		t.Error("renamed incident's old page left behind")
	}
	if _, err := os.Stat(filepath.Join(out, "incidents", "renamed", "index.html")); err != nil {
		t.Error("renamed incident's new page missing")
	}
	// Remove: its page, its only term page and its year page go.
	if err := os.Remove(filepath.Join(dir, "content", "2025", "renamed.md")); err != nil {
		t.Fatal(err)
	}
	res = rebuild(t, s, "content/2025/renamed.md")
	for _, p := range []string{"incidents/renamed", "services/billing", "years/2025"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err == nil {
			t.Errorf("%s left behind after the file was deleted", p)
		}
	}
	if res.Removed < 3 {
		t.Errorf("removed %d outputs", res.Removed)
	}
}

// A broken save reports file:line and keeps the last good output; the next
// good save builds again.
func TestIncrementalErrorKeepsOutput(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	before, _ := os.ReadFile(filepath.Join(dir, "public", seedPage))
	edit(t, dir, seedFile, "severity: SEV2", "severity: SEV9")
	res := rebuild(t, s, seedFile)
	if !res.Diags.HasErrors() || !strings.Contains(res.Diags[0].String(), seedFile+":6:11: severity") {
		t.Fatalf("diagnostics %v", res.Diags)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "public", seedPage))
	if string(before) != string(after) {
		t.Error("a failed rebuild changed the output")
	}
	edit(t, dir, seedFile, "severity: SEV9", "severity: SEV1")
	res = rebuild(t, s, seedFile)
	if res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "public", seedPage)); !strings.Contains(string(b), "SEV1") {
		t.Error("the good save was not built")
	}
}

// A burst (a git checkout of hundreds of files) is one rebuild.
func TestIncrementalBurst(t *testing.T) {
	dir := copySite(t)
	var names []string
	for i := 0; i < 500; i++ {
		rel := fmt.Sprintf("content/burst/b%03d.md", i)
		names = append(names, rel)
		writeFile(t, filepath.Join(dir, rel), fmt.Sprintf("---\ntitle: Burst %d\ndate: 2024-02-%02d\nservices: [svc-%d]\n---\n- 10:00 Event %d.\n", i, 1+i%28, i%7, i))
	}
	s, first := session(t, dir)
	if first.Incidents != 506 {
		t.Fatalf("%d incidents", first.Incidents)
	}
	for _, rel := range names {
		edit(t, dir, rel, "Event", "Changed event")
	}
	res := rebuild(t, s, names...)
	if res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	n := 0
	for _, p := range res.Changed {
		if strings.HasPrefix(p, "incidents/b") {
			n++
		}
	}
	if n != 500 {
		t.Errorf("%d burst pages rewritten, want 500", n)
	}
}

// The fast path: a body edit renders only the incident's own page at once
// and leaves the site-wide outputs to the next Build, which then brings
// them up to date.
func TestFastPathBodyEdit(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	const file = "content/incidents/2024-03-14-metadata-script-failure.md"
	edit(t, dir, file, "Root cause", "Root cause, fast")
	edit(t, dir, file, "Started the rerun with", "Started the second run with")
	res, ok, err := s.BuildFast(Change{Paths: []string{file}})
	if err != nil || !ok {
		t.Fatalf("fast path not taken: %v %v", ok, err)
	}
	if got := rendered(res); !slices.Equal(got, []string{"incidents/inc-2024-034/index.html"}) {
		t.Errorf("fast path rendered %v", got)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "public", "incidents", "inc-2024-034", "index.html"))
	if !strings.Contains(string(page), "Root cause, fast") {
		t.Error("edit not on the page")
	}
	// A link in the page still resolves (the body was parsed again).
	if !strings.Contains(string(page), `<a class="xref" href="../../incidents/inc-2024-031/index.html">`) {
		t.Error("cross-reference lost on the fast path")
	}
	if !s.Stale {
		t.Error("site-wide outputs not marked stale")
	}
	// The follow-up build updates the data, not the page again.
	res = rebuild(t, s)
	if slices.Contains(res.Changed, "incidents/inc-2024-034/index.html") {
		t.Errorf("follow-up build rewrote the page again: %v", res.Changed)
	}
	if !slices.Contains(res.Changed, "incidents.json") || !slices.Contains(res.Changed, "search-index.js") {
		t.Errorf("follow-up build did not bring the data up to date: %v", res.Changed)
	}
	if s.Stale {
		t.Error("still stale after the follow-up build")
	}
}

// A title edit takes the fast path: its own page at once, with the new
// title; then the Build that follows rewrites every page and list that
// shows the title, rescored, and leaves what a fresh build writes.
func TestFastPathTitleEdit(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	// Written over two lines: what follows moves down a line, which the
	// fast path does not mind.
	edit(t, dir, seedFile, "title: E-mail loss and customer log-in failures after software release", "title: >-\n  Mail lost after the release,\n  log-in failing")
	edit(t, dir, seedFile, "severity: SEV2", "severity: SEV1")
	page := fastSeedPage(t, s, dir)
	if !strings.Contains(string(page), "<h1>Mail lost after the release, log-in failing</h1>") || !strings.Contains(string(page), `sev-sev1`) {
		t.Error("new title or severity not on the page")
	}
	if !s.Stale {
		t.Error("site-wide outputs not marked stale")
	}
	res := rebuild(t, s)
	for _, p := range []string{"index.html", "incidents/inc-2024-034/index.html", "services/e-mail/index.html", "severity/sev1/index.html", "severity/sev2/index.html", "incidents.json", "search-index.js"} {
		if !slices.Contains(res.Changed, p) {
			t.Errorf("%s not rewritten by the follow-up build (changed: %v)", p, res.Changed)
		}
	}
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
}

// Key moments and action items are edited while a review is written: the
// fast path shows them on the page at once; the Build that follows moves
// the site-wide figures, the open action items of the index and the
// cards' time to resolve.
func TestFastPathMomentsAndActionItemsEdit(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	edit(t, dir, seedFile, `resolved: "07:17:00"`, `resolved: "08:47:00"`)
	edit(t, dir, seedFile, "    status: done\n    ticket: OPS-1426", "    status: open\n    ticket: OPS-1426")
	edit(t, dir, seedFile, "action_items:\n", "action_items:\n  - title: Page the network group from the e-mail bridge\n    owner: Joe\n    status: open\n")
	page := fastSeedPage(t, s, dir)
	for _, want := range []string{"Page the network group from the e-mail bridge", `<time datetime="2024-03-14T08:47:00-05:00">08:47</time>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("%q not on the page", want)
		}
	}
	res := rebuild(t, s)
	for _, p := range []string{"index.html", "services/e-mail/index.html", "incidents.json"} {
		if !slices.Contains(res.Changed, p) {
			t.Errorf("%s not rewritten by the follow-up build (changed: %v)", p, res.Changed)
		}
	}
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
}

// An edit of services and tags that all have pages already takes the fast
// path; the Build that follows moves the incident between term pages,
// removes a term page left with no incident, and rescores related ones.
func TestFastPathKnownTermsEdit(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	edit(t, dir, seedFile, "services: [e-mail, login, analytics]", "services: [e-mail, login]")
	edit(t, dir, seedFile, "tags: [software-release, bridge-call]", "tags: [software-release, bridge-call, metadata]")
	page := fastSeedPage(t, s, dir)
	if !strings.Contains(string(page), `href="../../tags/metadata/index.html"`) {
		t.Error("the new tag is not linked from the page")
	}
	res := rebuild(t, s)
	if !slices.Contains(res.Changed, "tags/metadata/index.html") {
		t.Errorf("the tag's page did not follow: %v", res.Changed)
	}
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
}

// An edit that names a term with no page yet (a new service) is not for
// the fast path.
func TestFastPathDeclinesTaxonomyEdit(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	edit(t, dir, seedFile, "services: [", "services: [billing, ")
	if _, ok, _ := s.BuildFast(Change{Paths: []string{seedFile}}); ok {
		t.Error("a taxonomy edit took the fast path")
	}
	res := rebuild(t, s, seedFile)
	if !slices.Contains(res.Changed, "services/billing/index.html") {
		t.Errorf("the full incremental build did not follow: %v", res.Changed)
	}
}

// Edits of titles and taxonomy terms in a watch session rescore only the
// incidents they can move, and leave the output a fresh build would write:
// one incident at a time and several, on a generated site where every
// incident has scored related incidents.
func TestIncrementalRescoringMatchesFreshBuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := corpus.Generate(dir, corpus.Options{N: 150, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "content", "incidents", "*", "*.md"))
	if len(files) < 150 {
		t.Fatalf("%d files generated", len(files))
	}
	rel := func(f string) string { r, _ := filepath.Rel(dir, f); return filepath.ToSlash(r) }
	out := filepath.Join(dir, "public")
	s := NewSession(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default})
	if res, err := s.Build(Change{Full: true}); err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	retitle := func(f, title string) {
		b, _ := os.ReadFile(f)
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "title: ") {
				lines[i] = "title: " + title
				break
			}
		}
		writeFile(t, f, strings.Join(lines, "\n"))
	}
	retag := func(f, tags string) {
		b, _ := os.ReadFile(f)
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "tags: ") {
				lines[i] = "tags: " + tags
			}
		}
		writeFile(t, f, strings.Join(lines, "\n"))
	}
	for _, step := range []struct {
		name string
		edit func() []string
	}{
		{"a title", func() []string {
			retitle(files[7], "Checkout latency after database failover")
			return []string{rel(files[7])}
		}},
		{"the same title again", func() []string {
			retitle(files[7], "Mail queue backlog on the database")
			return []string{rel(files[7])}
		}},
		{"tags", func() []string { retag(files[20], "[database, failover, hardware]"); return []string{rel(files[20])} }},
		{"a tag's spelling", func() []string { retag(files[3], "[Security]"); return []string{rel(files[3])} }},
		{"three titles", func() []string {
			for _, k := range []int{30, 31, 90} {
				retitle(files[k], fmt.Sprintf("Database failover %d stalls checkout", k))
			}
			return []string{rel(files[30]), rel(files[31]), rel(files[90])}
		}},
	} {
		res, err := s.Build(Change{Paths: step.edit()})
		if err != nil || res.Diags.HasErrors() {
			t.Fatal(step.name, err, res.Diags)
		}
		matchesFresh(t, dir, out, "after editing "+step.name)
	}
}

// A file saved while another has an error is read by a build that fails;
// the next good build still renders its page, and the fast path waits for
// that build rather than render from a site that never had the change.
func TestIncrementalEditDuringErrorIsRendered(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	const a = "content/incidents/2024-03-14-metadata-script-failure.md"
	edit(t, dir, seedFile, "severity: SEV2", "severity: SEV9")
	if res := rebuild(t, s, seedFile); !res.Diags.HasErrors() {
		t.Fatal("no error for an unknown severity")
	}
	edit(t, dir, a, "follow-up-review]", "runbook-gap]")
	if res := rebuild(t, s, a); !res.Diags.HasErrors() || res.Written != 0 {
		t.Fatalf("a build with another file's error: %d written, diags %v", res.Written, res.Diags)
	}
	edit(t, dir, a, "title: Post-release metadata script", "title: The post-release metadata script")
	if _, ok, _ := s.BuildFast(Change{Paths: []string{a}}); ok {
		t.Error("fast path taken after a failed build")
	}
	edit(t, dir, seedFile, "severity: SEV9", "severity: SEV2")
	if res := rebuild(t, s, seedFile); res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "public", "incidents", "inc-2024-034", "index.html"))
	if !strings.Contains(string(page), "runbook-gap") || !strings.Contains(string(page), "The post-release metadata script") {
		t.Error("an edit saved during a failed build is not on its page after the next good build")
	}
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
}

// The fast path renders the edited page alone, not a walk over the site's
// lists, and never a draft's page: a draft is not in the site.
func TestFastPathRendersOnlyTheSitesPages(t *testing.T) {
	dir := copySite(t)
	const draft = "content/incidents/2024-05-01-draft.md"
	writeFile(t, filepath.Join(dir, draft), "---\nid: INC-DRAFT-1\ntitle: Not yet\ndate: 2024-05-01\nseverity: SEV3\nstatus: open\ndraft: true\n---\n\n## Timeline\n\n- 10:00 Alert fired.\n")
	s, _ := session(t, dir)
	edit(t, dir, draft, "Alert fired.", "Alert fired twice.")
	res, ok, err := s.BuildFast(Change{Paths: []string{draft}})
	if err != nil || !ok {
		t.Fatalf("fast path: %v %v", ok, err)
	}
	if res.Rendered != 0 || res.Written != 0 {
		t.Errorf("a draft's edit rendered %v", rendered(res))
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "incidents", "inc-draft-1")); !os.IsNotExist(err) {
		t.Errorf("a draft's page was written: %v", err)
	}
}

// A term's page is headed with the spelling of the first file that names
// it: when that file spells it anew, the term page follows, though its
// members did not change.
func TestIncrementalTermSpelling(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	const first = "content/incidents/2023-11-02-email-queue-backlog.md"
	edit(t, dir, first, "components: [Server 24,", "components: [SERVER 24,")
	if res := rebuild(t, s, first); res.Diags.HasErrors() {
		t.Fatal(res.Diags)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "public", "components", "server-24", "index.html"))
	if !strings.Contains(string(page), "SERVER 24") {
		t.Error("the term page keeps the old spelling")
	}
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
}

// freshHash is the hash of what a one-shot build of dir writes.
func freshHash(t *testing.T, dir string) string {
	t.Helper()
	fresh := filepath.Join(t.TempDir(), "fresh")
	if res, err := Build(Options{Source: dir, Out: fresh, Version: "test", Theme: themes.Default}); err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	return treeHash(t, fresh)
}

// matchesFresh reports when out, a watch session's output, differs from
// what a one-shot build of dir writes.
func matchesFresh(t *testing.T, dir, out, when string) {
	t.Helper()
	if a, b := treeHash(t, out), freshHash(t, dir); a != b {
		t.Errorf("%s: session %s, fresh build %s", when, a, b)
	}
}

// fastSeedPage saves the seed incident through the fast path, which must
// render its page and nothing else, and returns the page as served.
func fastSeedPage(t *testing.T, s *Session, dir string) []byte {
	t.Helper()
	res, ok, err := s.BuildFast(Change{Paths: []string{seedFile}})
	if err != nil || !ok {
		t.Fatalf("fast path not taken: %v %v", ok, err)
	}
	if got := rendered(res); !slices.Equal(got, []string{seedPage}) {
		t.Errorf("fast path rendered %v", got)
	}
	page, err := os.ReadFile(filepath.Join(dir, "public", filepath.FromSlash(seedPage)))
	if err != nil {
		t.Fatal(err)
	}
	return page
}

// A session given unclean paths ("public/", "./public") rebuilds as with
// clean ones: outputs are joined to the output folder and checked against
// it as clean paths.
func TestSessionCleansItsPaths(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "content", "x.md"), "---\ntitle: First\ndate: 2024-01-01\n---\n- 10:00 ok\n")
	for _, out := range []string{filepath.Join(dir, "public") + string(filepath.Separator), filepath.Join(dir, ".", "a", "..", "public")} {
		s := NewSession(Options{Source: dir + string(filepath.Separator), Out: out, Version: "test", Theme: themes.Default})
		if res, err := s.Build(Change{Full: true}); err != nil || res.Diags.HasErrors() {
			t.Fatal(err, res.Diags)
		}
		writeFile(t, filepath.Join(dir, "content", "x.md"), "---\ntitle: Second\ndate: 2024-01-01\n---\n- 10:00 ok\n")
		if _, err := s.Build(Change{Paths: []string{"content/x.md"}}); err != nil {
			t.Fatalf("--out %s: %v", out, err)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "public", "index.html")); !strings.Contains(string(b), "Second") {
			t.Errorf("--out %s: the rebuild did not write the index", out)
		}
		writeFile(t, filepath.Join(dir, "content", "x.md"), "---\ntitle: First\ndate: 2024-01-01\n---\n- 10:00 ok\n")
	}
}
