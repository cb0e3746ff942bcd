package content

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/config"
)

func TestParseGood(t *testing.T) {
	src := "---\n" +
		"id: INC-1\n" +
		"title: \"E-mail lost\"\n" +
		"date: 2024-03-14\n" +
		"timezone: America/Chicago\n" +
		"severity: SEV2\n" +
		"status: Resolved\n" +
		"commander: Pete\n" +
		"roles: {executive: Paul}\n" +
		"participants: [Pete, Paul, Joe]\n" +
		"services: [e-mail]\n" +
		"related: [INC-2, {id: INC-3, relation: caused-by}]\n" +
		"detected: \"03:39:25\"\n" +
		"action_items:\n  - {title: Fix it, owner: Joe, ticket: OPS-1, due: 2024-04-01}\n" +
		"can: {conditions: [E-mail lost], actions: [Disabled inbound], needs: [No additional needs]}\n" +
		"---\n\nBody here.\n"
	inc, ds := Parse("content/a.md", []byte(src), config.Default())
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	if inc.ID != "INC-1" || inc.Title != "E-mail lost" || inc.Status != "resolved" || inc.Location.String() != "America/Chicago" {
		t.Errorf("fields: %+v", inc)
	}
	if inc.Date.Format("2006-01-02 MST") != "2024-03-14 CDT" {
		t.Errorf("date %v", inc.Date)
	}
	if got := strings.Join(inc.People(), ","); got != "Pete,Paul,Joe" {
		t.Errorf("people %s", got)
	}
	if len(inc.Related) != 2 || inc.Related[1].Relation != "caused-by" || inc.Related[1].Line != 12 {
		t.Errorf("related %+v", inc.Related)
	}
	if len(inc.Moments) != 1 || inc.Moments[0].Stamp.Clock() != "03:39:25" {
		t.Errorf("moments %+v", inc.Moments)
	}
	if len(inc.ActionItems) != 1 || inc.ActionItems[0].Status != "open" {
		t.Errorf("action items %+v", inc.ActionItems)
	}
	if inc.CAN == nil || inc.CAN.Needs[0] != "No additional needs" {
		t.Errorf("can %+v", inc.CAN)
	}
	if inc.BodyLine != 18 || strings.TrimSpace(string(inc.Body)) != "Body here." {
		t.Errorf("body line %d %q", inc.BodyLine, inc.Body)
	}
}

func TestParseFormats(t *testing.T) {
	for name, src := range map[string]string{
		"toml":      "+++\ntitle = \"T\"\ndate = 2024-03-14\ndetected = \"03:00\"\n+++\nbody\n",
		"json":      "{\n  \"title\": \"T\",\n  \"date\": \"2024-03-14\"\n}\n\nbody\n",
		"bom":       "\ufeff---\ntitle: T\ndate: 2024-03-14\n---\nbody\n",
		"crlf":      "---\r\ntitle: T\r\ndate: 2024-03-14\r\n---\r\nbody\r\n",
		"date-time": "---\ntitle: T\ndate: 2024-03-14T03:00:00Z\n---\nbody\n",
	} {
		inc, ds := Parse("content/a.md", []byte(src), config.Default())
		if len(ds) != 0 || inc == nil || inc.Title != "T" || inc.Date.Year() != 2024 {
			t.Errorf("%s: %v %+v", name, ds, inc)
		}
	}
}

