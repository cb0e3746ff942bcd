package timeline

import (
	"strings"

	"github.com/debrief-ssg/debrief/internal/clock"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// blocks reads entries from a run of blocks.
func (x *extractor) blocks(blocks []ast.Node) {
	if !x.section {
		x.summaries = summaryLists(blocks, x.src, x.opts.People)
	}
	for _, b := range blocks {
		x.block(b)
	}
	// Outside a section, blocks after the last entry stay in the body.
	x.pending = x.pending[:0]
}

func (x *extractor) block(b ast.Node) {
	switch n := b.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		x.paragraph(n)
	case *ast.List:
		x.list(n)
	case *ast.Heading:
		x.heading(n)
	case *east.Table:
		x.table(n)
	case *ast.Blockquote:
		x.container(n)
	case *ast.FencedCodeBlock:
		if chatLabel(string(n.Language(x.src))) || (n.Info == nil && x.looksLikeLog(n)) {
			x.code(n)
		} else {
			x.untimed(n)
		}
	case *ast.CodeBlock:
		if x.looksLikeLog(n) {
			x.code(n)
		} else {
			x.untimed(n)
		}
	default:
		x.untimed(n)
	}
}

// chatLabel reports whether a fenced block's label names a chat app whose
// copy it holds.
func chatLabel(lang string) bool {
	switch strings.ToLower(lang) {
	case "slack", "discord", "teams", "zoom", "irc", "matrix", "chat", "log":
		return true
	}
	return false
}

// container reads the blocks of a blockquote that holds a log as if they
// stood outside it; the quote goes once it has given its blocks away. A
// quote without a time is one block, kept whole.
func (x *extractor) container(n ast.Node) {
	// A quote right under a chat header is that message's text (a shared
	// message), not more of the log.
	if e := x.last(); !x.holdsEntry(n) || e != nil && e.alone && x.open {
		x.untimed(n)
		return
	}
	var kids []ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		kids = append(kids, c)
	}
	for _, c := range kids {
		x.block(c)
	}
	if n.ChildCount() == 0 {
		markdown.Detach(n)
	}
}

