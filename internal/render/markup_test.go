package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/content"
)

// The markup the default theme's templates wrote before it moved into Go;
// the hand-written escaping must give these bytes for any content.
const (
	entriesTemplate = `{{range .}}{{with .DayBreak}}<li class="daybreak" aria-hidden="true">{{.}}</li>
{{end}}<li class="entry{{range .Kinds}} kind-{{.}}{{end}}" id="{{.Anchor}}" data-kinds="{{.Classes}}"{{with .Actor}} data-actor="{{.}}"{{end}} tabindex="-1"><a class="permalink" href="#{{.Anchor}}"><time datetime="{{.ISO}}">{{.Clock}}</time></a><div class="entry-body">{{with .Kinds}}<span class="kinds">{{range .}}<span class="tag tag-{{.}}">{{.}}</span>{{end}}</span> {{end}}{{with .Actor}}<span class="actor">{{.}}</span> {{end}}{{.HTML}}</div></li>
{{end}}`
	marksTemplate = `<svg>{{range .}}<a href="#{{.Anchor}}" class="mark mark-{{.Kind}}"><circle cx="{{.X}}" cy="{{.Y}}" r="5"/><title>{{.Title}}</title></a>
{{end}}</svg>`
)

// cardTemplate is the default theme's card partial before it moved into Go.
const cardTemplate = `<li class="card" data-severity="{{lower .Severity}}" data-status="{{.Status}}" data-service="{{.ServiceKey}}" data-year="{{.Year}}">
  <div class="card-meta">
    <time datetime="{{.DateISO}}">{{.Date}}</time>
    {{with .Severity}}<span class="badge sev sev-{{lower .}}">{{.}}</span>{{end}}
    {{with .Status}}<span class="badge status status-{{.}}">{{.}}</span>{{end}}
    {{with .Duration}}<span class="muted">resolved in {{.}}</span>{{end}}
  </div>
  <h3><a href="{{.Href}}">{{.Title}}</a> <span class="id">{{.ID}}</span></h3>
  {{with .Summary}}<p class="summary">{{.}}</p>{{end}}
  {{with .Services}}<p class="terms">Services: {{range $i, $s := .}}{{if $i}}, {{end}}{{if $s.Href}}<a href="{{$s.Href}}">{{$s.Title}}</a>{{else}}{{$s.Title}}{{end}}{{end}}</p>{{end}}
</li>
`

// axisTemplate is the default theme's axis partial before it moved into Go.
const axisTemplate = `<figure class="axis">
<svg viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-labelledby="axis-title" preserveAspectRatio="xMinYMin meet">
  <title id="axis-title">Time axis: {{len .Marks}} entries{{with .Silences}}, {{len .}} long silences{{end}}</title>
  {{range .Silences}}<rect class="silence" x="{{.X}}" y="{{$.Top}}" width="{{.W}}" height="{{sub $.Bottom $.Top}}"><title>{{.Label}}</title></rect>
  {{end}}
  {{range .Lanes}}<line class="lane" x1="70" x2="{{$.Width}}" y1="{{.Y}}" y2="{{.Y}}"/><text class="lane-label" x="4" y="{{add .Y 4}}">{{.Label}}</text>
  {{end}}
  {{range .Ticks}}<line class="tick" x1="{{.X}}" x2="{{.X}}" y1="{{$.Top}}" y2="{{add $.Bottom 4}}"/><text class="tick-label" x="{{.X}}" y="{{add $.Bottom 16}}">{{.Label}}</text><text class="tick-offset" x="{{.X}}" y="{{add $.Bottom 28}}">{{.Offset}}</text>
  {{end}}
  {{range .Milestones}}<a href="{{if .Anchor}}#{{.Anchor}}{{else}}#timeline{{end}}" class="milestone ms-{{.Name}}"><line x1="{{.X}}" x2="{{.X}}" y1="12" y2="{{$.Bottom}}"/><text x="{{.X}}" y="{{.LabelY}}">{{.Name}}</text><title>{{.Name}} {{.Clock}}</title></a>
  {{end}}
  {{marks .Marks}}
</svg>
<figcaption class="axis-legend"><span class="key key-condition">condition</span> <span class="key key-action">action</span> <span class="key key-need">need</span> <span class="key key-other">other</span> <span class="key key-silence">silence</span></figcaption>
</figure>
`

