package timeline

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
)

type want struct {
	at    string // RFC 3339
	kinds string // comma-joined
	actor string
	text  string
}

func extract(t *testing.T, body string, section bool, opts Options) (*Timeline, string) {
	t.Helper()
	md := markdown.New(false)
	src := []byte(body)
	doc := markdown.Parse(md, src)
	var blocks []any
	_ = blocks
	secs := markdown.Sections(doc, src)
	var tl *Timeline
	if section {
		for _, s := range secs {
			if strings.EqualFold(s.Title, "timeline") {
				tl, _ = Extract(s.Blocks, src, true, opts)
			}
		}
	} else {
		tl, _ = Extract(secs[0].Blocks, src, false, opts)
	}
	if tl == nil {
		t.Fatal("no timeline")
	}
	rest, _ := markdown.Render(md, src, doc)
	return tl, string(rest)
}

func opts() Options {
	chicago, _ := time.LoadLocation("America/Chicago")
	return Options{Path: "x.md", BodyLine: 1, Day: time.Date(2024, 3, 14, 0, 0, 0, 0, chicago), Location: chicago, People: []string{"Pete", "Paul", "Joe", "Ana"}}
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []want
	}{
		{"list items", "## Timeline\n\n- 14:02 Alert fired\n- 14:05 Ana: rolled back\n",
			[]want{{"2024-03-14T14:02:00-05:00", "", "", "Alert fired"}, {"2024-03-14T14:05:00-05:00", "", "Ana", "rolled back"}}},
		{"seconds and separators", "## Timeline\n\n- 14:02:09 - a\n- 14:03 – b\n- 14:04: c\n- 14:05 — d\n",
			[]want{{"2024-03-14T14:02:09-05:00", "", "", "a"}, {"2024-03-14T14:03:00-05:00", "", "", "b"}, {"2024-03-14T14:04:00-05:00", "", "", "c"}, {"2024-03-14T14:05:00-05:00", "", "", "d"}}},
		{"bold and bracketed", "## Timeline\n\n**14:02** Bold time\n\n[14:03] Bracketed time\n\n`14:04` code time\n",
			[]want{{"2024-03-14T14:02:00-05:00", "", "", "Bold time"}, {"2024-03-14T14:03:00-05:00", "", "", "Bracketed time"}, {"2024-03-14T14:04:00-05:00", "", "", "code time"}}},
		{"zones override the file", "## Timeline\n\n- 14:02 UTC a\n- 14:03Z b\n- 16:04 +02:00 c\n",
			[]want{{"2024-03-14T14:02:00Z", "", "", "a"}, {"2024-03-14T14:03:00Z", "", "", "b"}, {"2024-03-14T16:04:00+02:00", "", "", "c"}}},
		{"12-hour", "## Timeline\n\n- 2:05 PM – restarted\n- 11:40 pm paged\n",
			[]want{{"2024-03-14T14:05:00-05:00", "", "", "restarted"}, {"2024-03-14T23:40:00-05:00", "", "", "paged"}}},
		{"dates and RFC 3339", "## Timeline\n\n- 2024-03-15 01:00 next day\n- 2024-03-15T07:00:00Z utc\n",
			[]want{{"2024-03-15T01:00:00-05:00", "", "", "next day"}, {"2024-03-15T07:00:00Z", "", "", "utc"}}},
		{"rollover past midnight", "## Timeline\n\n- 23:50 late\n- 00:10 after midnight\n",
			[]want{{"2024-03-14T23:50:00-05:00", "", "", "late"}, {"2024-03-15T00:10:00-05:00", "", "", "after midnight"}}},
		{"tags and lead-in actor", "## Timeline\n\n- 14:05 [action] [key] Ana: Rolled back release 2024.03.2\n- 14:06 [Need] Someone must page DBA\n",
			[]want{{"2024-03-14T14:05:00-05:00", "action,key", "Ana", "Rolled back release 2024.03.2"}, {"2024-03-14T14:06:00-05:00", "need", "", "Someone must page DBA"}}},
		{"actor from the first person named", "## Timeline\n\n- 04:21 The Executive, Paul, joins and asks Pete for an update.\n",
			[]want{{"2024-03-14T04:21:00-05:00", "", "Paul", "The Executive, Paul, joins and asks Pete for an update."}}},
		{"chat export in one paragraph", "## Timeline\n\n[03:44] <Joe> server 28 dropping packets\n[03:45] <ana> looking\n[03:47] <Joe> confirmed\n",
			[]want{{"2024-03-14T03:44:00-05:00", "", "Joe", "server 28 dropping packets"}, {"2024-03-14T03:45:00-05:00", "", "ana", "looking"}, {"2024-03-14T03:47:00-05:00", "", "Joe", "confirmed"}}},
		{"multi-paragraph entries", "## Timeline\n\n14:02 First entry.\n\nIt continues here.\n\n- and a list\n\n14:10 Second.\n",
			[]want{{"2024-03-14T14:02:00-05:00", "", "", "First entry. It continues here. and a list"}, {"2024-03-14T14:10:00-05:00", "", "", "Second."}}},
		{"nested list continues the item", "## Timeline\n\n- 14:02 Checked hosts\n  - web-1 ok\n  - web-2 down\n- 14:09 Drained web-2\n",
			[]want{{"2024-03-14T14:02:00-05:00", "", "", "Checked hosts web-1 ok web-2 down"}, {"2024-03-14T14:09:00-05:00", "", "", "Drained web-2"}}},
		{"not a name lead-in", "## Timeline\n\n- 14:02 Note: this is a note\n",
			[]want{{"2024-03-14T14:02:00-05:00", "", "", "Note: this is a note"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl, _ := extract(t, tt.body, true, opts())
			if len(tl.Entries) != len(tt.want) {
				for _, e := range tl.Entries {
					t.Logf("entry %s %q", e.At.Format(time.RFC3339), e.Text)
				}
				t.Fatalf("got %d entries, want %d", len(tl.Entries), len(tt.want))
			}
			for i, w := range tt.want {
				e := tl.Entries[i]
				got := want{e.At.Format(time.RFC3339), strings.Join(e.Kinds, ","), e.Actor, e.Text}
				if got != w {
					t.Errorf("entry %d:\n got  %+v\n want %+v", i, got, w)
				}
			}
		})
	}
}

