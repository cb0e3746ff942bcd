package render

import (
	"bytes"
	"strings"

	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/site"
	"github.com/debrief-ssg/debrief/internal/timeline"
)

// ObservationView is a command observation as the page shows it: its
// sentence in parts, the clock times of the entries it rests on linked to
// them.
type ObservationView struct {
	Kind, Rule, Label string
	Open              bool
	Parts             []TextPart
}

// TextPart is a run of an observation's sentence; with an Anchor, a link
// to that timeline entry.
type TextPart struct{ Text, Anchor string }

// observationLabels name the kinds on the page.
var observationLabels = map[can.ObservationKind]string{
	can.TimeToAction:     "First action",
	can.TimeToMitigation: "Mitigation",
	can.EndingDecision:   "Deciding call",
	can.RepeatedQuestion: "Asked again",
	can.DecisionWait:     "Decision asked for",
	can.RoleConfusion:    "Roles",
	can.Silence:          "Silence",
	can.OpenNeed:         "Open need",
	can.UnconfirmedWork:  "Not reported done",
	can.Noted:            "Noted",
}

// observationViews are inc's observations, each entry's clock time in the
// sentence linked to the entry; an entry whose time the sentence does not
// say is linked after it.
func observationViews(inc *site.Incident) []ObservationView {
	if len(inc.Observations) == 0 {
		return nil
	}
	byAnchor := make(map[string]*timeline.Entry, len(inc.Timeline.Entries))
	for _, e := range inc.Timeline.Entries {
		byAnchor[e.Anchor] = e
	}
	out := make([]ObservationView, 0, len(inc.Observations))
	for _, o := range inc.Observations {
		v := ObservationView{Kind: string(o.Kind), Rule: o.Rule, Label: observationLabels[o.Kind], Open: o.Open}
		v.Parts = []TextPart{{Text: o.Text}}
		for _, a := range o.Entries {
			e := byAnchor[a]
			if e == nil {
				continue
			}
			// The sentence says an entry's time as the report lines do.
			v.Parts = linkClock(v.Parts, can.FormatClock(e.At), a)
		}
		out = append(out, v)
	}
	return out
}

// linkClock makes the first unlinked mention of clock in parts a link to
// anchor, or adds one after the sentence.
func linkClock(parts []TextPart, clock, anchor string) []TextPart {
	for i, p := range parts {
		if p.Anchor != "" {
			continue
		}
		if k := clockIndex(p.Text, clock); k >= 0 {
			out := append([]TextPart{}, parts[:i]...)
			if k > 0 {
				out = append(out, TextPart{Text: p.Text[:k]})
			}
			out = append(out, TextPart{Text: clock, Anchor: anchor})
			if rest := p.Text[k+len(clock):]; rest != "" {
				out = append(out, TextPart{Text: rest})
			}
			return append(out, parts[i+1:]...)
		}
	}
	return append(parts, TextPart{Text: " "}, TextPart{Text: clock, Anchor: anchor})
}

// clockIndex finds clock in s as a whole time: "04:21" is not the start
// of "04:21:43".
func clockIndex(s, clock string) int {
	for off := 0; ; {
		k := strings.Index(s[off:], clock)
		if k < 0 {
			return -1
		}
		at, end := off+k, off+k+len(clock)
		timeByte := func(c byte) bool { return c == ':' || c >= '0' && c <= '9' }
		if (at == 0 || !timeByte(s[at-1])) && (end == len(s) || !timeByte(s[end]) || s[end] == ':' && (end+1 == len(s) || !timeByte(s[end+1]))) {
			return at
		}
		off = at + 1
	}
}

// writeObservations writes an incident's observations as the default
// theme's partials/observations.html does (page_test.go holds the two to
// the same bytes).
func writeObservations(b *bytes.Buffer, obs []ObservationView) {
	b.WriteString(`<ul class="observations">`)
	for _, o := range obs {
		b.WriteString(`<li class="obs obs-`)
		escText(b, o.Kind)
		if o.Open {
			b.WriteString(` obs-open`)
		}
		b.WriteString(`" data-rule="`)
		escText(b, o.Rule)
		b.WriteString(`"><span class="obs-kind">`)
		escText(b, o.Label)
		b.WriteString(`</span> `)
		for _, p := range o.Parts {
			if p.Anchor == "" {
				escText(b, p.Text)
				continue
			}
			b.WriteString(`<a href="#`)
			escFragment(b, p.Anchor)
			b.WriteString(`">`)
			escText(b, p.Text)
			b.WriteString(`</a>`)
		}
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ul>`)
}