// Each bad file gives exactly this diagnostic.
func TestParseBad(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown field", "---\ntitle: T\ndate: 2024-03-14\nseverty: SEV2\n---\n", "content/a.md:4:1: warning: unknown field \"severty\" (did you mean \"severity\"?)"},
		{"wrong type", "---\ntitle: T\ndate: 2024-03-14\nservices: {a: b}\n---\n", "content/a.md:4:11: services: want a list of names, got a map"},
		{"bad date", "---\ntitle: T\ndate: last tuesday\n---\n", "content/a.md:3:7: date \"last tuesday\": want YYYY-MM-DD or an RFC 3339 date-time"},
		{"bad severity", "---\ntitle: T\ndate: 2024-03-14\nseverity: P1\n---\n", "content/a.md:4:11: severity \"P1\" is not on the site's scale (SEV1, SEV2, SEV3, SEV4, SEV5)"},
		{"bad status", "---\ntitle: T\ndate: 2024-03-14\nstatus: done\n---\n", "content/a.md:4:9: status \"done\": want one of open, mitigated, resolved, closed"},
		{"bad zone", "---\ntitle: T\ndate: 2024-03-14\ntimezone: Mars/Olympus\n---\n", "content/a.md:4:11: timezone \"Mars/Olympus\" is not an IANA time zone name such as Europe/Berlin"},
		{"bad clock", "---\ntitle: T\ndate: 2024-03-14\ndetected: soon\n---\n", "content/a.md:4:11: detected: \"soon\" is not a time: want HH:MM[:SS], YYYY-MM-DD HH:MM[:SS] or an RFC 3339 date-time"},
		{"bad relation", "---\ntitle: T\ndate: 2024-03-14\nrelated:\n  - {id: X, relation: cousin}\n---\n", "content/a.md:5:23: relation \"cousin\": want one of similar, duplicate, caused-by, follow-up"},
		{"bad id", "---\ntitle: T\ndate: 2024-03-14\nid: ../etc\n---\n", "content/a.md:4:5: id \"../etc\": use letters, digits, '.', '_' and '-', starting with a letter or digit"},
		{"missing title", "---\ndate: 2024-03-14\n---\n", "content/a.md:2:1: missing required field title"},
		{"missing date", "---\ntitle: T\n---\n", "content/a.md:2:1: missing required field date"},
		{"unclosed", "---\ntitle: T\ndate: 2024-03-14\n", "content/a.md:1:1: front matter opened with \"---\" is never closed"},
		{"no front matter", "# Just a heading\n", "content/a.md:1:1: no front matter: an incident file starts with --- and needs at least title and date"},
		{"binary", "---\ntitle: T\x00\n", "content/a.md:2:9: binary file: NUL byte; incident files must be UTF-8 text"},
		{"not utf-8", "---\ntitle: caf\xe9\n", "content/a.md:2:11: not valid UTF-8; save the file as UTF-8"},
		{"draft type", "---\ntitle: T\ndate: 2024-03-14\ndraft: maybe\n---\n", "content/a.md:4:8: draft: want true or false"},
		{"twice", "---\ntitle: T\ntitle: U\ndate: 2024-03-14\n---\n", "content/a.md:3:1: field \"title\" given twice"},
		{"due date", "---\ntitle: T\ndate: 2024-03-14\naction_items:\n  - {title: x, due: tomorrow}\n---\n", "content/a.md:5:21: due \"tomorrow\": want YYYY-MM-DD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := Parse("content/a.md", []byte(tt.src), config.Default())
			var got []string
			for _, d := range ds {
				got = append(got, d.String())
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestLongLine(t *testing.T) {
	src := "---\ntitle: T\ndate: 2024-03-14\n---\n" + strings.Repeat("x", MaxLineBytes+1) + "\n"
	_, ds := Parse("content/a.md", []byte(src), config.Default())
	if len(ds) != 1 || ds[0].Line != 5 {
		t.Errorf("diagnostics %v; want one at line 5", ds)
	}
}

func TestPageNeedsNoDate(t *testing.T) {
	inc, ds := Parse("content/about.md", []byte("---\ntitle: About\ntype: page\n---\nHi\n"), config.Default())
	if len(ds) != 0 || inc.Type != TypePage || inc.ID != "about" {
		t.Errorf("%v %+v", ds, inc)
	}
}

// A YAML syntax error is reported at the line that causes it: yaml.v3
// names the line before an unclosed [ or {, except on the first line.
func TestYAMLSyntaxError(t *testing.T) {
	for _, c := range []struct {
		src  string
		line int
	}{
		{"---\ntitle: T\ndate: [2024\n---\n", 3},
		{"---\ndate: [2024\ntitle: T\n---\n", 2},
		{"---\ntitle: T\nid: x\nroles: {a: b\ndate: 2024-01-01\n---\n", 4},
		{"---\ntitle: T\nservices: [a,\n  b\ndate: 2024-01-01\n---\n", 3},
		{"---\ntitle: T\n date: 2024-01-01\n---\n", 3},
	} {
		_, ds := Parse("content/a.md", []byte(c.src), config.Default())
		if len(ds) != 1 || ds[0].Line != c.line || !strings.Contains(ds[0].Msg, "front matter: ") {
			t.Errorf("%q: diagnostics %v, want one at line %d", c.src, ds, c.line)
		}
	}
}

// Front matter YAML cannot read still gives its id and title when they
// stand plainly on their own lines, so links to the file resolve.
func TestPlainFieldOfBrokenFrontMatter(t *testing.T) {
	for _, c := range []struct{ src, id, title string }{
		{"---\nid: INC-7\ntitle: Mail lost\nseverity: [oops\n---\n", "INC-7", "Mail lost"},
		{"---\nid: \"INC-7\"\ntitle: 'Mail: lost'\nseverity: [oops\n---\n", "INC-7", "Mail: lost"},
		{"---\ntitle: >-\n  folded\nid: x # comment\nseverity: [oops\n---\n", "", ""},
		{"---\ntitle: [a\nid: x\n---\n", "x", ""},
		{"---\ntitle: \"a \\\"b\\\"\"\nroles:\n  id: nested\nseverity: [oops\n---\n", "", ""},
	} {
		inc, ds := Parse("content/a.md", []byte(c.src), config.Default())
		if !ds.HasErrors() || inc == nil || inc.ID != c.id || inc.Title != c.title {
			t.Errorf("%q: id %q title %q (%v), want %q %q", c.src, inc.ID, inc.Title, ds, c.id, c.title)
		}
	}
}

// An optional field left empty, as templates and generators leave an open
// incident's (mitigated: "", resolved: ~, services:), is unset, not an
// error; a required one left empty is an error at the field.
func TestEmptyIsUnset(t *testing.T) {
	var docs []string
	for _, k := range knownFields {
		if k == "title" || k == "date" {
			continue
		}
		for _, v := range []string{`""`, "' '", "~", ""} {
			docs = append(docs, "---\ntitle: T\ndate: 2024-03-14\n"+k+": "+v+"\n---\n")
		}
	}
	docs = append(docs, "---\ntitle: About\ntype: page\ndate: \"\"\n---\n")
	for _, doc := range docs {
		inc, ds := Parse("content/a.md", []byte(doc), config.Default())
		if len(ds) != 0 {
			t.Errorf("%q: %v", doc, ds)
			continue
		}
		if inc.ID != "a" || inc.Status != "" || inc.Severity != "" || len(inc.Moments) != 0 || inc.Location != time.UTC ||
			inc.Services != nil || inc.ActionItems != nil || inc.CAN != nil || inc.Roles != nil || inc.Related != nil {
			t.Errorf("%q: %+v", doc, inc)
		}
	}
	for _, c := range []struct{ src, want string }{
		{"---\ntitle: \"\"\ndate: 2024-03-14\n---\n", `content/a.md:2:8: title is empty; it is required`},
		{"---\ntitle: T\ndate:\n---\n", `content/a.md:3:6: date is empty; an incident needs one`},
	} {
		_, ds := Parse("content/a.md", []byte(c.src), config.Default())
		if len(ds) != 1 || ds[0].String() != c.want {
			t.Errorf("%q: %v, want %s", c.src, ds, c.want)
		}
	}
}

// Files that are not what debrief reads get a message that says what they
// are and what to do, in a line, never the whole file.
func TestParseMessages(t *testing.T) {
	utf16 := func(s string, le bool, bom bool) string {
		var b []byte
		if bom {
			if le {
				b = append(b, 0xff, 0xfe)
			} else {
				b = append(b, 0xfe, 0xff)
			}
		}
		for _, r := range s {
			if le {
				b = append(b, byte(r), byte(r>>8))
			} else {
				b = append(b, byte(r>>8), byte(r))
			}
		}
		return string(b)
	}
	doc := "---\ntitle: T\ndate: 2024-03-14\n---\n- 10:00 x\n"
	for _, c := range []struct{ name, src, want string }{
		{"utf-16le bom", utf16(doc, true, true), "content/a.md:1:1: the file is UTF-16 (little-endian); save it as UTF-8"},
		{"utf-16be bom", utf16(doc, false, true), "content/a.md:1:1: the file is UTF-16 (big-endian); save it as UTF-8"},
		{"utf-16le", utf16(doc, true, false), "content/a.md:1:1: the file is UTF-16 (little-endian); save it as UTF-8"},
		{"cr never closed", "---\rtitle: T\rdate: 2024-03-14\r" + strings.Repeat("more text\r", 1000), `content/a.md:1:1: front matter opened with "---" is never closed`},
		{"long first line", "---" + strings.Repeat("x", 5000) + "\n", `content/a.md:1:1: front matter opened with "---xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" is never closed`},
		{"json syntax", "{\n  \"title\": \"T\"\n  \"date\": \"2024-03-14\"\n}\n\nbody\n", `content/a.md:3:3: front matter (JSON): invalid character '"' after object key:value pair`},
		{"json never closed", "{\n  \"title\": \"T\",\n  \"date\": \"2024-03-14\"\n\nbody\n", `content/a.md:1:1: JSON front matter opened with "{" is never closed: end it with a line holding only "}"`},
		{"json one line", "{\"title\": \"T\", \"date\": \"2024-03-14\"}\n\nbody\n", `content/a.md:1:1: JSON front matter must have "{" and "}" on lines of their own`},
		{"severity case", "---\ntitle: T\ndate: 2024-03-14\nseverity: sev1\n---\n", `content/a.md:4:11: severity "sev1" is not on the site's scale (SEV1, SEV2, SEV3, SEV4, SEV5); did you mean "SEV1"?`},
		{"severity typo", "---\ntitle: T\ndate: 2024-03-14\nseverity: SEV 2\n---\n", `content/a.md:4:11: severity "SEV 2" is not on the site's scale (SEV1, SEV2, SEV3, SEV4, SEV5); did you mean "SEV2"?`},
		{"status typo", "---\ntitle: T\ndate: 2024-03-14\nstatus: resolvd\n---\n", `content/a.md:4:9: status "resolvd": want one of open, mitigated, resolved, closed; did you mean "resolved"?`},
	} {
		_, ds := Parse("content/a.md", []byte(c.src), config.Default())
		var errs []string
		for _, d := range ds {
			if d.Severity == 0 {
				errs = append(errs, d.String())
			}
		}
		if len(errs) != 1 || errs[0] != c.want {
			t.Errorf("%s:\n got  %q\n want %q", c.name, errs, c.want)
		}
	}
	// A file with only carriage returns for line ends reads as any other.
	inc, ds := Parse("content/a.md", []byte(strings.ReplaceAll(doc, "\n", "\r")), config.Default())
	if len(ds) != 0 || inc.Title != "T" || strings.TrimSpace(string(inc.Body)) != "- 10:00 x" {
		t.Errorf("CR line ends: %v %+v", ds, inc)
	}
}

// An action item's status is one of ActionStatuses, in any case; anything
// else is an error at the value with the status it most likely means.
func TestActionItemStatus(t *testing.T) {
	doc := func(status string) string {
		return "---\ntitle: T\ndate: 2024-03-14\naction_items:\n  - {title: Fix it, status: " + status + "}\n---\n"
	}
	for _, c := range []struct{ status, want string }{
		{"open", "open"}, {"In-Progress", "in-progress"}, {"done", "done"}, {"wontfix", "wontfix"}, {`""`, "open"}, {"~", "open"},
	} {
		inc, ds := Parse("content/a.md", []byte(doc(c.status)), config.Default())
		if len(ds) != 0 || len(inc.ActionItems) != 1 || inc.ActionItems[0].Status != c.want {
			t.Errorf("status %s: %v %+v, want %s", c.status, ds, inc.ActionItems, c.want)
		}
	}
	const want = "content/a.md:5:29: action item status %q: want one of open, in-progress, done, wontfix%s"
	for _, c := range []struct{ status, hint string }{
		{"complete", `; did you mean "done"?`},
		{"fixed", `; did you mean "done"?`},
		{"closed", `; did you mean "done"?`},
		{"in progress", `; did you mean "in-progress"?`},
		{"won't fix", `; did you mean "wontfix"?`},
		{"opne", `; did you mean "open"?`},
		{"someday", ``},
	} {
		_, ds := Parse("content/a.md", []byte(doc(`"`+c.status+`"`)), config.Default())
		w := fmt.Sprintf(want, c.status, c.hint)
		if len(ds) != 1 || ds[0].String() != w {
			t.Errorf("status %s: %v\nwant %s", c.status, ds, w)
		}
	}
	if !(ActionItem{Status: "in-progress"}).Open() || (ActionItem{Status: "wontfix"}).Open() || (ActionItem{Status: "done"}).Open() {
		t.Error("Open: want open and in-progress only")
	}
}
