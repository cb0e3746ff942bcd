package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/themes"
)

// A log in no form debrief reads is never silently empty: the build warns,
// naming the lines that look like times, and the page says "No timeline
// found" instead of an empty derived report that reads as an all-clear.
func TestNoTimelineIsNeverSilent(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "content", "x.md"), "---\ntitle: Outage\ndate: 2024-03-14\nseverity: SEV1\n---\n"+
		"The database fell over.\n\n## Timeline\n\n- 2017.02.01 00h36 - replication lag\n- then it stopped\n")
	out := filepath.Join(dir, "public")
	res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default})
	if err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	var msgs []string
	for _, d := range res.Diags {
		msgs = append(msgs, d.String())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"content/x.md:8:1: warning: no timeline found",
		`content/x.md:10:3: warning: looks like a timeline entry, but no time form matched: "2017.02.01 00h36 - replication lag"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("diagnostics\n%s\nwant %q", all, want)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "incidents", "x", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	can := string(page[strings.Index(string(page), `<section class="can"`):strings.Index(string(page), `<section class="timeline"`)])
	if !strings.Contains(can, "No timeline found") || strings.Contains(can, "derived") || strings.Contains(can, "No additional") {
		t.Errorf("CAN section of a file without a timeline:\n%s", can)
	}
	js, _ := os.ReadFile(filepath.Join(out, "incidents.json"))
	if !strings.Contains(string(js), `"can":null`) {
		t.Errorf("incidents.json gives a report for a file without a timeline: %s", js)
	}
}

// The index's open action items are those still to do: open and
// in-progress, not done or wontfix.
func TestIndexListsOnlyOpenActionItems(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "content", "x.md"), "---\ntitle: X\ndate: 2024-03-14\naction_items:\n"+
		"  - {title: Still to do, status: open}\n  - {title: Under way, status: in-progress}\n"+
		"  - {title: Finished it, status: done}\n  - {title: Not doing it, status: wontfix}\n---\n- 14:02 paged\n")
	out := filepath.Join(dir, "public")
	if res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default}); err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for title, want := range map[string]bool{"Still to do": true, "Under way": true, "Finished it": false, "Not doing it": false} {
		if got := strings.Contains(string(page), title); got != want {
			t.Errorf("index lists %q: %v, want %v", title, got, want)
		}
	}
}

// Authors keep control of the command observations: an ## Observations
// section is used verbatim instead of the derived ones, and
// observations: {mute: [...]} silences a kind; an unknown kind is an
// error at the field.
func TestAuthorsControlObservations(t *testing.T) {
	log := "## Timeline\n\n- 10:00 [condition] Checkout is down.\n- 10:40 [action] Pete rolled back.\n- 11:30 [condition] Checkout is working again.\n"
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "content", "noted.md"), "---\ntitle: Noted\ndate: 2024-03-14\nstarted: \"10:00\"\nresolved: \"11:30\"\n---\n"+log+
		"\n## Observations\n\n- Nobody owned the rollback until Pete took it (10:40).\n- The status page was not updated.\n")
	writeFile(t, filepath.Join(dir, "content", "muted.md"), "---\ntitle: Muted\ndate: 2024-03-14\nstarted: \"10:00\"\nresolved: \"11:30\"\nobservations: {mute: [silence]}\n---\n"+log)
	writeFile(t, filepath.Join(dir, "content", "plain.md"), "---\ntitle: Plain\ndate: 2024-03-14\nstarted: \"10:00\"\nresolved: \"11:30\"\n---\n"+log)
	out := filepath.Join(dir, "public")
	res, err := Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default})
	if err != nil || res.Diags.HasErrors() {
		t.Fatal(err, res.Diags)
	}
	kinds := func(id string) string {
		var ks []string
		for _, o := range res.Site.ByID(id).Observations {
			ks = append(ks, string(o.Kind))
		}
		return strings.Join(ks, " ")
	}
	if !strings.Contains(kinds("plain"), "silence") {
		t.Fatalf("the plain log's observations %q: want a silence to mute", kinds("plain"))
	}
	if strings.Contains(kinds("muted"), "silence") || kinds("muted") == "" {
		t.Errorf("muted observations %q: want the others without silence", kinds("muted"))
	}
	if got := kinds("noted"); got != "noted noted" {
		t.Errorf("noted observations %q: want the author's two", got)
	}
	page, _ := os.ReadFile(filepath.Join(out, "incidents", "noted", "index.html"))
	if !strings.Contains(string(page), "Nobody owned the rollback until Pete took it (") || !strings.Contains(string(page), `href="#t-1040"`) {
		t.Errorf("the page does not show the author's observation linked to 10:40")
	}
	if strings.Contains(string(page), "<h2 id=\"observations\">Observations</h2>") {
		t.Errorf("the ## Observations section is also left in the body")
	}

	writeFile(t, filepath.Join(dir, "content", "muted.md"), "---\ntitle: Muted\ndate: 2024-03-14\nobservations: {mute: [silences]}\n---\n"+log)
	res, _ = Build(Options{Source: dir, Out: out, Version: "test", Theme: themes.Default})
	if !strings.Contains(fmt.Sprint(res.Diags), `content/muted.md:4:23: observations.mute: "silences" is not a kind of observation`) ||
		!strings.Contains(fmt.Sprint(res.Diags), `did you mean "silence"?`) {
		t.Errorf("diagnostics %v: want the unknown kind at its place, with a suggestion", res.Diags)
	}
}