// holdsEntry reports whether a line of n's paragraphs, items or headings
// carries a time.
func (x *extractor) holdsEntry(n ast.Node) bool {
	found := false
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if found {
			return ast.WalkStop, nil
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c.Kind() {
		case ast.KindParagraph, ast.KindTextBlock, ast.KindHeading:
			lines := c.Lines()
			for i := 0; i < lines.Len(); i++ {
				if _, ok := lexLine(segText(lines.At(i), x.src), x.opts.People); ok {
					found = true
					return ast.WalkStop, nil
				}
			}
			return ast.WalkSkipChildren, nil
		case ast.KindFencedCodeBlock, ast.KindCodeBlock:
			found = x.looksLikeLog(c)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// list reads each item whose first line carries a time as an entry; the
// items after it, and its nested blocks, continue it.
func (x *extractor) list(l *ast.List) {
	if x.summaries[l] {
		x.untimed(l)
		return
	}
	items := make([]ast.Node, 0, l.ChildCount())
	timed := false
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		items = append(items, it)
		if !timed {
			_, _, timed = x.itemLine(it)
		}
	}
	if !timed && !x.holdsEntry(l) {
		for _, it := range items {
			if seg, _, _ := x.itemLine(it); seg.Len() > 0 {
				x.noteMiss(segText(seg, x.src), seg.Start)
			}
		}
		x.untimed(l)
		return
	}
	var cont *ast.List // untimed items continuing the entry before them
	for k, it := range items {
		x.more = len(items) - k
		seg, p, ok := x.itemLine(it)
		if !ok && seg.Len() > 0 {
			x.noteMiss(segText(seg, x.src), seg.Start)
		}
		if !ok && it.ChildCount() > 1 && x.holdsEntry(it) {
			// "- **Context**:" with the log in a list under it.
			var kids []ast.Node
			for c := it.FirstChild(); c != nil; c = c.NextSibling() {
				kids = append(kids, c)
			}
			for _, c := range kids {
				x.block(c)
			}
			continue
		}
		if !ok {
			e := x.last()
			if e == nil || !x.open || (!x.section && cont == nil && !x.inList(e, l)) {
				continue
			}
			markdown.Detach(it)
			if cont == nil {
				cont = ast.NewList(l.Marker)
				cont.IsTight = l.IsTight
				e.Content.AppendChild(e.Content, cont)
			}
			cont.AppendChild(cont, it)
			continue
		}
		cont = nil
		x.cut(it.FirstChild(), seg, p)
		markdown.Detach(it)
		doc := x.newDocument()
		for c := it.FirstChild(); c != nil; {
			next := c.NextSibling()
			it.RemoveChild(it, c)
			doc.AppendChild(doc, c)
			c = next
		}
		e := x.add(p, doc, seg.Start+p.Col)
		e.list = l
	}
	if l.ChildCount() == 0 {
		markdown.Detach(l)
	} else if x.section && len(x.tl.Entries) == 0 {
		markdown.Detach(l)
		x.tl.Intro = append(x.tl.Intro, l)
	}
}

// summaryLists finds, in a body pasted without a Timeline heading, the
// lists before the log whose every time the log repeats later: a
// summary's bullets ("- 14:02 alert fired"), not entries of their own.
func summaryLists(blocks []ast.Node, src []byte, people []string) map[*ast.List]bool {
	clocks := make([][]string, len(blocks)) // the times each block's lines start with
	for i, b := range blocks {
		_ = ast.Walk(b, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			if n.Kind() == ast.KindParagraph || n.Kind() == ast.KindTextBlock {
				for k := 0; k < n.Lines().Len(); k++ {
					if p, ok := lexLine(segText(n.Lines().At(k), src), people); ok {
						clocks[i] = append(clocks[i], p.Stamp.Clock())
					}
				}
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
	var out map[*ast.List]bool
	for i, b := range blocks {
		l, ok := b.(*ast.List)
		if !ok || len(clocks[i]) == 0 {
			continue
		}
		later := map[string]bool{}
		for _, cs := range clocks[i+1:] {
			for _, c := range cs {
				later[c] = true
			}
		}
		all := true
		for _, c := range clocks[i] {
			all = all && later[c]
		}
		if all {
			if out == nil {
				out = map[*ast.List]bool{}
			}
			out[l] = true
		}
	}
	return out
}

// itemLine reads how the first line of a list item carries a time.
func (x *extractor) itemLine(it ast.Node) (text.Segment, prefix, bool) {
	f := it.FirstChild()
	if f == nil || (f.Kind() != ast.KindParagraph && f.Kind() != ast.KindTextBlock) || f.Lines().Len() == 0 {
		return text.Segment{}, prefix{}, false
	}
	seg := f.Lines().At(0)
	p, ok := lexLine(segText(seg, x.src), x.opts.People)
	return seg, p, ok
}

// inList reports whether e came from list l: outside a section, an untimed
// item continues an entry only in the entry's own list.
func (x *extractor) inList(e *Entry, l *ast.List) bool { return e.list == l }

// heading reads a heading that is a time ("### 22:52 UTC", "## Update -
// 12:30 UTC") as an entry whose blocks follow it; a heading that is a date
// sets the day of the clock times under it.
func (x *extractor) heading(h *ast.Heading) {
	if h.Lines().Len() == 0 {
		x.closeOrContinue(h)
		return
	}
	seg := h.Lines().At(0)
	line := string(seg.Value(x.src))
	p, ok := lexLine(line, x.opts.People)
	if !ok {
		if st, ok := dayLine(line); ok {
			x.dayHeading(h, st)
			return
		}
		x.closeOrContinue(h)
		return
	}
	para := ast.NewParagraph()
	para.Lines().Append(seg)
	for c := h.FirstChild(); c != nil; {
		next := c.NextSibling()
		h.RemoveChild(h, c)
		para.AppendChild(para, c)
		c = next
	}
	x.cut(para, seg, p)
	markdown.Detach(h)
	doc := x.newDocument()
	if para.ChildCount() > 0 && strings.TrimSpace(markdown.PlainText(para, x.src)) != "" {
		// The heading's words ("Resolved", "Update") lead the entry, bold.
		strong := ast.NewEmphasis(2)
		for c := para.FirstChild(); c != nil; {
			next := c.NextSibling()
			para.RemoveChild(para, c)
			strong.AppendChild(strong, c)
			c = next
		}
		para.AppendChild(para, strong)
		doc.AppendChild(doc, para)
	}
	e := x.add(p, doc, seg.Start+p.Col)
	e.heading = h.Level
}

// dayHeading reads a heading that is a date: it gives the day of the
// clock times under it, and is an entry of that day if blocks follow it
// before a timed entry does.
func (x *extractor) dayHeading(h *ast.Heading, st clock.Stamp) {
	day := st
	markdown.Detach(h)
	e := x.add(prefix{Stamp: st, Kind: leading, DateOnly: true}, x.newDocument(), h.Lines().At(0).Start)
	e.heading, e.provisional = h.Level, true
	x.day = &day
}

// closeOrContinue handles a heading that is not a time: in a section it
// continues the entry before it; outside, it ends the log there.
func (x *extractor) closeOrContinue(h *ast.Heading) {
	x.part++
	if x.section {
		x.untimed(h)
		return
	}
	x.close()
}

// dayLine reads a line that is only a date: "October 22, 2018",
// "**Tuesday, March 15**", "2024-03-15:".
func dayLine(line string) (clock.Stamp, bool) {
	s := strings.Trim(strings.TrimSpace(line), "*_:.")
	st, n, ok := clock.LexDate(s)
	if !ok || strings.TrimSpace(s[n:]) != "" {
		return clock.Stamp{}, false
	}
	return st, true
}

// dayOrMiss notes a one-line paragraph that is a date, for the entries
// after it.
func (x *extractor) dayOrMiss(_ ast.Node, line string, _ int) {
	if st, ok := dayLine(line); ok {
		x.day = &st
	}
}

// looksLikeLog reports whether a code block holds a pasted log: most of
// its lines carry a time.
func (x *extractor) looksLikeLog(n ast.Node) bool {
	lines := n.Lines()
	timed, all := 0, 0
	for i := 0; i < lines.Len(); i++ {
		s := strings.TrimSpace(segText(lines.At(i), x.src))
		if s == "" {
			continue
		}
		all++
		if _, ok := lexLine(s, x.opts.People); ok {
			timed++
		}
	}
	return timed > 0 && timed*2 >= all
}

// code reads a pasted chat or log in a code block: each line with a time
// is an entry, the lines below it its text.
func (x *extractor) code(n ast.Node) {
	lines := n.Lines()
	var cur *ast.Paragraph
	lead := ast.NewParagraph() // lines before the first time
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		raw := strings.TrimRight(string(seg.Value(x.src)), "\r\n")
		seg = seg.WithStop(seg.Start + len(raw))
		if strings.TrimSpace(raw) == "" {
			continue
		}
		p, ok := lexLine(raw, x.opts.People)
		if ok && p.Kind == leading {
			cur = ast.NewParagraph()
			cur.Lines().Append(seg)
			if rest := seg.WithStart(seg.Start + p.Len); rest.Len() > 0 {
				cur.AppendChild(cur, ast.NewTextSegment(rest))
			}
			if lead.ChildCount() > 0 {
				x.untimed(lead)
				lead = ast.NewParagraph()
			}
			doc := x.newDocument()
			doc.AppendChild(doc, cur)
			x.add(p, doc, seg.Start+p.Col)
			continue
		}
		t := ast.NewTextSegment(seg)
		if cur == nil {
			if last, ok := lead.LastChild().(*ast.Text); ok {
				last.SetSoftLineBreak(true)
			}
			lead.AppendChild(lead, t)
			continue
		}
		if last, ok := cur.LastChild().(*ast.Text); ok {
			last.SetSoftLineBreak(true)
		}
		cur.AppendChild(cur, t)
	}
	markdown.Detach(n)
}