// reportTemplate is the CAN report browser's entry, from the default
// theme's reports.html before it moved into Go.
const reportTemplate = `{{range .}}
<li class="card report" data-severity="{{lower .Severity}}" data-status="{{.Status}}" data-service="{{.ServiceKey}}" data-year="{{.Year}}">
  <div class="card-meta">
    <time datetime="{{.DateISO}}">{{.Date}}</time>
    {{with .Severity}}<span class="badge sev sev-{{lower .}}">{{.}}</span>{{end}}
    {{with .Status}}<span class="badge status status-{{.}}">{{.}}</span>{{end}}
    {{if .CAN.Derived}}<span class="derived">derived{{with .CAN.AsOf}} · as of {{.}}{{end}}</span>{{end}}
  </div>
  <h2 class="report-title"><a href="{{.Href}}">{{.Title}}</a> <span class="id">{{.ID}}</span></h2>
  <div class="can-grid compact">
  {{range .CAN.Sections}}<section class="can-section can-{{.Kind}}"><h3>{{.Name}}</h3><ul>
    {{range .Lines}}<li>{{.Text}}</li>{{else}}<li class="muted">No additional {{lower .Name}}</li>{{end}}
  </ul></section>
  {{end}}
  </div>
</li>
{{end}}`

// The incident page's header facts (with the terms-inline partial), CAN
// report, key moments and related incidents, from the default theme's
// incident.html before they moved into Go.
const (
	factsTemplate = `{{define "layouts/partials/terms-inline.html"}}{{range $i, $t := .}}{{if $i}}, {{end}}{{if $t.Href}}<a href="{{$t.Href}}">{{$t.Title}}</a>{{else}}{{$t.Title}}{{end}}{{end}}
{{end}}<dl class="facts">
    {{with .Commander}}<div><dt>Commander</dt><dd>{{if $.CommanderHref}}<a href="{{$.CommanderHref}}">{{.}}</a>{{else}}{{.}}{{end}}</dd></div>{{end}}
    {{range .Roles}}<div><dt>{{title .Role}}</dt><dd>{{.Person}}</dd></div>{{end}}
    {{with .Participants}}<div><dt>On the bridge</dt><dd>{{template "layouts/partials/terms-inline.html" .}}</dd></div>{{end}}
    {{with .Services}}<div><dt>Services</dt><dd>{{template "layouts/partials/terms-inline.html" .}}</dd></div>{{end}}
    {{with .Components}}<div><dt>Components</dt><dd>{{template "layouts/partials/terms-inline.html" .}}</dd></div>{{end}}
    {{with .Customers}}<div><dt>Customers</dt><dd>{{template "layouts/partials/terms-inline.html" .}}</dd></div>{{end}}
    {{with .Tags}}<div><dt>Tags</dt><dd>{{template "layouts/partials/terms-inline.html" .}}</dd></div>{{end}}
  </dl>`
	canGridTemplate = `<div class="can-grid">
  {{range .Sections}}
    <section class="can-section can-{{.Kind}}">
      <h3>{{.Name}}</h3>
      <ul>
      {{range .Lines}}<li>{{.Text}}{{if .Anchor}} <a class="at" href="#{{.Anchor}}">{{.Clock}}</a>{{end}}</li>
      {{else}}<li class="muted">No additional {{lower .Name}}</li>
      {{end}}
      </ul>
    </section>
  {{end}}
  </div>`
	momentsTemplate = `<ul class="moments">{{range .}}<li><span class="moment-name">{{title .Name}}</span> {{if .Anchor}}<a href="#{{.Anchor}}"><time datetime="{{.ISO}}">{{.Clock}}</time></a>{{else}}<time datetime="{{.ISO}}">{{.Clock}}</time>{{end}}</li>{{end}}</ul>`
	linksTemplate   = `{{with .Related}}<ul class="related">
  {{range .}}<li><a href="{{.Href}}">{{.Title}}</a> <span class="id">{{.ID}}</span>{{with .Label}} <span class="badge rel">{{.}}</span>{{end}}{{with .Reasons}}<br><span class="reasons">shares: {{join . ", "}}</span>{{end}}</li>
  {{end}}</ul>{{end}}
  {{with .Backlinks}}<h3>Referenced by</h3><ul class="backlinks">
  {{range .}}<li><a href="{{.Href}}">{{.Title}}</a> <span class="id">{{.ID}}</span></li>
  {{end}}</ul>{{end}}`
)