func TestEntryMarkupKeptAndPrefixRemoved(t *testing.T) {
	tl, _ := extract(t, "## Timeline\n\n- **14:02** [action] Ana: rolled back *release* [notes](https://example.com)\n", true, opts())
	md := markdown.New(false)
	src := []byte("## Timeline\n\n- **14:02** [action] Ana: rolled back *release* [notes](https://example.com)\n")
	_ = src
	html, err := markdown.Render(md, []byte("## Timeline\n\n- **14:02** [action] Ana: rolled back *release* [notes](https://example.com)\n"), tl.Entries[0].Content)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(string(html))
	want := `rolled back <em>release</em> <a href="https://example.com">notes</a>`
	if got != want {
		t.Errorf("entry HTML\n got  %s\n want %s", got, want)
	}
}

func TestChatNickIsNotRawHTML(t *testing.T) {
	body := "## Timeline\n\n[03:44] <Joe> <script>alert(1)</script> hi\n"
	tl, _ := extract(t, body, true, opts())
	html, _ := markdown.Render(markdown.New(false), []byte(body), tl.Entries[0].Content)
	if strings.Contains(string(html), "<script") || strings.Contains(string(html), "Joe") {
		t.Errorf("entry HTML %q: want the nick removed and raw HTML dropped", html)
	}
	if tl.Entries[0].Actor != "Joe" {
		t.Errorf("actor %q, want Joe", tl.Entries[0].Actor)
	}
}

func TestDuplicateAnchorsAreUnique(t *testing.T) {
	tl, _ := extract(t, "## Timeline\n\n- 14:02 a\n- 14:02 b\n- 14:02:30 c\n", true, opts())
	var got []string
	for _, e := range tl.Entries {
		got = append(got, e.Anchor)
	}
	if strings.Join(got, " ") != "t-1402 t-1402-2 t-140230" {
		t.Errorf("anchors %v", got)
	}
}

// A date that goes back is a slip in a real log: a warning quoting both
// lines, and the build goes on.
func TestClockGoingBackADayIsAWarning(t *testing.T) {
	md := markdown.New(false)
	src := []byte("## Timeline\n\n- 2024-03-14 10:00 a\n- 2024-03-11 10:00 b\n")
	doc := markdown.Parse(md, src)
	secs := markdown.Sections(doc, src)
	o := opts()
	o.BodyLine = 5
	_, ds := Extract(secs[1].Blocks, src, true, o)
	if len(ds) != 1 || ds[0].Line != 8 || ds[0].Severity != diag.Warning || !strings.Contains(ds[0].Msg, "goes back") ||
		!strings.Contains(ds[0].Msg, "2024-03-14 10:00 a") || !strings.Contains(ds[0].Msg, "2024-03-11 10:00 b") {
		t.Errorf("diagnostics %v; want one warning at x.md:8 quoting both lines", ds)
	}
}

// The seed exercise, pasted under front matter with no Timeline heading,
// is a timeline of 21 entries; its other paragraphs stay in the body.
func TestSeedLogWithoutTimelineHeading(t *testing.T) {
	seed, err := os.ReadFile("../../testdata/seed/bridge-call-exercise.txt")
	if err != nil {
		t.Fatal(err)
	}
	tl, rest := extract(t, string(seed), false, opts())
	if len(tl.Entries) != 21 {
		t.Fatalf("got %d entries, want 21", len(tl.Entries))
	}
	first, last := tl.Entries[0], tl.Entries[20]
	// "One of the SMEs suggests … Joe said he needs to check Server 28"
	// mentions Joe; it is not Joe's entry.
	if first.At.Format(time.RFC3339) != "2024-03-14T03:39:25-05:00" || first.Actor != "" {
		t.Errorf("first entry %s actor %q", first.At.Format(time.RFC3339), first.Actor)
	}
	if last.At.Format(time.RFC3339) != "2024-03-14T07:50:00-05:00" || last.Text != "Call is terminated." {
		t.Errorf("last entry %s %q", last.At.Format(time.RFC3339), last.Text)
	}
	if tl.Entries[2].Actor != "Pete" {
		t.Errorf("04:19:20 actor %q, want Pete", tl.Entries[2].Actor)
	}
	for _, keep := range []string{"Incident Management Training", "Prepare a CAN report"} {
		if !strings.Contains(rest, keep) {
			t.Errorf("body lost %q", keep)
		}
	}
	if strings.Contains(rest, "03:39:25") {
		t.Error("timeline entries left in the body")
	}
}
