// Package timeline finds the incident log in a parsed Markdown body: entries
// from list items and paragraphs that start with a time, their instants (day
// rollover, zones), tags and actors.
package timeline

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-ssg/debrief/internal/clock"
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Entry is one timestamped item of the log.
type Entry struct {
	At     time.Time // the instant, in the zone it was written in
	Clock  string    // HH:MM or HH:MM:SS as written
	Anchor string    // permalink fragment, unique in the file
	Kinds  []string  // tags: action, condition, need, decision, impact, met, key
	Actor  string
	Text   string // plain text after the time, tags and lead-in
	Line   int    // line in the file
	// Content holds the entry's Markdown, prefix removed, ready to render.
	Content *ast.Document
	iso     string // At in RFC 3339, made once (ISO)
}

// ISO is At in RFC 3339 with fractions of a second: the page and
// incidents.json both write it for every entry.
func (e *Entry) ISO() string {
	if e.iso == "" {
		return e.At.Format(time.RFC3339Nano)
	}
	return e.iso
}

// Has reports whether the entry carries tag.
func (e *Entry) Has(tag string) bool { return containsStr(e.Kinds, tag) }

// Timeline is an incident's log.
type Timeline struct {
	Entries []*Entry
	// Intro holds blocks of the Timeline section before its first entry.
	Intro []ast.Node
}

// Options are what the parser needs to know of the incident.
type Options struct {
	Path     string         // for diagnostics
	BodyLine int            // line of the file where the body starts
	Day      time.Time      // the incident's date
	Location *time.Location // zone of clock times without one
	People   []string       // participants and role holders, for actors
}

// Extract reads entries from blocks. In a Timeline section (section true),
// blocks that do not start with a time continue the entry before them; in a
// body without a Timeline heading only timestamped paragraphs and list items
// are entries, and everything else is left where it is. Entries are detached
// from the document.
func Extract(blocks []ast.Node, src []byte, section bool, opts Options) (*Timeline, diag.List) {
	x := &extractor{src: src, opts: opts, lines: markdown.NewLines(src), tl: &Timeline{},
		roller: clock.NewRoller(opts.Day, opts.Location), anchors: make(map[string]int, 64)}
	for _, b := range blocks {
		switch n := b.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			x.paragraph(n, section)
		case *ast.List:
			x.list(n, section)
		default:
			if section {
				x.continueWith(n)
			}
		}
	}
	// Text and actors once continuation blocks have joined their entries.
	for _, e := range x.tl.Entries {
		e.Text = markdown.PlainText(e.Content, src)
		if e.Actor == "" {
			e.Actor = firstNamed(e.Text, opts.People)
		}
	}
	return x.tl, x.ds
}

type extractor struct {
	src     []byte
	opts    Options
	lines   markdown.Lines
	tl      *Timeline
	roller  *clock.Roller
	anchors map[string]int
	ds      diag.List
	// Entries and their documents are cut from slabs: a log has dozens.
	entries []Entry
	docs    []ast.Document
	more    int // how many entries the block at hand may still hold: the slabs' next size
}

// newDocument is ast.NewDocument from the extractor's slab.
func (x *extractor) newDocument() *ast.Document {
	if len(x.docs) == cap(x.docs) {
		x.docs = make([]ast.Document, 0, max(x.more, 4))
	}
	x.docs = x.docs[:len(x.docs)+1]
	return &x.docs[len(x.docs)-1]
}

func (x *extractor) last() *Entry {
	if len(x.tl.Entries) == 0 {
		return nil
	}
	return x.tl.Entries[len(x.tl.Entries)-1]
}

// continueWith appends a block to the current entry, or to the intro.
func (x *extractor) continueWith(n ast.Node) {
	markdown.Detach(n)
	if e := x.last(); e != nil {
		e.Content.AppendChild(e.Content, n)
		return
	}
	x.tl.Intro = append(x.tl.Intro, n)
}

func (x *extractor) list(l *ast.List, section bool) {
	items := make([]ast.Node, 0, l.ChildCount())
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		items = append(items, it)
	}
	var cont *ast.List // untimed items continuing the entry before them
	for i, it := range items {
		x.more = len(items) - i
		first := it.FirstChild()
		var p prefix
		ok := false
		if first != nil && (first.Kind() == ast.KindParagraph || first.Kind() == ast.KindTextBlock) && first.Lines().Len() > 0 {
			seg := first.Lines().At(0)
			p, ok = lexPrefix(string(seg.Value(x.src)), x.opts.People)
			if ok {
				x.trimInline(first, seg.Start+p.Len)
			}
		}
		if !ok {
			if !section {
				continue
			}
			markdown.Detach(it)
			if cont == nil {
				cont = ast.NewList(l.Marker)
				cont.IsTight = l.IsTight
				if e := x.last(); e != nil {
					e.Content.AppendChild(e.Content, cont)
				} else {
					x.tl.Intro = append(x.tl.Intro, cont)
				}
			}
			cont.AppendChild(cont, it)
			continue
		}
		cont = nil
		markdown.Detach(it)
		doc := x.newDocument()
		for c := it.FirstChild(); c != nil; {
			next := c.NextSibling()
			it.RemoveChild(it, c)
			doc.AppendChild(doc, c)
			c = next
		}
		x.add(p, doc, first.Lines().At(0).Start)
	}
	if l.ChildCount() == 0 {
		markdown.Detach(l)
	}
}

