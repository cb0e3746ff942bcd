package build

// Cases of the fast path and the Build that follows it, found by a review:
// after both, the output is what a fresh build writes.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	netFile  = "content/incidents/2024-03-14-server-28-network-bridge.md"
	anaFile  = "content/incidents/2024-04-09-analytics-dashboard-delay.md"
	metaFile = "content/incidents/2024-03-14-metadata-script-failure.md"
)

func grepPage(t *testing.T, dir, page, s string) bool {
	b, _ := os.ReadFile(filepath.Join(dir, "public", filepath.FromSlash(page)))
	return strings.Contains(string(b), s)
}

// Two terms whose slugs collide: "data freshness" (INC-2024-032 only) takes
// tags/data-freshness/, "data-freshness" (INC-2024-035) tags/data-freshness-2/.
// INC-2024-032 drops its term on the fast path: the follow-up renumbers the
// other term's slug, but INC-2024-035's page keeps linking to -2.
func TestFastPathSlugMovesOnOtherPage(t *testing.T) {
	dir := copySite(t)
	edit(t, dir, netFile, "tags: [network, bridge-call, msdc]", "tags: [network, bridge-call, msdc, data freshness]")
	s, _ := session(t, dir)
	if !grepPage(t, dir, "incidents/inc-2024-035/index.html", "tags/data-freshness-2/index.html") {
		t.Fatal("setup: no -2 slug")
	}
	edit(t, dir, netFile, "msdc, data freshness]", "msdc]")
	if _, ok, err := s.BuildFast(Change{Paths: []string{netFile}}); !ok || err != nil {
		t.Fatalf("fast path not taken: %v %v", ok, err)
	}
	rebuild(t, s)
	if grepPage(t, dir, "incidents/inc-2024-035/index.html", "tags/data-freshness-2/index.html") {
		t.Error("INC-2024-035 links to tags/data-freshness-2/, which the follow-up removed")
	}
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
}

// The edited page itself: INC-2024-032 joins the "data-freshness" term
// (slug -2 while "data freshness" exists); the follow-up gives that term
// the plain slug, and does not render the edited page again. Also with
// tags of no weight in related scoring, so the edit moves no related
// incident.
func TestFastPathSlugMovesOnOwnPage(t *testing.T) {
	for name, tagWeight := range map[string]string{"tags weigh": "tags: 2,", "tags weigh nothing": "tags: 0,"} {
		t.Run(name, func(t *testing.T) {
			dir := copySite(t)
			edit(t, dir, "debrief.yaml", "tags: 2,", tagWeight)
			edit(t, dir, netFile, "tags: [network, bridge-call, msdc]", "tags: [network, bridge-call, msdc, data freshness]")
			s, _ := session(t, dir)
			edit(t, dir, netFile, "msdc, data freshness]", "msdc, Data-Freshness]")
			if _, ok, err := s.BuildFast(Change{Paths: []string{netFile}}); !ok || err != nil {
				t.Fatalf("fast path not taken: %v %v", ok, err)
			}
			res := rebuild(t, s)
			t.Logf("follow-up changed %v", res.Changed)
			if grepPage(t, dir, "incidents/inc-2024-032/index.html", "tags/data-freshness-2/index.html") {
				t.Error("the edited page links to tags/data-freshness-2/, which the follow-up removed")
			}
			matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
		})
	}
}

// Two files in one fast batch: INC-2024-034 links [[INC-2024-031]], whose
// title changes in the same batch. 034 is relinked before 031 is replaced.
func TestFastPathBatchLinksPrintNewTitles(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	const old = "E-mail loss and customer log-in failures after software release"
	edit(t, dir, seedFile, "title: "+old, "title: Mail lost after the release")
	edit(t, dir, metaFile, "Root cause", "Root cause (revised)")
	if _, ok, err := s.BuildFast(Change{Paths: []string{metaFile, seedFile}}); !ok || err != nil {
		t.Fatalf("fast path not taken: %v %v", ok, err)
	}
	if grepPage(t, dir, "incidents/inc-2024-034/index.html", old) {
		t.Error("the fast path wrote INC-2024-034 with 031's old title in its [[INC-2024-031]] links")
	}
	rebuild(t, s)
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
}

// As TestFastPathSlugMovesOnOtherPage, with a plain incremental Build.
func TestIncrementalSlugMoves(t *testing.T) {
	dir := copySite(t)
	edit(t, dir, netFile, "tags: [network, bridge-call, msdc]", "tags: [network, bridge-call, msdc, data freshness]")
	s, _ := session(t, dir)
	edit(t, dir, netFile, "msdc, data freshness]", "msdc]")
	rebuild(t, s, netFile)
	if grepPage(t, dir, "incidents/inc-2024-035/index.html", "tags/data-freshness-2/index.html") {
		t.Error("INC-2024-035 links to tags/data-freshness-2/, which the build removed")
	}
}

