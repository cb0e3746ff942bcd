package timeline

import (
	"regexp"
	"strings"

	"github.com/debrief-ssg/debrief/internal/clock"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// paragraph handles a paragraph, which may hold several entries: a pasted chat
// export has one line per entry and no blank lines.
func (x *extractor) paragraph(para ast.Node) {
	lines := para.Lines()
	kinds := make([]prefix, lines.Len())
	oks := make([]bool, lines.Len())
	trailed := false
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		kinds[i], oks[i] = lexLine(string(seg.Value(x.src)), x.opts.People)
		if i > 0 && oks[i] && kinds[i].Kind == trailing && !oks[0] {
			trailed = true
		}
	}
	if lines.Len() == 1 && oks[0] && kinds[0].Kind == trailing && kinds[0].Alone && len(x.recent) > 0 {
		// "Posted Mar 15, 2018 - 11:23 PDT" under the update it dates.
		x.closing(para, kinds[0])
		return
	}
	if lines.Len() == 1 && !oks[0] {
		x.dayOrMiss(para, segText(lines.At(0), x.src), lines.At(0).Start)
	}
	groups, lead := x.groupLines(lines, kinds, oks, trailed)
	if len(groups) == 0 {
		x.untimed(para)
		return
	}
	leadPara := splitParagraph(para, groups, lead)
	if leadPara != nil {
		// The lines before the first time keep the paragraph's place.
		if parent := para.Parent(); parent != nil {
			parent.ReplaceChild(parent, para, leadPara)
		}
		x.untimed(leadPara)
	} else {
		markdown.Detach(para)
	}
	for i, g := range groups {
		x.more = len(groups) - i
		x.addGroup(g)
	}
}

// lineGroup is the lines of a paragraph that make one entry.
type lineGroup struct {
	p     prefix
	at    text.Segment // the line with the time
	lines []text.Segment
	node  *ast.Paragraph
	day   *clock.Stamp   // a date line just above it: the day of its time
	drop  []text.Segment // date lines inside it, which only give the next day
}

// groupLines groups a paragraph's lines into entries: from each line with
// a time to the next (or, in a status history, from the text to the time
// that closes it). lead is the untimed lines before the first.
func (x *extractor) groupLines(lines *text.Segments, kinds []prefix, oks []bool, trailed bool) (groups []*lineGroup, lead []text.Segment) {
	var day *clock.Stamp
	for i := 0; i < lines.Len(); i++ {
		seg, p, ok := lines.At(i), kinds[i], oks[i]
		switch {
		case trailed && ok && p.Kind == trailing:
			// A status update: the text above, then the time that closes it.
			groups = append(groups, &lineGroup{p: p, at: seg, lines: append(lead, seg)})
			lead = nil
			continue
		case trailed:
		case ok:
			groups = append(groups, &lineGroup{p: p, at: seg, lines: []text.Segment{seg}, day: day})
			day = nil
			continue
		default:
			line := segText(seg, x.src)
			if st, isDay := dayLine(line); isDay && len(groups) > 0 {
				// "2016-11-08" on its own line between entries: the day of
				// the clock times below it, not text of the entry above.
				day = &st
				last := groups[len(groups)-1]
				last.drop = append(last.drop, seg)
				continue
			}
			x.noteMiss(line, seg.Start)
		}
		if len(groups) == 0 || trailed {
			lead = append(lead, seg)
		} else {
			groups[len(groups)-1].lines = append(groups[len(groups)-1].lines, seg)
		}
	}
	if trailed && len(lead) > 0 && len(groups) > 0 {
		// Lines after the last time continue the last update.
		last := groups[len(groups)-1]
		last.lines, lead = append(last.lines, lead...), nil
	}
	return groups, lead
}

