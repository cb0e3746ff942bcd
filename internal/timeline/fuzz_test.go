package timeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/markdown"
)

// FuzzExtract: any body, in a Timeline section or pasted raw, gives
// entries with an instant and a unique anchor, renders, and never panics.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"## Timeline\n\n- Jan 04, 2021 - 3:24 PM PST - paged\n- 21 October 2018 22:52 UTC: failover\n",
		"At 2017/01/31 18:00 UTC, spammers\n\n[03-26 23:04] x\n[03-27 00:10] y\n",
		"## Timeline\n\n| Event | Time |\n|---|---|\n| a | 14:02 |\n",
		"## Timeline\n\n### 2018 October 21 22:52 UTC\n\nx\n\n### Tuesday, March 19\n\n- 09:00 a\n",
		"Ana  1:26 PM\nerrors\n(edited)\nBob [1:27 PM]\nok\n\n[1:26 PM] Ana Smith\nx\n\nBob — Today at 1:27 PM\ny\n",
		"> [14:02] <ana> down\n\n```slack\nCy  2:05 PM\nall clear\n```\n",
		"Resolved\nFixed.\nPosted Mar 14, 2024 - 15:24 UTC\nInvestigating\nx\nPosted Mar 14, 2024 - 14:02 UTC\n",
		"## Timeline\n\n- 13:55 PM a\n- 2022-01-11 14:40 b\n- 03/04/2024 12:00 c\n- 18.16 - d\n- 2024-03-16 - e\n",
		"Time | Text\n------\n14:50 | a\n",
	} {
		f.Add(s)
	}
	if logs, _ := filepath.Glob("../../testdata/logs/*.md"); len(logs) > 0 {
		for _, p := range logs[:min(len(logs), 8)] {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(string(b))
			}
		}
	}
	md := markdown.New(false)
	f.Fuzz(func(t *testing.T, body string) {
		src := []byte(body)
		doc := markdown.Parse(md, src)
		secs := markdown.Sections(doc, src)
		var tl *Timeline
		for _, s := range secs {
			if strings.EqualFold(s.Title, "timeline") {
				tl, _ = Extract(s.Blocks, src, true, utcOpts())
				break
			}
		}
		if tl == nil {
			all := secs[0].Blocks
			for _, s := range secs[1:] {
				all = append(all, s.Heading)
				all = append(all, s.Blocks...)
			}
			tl, _ = Extract(all, src, false, utcOpts())
		}
		seen := map[string]bool{}
		for _, e := range tl.Entries {
			if e.At.IsZero() || e.Anchor == "" || seen[e.Anchor] {
				t.Fatalf("entry at %v anchor %q (seen %v)", e.At, e.Anchor, seen[e.Anchor])
			}
			seen[e.Anchor] = true
			if _, err := markdown.Render(md, src, e.Content); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := markdown.Render(md, src, doc); err != nil {
			t.Fatal(err)
		}
	})
}
