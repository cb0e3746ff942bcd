// Package site turns content files into the site graph: each incident's
// timeline and CAN report, then ids, links, backlinks and related incidents
// across the site.
package site

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/clock"
	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/timeline"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
)

// Incident is a content file analysed: its timeline, CAN report, key
// moments, and the rest of its body ready to render.
type Incident struct {
	*content.Incident
	Timeline *timeline.Timeline
	Analysis *can.Analysis
	CAN      *can.Report
	// Observations are the command observations of its log (can.Observe);
	// kept when the incident is slimmed, for the site-wide patterns.
	Observations []can.Observation
	Moments      []MomentAt
	Durations    []Duration
	Doc          ast.Node // the body without timeline and CAN sections
	Summary      string   // front matter's, else the body's first paragraph
	CANLine      int      // where an author-written report starts, for messages
	// SourceHash is the SHA-256 of the file as read, set by the loader.
	SourceHash [32]byte

	refs []ref // [[ID]] and .md links, resolved by the site
	// noted holds an author-written ## Observations section's lines, used
	// instead of the derived observations (nil: none written).
	noted   []can.Observation
	lines   markdown.Lines
	bodyLen int    // len(Body) when slimmed, to find it again (BodyLen)
	sketch  bool   // made by Sketch; its body is not analysed yet
	url     string // URL's answer, once known
}

// MomentAt is a key moment at its instant.
type MomentAt struct {
	Name    string
	At      time.Time
	Derived bool // marked by the log's words, not given in front matter
}

// Duration is a key figure: time to detect, acknowledge, mitigate, resolve.
type Duration struct {
	Name string // "detect", "acknowledge", "mitigate", "resolve"
	D    time.Duration
}

type ref struct {
	xref *markdown.XRefNode // nil once the incident is slimmed
	link *ast.Link          // nil once the incident is slimmed
	id   string             // an [[ID]]'s id; "" for a Markdown link
	dest string             // the link's destination as written, before rewriting
	line int
	col  int
}

// Moment returns the instant of a key moment, if set.
func (inc *Incident) Moment(name string) (time.Time, bool) {
	for _, m := range inc.Moments {
		if m.Name == name {
			return m.At, true
		}
	}
	return time.Time{}, false
}

// Analyse parses an incident's body: the timeline (the Timeline section, or
// the body's timestamped paragraphs when there is none), the author's CAN
// report or a derived one, key moments and durations.
func Analyse(ci *content.Incident, md goldmark.Markdown, cfg config.Config) (*Incident, diag.List) {
	return analyse(ci, md, cfg, true)
}

// Outline is Analyse without classifying the timeline's sentences, the
// dearest part: Analysis is nil, and so is a derived CAN report. A
// one-shot build outlines every file first and classifies each when it
// renders its page (see Slim).
func Outline(ci *content.Incident, md goldmark.Markdown, cfg config.Config) (*Incident, diag.List) {
	return analyse(ci, md, cfg, false)
}

