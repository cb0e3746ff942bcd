package timeline

import (
	"strings"

	"github.com/debrief-ssg/debrief/internal/clock"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// Header words of a table column that names who did what.
var actorHeaders = map[string]bool{
	"who": true, "actor": true, "person": true, "author": true, "by": true,
	"owner": true, "name": true, "user": true, "speaker": true, "from": true,
}

// tableLayout is which columns of a log table hold what.
type tableLayout struct {
	time, date, text, actor int // -1 when absent; date only with a separate time column
}

// table reads a table with a time or date-time column (or a date and a
// time column) and a text column as a log, each row an entry; the other
// columns' cells follow the text.
func (x *extractor) table(t *east.Table) {
	var header *east.TableHeader
	var rows []*east.TableRow
	for c := t.FirstChild(); c != nil; c = c.NextSibling() {
		switch r := c.(type) {
		case *east.TableHeader:
			header = r
		case *east.TableRow:
			rows = append(rows, r)
		}
	}
	lay, ok := x.layout(header, rows)
	if !ok {
		x.untimed(t)
		return
	}
	for i, r := range rows {
		x.more = len(rows) - i
		cells := cellsOf(r)
		st, col, ok := x.rowStamp(cells, lay)
		para := ast.NewParagraph()
		if lay.text >= 0 && lay.text < len(cells) {
			appendCell(para, cells[lay.text])
		}
		for k, c := range cells {
			if k != lay.time && k != lay.date && k != lay.actor && k != lay.text {
				appendCell(para, c)
			}
		}
		if !ok {
			if e := x.last(); e != nil && para.ChildCount() > 0 {
				e.Content.AppendChild(e.Content, para)
			}
			continue
		}
		doc := x.newDocument()
		doc.AppendChild(doc, para)
		p := prefix{Stamp: st, Kind: leading}
		if lay.actor >= 0 && lay.actor < len(cells) {
			p.Actor = strings.TrimSpace(markdown.PlainText(cells[lay.actor], x.src))
		}
		off := markdown.NodeOffset(cells[col])
		if off < 0 {
			off = markdown.NodeOffset(r)
		}
		x.add(p, doc, max(off, 0))
	}
	markdown.Detach(t)
	x.open = true
}

// layout finds the time (or date and time) column, the text column and an
// actor column, from the cells and the header's words.
func (x *extractor) layout(header *east.TableHeader, rows []*east.TableRow) (tableLayout, bool) {
	lay := tableLayout{time: -1, date: -1, text: -1, actor: -1}
	if len(rows) == 0 {
		return lay, false
	}
	n := len(cellsOf(rows[0]))
	times, dates, length := make([]int, n), make([]int, n), make([]int, n)
	for _, r := range rows {
		for k, c := range cellsOf(r) {
			if k >= n {
				break
			}
			s := strings.TrimSpace(cellText(c, x.src))
			length[k] += len(s)
			if p, ok := lexPrefix(s, nil); ok && p.Alone {
				times[k]++
			} else if _, ok := dayLine(s); ok {
				dates[k]++
			}
		}
	}
	best := -1
	for k := range n {
		if times[k]*2 >= len(rows) && (best < 0 || times[k] > times[best]) {
			best = k
		}
	}
	if best < 0 {
		return lay, false
	}
	lay.time = best
	for k := range n {
		if k != best && dates[k]*2 >= len(rows) {
			lay.date = k
			break
		}
	}
	if header != nil {
		for k, c := range cellsOf(header) {
			if k != lay.time && k != lay.date && actorHeaders[strings.ToLower(strings.TrimSpace(cellText(c, x.src)))] {
				lay.actor = k
			}
		}
	}
	for k := range n {
		if k != lay.time && k != lay.date && k != lay.actor && (lay.text < 0 || length[k] > length[lay.text]) {
			lay.text = k
		}
	}
	return lay, true
}

// rowStamp reads a row's time, joined to its date column if there is one.
func (x *extractor) rowStamp(cells []ast.Node, lay tableLayout) (clock.Stamp, int, bool) {
	if lay.time >= len(cells) {
		return clock.Stamp{}, 0, false
	}
	s := strings.TrimSpace(cellText(cells[lay.time], x.src))
	p, ok := lexPrefix(s, nil)
	if !ok {
		return clock.Stamp{}, 0, false
	}
	st := p.Stamp
	if lay.date >= 0 && lay.date < len(cells) && !st.HasDate {
		if d, ok := dayLine(cellText(cells[lay.date], x.src)); ok {
			st.HasDate, st.HasYear, st.Year, st.Month, st.Day, st.Ambiguous = true, d.HasYear, d.Year, d.Month, d.Day, d.Ambiguous
		}
	}
	return st, lay.time, true
}

func cellsOf(r ast.Node) []ast.Node {
	var cells []ast.Node
	for c := r.FirstChild(); c != nil; c = c.NextSibling() {
		cells = append(cells, c)
	}
	return cells
}

func cellText(c ast.Node, src []byte) string {
	if l := c.Lines(); l != nil && l.Len() > 0 {
		return segText(l.At(0), src)
	}
	return markdown.PlainText(c, src)
}

// appendCell moves a cell's inline content to the end of para, after a
// separator if para already has some.
func appendCell(para *ast.Paragraph, cell ast.Node) {
	if cell.ChildCount() == 0 {
		return
	}
	if para.ChildCount() > 0 {
		para.AppendChild(para, ast.NewString([]byte(" — ")))
	}
	for c := cell.FirstChild(); c != nil; {
		next := c.NextSibling()
		cell.RemoveChild(cell, c)
		para.AppendChild(para, c)
		c = next
	}
}
