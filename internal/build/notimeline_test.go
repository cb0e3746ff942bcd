package build

import (
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