func analyse(ci *content.Incident, md goldmark.Markdown, cfg config.Config, classify bool) (*Incident, diag.List) {
	var ds diag.List
	src := ci.Body
	inc := &Incident{Incident: ci, lines: markdown.NewLines(src), url: urlOf(ci)}
	doc := markdown.Parse(md, src)
	inc.Doc = doc
	secs := markdown.Sections(doc, src)

	var tlSec, obsSec *markdown.Section
	authored := map[can.Kind][]ast.Node{}
	authoredAt := map[can.Kind]int{}
	var outside []ast.Node // blocks not in timeline or CAN sections
	for i := range secs {
		s := &secs[i]
		switch title := strings.ToLower(strings.TrimSpace(s.Title)); {
		case s.Heading == nil:
			outside = append(outside, s.Blocks...)
		case title == "timeline" && tlSec == nil:
			tlSec = s
			markdown.Detach(s.Heading)
		case title == "observations" && obsSec == nil:
			obsSec = s
			detachAll(s.Heading, s.Blocks)
		case title == "conditions" || title == "actions" || title == "needs":
			k := kindOf(title)
			inc.noteCANLine(inc.lineOf(markdown.NodeOffset(s.Heading)))
			authored[k] = append(authored[k], s.Blocks...)
			authoredAt[k] = inc.lineOf(markdown.NodeOffset(s.Heading))
			detachAll(s.Heading, s.Blocks)
		case title == "can report" || title == "can":
			inc.noteCANLine(inc.lineOf(markdown.NodeOffset(s.Heading)))
			var cur can.Kind
			for _, b := range s.Blocks {
				if h, ok := b.(*ast.Heading); ok && h.Level == 3 {
					t := strings.ToLower(markdown.PlainText(h, src))
					cur = kindOf(t)
					if cur != "" {
						authoredAt[cur] = inc.lineOf(markdown.NodeOffset(h))
						if authored[cur] == nil {
							authored[cur] = []ast.Node{}
						}
					}
					continue
				}
				if cur != "" {
					authored[cur] = append(authored[cur], b)
				}
			}
			detachAll(s.Heading, s.Blocks)
		default:
			outside = append(outside, s.Heading)
			outside = append(outside, s.Blocks...)
		}
	}

	opts := timelineOptions(ci, cfg)
	var tds diag.List
	if tlSec != nil {
		inc.Timeline, tds = timeline.Extract(tlSec.Blocks, src, true, opts)
	} else {
		// A raw log pasted under front matter: the body's entries are the
		// timeline.
		inc.Timeline, tds = timeline.Extract(outside, src, false, opts)
	}
	ds = append(ds, tds...)
	if len(inc.Timeline.Entries) == 0 && ci.Type == content.TypeIncident {
		line := ci.BodyLine
		if tlSec != nil {
			line = inc.lineOf(markdown.NodeOffset(tlSec.Heading))
		}
		ds.Warnf(ci.Path, line, 1, "no timeline found: no line starts with a time in a form debrief reads (see docs/timeline-formats.md)")
		ds = append(ds, inc.Timeline.Misses...)
	}
	entries := inc.Timeline.Entries

	// The CAN report: the author's, verbatim, else derived.
	if len(authored) > 0 || ci.CAN != nil {
		r := &can.Report{}
		add := func(k can.Kind, text string, line int) {
			l := can.AuthoredLine(text, k, entries)
			if l.Entry == "" && can.NamesTime(text) {
				ds.Warnf(ci.Path, line, 1, "CAN line's time matches no timeline entry")
			}
			switch k {
			case can.Condition:
				r.Conditions = append(r.Conditions, l)
			case can.Action:
				r.Actions = append(r.Actions, l)
			case can.Need:
				r.Needs = append(r.Needs, l)
			}
		}
		for _, k := range []can.Kind{can.Condition, can.Action, can.Need} {
			for _, b := range authored[k] {
				list, ok := b.(*ast.List)
				if !ok {
					if t := markdown.PlainText(b, src); t != "" {
						add(k, t, inc.lineOf(markdown.NodeOffset(b)))
					}
					continue
				}
				for it := list.FirstChild(); it != nil; it = it.NextSibling() {
					add(k, markdown.PlainText(it, src), inc.lineOf(markdown.NodeOffset(it)))
				}
			}
		}
		if ci.CAN != nil {
			inc.noteCANLine(ci.CAN.Line)
			for _, t := range ci.CAN.Conditions {
				add(can.Condition, t, ci.CAN.Line)
			}
			for _, t := range ci.CAN.Actions {
				add(can.Action, t, ci.CAN.Line)
			}
			for _, t := range ci.CAN.Needs {
				add(can.Need, t, ci.CAN.Line)
			}
		}
		inc.CAN = r
	}
	if obsSec != nil {
		inc.noted = notedObservations(obsSec.Blocks, src, entries)
	}
	ds = append(ds, inc.checkMute()...)
	// Classified once the key moments are known: the observations time
	// the response from them.
	inc.resolveMoments(&ds)
	if classify {
		inc.Classify(cfg)
	}
	inc.Summary = ci.Summary
	if inc.Summary == "" {
		for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
			if n.Kind() == ast.KindParagraph {
				inc.Summary = markdown.PlainText(n, src)
				break
			}
		}
	}
	if inc.Summary == "" && len(entries) > 0 {
		inc.Summary = entries[0].Text
	}
	inc.collectRefs()
	return inc, ds
}

// Sketch is what a one-shot build's site needs of an incident before its
// page is rendered — its summary (related scoring reads it), and that its
// body links to no other incident — found without parsing the body: a
// scan for links, and the body's first paragraph alone. ok is false when
// the body might link to an incident, or its summary is not that
// paragraph's text; Outline it then. The body is analysed when the page
// renders (Restore), which is where its diagnostics come from.
func Sketch(ci *content.Incident, md goldmark.Markdown) (inc *Incident, ok bool) {
	if mayLink(ci.Body) {
		return nil, false
	}
	inc = &Incident{Incident: ci, Summary: ci.Summary, sketch: true, url: urlOf(ci)}
	if inc.Summary == "" {
		if inc.Summary, ok = leadParagraph(ci, md); !ok {
			return nil, false
		}
	}
	return inc, true
}

