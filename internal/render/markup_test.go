package render

import (
	"html/template"
	"strings"
	"testing"
)

// The markup the default theme's templates wrote before it moved into Go;
// the hand-written escaping must give these bytes for any content.
const (
	entriesTemplate = `{{range .}}
    {{with .DayBreak}}<li class="daybreak" aria-hidden="true">{{.}}</li>{{end}}
    <li class="entry{{range .Kinds}} kind-{{.}}{{end}}" id="{{.Anchor}}" data-kinds="{{.Classes}}" data-actor="{{.Actor}}" tabindex="-1">
      <a class="permalink" href="#{{.Anchor}}"><time datetime="{{.ISO}}">{{.Clock}}</time></a>
      <div class="entry-body">
        {{with .Kinds}}<span class="kinds">{{range .}}<span class="tag tag-{{.}}">{{.}}</span>{{end}}</span>{{end}}
        {{with .Actor}}<span class="actor">{{.}}</span>{{end}}
        {{.HTML}}
      </div>
    </li>
  {{end}}`
	marksTemplate = `<svg>{{range .}}<a href="#{{.Anchor}}" class="mark mark-{{.Kind}}" data-anchor="{{.Anchor}}"><circle cx="{{.X}}" cy="{{.Y}}" r="5"></circle><title>{{.Title}}</title></a>
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

func viaTemplate(t *testing.T, src string, data any) string {
	t.Helper()
	tpl := template.Must(template.New("").Funcs(template.FuncMap{"lower": strings.ToLower}).Parse(src))
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
