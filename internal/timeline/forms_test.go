package timeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
)

// extractAll is extract for a body without a Timeline heading, returning
// the diagnostics too.
func extractAll(t *testing.T, body string, o Options) (*Timeline, diag.List) {
	t.Helper()
	md := markdown.New(false)
	src := []byte(body)
	doc := markdown.Parse(md, src)
	secs := markdown.Sections(doc, src)
	for _, s := range secs {
		if strings.EqualFold(s.Title, "timeline") {
			return Extract(s.Blocks, src, true, o)
		}
	}
	all := secs[0].Blocks
	for _, s := range secs[1:] {
		all = append(all, s.Heading)
		all = append(all, s.Blocks...)
	}
	return Extract(all, src, false, o)
}

func utcOpts() Options {
	return Options{Path: "x.md", BodyLine: 1, Day: time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC), Location: time.UTC, People: []string{"Pete", "Paul", "Joe"}}
}

// One case per form of SPEC §2.2: the entries a person sees, their
// instants, actors and text, and the warnings a slip gets.
func TestExtractForms(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []want
		warn string // a warning that must be given, if any
	}{
		{"slashed date and prose lead-in", "At 2017/01/31 18:00 UTC, spammers hit the DB\n\n- 2017/02/01 00:36 - restored\n",
			[]want{{"2017-01-31T18:00:00Z", "", "", "spammers hit the DB"}, {"2017-02-01T00:36:00Z", "", "", "restored"}}, ""},
		{"month names and a 12-hour zone", "## Timeline\n\n- Jan 04, 2021 - 3:24 PM PST - paged\n- 21 October 2018 22:52 UTC: failover\n- Oct 21 22:54 — back\n",
			[]want{{"2021-01-04T15:24:00-08:00", "", "", "paged"}, {"2018-10-21T22:52:00Z", "", "", "failover"}, {"2018-10-21T22:54:00Z", "", "", "back"}}, ""},
		{"around, tilde and -ish", "## Timeline\n\nAround 14:05, alerts fired\n\n~14:10 rollback\n\n14:20-ish, recovered\n",
			[]want{{"2024-03-14T14:05:00Z", "", "", "alerts fired"}, {"2024-03-14T14:10:00Z", "", "", "rollback"}, {"2024-03-14T14:20:00Z", "", "", "recovered"}}, ""},
		{"yearless bracketed chat dates across midnight", "[03-26 23:04] Boskos leaked\n[03-27 00:10] fixed\n",
			[]want{{"2024-03-26T23:04:00Z", "", "", "Boskos leaked"}, {"2024-03-27T00:10:00Z", "", "", "fixed"}}, ""},
		{"table with time and text columns in any order", "## Timeline\n\n| Event | Time (UTC) | Who |\n|---|---|---|\n| DB down | 14:02 | Pete |\n| Failover | 14:09 | Joe |\n",
			[]want{{"2024-03-14T14:02:00Z", "", "Pete", "DB down"}, {"2024-03-14T14:09:00Z", "", "Joe", "Failover"}}, ""},
		{"table with date and time columns", "## Timeline\n\n| Date | Time | What |\n|---|---|---|\n| 2024-03-15 | 09:00 | start |\n| 2024-03-16 | 10:30 | end |\n",
			[]want{{"2024-03-15T09:00:00Z", "", "", "start"}, {"2024-03-16T10:30:00Z", "", "", "end"}}, ""},
		{"timestamp headings own the blocks under them", "## Timeline\n\n### 2018 October 21 22:52 UTC\n\nRouters lost the link.\n\n- and a list\n\n### 22:54 UTC\n\nAlerts.\n",
			[]want{{"2018-10-21T22:52:00Z", "", "", "Routers lost the link. and a list"}, {"2018-10-21T22:54:00Z", "", "", "Alerts."}}, ""},
		{"a level-2 update heading outside a Timeline section", "Status history.\n\n## Update - 12:30 UTC\n\nWe are investigating.\n\n## Resolved - 13:10 UTC\n\nFixed.\n",
			[]want{{"2024-03-14T12:30:00Z", "", "", "Update We are investigating."}, {"2024-03-14T13:10:00Z", "", "", "Resolved Fixed."}}, ""},
		{"Slack copy: name and time, message below, UI debris dropped", "Ana  1:26 PM\nwe're seeing errors\n(edited)\n:eyes: 2\nBob [1:27 PM]\nlooking (edited)\nreplied to a thread: we're seeing errors\nView newer replies\n",
			[]want{{"2024-03-14T13:26:00Z", "", "Ana", "we're seeing errors"}, {"2024-03-14T13:27:00Z", "", "Bob", "looking"}}, ""},
		{"Teams, Discord and Zoom", "[1:26 PM] Ana Smith\nerrors up\n\nBob — Today at 1:27 PM\nme too\n\n13:28:11 From Cy to Everyone: rolling back\n",
			[]want{{"2024-03-14T13:26:00Z", "", "Ana Smith", "errors up"}, {"2024-03-14T13:27:00Z", "", "Bob", "me too"}, {"2024-03-14T13:28:11Z", "", "Cy", "rolling back"}}, ""},
		{"IRC with spaces and a date", "2024-03-14 14:02:11 < ana> db down\n14:03 <@bob> on it\n",
			[]want{{"2024-03-14T14:02:11Z", "", "ana", "db down"}, {"2024-03-14T14:03:00Z", "", "bob", "on it"}}, ""},
		{"a chat copy in a blockquote and in a fenced block", "> [14:02] <ana> down\n> [14:03] <bob> up\n\n```slack\nCy  2:05 PM\nall clear\n```\n",
			[]want{{"2024-03-14T14:02:00Z", "", "ana", "down"}, {"2024-03-14T14:03:00Z", "", "bob", "up"}, {"2024-03-14T14:05:00Z", "", "Cy", "all clear"}}, ""},
		{"a status history written newest first", "Resolved\nFixed.\nPosted Mar 14, 2024 - 15:24 UTC\nMonitoring\nA fix is out.\nPosted Mar 14, 2024 - 14:50 UTC\nInvestigating\nLooking.\nPosted Mar 14, 2024 - 14:02 UTC\n",
			[]want{{"2024-03-14T14:02:00Z", "", "", "Investigating Looking."}, {"2024-03-14T14:50:00Z", "", "", "Monitoring A fix is out."}, {"2024-03-14T15:24:00Z", "", "", "Resolved Fixed."}}, ""},
		{"a time after the text", "## Timeline\n\n- Deploy started — 2024-03-14 21:03\n- Rolled back — 2024-03-14 21:30\n",
			[]want{{"2024-03-14T21:03:00Z", "", "", "Deploy started"}, {"2024-03-14T21:30:00Z", "", "", "Rolled back"}}, ""},
		{"a day heading sets the day of clock times", "## Timeline\n\n### Tuesday, March 19\n\n- 09:00 start\n- 10:00 end\n",
			[]want{{"2024-03-19T09:00:00Z", "", "", "start"}, {"2024-03-19T10:00:00Z", "", "", "end"}}, ""},
		{"a date line between clock times gives the next ones their day", "## Timeline\n\n**21:36** Travis is upset<br>\n2016-11-08\n**07:52** still failing<br>\n",
			[]want{{"2024-03-14T21:36:00Z", "", "", "Travis is upset"}, {"2016-11-08T07:52:00Z", "", "", "still failing"}}, ""},
		{"a day with no time", "## Timeline\n\n- 2024-03-14 10:00 - broke\n- 2024-03-16 - vendor escalated\n",
			[]want{{"2024-03-14T10:00:00Z", "", "", "broke"}, {"2024-03-16T00:00:00Z", "", "", "vendor escalated"}}, ""},
		{"an entry's zone overrides the file's", "## Timeline\n\n- 16:00 CET call\n- 3:24 PM PDT paged\n",
			[]want{{"2024-03-14T16:00:00+01:00", "", "", "call"}, {"2024-03-14T15:24:00-07:00", "", "", "paged"}}, ""},
		{"an unknown zone is a warning, not a guess", "## Timeline\n\n- 14:02 XST paged\n",
			[]want{{"2024-03-14T14:02:00Z", "", "", "paged"}}, "unknown time zone XST"},
		{"13:55 PM is read as 13:55, with a warning", "## Timeline\n\n- 13:55 PM paged\n",
			[]want{{"2024-03-14T13:55:00Z", "", "", "paged"}}, "13:55 PM read as 13:55"},
		{"a year typo among consistent dates", "## Timeline\n\n- 2023-01-11 14:22: a\n- 2022-01-11 14:40 b\n- 2023-01-11 14:51 c\n",
			[]want{{"2023-01-11T14:22:00Z", "", "", "a"}, {"2023-01-11T14:40:00Z", "", "", "b"}, {"2023-01-11T14:51:00Z", "", "", "c"}}, "year 2022 is far from the dates around it: read as 2023"},
		{"a second channel pasted under its own heading stays on the day", "### #ops\n\n[13:00] <a> x\n[16:00] <a> y\n\n### #eng\n\n[14:00] <b> z\n",
			[]want{{"2024-03-14T13:00:00Z", "", "a", "x"}, {"2024-03-14T16:00:00Z", "", "a", "y"}, {"2024-03-14T14:00:00Z", "", "b", "z"}}, "a second log pasted after the first"},
		{"03/04 read both ways takes the reading near the incident", "## Timeline\n\n- 14/03/2024 10:00 a\n- 03/14/2024 11:00 b\n- 03/04/2024 12:00 c\n",
			[]want{{"2024-03-14T10:00:00Z", "", "", "a"}, {"2024-03-14T11:00:00Z", "", "", "b"}, {"2024-03-04T12:00:00Z", "", "", "c"}}, ""},
		{"an entry followed by a code block keeps it", "## Timeline\n\n- 14:02 error seen\n\n```\npanic: nil map 10:01:02\n```\n\n- 14:05 fixed\n",
			[]want{{"2024-03-14T14:02:00Z", "", "", "error seen"}, {"2024-03-14T14:05:00Z", "", "", "fixed"}}, ""},
		{"a message that is only a URL keeps it", "Ana  1:26 PM\nhttps://status.example.com/incidents/42\nBob  1:27 PM\nthanks\n",
			[]want{{"2024-03-14T13:26:00Z", "", "Ana", "https://status.example.com/incidents/42"}, {"2024-03-14T13:27:00Z", "", "Bob", "thanks"}}, ""},
		{"an impossible clock time is a warning and stays text", "## Timeline\n\n- 14:02 paged\n- 25:61 typo\n",
			[]want{{"2024-03-14T14:02:00Z", "", "", "paged 25:61 typo"}}, `"25:61" is not a clock time`},
		{"summary bullets that repeat the log's times are not entries", "Summary:\n\n- 14:02 alert fired\n- 14:30 resolved\n\nLog:\n\n14:02 Alert fired on db-1\n14:10 failover\n14:30 Resolved\n",
			[]want{{"2024-03-14T14:02:00Z", "", "", "Alert fired on db-1"}, {"2024-03-14T14:10:00Z", "", "", "failover"}, {"2024-03-14T14:30:00Z", "", "", "Resolved"}}, ""},
		{"not entries: prose, block heights, code", "Between blocks 1071900 - 1072525 nothing.\n\nWe deployed at 14:02 and it broke.\n\n```go\n14:02 x := 1\n```\n",
			nil, ""},
		{"the actor is the speaker, not a name mentioned", "## Timeline\n\n- 03:39 One of the SMEs suggests it. Joe said he checks.\n- 04:21 The Executive, Paul, joins.\n- 04:30 After the release, Pete reports errors.\n",
			[]want{{"2024-03-14T03:39:00Z", "", "", "One of the SMEs suggests it. Joe said he checks."}, {"2024-03-14T04:21:00Z", "", "Paul", "The Executive, Paul, joins."}, {"2024-03-14T04:30:00Z", "", "Pete", "After the release, Pete reports errors."}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl, ds := extractAll(t, tt.body, utcOpts())
			if len(tl.Entries) != len(tt.want) {
				for _, e := range tl.Entries {
					t.Logf("entry %s %q actor %q", e.At.Format(time.RFC3339), e.Text, e.Actor)
				}
				t.Fatalf("got %d entries, want %d (%v)", len(tl.Entries), len(tt.want), ds)
			}
			for i, w := range tt.want {
				e := tl.Entries[i]
				got := want{e.At.Format(time.RFC3339), strings.Join(e.Kinds, ","), e.Actor, e.Text}
				if got != w {
					t.Errorf("entry %d:\n got  %+v\n want %+v", i, got, w)
				}
			}
			if tt.warn != "" && !strings.Contains(fmt.Sprint(ds), tt.warn) {
				t.Errorf("diagnostics %v; want a warning %q", ds, tt.warn)
			}
			if tt.warn == "" && ds.HasErrors() {
				t.Errorf("errors %v", ds)
			}
		})
	}
}

// Markers give key moments front matter lacks; a negated one does not.
func TestMarkedMoments(t *testing.T) {
	tl, _ := extractAll(t, "## Timeline\n\n- 14:00 OUTAGE BEGINS\n- 14:05 incident declared\n- 14:30 Not yet resolved\n- 14:40 mitigation is in place\n- 15:00 all clear\n", utcOpts())
	got := map[string]string{}
	for _, k := range []string{"started", "detected", "acknowledged", "mitigated", "resolved"} {
		if e := tl.Mark(k); e != nil {
			got[k] = e.Clock
		}
	}
	want := map[string]string{"started": "14:00", "acknowledged": "14:05", "mitigated": "14:40", "resolved": "15:00"}
	if len(got) != len(want) {
		t.Fatalf("marked %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s at %q, want %s", k, got[k], v)
		}
	}
}
