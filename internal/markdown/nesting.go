package markdown

import (
	"bytes"
	"reflect"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxNesting is how deep lists and block quotes may sit inside each other.
// goldmark's work on a line grows with the containers around it times the
// line's indentation, so deeper nesting grows super-linearly (a list
// indented 1,500 deep took 15 s, 3,000 deep 113 s). No one writes a
// hundred levels; markdown-it stops at the same depth.
const MaxNesting = 100

// TooDeep is where a body first nests lists and block quotes deeper than
// limit: the byte offsets of that line's start and of the marker that goes
// past limit. ok is false when it never does.
// It is a scan of each line's container markers, not a parse: it follows
// CommonMark's rules for continuing lists and quotes, lazy continuation
// lines and fenced code closely enough to never count fewer levels than
// goldmark opens (FuzzTooDeep); it may count more in odd corners.
func TooDeep(src []byte, limit int) (lineStart, marker int, ok bool) {
	var n nester
	for start := 0; start < len(src); {
		end := len(src)
		if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
			end = start + i
		}
		if at := n.line(src[start:end], limit); at >= 0 {
			return start, start + at, true
		}
		start = end + 1
	}
	return 0, 0, false
}

// container is an open list item (width: the columns its content is
// indented by, relative to where its marker's line region starts) or a
// block quote.
type container struct {
	quote bool
	width int
}

// nester follows the containers open from one line to the next.
type nester struct {
	open  []container
	para  bool // the last line may be continued lazily
	fence struct {
		open  bool
		depth int  // containers around the fence
		char  byte // ` or ~
		n     int  // its length
	}
}

// line takes one line (without its newline) and returns the offset in it
// of the marker that takes the depth past limit, or -1.
func (n *nester) line(l []byte, limit int) int {
	c := cursor{l: l}
	matched := n.match(&c)
	if n.fence.open {
		if matched >= n.fence.depth {
			// Code: no markers here, only the fence's end.
			n.fence.open = !closesFence(c.rest(), n.fence.char, n.fence.n)
			n.para = false
			return -1
		}
		n.fence.open = false // its container ended, and the fence with it
	}
	blank := isBlankLine(c.rest())
	kept := n.open
	open, at := opening(&c, n.open[:matched], limit)
	if at >= 0 {
		n.open = open
		return at
	}
	rest := c.rest()
	ch, k := fenceOpen(rest)
	// A line that opens nothing continues a paragraph lazily, inside every
	// container, even without their markers; a fence is never lazy. (Then
	// opening appended nothing: kept is whole.)
	n.open = open
	if len(open) == matched && matched < len(kept) && n.para && !blank && k == 0 {
		n.open = kept
	}
	if k > 0 {
		n.fence.open, n.fence.depth, n.fence.char, n.fence.n = true, len(n.open), ch, k
	}
	n.para = !blank && k == 0
	return -1
}

// opening appends to open the containers a line opens after those it
// continues, up to limit in all; at is the offset of one more, or -1.
func opening(c *cursor, open []container, limit int) (_ []container, at int) {
	for {
		_, j, col := c.spaces()
		w := j - c.i // a tab as one column: never too few containers
		if w > 3 || j >= len(c.l) {
			return open, -1 // indented code, or a lazy line's text
		}
		var ct container
		if c.l[j] == '>' {
			c.i, c.col = j+1, col+1
			if c.i < len(c.l) && (c.l[c.i] == ' ' || c.l[c.i] == '\t') {
				c.skip(1)
			}
			ct = container{quote: true}
		} else if m := markerLen(c.l[j:]); m > 0 && !isBreak(c.l[j:]) {
			c.i, c.col = j+m, col+m
			_, k, after := c.spaces()
			s := k - c.i
			switch {
			case k >= len(c.l):
				s = 1 // an empty item: its content starts on the next line
				c.i, c.col = k, after
			case s > 4:
				s = 1 // its content is indented code
				c.skip(1)
			default:
				c.i, c.col = k, after
			}
			ct = container{width: w + m + s}
		} else {
			return open, -1
		}
		if len(open) == limit {
			return open, j
		}
		open = append(open, ct)
	}
}

// match consumes the markers and indentation of the containers the line
// continues, and returns how many.
func (n *nester) match(c *cursor) int {
	for k, ct := range n.open {
		if ct.quote {
			_, j, col := c.spaces()
			if j-c.i > 3 || j >= len(c.l) || c.l[j] != '>' {
				return k
			}
			c.i, c.col = j+1, col+1
			if c.i < len(c.l) && (c.l[c.i] == ' ' || c.l[c.i] == '\t') {
				c.skip(1)
			}
			continue
		}
		if isBlankLine(c.rest()) {
			continue
		}
		// Here a tab counts to its tab stop, and one that straddles the
		// item's edge is taken whole: never too few containers.
		if w, _, _ := c.spaces(); w < ct.width {
			return k
		}
		c.skip(ct.width)
	}
	return len(n.open)
}

