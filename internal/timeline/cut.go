package timeline

import (
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

func segText(s text.Segment, src []byte) string { return string(s.Value(src)) }

// cutRange removes the inline content of parent that lies in the source
// bytes [from, to): the time, tags and lead-in read from a line, or a
// trailing time. Text that straddles the range keeps its other part;
// containers (emphasis, links) emptied by the cut go.
func cutRange(parent ast.Node, from, to int, src []byte) {
	for c := parent.FirstChild(); c != nil; {
		next := c.NextSibling()
		switch t := c.(type) {
		case *ast.Text:
			s := t.Segment
			switch {
			case s.Stop <= from || s.Start >= to:
			case s.Start >= from && s.Stop <= to:
				parent.RemoveChild(parent, c)
			case s.Start < from && s.Stop > to:
				rest := ast.NewTextSegment(text.NewSegment(to, s.Stop))
				rest.SetSoftLineBreak(t.SoftLineBreak())
				rest.SetHardLineBreak(t.HardLineBreak())
				t.SetSoftLineBreak(false)
				t.SetHardLineBreak(false)
				t.Segment = s.WithStop(from)
				parent.InsertAfter(parent, c, rest)
				trimLeadingSpace(rest, src)
				next = rest.NextSibling()
			case s.Start < from:
				t.Segment = s.WithStop(from)
			default:
				t.Segment = s.WithStart(to)
				trimLeadingSpace(t, src)
			}
		case *ast.RawHTML:
			if t.Segments.Len() > 0 && t.Segments.At(0).Start >= from && t.Segments.At(t.Segments.Len()-1).Stop <= to {
				parent.RemoveChild(parent, c)
			}
		default:
			off := markdown.NodeOffset(c)
			if off >= to {
				break
			}
			if off < 0 && c.ChildCount() == 0 {
				if off < 0 && from == 0 {
					parent.RemoveChild(parent, c)
				}
				break
			}
			cutRange(c, from, to, src)
			if c.ChildCount() == 0 {
				parent.RemoveChild(parent, c)
			}
		}
		c = next
	}
}

// trimLeadingSpace drops the spaces a cut left at the start of t.
func trimLeadingSpace(t *ast.Text, src []byte) {
	for t.Segment.Start < t.Segment.Stop && (src[t.Segment.Start] == ' ' || src[t.Segment.Start] == '\t') {
		t.Segment = t.Segment.WithStart(t.Segment.Start + 1)
	}
}