// The incident header's top, the timeline filter's actors and the action
// items' rows, from the default theme's incident.html before they moved
// into Go.
const (
	headlineTemplate = `<p class="crumbs"><a href="{{.Root}}index.html">Incidents</a> / <span class="id">{{.ID}}</span></p>
  <h1>{{.Title}}</h1>
  <p class="meta">
    <time datetime="{{.DateISO}}">{{.Date}}</time>
    {{with .Severity}}<span class="badge sev sev-{{lower .}}">{{.}}</span>{{end}}
    {{with .Status}}<span class="badge status status-{{.}}">{{.}}</span>{{end}}
    <span class="muted">Times in {{.Zone}}</span>
  </p>
  {{with .Figures}}<dl class="figures">{{range .}}<div class="figure"><dt class="figure-label">{{.Label}}</dt><dd class="figure-value">{{.Value}}</dd></div>{{end}}</dl>{{end}}`
	actorsTemplate     = `{{range .}}<option value="{{.}}">{{.}}</option>{{end}}`
	actionRowsTemplate = `{{range .}}<tr><td>{{.Title}}</td><td>{{.Owner}}</td><td><span class="badge status-{{.Status}}">{{.Status}}</span></td><td>{{.Ticket}}</td><td>{{.Due}}</td></tr>
{{end}}`
)