// cursor is a position in a line, in bytes and in columns (tabs stop every
// four columns).
type cursor struct {
	l   []byte
	i   int
	col int
}

func (c *cursor) rest() []byte { return c.l[c.i:] }

// spaces measures the white space at the cursor: its width in columns, and
// the byte offset and column just after it.
func (c *cursor) spaces() (w, j, col int) {
	j, col = c.i, c.col
	for ; j < len(c.l); j++ {
		switch c.l[j] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return col - c.col, j, col
		}
	}
	return col - c.col, j, col
}

// skip moves past w columns of white space; a tab that straddles the end
// counts as taken.
func (c *cursor) skip(w int) {
	for target := c.col + w; c.col < target && c.i < len(c.l); c.i++ {
		if c.l[c.i] == '\t' {
			c.col += 4 - c.col%4
		} else {
			c.col++
		}
	}
}

// markerLen is the length of a list marker at the start of s ("-", "*",
// "+", or up to nine digits and "." or ")") followed by white space or the
// end of the line, or 0.
func markerLen(s []byte) int {
	m := 0
	switch {
	case len(s) > 0 && (s[0] == '-' || s[0] == '*' || s[0] == '+'):
		m = 1
	default:
		for m < len(s) && m < 10 && s[m] >= '0' && s[m] <= '9' {
			m++
		}
		if m == 0 || m > 9 || m >= len(s) || (s[m] != '.' && s[m] != ')') {
			return 0
		}
		m++
	}
	if m < len(s) && s[m] != ' ' && s[m] != '\t' {
		return 0
	}
	return m
}

// isBreak reports whether s is a thematic break (three or more of one of
// - * _, with only spaces between), which is not a list item.
func isBreak(s []byte) bool {
	var mark byte
	count := 0
	for _, ch := range s {
		switch {
		case ch == ' ' || ch == '\t':
		case mark == 0 && (ch == '-' || ch == '*' || ch == '_'):
			mark, count = ch, 1
		case ch == mark:
			count++
		default:
			return false
		}
	}
	return count > 2
}

// fenceOpen returns the character and length of a code fence opening s
// (after up to three spaces), or 0.
func fenceOpen(s []byte) (byte, int) {
	i := 0
	for i < len(s) && i < 4 && s[i] == ' ' {
		i++
	}
	if i > 3 || i >= len(s) || (s[i] != '`' && s[i] != '~') {
		return 0, 0
	}
	ch, k := s[i], 0
	for i+k < len(s) && s[i+k] == ch {
		k++
	}
	if k < 3 || (ch == '`' && bytes.IndexByte(s[i+k:], '`') >= 0) {
		return 0, 0
	}
	return ch, k
}

// closesFence reports whether s closes a fence of n ch characters.
func closesFence(s []byte, ch byte, n int) bool {
	i := 0
	for i < len(s) && i < 4 && s[i] == ' ' {
		i++
	}
	if i > 3 {
		return false
	}
	k := 0
	for i+k < len(s) && s[i+k] == ch {
		k++
	}
	return k >= n && isBlankLine(s[i+k:])
}

func isBlankLine(s []byte) bool {
	for _, ch := range s {
		if ch != ' ' && ch != '\t' && ch != '\r' {
			return false
		}
	}
	return true
}

// capped wraps the parser of a container block (list, list item, block
// quote) so that it opens none deeper than MaxNesting: a body that TooDeep
// let through by mistake still parses in bounded time, its deeper markers
// read as text.
type capped struct {
	parser.BlockParser
}

func (p capped) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	depth := 0
	for n := parent; n != nil; n = n.Parent() {
		if k := n.Kind(); k == ast.KindListItem || k == ast.KindBlockquote {
			depth++
		}
	}
	if depth >= MaxNesting {
		return nil, parser.NoChildren
	}
	return p.BlockParser.Open(parent, reader, pc)
}

// blockParsers are goldmark's block parsers, its container parsers capped.
func blockParsers() []util.PrioritizedValue {
	containers := map[reflect.Type]bool{}
	for _, p := range []parser.BlockParser{parser.NewListParser(), parser.NewListItemParser(), parser.NewBlockquoteParser()} {
		containers[reflect.TypeOf(p)] = true
	}
	ps := parser.DefaultBlockParsers()
	for i, v := range ps {
		if bp := v.Value.(parser.BlockParser); containers[reflect.TypeOf(bp)] {
			ps[i].Value = capped{bp}
		}
	}
	return ps
}