// Only members leave: tag data-freshness, person Wei, severity SEV4 and
// status mitigated are INC-2024-035's alone; it moves to SEV1 (no page
// yet), closed, commander Pete.
func TestFastPathLastMembersLeave(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	edit(t, dir, anaFile, "tags: [analytics, data-freshness]", "tags: [analytics]")
	edit(t, dir, anaFile, "commander: Dana", "commander: pete")
	edit(t, dir, anaFile, "roles: {liaison: Wei}", "roles: {liaison: Joe}")
	edit(t, dir, anaFile, "participants: [Dana, Wei, Raj]", "participants: [Dana, Raj]")
	edit(t, dir, anaFile, "severity: SEV4", "severity: SEV1")
	edit(t, dir, anaFile, "status: mitigated", "status: closed")
	if _, ok, err := s.BuildFast(Change{Paths: []string{anaFile}}); !ok || err != nil {
		t.Fatalf("fast path not taken: %v %v", ok, err)
	}
	if !grepPage(t, dir, "incidents/inc-2024-035/index.html", `people/pete/index.html">pete<`) {
		t.Error("commander not linked")
	}
	res := rebuild(t, s)
	t.Logf("follow-up changed %v", res.Changed)
	for _, p := range []string{"tags/data-freshness", "people/wei", "severity/sev4", "status/mitigated"} {
		if _, err := os.Stat(filepath.Join(dir, "public", p)); err == nil {
			t.Errorf("%s left", p)
		}
	}
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
}

// Twice on the fast path before the follow-up, the second undoing part of
// the first; and a case change of a term the file spells first.
func TestFastPathTwiceBeforeFollowUp(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	const first = "content/incidents/2023-11-02-email-queue-backlog.md"
	edit(t, dir, first, "components: [Server 24,", "components: [SERVER 24,")
	edit(t, dir, first, "severity: SEV3", "severity: SEV5")
	if _, ok, err := s.BuildFast(Change{Paths: []string{first}}); !ok || err != nil {
		t.Fatalf("fast path not taken: %v %v", ok, err)
	}
	edit(t, dir, first, "severity: SEV5", "severity: SEV3")
	edit(t, dir, first, "tags: [mail-queue, antivirus, overnight]", "tags: [mail-queue, antivirus, bridge-call]")
	if _, ok, err := s.BuildFast(Change{Paths: []string{first, first}}); !ok || err != nil {
		t.Fatalf("fast path not taken: %v %v", ok, err)
	}
	rebuild(t, s)
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
}

// A page (type: page) on the fast path.
func TestFastPathPage(t *testing.T) {
	dir := copySite(t)
	s, _ := session(t, dir)
	b, _ := os.ReadFile(filepath.Join(dir, "content", "about.md"))
	writeFile(t, filepath.Join(dir, "content", "about.md"), strings.Replace(string(b), "title: ", "title: New ", 1)+"\nMore.\n")
	res, ok, err := s.BuildFast(Change{Paths: []string{"content/about.md"}})
	if !ok || err != nil {
		t.Fatalf("fast path not taken: %v %v", ok, err)
	}
	t.Logf("fast %v %v", rendered(res), res.Diags)
	rebuild(t, s)
	matchesFresh(t, dir, filepath.Join(dir, "public"), "after the follow-up build")
}

// A draft that links to another draft: a Build never resolves a draft's
// links; the fast path does (Relink), and reports an error.
func TestFastPathDraftLinksUnresolved(t *testing.T) {
	dir := copySite(t)
	const draft = "content/incidents/2024-05-01-draft.md"
	writeFile(t, filepath.Join(dir, draft), "---\nid: INC-DRAFT-1\ntitle: Not yet\ndate: 2024-05-01\nseverity: SEV3\nstatus: open\ndraft: true\n---\n\nSee [[INC-DRAFT-2]].\n\n## Timeline\n\n- 10:00 Alert fired.\n")
	s, _ := session(t, dir)
	edit(t, dir, draft, "Alert fired.", "Alert fired twice.")
	res, ok, err := s.BuildFast(Change{Paths: []string{draft}})
	t.Logf("ok %v err %v diags %v", ok, err, res.Diags)
	if ok && res.Diags.HasErrors() {
		t.Error("the fast path reports an error a Build does not")
	}
}