func viaTemplate(t *testing.T, src string, data any) string {
	t.Helper()
	tpl := template.Must(template.New("").Funcs(funcs).Parse(src))
	var b strings.Builder
	if err := tpl.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func checkMarkup(t *testing.T, a, b, c string, x float64) {
	entries := []EntryView{
		{Anchor: a, Clock: b, ISO: c, Actor: a, Kinds: []string{b, c}, Classes: b, HTML: template.HTML("<p>" + c + "</p>"), DayBreak: c},
		{Anchor: b, Clock: a},
	}
	if want, got := viaTemplate(t, entriesTemplate, entries), string(EntriesHTML(entries)); want != got {
		t.Fatalf("entries of %q %q %q:\ntemplate %q\nGo       %q", a, b, c, want, got)
	}
	for _, c := range []*Card{
		{Href: a, ID: b, Title: c, Date: a, DateISO: b, Severity: c, Status: a, Summary: b, Duration: c, Year: a, ServiceKey: b,
			Services: []LinkView{{Href: b, Title: a}, {Title: c}, {Href: c, Title: b}}},
		{Href: "../../incidents/" + a + "/index.html", Title: b},
		{},
	} {
		if want, got := viaTemplate(t, cardTemplate, c), string(CardHTML(c)); want != got {
			t.Fatalf("card of %q %q %q:\ntemplate %q\nGo       %q", a, b, c, want, got)
		}
	}
	for _, ax := range []*Axis{
		{Width: 1000, Height: x, Top: 28, Bottom: x / 7, Ticks: []Tick{{X: x, Label: a, Offset: b}, {X: 0.1, Label: c}},
			Marks: []Mark{{X: x, Y: 3, Kind: c, Anchor: a, Title: b}}, Milestones: []Milestone{{X: x, LabelY: 10, Name: a, Clock: b, Anchor: c}, {Name: b}},
			Silences: []Silence{{X: x, W: -x, Label: c}}, Lanes: []Lane{{Y: x, Label: a}, {Y: 1e21, Label: b}}},
		{},
	} {
		if want, got := viaTemplate(t, axisTemplate, ax), string(AxisHTML(ax)); want != got {
			t.Fatalf("axis of %q %q %q %v:\ntemplate %q\nGo       %q", a, b, c, x, want, got)
		}
	}
	for _, rc := range []*ReportCard{
		{Card: Card{Href: a, ID: b, Title: c, Date: a, DateISO: b, Severity: c, Status: a, ServiceKey: b, Year: c},
			CAN: CANView{Derived: true, AsOf: a, Sections: []CANSection{{Name: b, Kind: c, Lines: []CANLine{{Text: a}, {Text: c, Anchor: b}}}, {Name: "Needs", Kind: "need"}}}},
		{Card: Card{Title: b}, CAN: CANView{Derived: true}},
		{},
	} {
		if want, got := viaTemplate(t, reportTemplate, []*ReportCard{rc}), string(ReportHTML(rc)); want != got {
			t.Fatalf("report of %q %q %q:\ntemplate %q\nGo       %q", a, b, c, want, got)
		}
	}
	links := []LinkView{{Href: a, Title: b}, {Title: c}, {Href: "../../people/" + b + "/index.html", Title: a, ID: c}}
	for _, v := range []*IncidentView{
		{Commander: a, CommanderHref: b, Roles: []content.Role{{Role: a, Person: b}, {Role: c}, {Role: "ßcribe", Person: "ü"}},
			Participants: links, Components: links[1:], Customers: links[:1], Tags: links, Card: Card{Services: links[2:]},
			Related:   []RelatedView{{Href: a, Title: b, ID: c, Label: a, Reasons: []string{b, c}}, {Title: c}},
			Backlinks: links},
		{Commander: c, Related: []RelatedView{{Href: b}}},
		{Backlinks: links[1:]},
		{},
	} {
		if want, got := viaTemplate(t, factsTemplate, v), string(FactsHTML(v)); want != got {
			t.Fatalf("facts of %q %q %q:\ntemplate %q\nGo       %q", a, b, c, want, got)
		}
		if want, got := viaTemplate(t, linksTemplate, v), string(LinksHTML(v)); want != got {
			t.Fatalf("links of %q %q %q:\ntemplate %q\nGo       %q", a, b, c, want, got)
		}
	}
	for _, v := range []*IncidentView{
		{Root: a, Zone: b, Card: Card{ID: c, Title: a, Date: b, DateISO: c, Severity: a, Status: b},
			Figures: []Figure{{Label: a, Value: b}, {Label: c}}},
		{Root: "../../", Zone: "UTC", Card: Card{ID: "INC-1", Title: b, Severity: "SEV1"}},
		{},
	} {
		if want, got := viaTemplate(t, headlineTemplate, v), string(HeadlineHTML(v)); want != got {
			t.Fatalf("headline of %q %q %q:\ntemplate %q\nGo       %q", a, b, c, want, got)
		}
	}
	for _, actors := range [][]string{{a, b, c}, {}, nil} {
		if want, got := viaTemplate(t, actorsTemplate, actors), string(ActorOptionsHTML(actors)); want != got {
			t.Fatalf("actors %q:\ntemplate %q\nGo       %q", actors, want, got)
		}
	}
	for _, as := range [][]ActionView{{{Title: a, Owner: b, Status: c, Ticket: a, Due: b}, {Title: c}}, nil} {
		if want, got := viaTemplate(t, actionRowsTemplate, as), string(ActionRowsHTML(as)); want != got {
			t.Fatalf("action items of %q %q %q:\ntemplate %q\nGo       %q", a, b, c, want, got)
		}
	}
	for _, cv := range []CANView{
		{Sections: []CANSection{{Name: a, Kind: b, Lines: []CANLine{{Text: c, Anchor: a, Clock: b}, {Text: a}}}, {Name: c, Kind: a}}},
		{Sections: []CANSection{{Name: "Needs", Kind: "need"}}},
		{},
	} {
		if want, got := viaTemplate(t, canGridTemplate, cv), string(CANGridHTML(cv)); want != got {
			t.Fatalf("CAN report of %q %q %q:\ntemplate %q\nGo       %q", a, b, c, want, got)
		}
	}
	moments := []MomentView{{Name: a, Clock: b, ISO: c, Anchor: a}, {Name: c, Clock: a, ISO: b}, {Name: "éacknowledged"}}
	if want, got := viaTemplate(t, momentsTemplate, moments), string(MomentsHTML(moments)); want != got {
		t.Fatalf("moments of %q %q %q:\ntemplate %q\nGo       %q", a, b, c, want, got)
	}
	marks := []Mark{{X: x, Y: -x / 3, Kind: a, Anchor: b, Title: c}, {X: 0, Y: 1e21}}
	want := viaTemplate(t, marksTemplate, marks)
	want = strings.TrimSuffix(strings.TrimPrefix(want, "<svg>"), "</svg>")
	if got := string(MarksHTML(marks)); want != got {
		t.Fatalf("marks of %q %q %q %v:\ntemplate %q\nGo       %q", a, b, c, x, want, got)
	}
}

func TestMarkupMatchesTemplates(t *testing.T) {
	cases := [][3]string{
		{"t-0905", "09:05", "2024-03-14T09:05:00Z"},
		{`"><script>alert(1)</script>`, "a+b & c's <d>", "x\x00y"},
		{"ü ñ 日本 #frag?x=1&y=2", "\xff\xfe bad utf-8", "javascript:alert(1)"},
		{"", "", ""},
		{"https://x.example/a b?q=1&r=é#f", "JavaScript:alert(1)", "mailto:a@b"},
		{"%41%zz 100%", "a/b:c", "/x:y"},
	}
	for _, c := range cases {
		checkMarkup(t, c[0], c[1], c[2], 123.456)
	}
}

func FuzzMarkup(f *testing.F) {
	f.Add("t-0905", "09:05", "2024-03-14T09:05:00Z", 412.5)
	f.Add(`"><x>`, "+&'", "\x00\xff", 1e-7)
	f.Fuzz(func(t *testing.T, a, b, c string, x float64) {
		checkMarkup(t, a, b, c, x)
	})
}

// plainAsOf is AsOfData without its MarshalJSON: what encoding/json makes
// of it by reflection.
type plainAsOf AsOfData

func checkAsOfJSON(t *testing.T, d *AsOfData) {
	t.Helper()
	want, err := json.Marshal((*plainAsOf)(d))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("%+v: %v", d, err)
	}
	if !bytes.Equal(want, got) {
		t.Fatalf("as-of JSON:\nreflection %s\nours       %s", want, got)
	}
	if raw, _ := d.MarshalJSON(); !bytes.Equal(raw, want) {
		t.Fatalf("as-of JSON before compaction:\nreflection %s\nours       %s", want, raw)
	}
}