// splitParagraph moves para's inline nodes into one paragraph per group,
// and returns one for the lead's lines, if any.
func splitParagraph(para ast.Node, groups []*lineGroup, lead []text.Segment) *ast.Paragraph {
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
		for cur+1 < len(groups) && off >= groups[cur+1].lines[0].Start {
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
	return leadPara
}

// addGroup makes an entry of a group: its time and lead-in cut, a chat
// app's debris dropped, a Teams name line read as the actor.
func (x *extractor) addGroup(g *lineGroup) {
	seg := g.at
	line := string(seg.Value(x.src))
	x.cut(g.node, seg, g.p)
	for _, d := range g.drop {
		cutRange(g.node, d.Start, d.Stop, x.src)
	}
	if g.day != nil {
		x.day = g.day
	}
	if g.p.Actor != "" || g.p.Alone {
		x.dropDebris(g.node, g.lines) // only chat copies have it
	}
	// Teams: "[1:26 PM] Ana Smith", the message on the lines below.
	if g.p.Actor == "" && g.p.Kind == leading && len(g.lines) > 1 && isName(strings.TrimSpace(line[g.p.Len:])) {
		g.p.Actor = strings.TrimSpace(line[g.p.Len:])
		cutRange(g.node, seg.Start, seg.Stop, x.src)
	}
	doc := x.newDocument()
	if g.node.ChildCount() > 0 {
		doc.AppendChild(doc, g.node)
	}
	x.add(g.p, doc, seg.Start+g.p.Col)
}

// cut removes from block's inline content what of the line seg is not the
// entry's text: a leading time and lead-in, or a trailing time.
func (x *extractor) cut(block ast.Node, seg text.Segment, p prefix) {
	if p.Kind == trailing {
		cutRange(block, seg.Start+p.Cut, seg.Stop, x.src)
		return
	}
	cutRange(block, seg.Start, seg.Start+p.Len, x.src)
}

// uiDebris matches a line of a chat copy that the app wrote, not a person.
var uiDebris = regexp.MustCompile(`^(?:\(edited\)|replied to a thread:.*|View (?:newer|older) replies|\d+ repl(?:y|ies)(?: Last reply .*)?|Last reply .*|Show (?:less|more)|:[a-z0-9_+-]+: \d+(?: :[a-z0-9_+-]+: \d+)*|New messages?)$`)

// dropDebris removes what a chat app's copy adds to a message that no one
// wrote: "(edited)", "replied to a thread:", "View newer replies",
// reaction counts (":eyes: 2"; an emoji alone is a message).
func (x *extractor) dropDebris(block ast.Node, lines []text.Segment) {
	for _, seg := range lines {
		s := strings.TrimRight(segText(seg, x.src), " \t\r\n")
		if uiDebris.MatchString(strings.TrimSpace(s)) {
			cutRange(block, seg.Start, seg.Stop, x.src)
			continue
		}
		if strings.HasSuffix(s, " (edited)") {
			cutRange(block, seg.Start+len(s)-len(" (edited)"), seg.Start+len(s), x.src)
		}
	}
}

// closing makes an entry of the blocks a status update's "Posted …" line
// dates: back to the status word that leads the update ("Resolved",
// "Postmortem"), else the one block before it.
func (x *extractor) closing(para ast.Node, p prefix) {
	take := x.recent[len(x.recent)-1:]
	for i := len(x.recent) - 1; i >= 0; i-- {
		if x.recent[i].Kind() == ast.KindParagraph && notActors[strings.ToLower(strings.TrimSpace(markdown.PlainText(x.recent[i], x.src)))] {
			take = x.recent[i:]
			break
		}
	}
	take = append([]ast.Node(nil), take...)
	seg := para.Lines().At(0)
	markdown.Detach(para)
	doc := x.newDocument()
	for _, n := range take {
		markdown.Detach(n)
		doc.AppendChild(doc, n)
	}
	// The blocks are this entry's, not the continuation of the one before.
	x.pending = x.pending[:0]
	x.add(p, doc, seg.Start+p.Col)
}