// mayLink reports whether body might hold an [[ID]] or a Markdown link to
// a .md file: either needs "[[", "](" or a link definition's "]:", and a
// link's destination spells ".md" plainly or with an escape (%, &).
// Definitions also change how the first paragraph reads ([text][label]).
func mayLink(body []byte) bool {
	if bytes.Contains(body, []byte("[[")) || bytes.Contains(body, []byte("]:")) {
		return true
	}
	if !bytes.Contains(body, []byte("](")) {
		return false
	}
	return bytes.ContainsAny(body, "%&") || bytes.Contains(bytes.ToLower(body), []byte(".md"))
}

// leadParagraph returns the plain text of the body's first block, if that
// block is a paragraph the timeline leaves alone: then it is the summary
// (see analyse). A paragraph ends at the first blank line, and with no link
// definitions (mayLink) nothing after it changes how it reads, so only that
// much of the body is parsed.
func leadParagraph(ci *content.Incident, md goldmark.Markdown) (string, bool) {
	body, end, seen := ci.Body, 0, false
	for end < len(body) {
		nl := bytes.IndexByte(body[end:], '\n')
		next := len(body)
		if nl >= 0 {
			next = end + nl + 1
		}
		if len(bytes.Trim(body[end:next], " \t\n")) == 0 {
			if seen {
				break
			}
		} else {
			seen = true
		}
		end = next
	}
	src := body[:end]
	doc := markdown.Parse(md, src)
	p := doc.FirstChild()
	if p == nil || p.Kind() != ast.KindParagraph {
		return "", false
	}
	text := markdown.PlainText(p, src)
	// Without a Timeline section, timestamped paragraphs are the timeline,
	// taken out of the body: then the summary is another paragraph's.
	tl, _ := timeline.Extract([]ast.Node{p}, src, false, timelineOptions(ci, config.Config{}))
	if text == "" || p.Parent() != doc || len(tl.Entries) > 0 || len(tl.Intro) > 0 {
		return "", false
	}
	return text, true
}

// Sketched reports whether inc is a Sketch whose body is not analysed yet.
func (inc *Incident) Sketched() bool { return inc.sketch }

// Slim drops what only the incident's own page needs: the Markdown trees,
// the source, the classified sentences, every timeline entry but the last.
// A one-shot build outlines every file (Outline), slims it, and Restores it
// from a full analysis of a second reading when its page is rendered, so
// memory holds what site-wide pages need, not every parse tree at once;
// SourceHash tells whether the file changed in between.
func (inc *Incident) Slim() {
	if inc.Body != nil {
		inc.bodyLen = len(inc.Body)
	}
	inc.Doc, inc.Analysis, inc.Body, inc.lines = nil, nil, nil, nil
	if inc.Timeline != nil {
		// Only the last entry's time is read after the page (the feed's and
		// sitemap's dates); incidents.json and search take the rest while
		// the page renders.
		var last []*timeline.Entry
		if n := len(inc.Timeline.Entries); n > 0 {
			e := *inc.Timeline.Entries[n-1]
			e.Content = nil
			last = []*timeline.Entry{&e}
		}
		inc.Timeline = &timeline.Timeline{Entries: last}
	}
	refs := make([]ref, len(inc.refs))
	for i, r := range inc.refs {
		refs[i] = ref{id: r.id, dest: r.dest, line: r.line, col: r.col}
	}
	inc.refs = refs
}

// BodyLen is the length of the body a slimmed incident was read with: its
// file, read again, unchanged and normalised (content.Normalize), ends with
// that many bytes of body.
func (inc *Incident) BodyLen() int { return inc.bodyLen }

// Outlined reports whether inc is an outline (Outline) not yet classified,
// and not slimmed.
func (inc *Incident) Outlined() bool {
	return inc.Analysis == nil && inc.Doc != nil && inc.Timeline != nil
}

// Classify makes an outline what Analyse returns: it classifies the
// timeline's sentences and, without the author's CAN report, derives one.
func (inc *Incident) Classify(cfg config.Config) {
	inc.Analysis = can.Analyse(inc.Timeline.Entries, can.Terms{
		Impact: append(append([]string{}, inc.Services...), inc.Customers...),
		// Tags label the incident; they are not what its statements are about.
		Other: inc.Components,
	})
	// Without a timeline there is nothing to derive a report from: the
	// page says so rather than show an empty report.
	if inc.CAN == nil && len(inc.Timeline.Entries) > 0 {
		inc.CAN = inc.Analysis.At(time.Time{}, can.Options{MaxLines: cfg.CAN.MaxLines, MaxWords: cfg.CAN.MaxWords})
	}
	inc.Observations = inc.observations(cfg)
}