func FuzzAsOfJSON(f *testing.F) {
	f.Add("t-0905", "Disk at 97% <b> & \"x\"", "\x00\b\f\n\r\t\x1f\x7f", "\u2028\u2029\xff é", 3)
	f.Fuzz(func(t *testing.T, a, b, c, d string, n int) {
		checkAsOfJSON(t, &AsOfData{})
		checkAsOfJSON(t, &AsOfData{Lines: [][4]string{}, At: map[string][3][]int{}})
		checkAsOfJSON(t, &AsOfData{
			Lines: [][4]string{{a, b, c, d}, {d, c, b, a}},
			At:    map[string][3][]int{a: {{0, n}, {}, nil}, b: {nil, {1}, {n, -n, 0}}, c + d: {}},
		})
	})
}

// escFloat writes tenths by hand as it writes any number: what fmt prints,
// escaped as an attribute.
func TestEscFloatTenths(t *testing.T) {
	check := func(f float64) {
		var b, ref bytes.Buffer
		escFloat(&b, f)
		escText(&ref, fmt.Sprint(f))
		if want := ref.String(); b.String() != want {
			t.Fatalf("escFloat(%v) = %q, want %q", f, b.String(), want)
		}
	}
	for n := -200_000; n <= 200_000; n++ { // every tenth an axis can have
		check(float64(n) / 10)
	}
	for n := -20_000_000; n <= 20_000_000; n += 997 { // and past the hand-written range
		check(float64(n) / 10)
	}
	for _, f := range []float64{math.Copysign(0, -1), 999999.9, 1e6, -1e6, 1234567.8, 1e21, 0.3, 0.30000000000000004, 0.05, 1e-5, -1e-5, 0.1 + 0.2, math.Inf(1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64} {
		check(f)
	}
	for x := 0.0; x < 1000; x += 0.37 {
		check(x)
		check(round1(x))
	}
}
