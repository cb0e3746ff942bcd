// Package timeline finds the incident log in a parsed Markdown body: entries
// from list items, paragraphs, lines, headings, table rows and chat copies
// that carry a time, their instants (dates, day rollover, zones), tags,
// actors and the key moments the log marks.
package timeline

import (
	"fmt"
	"strings"
	"time"

	"github.com/debrief-ssg/debrief/internal/clock"
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/yuin/goldmark/ast"
)

// Entry is one timestamped item of the log.
type Entry struct {
	At     time.Time // the instant, in the zone it was written in
	Clock  string    // HH:MM or HH:MM:SS as written
	Anchor string    // permalink fragment, unique in the file
	Kinds  []string  // tags: action, condition, need, decision, impact, met, key
	Actor  string
	Text   string // plain text after the time, tags and lead-in
	// Lines holds a chat message's lines when it has several: each is said
	// on its own ("Can't find anything more recent" / "ooh I found one"),
	// with no stop between them in Text.
	Lines []string
	// DateOnly: the log gives the entry's day, not its time ("16 December
	// 2024 - Escalation"); At is the day's start, or the entry before it
	// on the same day. Clock is then the date.
	DateOnly bool
	Line     int // line in the file
	// Content holds the entry's Markdown, prefix removed, ready to render.
	Content *ast.Document
	iso     string // At in RFC 3339, made once (ISO)

	stamp   clock.Stamp
	day     *clock.Stamp // a day heading or line before the entry, if any
	col     int          // column of the time, for messages
	off     int          // source offset of the time, to quote the line in messages
	heading int          // level of the heading the entry is, 0 if none
	alone   bool         // the line was only the time: the text is below
	chat    bool         // a chat message under a header: its lines are said apart
	list    *ast.List    // the list the entry's item was in, if any
	part    int          // how many headings came before it: a new part may be a second log
	// provisional: a day heading, an entry only if blocks follow it
	// before a timed entry does.
	provisional bool
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
	// Misses are warnings for lines that look like entries but matched no
	// form, for a file with no entries to name.
	Misses diag.List
}

// Options are what the parser needs to know of the incident.
type Options struct {
	Path      string         // for diagnostics
	BodyLine  int            // line of the file where the body starts
	Day       time.Time      // the incident's date
	Location  *time.Location // zone of clock times without one
	People    []string       // participants and role holders, for actors
	DateOrder string         // "dmy" or "mdy" for dates like 03/04/2024; "" to guess
}

// Extract reads entries from blocks. In a Timeline section (section true),
// blocks that are not entries continue the entry before them. In a body
// without a Timeline heading, untimed blocks between two entries continue
// the first, and blocks before the first entry or after the last stay
// where they are. Entries are detached from the document.
func Extract(blocks []ast.Node, src []byte, section bool, opts Options) (*Timeline, diag.List) {
	x := &extractor{src: src, opts: opts, lines: markdown.NewLines(src), tl: &Timeline{}, section: section}
	x.blocks(blocks)
	x.settle()
	x.resolve()
	x.finish()
	return x.tl, x.ds
}

type extractor struct {
	src     []byte
	opts    Options
	lines   markdown.Lines
	tl      *Timeline
	ds      diag.List
	section bool
	// Blocks seen after an entry outside a Timeline section: they join it
	// if another entry follows.
	pending []ast.Node
	// Lists of a summary whose times the log repeats (outside a section).
	summaries map[*ast.List]bool
	// Blocks since the last entry that no entry took: a status update's
	// "Posted …" line below them dates them.
	recent   []ast.Node
	open     bool         // the last entry may still take blocks
	day      *clock.Stamp // the last day heading or line
	part     int          // headings seen that are not entries
	nearMiss []nearMiss   // lines that look like entries but matched no form
	// Entries and their documents are cut from slabs: a log has dozens.
	entries []Entry
	docs    []ast.Document
	more    int // how many entries the block at hand may still hold: the slabs' next size
}