// paragraph handles a paragraph, which may hold several entries: a pasted chat
// export has one line per entry and no blank lines.
func (x *extractor) paragraph(para ast.Node, section bool) {
	lines := para.Lines()
	type group struct {
		p     prefix
		start int // source offset of the line
		lines []text.Segment
		node  *ast.Paragraph
	}
	var groups []*group
	var lead []text.Segment // untimed lines before the first time
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if p, ok := lexPrefix(string(seg.Value(x.src)), x.opts.People); ok {
			groups = append(groups, &group{p: p, start: seg.Start, lines: []text.Segment{seg}})
			continue
		}
		if len(groups) == 0 {
			lead = append(lead, seg)
		} else {
			groups[len(groups)-1].lines = append(groups[len(groups)-1].lines, seg)
		}
	}
	if len(groups) == 0 || (!section && len(lead) > 0) {
		if section {
			x.continueWith(para)
		}
		return
	}
	// Move inline nodes into one paragraph per group (and one for the lead).
	var leadPara *ast.Paragraph
	if len(lead) > 0 {
		leadPara = ast.NewParagraph()
		for _, s := range lead {
			leadPara.Lines().Append(s)
		}
	}
	for _, g := range groups {
		g.node = ast.NewParagraph()
		for _, s := range g.lines {
			g.node.Lines().Append(s)
		}
	}
	cur := -1
	for c := para.FirstChild(); c != nil; {
		next := c.NextSibling()
		off := markdown.NodeOffset(c)
		for cur+1 < len(groups) && off >= groups[cur+1].start {
			cur++
		}
		para.RemoveChild(para, c)
		if cur < 0 {
			leadPara.AppendChild(leadPara, c)
		} else {
			groups[cur].node.AppendChild(groups[cur].node, c)
		}
		c = next
	}
	markdown.Detach(para)
	if leadPara != nil {
		x.continueWith(leadPara)
	}
	for i, g := range groups {
		x.more = len(groups) - i
		x.trimInline(g.node, g.start+g.p.Len)
		doc := x.newDocument()
		doc.AppendChild(doc, g.node)
		x.add(g.p, doc, g.start)
	}
}

// trimInline removes the inline content of block that lies before offset
// end: the time, tags and lead-in already read from the line.
func (x *extractor) trimInline(block ast.Node, end int) {
	trimBefore(block, end, x.src)
}

func trimBefore(parent ast.Node, end int, src []byte) bool {
	for c := parent.FirstChild(); c != nil; {
		next := c.NextSibling()
		switch t := c.(type) {
		case *ast.Text:
			if t.Segment.Stop <= end {
				parent.RemoveChild(parent, c)
			} else {
				if t.Segment.Start < end {
					t.Segment = t.Segment.WithStart(end)
				}
				// Drop the spaces the lead-in left.
				for t.Segment.Start < t.Segment.Stop && (src[t.Segment.Start] == ' ' || src[t.Segment.Start] == '\t') {
					t.Segment = t.Segment.WithStart(t.Segment.Start + 1)
				}
				return true
			}
		case *ast.RawHTML:
			if t.Segments.Len() > 0 && t.Segments.At(t.Segments.Len()-1).Stop <= end {
				parent.RemoveChild(parent, c)
			} else {
				return true
			}
		default:
			off := markdown.NodeOffset(c)
			if off >= end {
				return true
			}
			if off < 0 && c.ChildCount() == 0 {
				parent.RemoveChild(parent, c)
				break
			}
			// A container (emphasis, link) that holds the time: trim inside it.
			if trimBefore(c, end, src) {
				return true
			}
			parent.RemoveChild(parent, c)
		}
		c = next
	}
	return false
}

func (x *extractor) add(p prefix, content *ast.Document, offset int) {
	line, _ := x.lines.Pos(offset)
	line += x.opts.BodyLine - 1
	at, err := x.roller.Resolve(p.Stamp)
	if err != nil {
		x.ds.Errorf(x.opts.Path, line, 1, "%v", err)
	}
	local := at.In(x.opts.Location)
	layout := "1504"
	if p.Stamp.HasSec {
		layout = "150405"
	}
	// The instant in RFC 3339, the clock as written and the anchor, in
	// one string.
	var buf [64]byte
	b := at.AppendFormat(buf[:0], time.RFC3339Nano)
	isoEnd := len(b)
	b = p.Stamp.AppendClock(b)
	clockEnd := len(b)
	all := string(local.AppendFormat(append(b, "t-"...), layout))
	base := all[clockEnd:]
	if len(x.entries) == cap(x.entries) {
		x.entries = make([]Entry, 0, max(x.more, 4))
	}
	x.entries = append(x.entries, Entry{
		At:      at,
		Clock:   all[isoEnd:clockEnd],
		Kinds:   p.Tags,
		Actor:   p.Actor,
		Line:    line,
		Content: content,
		iso:     all[:isoEnd],
	})
	e := &x.entries[len(x.entries)-1]
	x.anchors[base]++
	e.Anchor = base
	if k := x.anchors[base]; k > 1 {
		e.Anchor = fmt.Sprintf("%s-%d", base, k)
	}
	x.tl.Entries = append(x.tl.Entries, e)
}

// firstNamed returns the person named earliest in text, matching whole words.
func firstNamed(text string, people []string) string {
	best, bestAt := "", len(text)+1
	for _, p := range people {
		if p == "" {
			continue
		}
		from := 0
		for {
			i := strings.Index(text[from:], p)
			if i < 0 {
				break
			}
			i += from
			if wordBoundary(text, i-1, true) && wordBoundary(text, i+len(p), false) {
				if i < bestAt {
					best, bestAt = p, i
				}
				break
			}
			from = i + len(p)
		}
	}
	return best
}

func wordBoundary(s string, i int, before bool) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(s[:i+1])
	} else {
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}