// observations are the author's, when the file has an ## Observations
// section; else the derived ones, less the kinds the author muted.
func (inc *Incident) observations(cfg config.Config) []can.Observation {
	if inc.noted != nil {
		return inc.noted
	}
	all := inc.Analysis.Observe(inc.observeOptions(cfg))
	if len(inc.Mute) == 0 {
		return all
	}
	kept := all[:0]
	for _, o := range all {
		if !slices.ContainsFunc(inc.Mute, func(m content.Positioned) bool { return m.Value == string(o.Kind) }) {
			kept = append(kept, o)
		}
	}
	return kept
}

// checkMute reports muted kinds that are not kinds of observation.
func (inc *Incident) checkMute() diag.List {
	var ds diag.List
	for _, m := range inc.Mute {
		if !slices.Contains(can.ObservationKinds, can.ObservationKind(m.Value)) {
			names := make([]string, len(can.ObservationKinds))
			for i, k := range can.ObservationKinds {
				names[i] = string(k)
			}
			msg := fmt.Sprintf("observations.mute: %q is not a kind of observation (want one of %s)", m.Value, strings.Join(names, ", "))
			if s := diag.Suggest(m.Value, names); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			ds.Errorf(inc.Path, m.Line, m.Col, "%s", msg)
		}
	}
	return ds
}

// notedObservations reads an author-written ## Observations section: each
// list item (or paragraph) one observation, verbatim; a time in
// parentheses links it to that entry, as in an author's CAN report.
func notedObservations(blocks []ast.Node, src []byte, entries []*timeline.Entry) []can.Observation {
	out := []can.Observation{}
	add := func(n ast.Node) {
		text := markdown.PlainText(n, src)
		if text == "" {
			return
		}
		o := can.Observation{Kind: can.Noted, Rule: "author", Text: text}
		if l := can.AuthoredLine(text, can.Condition, entries); l.Entry != "" {
			o.Entries = []string{l.Entry}
		}
		out = append(out, o)
	}
	for _, b := range blocks {
		if l, ok := b.(*ast.List); ok {
			for it := l.FirstChild(); it != nil; it = it.NextSibling() {
				add(it)
			}
			continue
		}
		add(b)
	}
	return out
}

// observeOptions is what the observations need beyond the log: the key
// moments, the role holders, the silence threshold and the report bounds.
func (inc *Incident) observeOptions(cfg config.Config) can.ObserveOptions {
	o := can.ObserveOptions{
		Moments:   make(map[string]time.Time, len(inc.Moments)),
		Silence:   time.Duration(cfg.Timeline.SilenceMinutes) * time.Minute,
		Commander: inc.Commander,
		Roles:     make(map[string]string, len(inc.Roles)),
		Report:    can.Options{MaxLines: cfg.CAN.MaxLines, MaxWords: cfg.CAN.MaxWords},
	}
	for _, m := range inc.Moments {
		o.Moments[m.Name] = m.At
	}
	for _, r := range inc.Roles {
		o.Roles[r.Person] = r.Role
	}
	return o
}

// Restore gives a slimmed incident back what its page needs, from full, a
// fresh analysis of the same file. The caller relinks it (Site.Relink).
func (inc *Incident) Restore(full *Incident) {
	inc.Doc, inc.Analysis, inc.Body, inc.lines = full.Doc, full.Analysis, full.Body, full.lines
	inc.Timeline, inc.refs, inc.Observations = full.Timeline, full.refs, full.Observations
	if inc.CAN == nil {
		inc.CAN = full.CAN // derived, so outlined without it
	}
	if inc.sketch {
		// A sketch has only its summary, the same as full's (Sketch).
		inc.Moments, inc.Durations, inc.CANLine, inc.sketch = full.Moments, full.Durations, full.CANLine, false
	}
}

func (inc *Incident) noteCANLine(line int) {
	if inc.CANLine == 0 || line < inc.CANLine {
		inc.CANLine = line
	}
}

func kindOf(title string) can.Kind {
	switch strings.TrimSpace(title) {
	case "conditions":
		return can.Condition
	case "actions":
		return can.Action
	case "needs":
		return can.Need
	}
	return ""
}

func detachAll(h ast.Node, blocks []ast.Node) {
	markdown.Detach(h)
	for _, b := range blocks {
		markdown.Detach(b)
	}
}

func (inc *Incident) lineOf(offset int) int {
	if offset < 0 {
		return inc.BodyLine
	}
	l, _ := inc.lines.Pos(offset)
	return l + inc.BodyLine - 1
}