type nearMiss struct {
	line, col int
	text      string
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

// untimed handles a block that is not an entry: it continues the entry
// before it, or waits to see whether one follows (outside a section).
func (x *extractor) untimed(n ast.Node) {
	e := x.last()
	x.recent = append(x.recent, n)
	switch {
	case e != nil && x.open && (x.section || e.heading > 0 || e.alone):
		markdown.Detach(n)
		e.Content.AppendChild(e.Content, n)
		e.alone = false
	case x.section && e == nil:
		markdown.Detach(n)
		x.tl.Intro = append(x.tl.Intro, n)
	case !x.section && e != nil && x.open:
		x.pending = append(x.pending, n)
	}
}

// close ends the last entry: later untimed blocks stay where they are.
func (x *extractor) close() {
	x.pending = x.pending[:0]
	x.recent = x.recent[:0]
	x.open = false
}

// line returns the file line and column of a source offset.
func (x *extractor) pos(offset int) (int, int) {
	line, col := x.lines.Pos(offset)
	return line + x.opts.BodyLine - 1, col
}

// add appends an entry read from prefix p, its content and the source
// offset of its line.
func (x *extractor) add(p prefix, content *ast.Document, offset int) *Entry {
	// A day heading with nothing under it but this entry only gave its day.
	if e := x.last(); e != nil && e.provisional && e.Content.ChildCount() == 0 {
		x.tl.Entries = x.tl.Entries[:len(x.tl.Entries)-1]
	}
	// Blocks waiting since the last entry were its continuation.
	if e := x.last(); e != nil {
		for _, n := range x.pending {
			markdown.Detach(n)
			e.Content.AppendChild(e.Content, n)
		}
	}
	x.pending = x.pending[:0]
	x.recent = x.recent[:0]
	line, col := x.pos(offset)
	if len(x.entries) == cap(x.entries) {
		x.entries = make([]Entry, 0, max(x.more, 4))
	}
	// Filled in place: an entry is too big to build and copy.
	x.entries = x.entries[:len(x.entries)+1]
	e := &x.entries[len(x.entries)-1]
	e.Kinds, e.Actor, e.Line, e.Content, e.DateOnly = p.Tags, p.Actor, line, content, p.DateOnly
	e.stamp, e.day, e.col, e.off, e.alone, e.part = p.Stamp, x.day, col, offset, p.Alone, x.part
	e.chat = p.Alone && p.Actor != ""
	x.day = nil
	x.tl.Entries = append(x.tl.Entries, e)
	x.open = true
	if p.Stamp.Slip != "" {
		x.ds.Warnf(x.opts.Path, line, col, "%s", p.Stamp.Slip)
	}
	return e
}

// quote is the source line holding offset, for messages.
func (x *extractor) quote(offset int) string {
	start, end := offset, offset
	for start > 0 && x.src[start-1] != '\n' {
		start--
	}
	for end < len(x.src) && x.src[end] != '\n' {
		end++
	}
	return strings.TrimSpace(string(x.src[start:end]))
}

// finish gives each entry its instant's strings, anchor, text and actor,
// and finds the key moments the log marks.
func (x *extractor) finish() {
	if e := x.last(); e != nil && e.provisional && e.Content.ChildCount() == 0 {
		x.tl.Entries = x.tl.Entries[:len(x.tl.Entries)-1]
	}
	anchors := make(map[string]int, len(x.tl.Entries))
	for _, e := range x.tl.Entries {
		local := e.At.In(x.opts.Location)
		layout := "1504"
		if e.stamp.HasSec {
			layout = "150405"
		}
		// The instant in RFC 3339, the clock as written and the anchor, in
		// one string.
		var buf [64]byte
		b := e.At.AppendFormat(buf[:0], time.RFC3339Nano)
		isoEnd := len(b)
		anchor := "t-"
		if e.DateOnly {
			b = local.AppendFormat(b, "2006-01-02")
			anchor, layout = "d-", "20060102"
		} else {
			b = e.stamp.AppendClock(b)
		}
		clockEnd := len(b)
		all := string(local.AppendFormat(append(b, anchor...), layout))
		e.iso, e.Clock = all[:isoEnd], all[isoEnd:clockEnd]
		base := all[clockEnd:]
		anchors[base]++
		e.Anchor = base
		if k := anchors[base]; k > 1 {
			e.Anchor = fmt.Sprintf("%s-%d", base, k)
		}
		e.Text = markdown.PlainText(e.Content, x.src)
		if e.chat {
			if ls := lineTexts(e.Content, x.src); len(ls) > 1 {
				e.Lines = ls
			}
		}
		if e.Actor == "" {
			e.Actor = speaker(e.Text, x.opts.People)
		}
	}
	if len(x.tl.Entries) == 0 {
		for _, m := range x.nearMiss {
			x.tl.Misses.Warnf(x.opts.Path, m.line, m.col, "looks like a timeline entry, but no time form matched: %q", m.text)
		}
	}
}

// lineTexts is the plain text of doc line by line: a line ends at a line
// break or at the end of a block.
func lineTexts(doc ast.Node, src []byte) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if t := strings.Join(strings.Fields(b.String()), " "); t != "" {
			out = append(out, t)
		}
		b.Reset()
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				flush()
			}
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				flush()
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	flush()
	return out
}
