package render

import (
	"bytes"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The timeline's entries and axis marks are the bulk of an incident page,
// dozens to thousands per page, and html/template spends most of a build
// on them: every field goes through a reflective call and an escaper call.
// They are written here instead, with the escaping html/template applies
// in each context, byte for byte; markup_test.go holds the two to the same
// output. The rest of the page stays in the theme's templates.

// escText writes s escaped as html/template does text, attribute values
// and RCDATA: the same table for all three.
func escText(b *bytes.Buffer, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		// Bytes of longer runes are never escaped: no need to decode them.
		repl := escapes[s[i]]
		if repl == "" {
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(repl)
		written = i + 1
	}
	b.WriteString(s[written:])
}

// htmlOf is what write writes of v, for a template function: the pages
// written in Go (page.go) call write itself, into the page.
func htmlOf[T any](write func(*bytes.Buffer, T), v T) template.HTML {
	var b bytes.Buffer
	write(&b, v)
	return template.HTML(b.String())
}

// escapes are escText's replacements, by byte; read-only.
var escapes = [256]string{0: "\uFFFD", '"': "&#34;", '&': "&amp;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '>': "&gt;"}

// escFragment writes s as html/template writes it after "#" in a URL
// attribute: everything but unreserved characters percent-encoded.
func escFragment(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}

// escFloat writes a number as a template prints it (fmt's %v), escaped.
func escFloat(b *bytes.Buffer, f float64) {
	// The axis's numbers are tenths (round1): written by hand, as
	// FormatFloat would, which took a tenth of writing an axis.
	if n := math.Round(f * 10); n/10 == f && math.Abs(f) < 1e6 && (f == 0 || math.Abs(f) >= 1e-4) {
		var buf [24]byte
		d := buf[:0]
		if math.Signbit(f) {
			d, n = append(d, '-'), -n
		}
		d = strconv.AppendInt(d, int64(n)/10, 10)
		if frac := int64(n) % 10; frac != 0 {
			d = append(d, '.', byte('0'+frac))
		}
		b.Write(d)
		return
	}
	escText(b, strconv.FormatFloat(f, 'g', -1, 64))
}

// EntriesHTML is the timeline's entries, as the default theme writes them.
func EntriesHTML(entries []EntryView) template.HTML { return htmlOf(writeEntries, entries) }

// writeEntries is EntriesHTML writing into b.
func writeEntries(b *bytes.Buffer, entries []EntryView) {
	n := 0
	for _, e := range entries {
		n += 250 + len(e.HTML) + 2*len(e.Anchor) + len(e.Actor)*2
	}
	b.Grow(n)
	for _, e := range entries {
		if e.DayBreak != "" {
			b.WriteString(`<li class="daybreak" aria-hidden="true">`)
			escText(b, e.DayBreak)
			b.WriteString("</li>\n")
		}
		b.WriteString(`<li class="entry`)
		for _, k := range e.Kinds {
			b.WriteString(" kind-")
			escText(b, k)
		}
		b.WriteString(`" id="`)
		escText(b, e.Anchor)
		b.WriteString(`" data-kinds="`)
		escText(b, e.Classes)
		if e.Actor != "" {
			b.WriteString(`" data-actor="`)
			escText(b, e.Actor)
		}
		b.WriteString(`" tabindex="-1"><a class="permalink" href="#`)
		escFragment(b, e.Anchor)
		b.WriteString(`"><time datetime="`)
		escText(b, e.ISO)
		b.WriteString(`">`)
		escText(b, e.Clock)
		b.WriteString(`</time></a><div class="entry-body">`)
		if len(e.Kinds) > 0 {
			b.WriteString(`<span class="kinds">`)
			for _, k := range e.Kinds {
				b.WriteString(`<span class="tag tag-`)
				escText(b, k)
				b.WriteString(`">`)
				escText(b, k)
				b.WriteString(`</span>`)
			}
			b.WriteString(`</span> `)
		}
		if e.Actor != "" {
			b.WriteString(`<span class="actor">`)
			escText(b, e.Actor)
			b.WriteString(`</span> `)
		}
		b.WriteString(string(e.HTML))
		b.WriteString("</div></li>\n")
	}
}

// MarksHTML is the axis's entry marks, as the default theme writes them.
func MarksHTML(marks []Mark) template.HTML { return htmlOf(writeMarks, marks) }

// marksSize is about what writeMarks writes.
func marksSize(marks []Mark) int {
	n := 0
	for _, m := range marks {
		n += 110 + len(m.Anchor) + len(m.Title)
	}
	return n
}

func writeMarks(b *bytes.Buffer, marks []Mark) {
	b.Grow(marksSize(marks))
	for _, m := range marks {
		b.WriteString(`<a href="#`)
		escFragment(b, m.Anchor)
		b.WriteString(`" class="mark mark-`)
		escText(b, m.Kind)
		b.WriteString(`"><circle cx="`)
		escFloat(b, m.X)
		b.WriteString(`" cy="`)
		escFloat(b, m.Y)
		b.WriteString(`" r="5"/><title>`)
		escText(b, m.Title)
		b.WriteString("</title></a>\n")
	}
}

// CardHTML is an incident's card in a list, as the default theme writes
// it: lists of thousands of incidents are most of a knowledge base's pages.
func CardHTML(c *Card) template.HTML {
	if c.html != "" {
		return c.html
	}
	var b bytes.Buffer
	b.Grow(700 + len(c.Summary) + len(c.Title) + 2*len(c.Href))
	writeCardHead(&b, "card", c)
	if c.Duration != "" {
		b.WriteString(`<span class="muted">resolved in `)
		escText(&b, c.Duration)
		b.WriteString(`</span>`)
	}
	b.WriteString("\n  </div>\n  <h3><a href=\"")
	escURL(&b, c.Href)
	b.WriteString(`">`)
	escText(&b, c.Title)
	b.WriteString(`</a> <span class="id">`)
	escText(&b, c.ID)
	b.WriteString("</span></h3>\n  ")
	if c.Summary != "" {
		b.WriteString(`<p class="summary">`)
		escText(&b, c.Summary)
		b.WriteString(`</p>`)
	}
	b.WriteString("\n  ")
	if len(c.Services) > 0 {
		b.WriteString(`<p class="terms">Services: `)
		for i, s := range c.Services {
			if i > 0 {
				b.WriteString(", ")
			}
			if s.Href != "" {
				b.WriteString(`<a href="`)
				escURL(&b, s.Href)
				b.WriteString(`">`)
				escText(&b, s.Title)
				b.WriteString(`</a>`)
			} else {
				escText(&b, s.Title)
			}
		}
		b.WriteString(`</p>`)
	}
	b.WriteString("\n</li>\n")
	return template.HTML(b.String())
}

// escURL writes s as html/template writes a whole URL attribute value: a
// scheme other than http, https or mailto is refused ("#ZgotmplZ"), bytes
// not allowed in a URL are percent-encoded (existing escapes and reserved
// characters kept), then the result is escaped as attribute text.
func escURL(b *bytes.Buffer, s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		b.WriteString("#ZgotmplZ")
		return
	}
	urlOK := func(i int) bool {
		c := s[i]
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0 ||
			c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
	}
	first := 0 // the first byte to encode: most links have none
	for first < len(s) && urlOK(first) {
		first++
	}
	if first == len(s) {
		escText(b, s)
		return
	}
	const hex = "0123456789abcdef"
	var n strings.Builder
	n.Grow(len(s) + 16)
	n.WriteString(s[:first])
	for i := first; i < len(s); i++ {
		c := s[i]
		if urlOK(i) {
			n.WriteByte(c)
			continue
		}
		n.WriteByte('%')
		n.WriteByte(hex[c>>4])
		n.WriteByte(hex[c&15])
	}
	escText(b, n.String())
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// AxisHTML is the timeline's time axis, as the default theme draws it:
// every tick, lane and milestone was a handful of reflective calls.
func AxisHTML(a *Axis) template.HTML { return htmlOf(writeAxis, a) }

// writeAxis is AxisHTML writing into b.
func writeAxis(b *bytes.Buffer, a *Axis) {
	// The marks too: growing for them after the rest copied it all.
	b.Grow(1000 + 400*len(a.Ticks) + 300*len(a.Milestones) + 100*len(a.Silences) + 150*len(a.Lanes) + marksSize(a.Marks))
	b.WriteString("<figure class=\"axis\">\n<svg viewBox=\"0 0 ")
	escFloat(b, a.Width)
	b.WriteString(" ")
	escFloat(b, a.Height)
	b.WriteString("\" role=\"img\" aria-labelledby=\"axis-title\" preserveAspectRatio=\"xMinYMin meet\">\n  <title id=\"axis-title\">Time axis: ")
	b.WriteString(strconv.Itoa(len(a.Marks)))
	b.WriteString(" entries")
	if len(a.Silences) > 0 {
		b.WriteString(", ")
		b.WriteString(strconv.Itoa(len(a.Silences)))
		b.WriteString(" long silences")
	}
	b.WriteString("</title>\n  ")
	for _, s := range a.Silences {
		b.WriteString(`<rect class="silence" x="`)
		escFloat(b, s.X)
		b.WriteString(`" y="`)
		escFloat(b, a.Top)
		b.WriteString(`" width="`)
		escFloat(b, s.W)
		b.WriteString(`" height="`)
		escFloat(b, a.Bottom-a.Top)
		b.WriteString(`"><title>`)
		escText(b, s.Label)
		b.WriteString("</title></rect>\n  ")
	}
	b.WriteString("\n  ")
	for _, l := range a.Lanes {
		b.WriteString(`<line class="lane" x1="70" x2="`)
		escFloat(b, a.Width)
		b.WriteString(`" y1="`)
		escFloat(b, l.Y)
		b.WriteString(`" y2="`)
		escFloat(b, l.Y)
		b.WriteString(`"/><text class="lane-label" x="4" y="`)
		escFloat(b, l.Y+4)
		b.WriteString(`">`)
		escText(b, l.Label)
		b.WriteString("</text>\n  ")
	}
	b.WriteString("\n  ")
	for _, t := range a.Ticks {
		b.WriteString(`<line class="tick" x1="`)
		escFloat(b, t.X)
		b.WriteString(`" x2="`)
		escFloat(b, t.X)
		b.WriteString(`" y1="`)
		escFloat(b, a.Top)
		b.WriteString(`" y2="`)
		escFloat(b, a.Bottom+4)
		b.WriteString(`"/><text class="tick-label" x="`)
		escFloat(b, t.X)
		b.WriteString(`" y="`)
		escFloat(b, a.Bottom+16)
		b.WriteString(`">`)
		escText(b, t.Label)
		b.WriteString(`</text><text class="tick-offset" x="`)
		escFloat(b, t.X)
		b.WriteString(`" y="`)
		escFloat(b, a.Bottom+28)
		b.WriteString(`">`)
		escText(b, t.Offset)
		b.WriteString("</text>\n  ")
	}
	b.WriteString("\n  ")
	for _, m := range a.Milestones {
		b.WriteString(`<a href="`)
		if m.Anchor != "" {
			b.WriteString("#")
			escFragment(b, m.Anchor)
		} else {
			b.WriteString("#timeline")
		}
		b.WriteString(`" class="milestone ms-`)
		escText(b, m.Name)
		b.WriteString(`"><line x1="`)
		escFloat(b, m.X)
		b.WriteString(`" x2="`)
		escFloat(b, m.X)
		b.WriteString(`" y1="12" y2="`)
		escFloat(b, a.Bottom)
		b.WriteString(`"/><text x="`)
		escFloat(b, m.X)
		b.WriteString(`" y="`)
		escFloat(b, m.LabelY)
		b.WriteString(`">`)
		escText(b, m.Name)
		b.WriteString(`</text><title>`)
		escText(b, m.Name)
		b.WriteString(" ")
		escText(b, m.Clock)
		b.WriteString("</title></a>\n  ")
	}
	b.WriteString("\n  ")
	writeMarks(b, a.Marks)
	b.WriteString("\n</svg>\n<figcaption class=\"axis-legend\"><span class=\"key key-condition\">condition</span> <span class=\"key key-action\">action</span> <span class=\"key key-need\">need</span> <span class=\"key key-other\">other</span> <span class=\"key key-silence\">silence</span></figcaption>\n</figure>\n")
}

// MarshalJSON writes the as-of reports as encoding/json would, without
// its reflection: a long timeline has a report per entry.
func (d *AsOfData) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64*len(d.Lines)+48*len(d.At)+32)
	b = append(b, `{"lines":`...)
	if d.Lines == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, l := range d.Lines {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			for j, s := range l {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, s)
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	b = append(b, `,"at":`...)
	if d.At == nil {
		b = append(b, "null"...)
	} else {
		keys := make([]string, 0, len(d.At))
		for k := range d.At {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':', '[')
			for j, set := range d.At[k] {
				if j > 0 {
					b = append(b, ',')
				}
				if set == nil {
					b = append(b, "null"...)
					continue
				}
				b = append(b, '[')
				for n, x := range set {
					if n > 0 {
						b = append(b, ',')
					}
					b = strconv.AppendInt(b, int64(x), 10)
				}
				b = append(b, ']')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

// appendJSONString appends s quoted as encoding/json quotes strings, HTML
// escaping included.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		} else if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		} else {
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// writeCardHead writes what a list card and a CAN-browser entry open
// with: the list item with its filter data, the date and the severity and
// status badges, up to what follows them in the card's meta line.
// writeBadges writes an incident's severity and status badges, as a card
// and an incident page's header show them.
func writeBadges(b *bytes.Buffer, severity, status string) {
	if severity != "" {
		b.WriteString(`<span class="badge sev sev-`)
		escText(b, strings.ToLower(severity))
		b.WriteString(`">`)
		escText(b, severity)
		b.WriteString(`</span>`)
	}
	b.WriteString("\n    ")
	if status != "" {
		b.WriteString(`<span class="badge status status-`)
		escText(b, status)
		b.WriteString(`">`)
		escText(b, status)
		b.WriteString(`</span>`)
	}
}

func writeCardHead(b *bytes.Buffer, class string, c *Card) {
	b.WriteString(`<li class="`)
	b.WriteString(class)
	b.WriteString(`" data-severity="`)
	escText(b, strings.ToLower(c.Severity))
	b.WriteString(`" data-status="`)
	escText(b, c.Status)
	b.WriteString(`" data-service="`)
	escText(b, c.ServiceKey)
	b.WriteString(`" data-year="`)
	escText(b, c.Year)
	b.WriteString("\">\n  <div class=\"card-meta\">\n    <time datetime=\"")
	escText(b, c.DateISO)
	b.WriteString(`">`)
	escText(b, c.Date)
	b.WriteString("</time>\n    ")
	writeBadges(b, c.Severity, c.Status)
	b.WriteString("\n    ")
}

// ReportHTML is one incident's entry in the CAN report browser, as the
// default theme writes it: the browser lists every incident's report.
func ReportHTML(rc *ReportCard) template.HTML {
	var b bytes.Buffer
	b.Grow(1200 + len(rc.Title) + 2*len(rc.Href))
	b.WriteString("\n")
	writeCardHead(&b, "card report", &rc.Card)
	if rc.CAN.Derived {
		b.WriteString(`<span class="derived">derived`)
		if rc.CAN.AsOf != "" {
			b.WriteString(" · as of ")
			escText(&b, rc.CAN.AsOf)
		}
		b.WriteString(`</span>`)
	}
	b.WriteString("\n  </div>\n  <h2 class=\"report-title\"><a href=\"")
	escURL(&b, rc.Href)
	b.WriteString(`">`)
	escText(&b, rc.Title)
	b.WriteString(`</a> <span class="id">`)
	escText(&b, rc.ID)
	b.WriteString("</span></h2>\n  ")
	if rc.CAN.Missing {
		b.WriteString(noTimeline)
		b.WriteString("\n</li>\n")
		return template.HTML(b.String())
	}
	b.WriteString("<div class=\"can-grid compact\">\n  ")
	for _, sec := range rc.CAN.Sections {
		b.WriteString(`<section class="can-section can-`)
		escText(&b, sec.Kind)
		b.WriteString(`"><h3>`)
		escText(&b, sec.Name)
		b.WriteString("</h3><ul>\n    ")
		for _, l := range sec.Lines {
			b.WriteString(`<li>`)
			escText(&b, l.Text)
			b.WriteString(`</li>`)
		}
		if len(sec.Lines) == 0 {
			b.WriteString(`<li class="muted">No additional `)
			escText(&b, strings.ToLower(sec.Name))
			b.WriteString(`</li>`)
		}
		b.WriteString("\n  </ul></section>\n  ")
	}
	b.WriteString("\n  </div>\n</li>\n")
	return template.HTML(b.String())
}

// The incident page's header facts, CAN report, key moments and related
// incidents went the same way: a few dozen reflective calls each, on
// every page, were a sixth of a build between them.

// noTimeline stands where a CAN report would when a file has no timeline:
// an empty derived report would read as an all-clear.
const noTimeline = `<p class="muted can-missing">No timeline found: no line of this incident starts with a time debrief reads, so there is no CAN report to show.</p>`

// writeTermsInline writes links to terms as the default theme's
// terms-inline partial does, with the newline that ends the partial's file.
func writeTermsInline(b *bytes.Buffer, terms []LinkView) {
	for i, t := range terms {
		if i > 0 {
			b.WriteString(", ")
		}
		if t.Href != "" {
			b.WriteString(`<a href="`)
			escURL(b, t.Href)
			b.WriteString(`">`)
			escText(b, t.Title)
			b.WriteString(`</a>`)
		} else {
			escText(b, t.Title)
		}
	}
	b.WriteString("\n")
}

// FactsHTML is the incident header's list of facts: commander, roles,
// people on the bridge, services, components, customers and tags.
func FactsHTML(v *IncidentView) template.HTML { return htmlOf(writeFacts, v) }

// writeFacts is FactsHTML writing into b.
func writeFacts(b *bytes.Buffer, v *IncidentView) {
	b.Grow(600 + 120*(len(v.Participants)+len(v.Services)+len(v.Components)+len(v.Customers)+len(v.Tags)))
	b.WriteString("<dl class=\"facts\">\n    ")
	if v.Commander != "" {
		b.WriteString(`<div><dt>Commander</dt><dd>`)
		if v.CommanderHref != "" {
			b.WriteString(`<a href="`)
			escURL(b, v.CommanderHref)
			b.WriteString(`">`)
			escText(b, v.Commander)
			b.WriteString(`</a>`)
		} else {
			escText(b, v.Commander)
		}
		b.WriteString(`</dd></div>`)
	}
	b.WriteString("\n    ")
	for _, r := range v.Roles {
		b.WriteString(`<div><dt>`)
		escText(b, titleCase(r.Role))
		b.WriteString(`</dt><dd>`)
		escText(b, r.Person)
		b.WriteString(`</dd></div>`)
	}
	for _, g := range []struct {
		name  string
		terms []LinkView
	}{{"On the bridge", v.Participants}, {"Services", v.Services}, {"Components", v.Components}, {"Customers", v.Customers}, {"Tags", v.Tags}} {
		b.WriteString("\n    ")
		if len(g.terms) > 0 {
			b.WriteString(`<div><dt>`)
			b.WriteString(g.name)
			b.WriteString(`</dt><dd>`)
			writeTermsInline(b, g.terms)
			b.WriteString(`</dd></div>`)
		}
	}
	b.WriteString("\n  </dl>")
}

// CANGridHTML is an incident page's CAN report: its three sections, each
// line linked to its entry.
func CANGridHTML(c CANView) template.HTML { return htmlOf(writeCANGrid, c) }

// writeCANGrid is CANGridHTML writing into b.
func writeCANGrid(b *bytes.Buffer, c CANView) {
	if c.Missing {
		b.WriteString(noTimeline)
		return
	}
	b.Grow(400 + 600*len(c.Sections))
	b.WriteString("<div class=\"can-grid\">\n  ")
	for _, sec := range c.Sections {
		b.WriteString("\n    <section class=\"can-section can-")
		escText(b, sec.Kind)
		b.WriteString("\">\n      <h3>")
		escText(b, sec.Name)
		b.WriteString("</h3>\n      <ul>\n      ")
		for _, l := range sec.Lines {
			b.WriteString(`<li>`)
			escText(b, l.Text)
			if l.Anchor != "" {
				b.WriteString(` <a class="at" href="#`)
				escFragment(b, l.Anchor)
				b.WriteString(`">`)
				escText(b, l.Clock)
				b.WriteString(`</a>`)
			}
			b.WriteString("</li>\n      ")
		}
		if len(sec.Lines) == 0 {
			b.WriteString(`<li class="muted">No additional `)
			escText(b, strings.ToLower(sec.Name))
			b.WriteString("</li>\n      ")
		}
		b.WriteString("\n      </ul>\n    </section>\n  ")
	}
	b.WriteString("\n  </div>")
}

// MomentsHTML is an incident's key moments, each linked to its entry.
func MomentsHTML(ms []MomentView) template.HTML { return htmlOf(writeMoments, ms) }

// writeMoments is MomentsHTML writing into b.
func writeMoments(b *bytes.Buffer, ms []MomentView) {
	b.Grow(40 + 200*len(ms))
	b.WriteString(`<ul class="moments">`)
	for _, m := range ms {
		b.WriteString(`<li><span class="moment-name">`)
		escText(b, titleCase(m.Name))
		b.WriteString(`</span> `)
		if m.Anchor != "" {
			b.WriteString(`<a href="#`)
			escFragment(b, m.Anchor)
			b.WriteString(`">`)
		}
		b.WriteString(`<time datetime="`)
		escText(b, m.ISO)
		b.WriteString(`">`)
		escText(b, m.Clock)
		b.WriteString(`</time>`)
		if m.Anchor != "" {
			b.WriteString(`</a>`)
		}
		if m.Derived {
			b.WriteString(` <span class="derived" title="Marked by the log's words, not given in front matter">derived</span>`)
		}
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ul>`)
}

// LinksHTML is an incident page's related incidents, with their reasons,
// and the pages that reference it.
func LinksHTML(v *IncidentView) template.HTML { return htmlOf(writeLinks, v) }

// writeLinks is LinksHTML writing into b.
func writeLinks(b *bytes.Buffer, v *IncidentView) {
	b.Grow(100 + 250*len(v.Related) + 150*len(v.Backlinks))
	if len(v.Related) > 0 {
		b.WriteString("<ul class=\"related\">\n  ")
		for _, r := range v.Related {
			b.WriteString(`<li><a href="`)
			escURL(b, r.Href)
			b.WriteString(`">`)
			escText(b, r.Title)
			b.WriteString(`</a> <span class="id">`)
			escText(b, r.ID)
			b.WriteString(`</span>`)
			if r.Label != "" {
				b.WriteString(` <span class="badge rel">`)
				escText(b, r.Label)
				b.WriteString(`</span>`)
			}
			if len(r.Reasons) > 0 {
				b.WriteString(`<br><span class="reasons">shares: `)
				escText(b, strings.Join(r.Reasons, ", "))
				b.WriteString(`</span>`)
			}
			b.WriteString("</li>\n  ")
		}
		b.WriteString(`</ul>`)
	}
	b.WriteString("\n  ")
	if len(v.Backlinks) > 0 {
		b.WriteString("<h3>Referenced by</h3><ul class=\"backlinks\">\n  ")
		for _, l := range v.Backlinks {
			b.WriteString(`<li><a href="`)
			escURL(b, l.Href)
			b.WriteString(`">`)
			escText(b, l.Title)
			b.WriteString(`</a> <span class="id">`)
			escText(b, l.ID)
			b.WriteString("</span></li>\n  ")
		}
		b.WriteString(`</ul>`)
	}
}

// titleCase is the theme's title function: the first byte upper-cased.
func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// HeadlineHTML is the top of an incident page's header: the crumbs, the
// title, the date, severity, status and time zone, and the key figures.
// Like the rest of the page's bulk, it is written here rather than by a
// dozen template actions on each of thousands of pages.
func HeadlineHTML(v *IncidentView) template.HTML { return htmlOf(writeHeadline, v) }

// writeHeadline is HeadlineHTML writing into b.
func writeHeadline(b *bytes.Buffer, v *IncidentView) {
	b.Grow(600 + len(v.Title) + 150*len(v.Figures))
	b.WriteString(`<p class="crumbs"><a href="`)
	escURL(b, v.Root)
	b.WriteString(`index.html">Incidents</a> / <span class="id">`)
	escText(b, v.ID)
	b.WriteString("</span></p>\n  <h1>")
	escText(b, v.Title)
	b.WriteString("</h1>\n  <p class=\"meta\">\n    <time datetime=\"")
	escText(b, v.DateISO)
	b.WriteString(`">`)
	escText(b, v.Date)
	b.WriteString("</time>\n    ")
	writeBadges(b, v.Severity, v.Status)
	b.WriteString("\n    <span class=\"muted\">Times in ")
	escText(b, v.Zone)
	b.WriteString("</span>\n  </p>\n  ")
	if len(v.Figures) > 0 {
		b.WriteString(`<dl class="figures">`)
		for _, f := range v.Figures {
			b.WriteString(`<div class="figure"><dt class="figure-label">`)
			escText(b, f.Label)
			b.WriteString(`</dt><dd class="figure-value">`)
			escText(b, f.Value)
			b.WriteString(`</dd></div>`)
		}
		b.WriteString(`</dl>`)
	}
}

// ActorOptionsHTML is the timeline filter's choice of actors.
func ActorOptionsHTML(actors []string) template.HTML { return htmlOf(writeActorOptions, actors) }

// writeActorOptions is ActorOptionsHTML writing into b.
func writeActorOptions(b *bytes.Buffer, actors []string) {
	n := 0
	for _, a := range actors {
		n += 40 + 2*len(a)
	}
	b.Grow(n)
	for _, a := range actors {
		b.WriteString(`<option value="`)
		escText(b, a)
		b.WriteString(`">`)
		escText(b, a)
		b.WriteString(`</option>`)
	}
}

// ActionRowsHTML is the rows of an incident's table of action items.
func ActionRowsHTML(as []ActionView) template.HTML { return htmlOf(writeActionRows, as) }

// writeActionRows is ActionRowsHTML writing into b.
func writeActionRows(b *bytes.Buffer, as []ActionView) {
	n := 0
	for _, a := range as {
		n += 120 + len(a.Title) + len(a.Owner) + 2*len(a.Status) + len(a.Ticket) + len(a.Due)
	}
	b.Grow(n)
	for _, a := range as {
		b.WriteString(`<tr><td>`)
		escText(b, a.Title)
		b.WriteString(`</td><td>`)
		escText(b, a.Owner)
		b.WriteString(`</td><td><span class="badge status-`)
		escText(b, a.Status)
		b.WriteString(`">`)
		escText(b, a.Status)
		b.WriteString(`</span></td><td>`)
		escText(b, a.Ticket)
		b.WriteString(`</td><td>`)
		escText(b, a.Due)
		b.WriteString("</td></tr>\n")
	}
}