// timelineOptions is what the timeline parser needs of an incident and
// the site.
func timelineOptions(ci *content.Incident, cfg config.Config) timeline.Options {
	return timeline.Options{Path: ci.Path, BodyLine: ci.BodyLine, Day: ci.Date, Location: ci.Location,
		People: ci.People(), DateOrder: cfg.Timeline.DateOrder}
}

// resolveMoments puts key moments on the timeline's days: in the order
// started, detected, acknowledged, mitigated, resolved, a clock time earlier
// than the one before it is on the next day.
func (inc *Incident) resolveMoments(ds *diag.List) {
	byName := map[string]content.Moment{}
	for _, m := range inc.Incident.Moments {
		byName[m.Name] = m
	}
	start := inc.Date
	if es := inc.Timeline.Entries; len(es) > 0 && !inc.HasTime {
		// A moment before the log's first entry on the same day is that day.
		start = time.Date(inc.Date.Year(), inc.Date.Month(), inc.Date.Day(), 0, 0, 0, 0, inc.Location)
	}
	r := clock.NewRoller(start, inc.Location)
	var prev time.Time
	for _, name := range content.MomentNames {
		m, ok := byName[name]
		if !ok {
			continue
		}
		at, err := r.Resolve(m.Stamp)
		if err != nil {
			ds.Errorf(inc.Path, m.Line, 1, "%s: %v", name, err)
			continue
		}
		if !prev.IsZero() && at.Before(prev) {
			ds.Errorf(inc.Path, m.Line, 1, "%s (%s) is before the moment listed before it", name, at.Format(time.RFC3339))
		}
		prev = at
		inc.Moments = append(inc.Moments, MomentAt{Name: name, At: at})
	}
	inc.markedMoments()
	begin, ok := inc.Moment("started")
	if !ok {
		begin, ok = inc.Moment("detected")
	}
	if !ok && len(inc.Timeline.Entries) > 0 {
		begin, ok = inc.Timeline.Entries[0].At, true
	}
	if d, ok2 := inc.Moment("detected"); ok2 {
		if s, ok3 := inc.Moment("started"); ok3 {
			inc.Durations = append(inc.Durations, Duration{"detect", d.Sub(s)})
		}
		if a, ok3 := inc.Moment("acknowledged"); ok3 {
			inc.Durations = append(inc.Durations, Duration{"acknowledge", a.Sub(d)})
		}
	}
	if ok {
		if m, ok2 := inc.Moment("mitigated"); ok2 {
			inc.Durations = append(inc.Durations, Duration{"mitigate", m.Sub(begin)})
		}
		if m, ok2 := inc.Moment("resolved"); ok2 {
			inc.Durations = append(inc.Durations, Duration{"resolve", m.Sub(begin)})
		}
	}
}

// markedMoments adds the key moments the log marks ("OUTAGE BEGINS", "all
// clear") that front matter does not give, where they keep the moments in
// order.
func (inc *Incident) markedMoments() {
	var out []MomentAt
	for _, name := range content.MomentNames {
		if at, ok := inc.Moment(name); ok {
			out = append(out, MomentAt{Name: name, At: at})
			continue
		}
		if e := inc.Timeline.Mark(name); e != nil {
			out = append(out, MomentAt{Name: name, At: e.At, Derived: true})
		}
	}
	for i := 1; i < len(out); i++ {
		if out[i].At.Before(out[i-1].At) {
			if out[i].Derived {
				out = append(out[:i], out[i+1:]...)
				i--
			} else if out[i-1].Derived {
				out = append(out[:i-1], out[i:]...)
				i -= 2
				i = max(i, 0)
			}
		}
	}
	inc.Moments = out
}

// collectRefs finds [[ID]] and Markdown links in the body and the timeline.
func (inc *Incident) collectRefs() {
	var roots []ast.Node
	roots = append(roots, inc.Doc)
	roots = append(roots, inc.Timeline.Intro...)
	for _, e := range inc.Timeline.Entries {
		roots = append(roots, e.Content)
	}
	for _, root := range roots {
		_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch t := n.(type) {
			case *markdown.XRefNode:
				l, c := inc.lines.Pos(t.Offset)
				inc.refs = append(inc.refs, ref{xref: t, id: t.ID, line: l + inc.BodyLine - 1, col: c})
			case *ast.Link:
				off := markdown.NodeOffset(t)
				if off > 0 && inc.Body[off-1] == '[' {
					off-- // point at the link's opening bracket
				}
				l, c := inc.lines.Pos(max(off, 0))
				inc.refs = append(inc.refs, ref{link: t, dest: string(t.Destination), line: l + inc.BodyLine - 1, col: c})
			}
			return ast.WalkContinue, nil
		})
	}
}
