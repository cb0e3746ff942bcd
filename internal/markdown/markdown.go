// Package markdown configures goldmark for incident bodies and holds
// debrief's own Markdown extension: [[ID]] cross-references.
package markdown

import (
	"bufio"
	"bytes"
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// New returns the Markdown converter for incident bodies: CommonMark plus
// GitHub tables, strikethrough, task lists and autolinks, and [[ID]] links.
// Raw HTML is dropped unless unsafe is set.
func New(unsafe bool) goldmark.Markdown {
	return newWith(unsafe, linkify{})
}

// newWith is New with an autolink extension of the caller's: tests hold
// linkify to goldmark's.
func newWith(unsafe bool, autolink goldmark.Extender) goldmark.Markdown {
	opts := []renderer.Option{}
	if unsafe {
		opts = append(opts, ghtml.WithUnsafe())
	}
	return goldmark.New(
		// goldmark's parser, but lists and quotes no deeper than MaxNesting.
		goldmark.WithParser(parser.NewParser(parser.WithBlockParsers(blockParsers()...),
			parser.WithInlineParsers(parser.DefaultInlineParsers()...),
			parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...))),
		goldmark.WithExtensions(
			// Table alignment as attributes: inline styles would break the
			// theme's Content-Security-Policy.
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough, autolink, extension.TaskList, XRef),
		// Headings get ids ("## Root cause" → #root-cause), so links to
		// sections work as they do on GitHub.
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(opts...),
	)
}

// linkify is goldmark's Linkify, asked only where a link can start.
type linkify struct{}

func (linkify) Extend(m goldmark.Markdown) {
	p := extension.NewLinkifyParser()
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(wordLinkify{p, p.Trigger()}, 999)))
}

// wordLinkify passes goldmark's autolink parser only the words that can
// begin a link: "http:", "https:", "ftp:" or "www." first, or an "@" in
// them. The parser is tried at every space of every paragraph, and looked
// for an e-mail address in each word: a fiftieth of a build's CPU.
// FuzzLinkify holds it to goldmark's own.
type wordLinkify struct {
	parser.InlineParser
	triggers []byte // its Trigger(), which makes a slice each call
}

func (w wordLinkify) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	word, _ := block.PeekLine()
	if len(word) > 0 && bytes.IndexByte(w.triggers, word[0]) >= 0 {
		word = word[1:] // the trigger, as the parser skips it
	}
	if !mayAutolink(word) {
		return nil
	}
	return w.InlineParser.Parse(parent, block, pc)
}

// mayAutolink reports whether s can begin with a link Linkify makes.
func mayAutolink(s []byte) bool {
	if len(s) > 0 && (s[0] == 'h' || s[0] == 'f' || s[0] == 'w') {
		for _, p := range linkStarts {
			if bytes.HasPrefix(s, p) {
				return true
			}
		}
	}
	// An e-mail address: letters up to an "@", with no space before it.
	// By hand: this runs at every word of every paragraph.
	for _, c := range s {
		switch c {
		case ' ', '\t', '\n', '\r':
			return false
		case '@':
			return true
		}
	}
	return false
}

// linkStarts begin the URLs Linkify makes (its default protocols); read-only.
var linkStarts = [][]byte{[]byte("http:"), []byte("https:"), []byte("ftp:"), []byte("www.")}

// Parse parses source into a document.
func Parse(md goldmark.Markdown, source []byte) ast.Node {
	return md.Parser().Parse(text.NewReader(source))
}

// IDPattern is the form of an incident id.
var IDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// KindXRef is the node kind of an [[ID]] cross-reference.
var KindXRef = ast.NewNodeKind("XRef")

// XRefNode is an [[ID]] cross-reference. The site fills in Href and Title
// once it knows every incident; until then it renders as the literal text.
type XRefNode struct {
	ast.BaseInline
	ID     string
	Offset int // byte offset of the opening [[ in the source
	Href   string
	Title  string
}

// Kind implements ast.Node.
func (n *XRefNode) Kind() ast.NodeKind { return KindXRef }

// Dump implements ast.Node.
func (n *XRefNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"ID": n.ID}, nil)
}

type xrefParser struct{}

func (xrefParser) Trigger() []byte { return []byte{'['} }

func (xrefParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !bytes.HasPrefix(line, []byte("[[")) {
		return nil
	}
	end := bytes.Index(line, []byte("]]"))
	if end < 3 {
		return nil
	}
	id := string(line[2:end])
	if !IDPattern.MatchString(id) {
		return nil
	}
	block.Advance(end + 2)
	return &XRefNode{ID: id, Offset: seg.Start}
}

type xrefRenderer struct{}

func (xrefRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindXRef, func(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		n := node.(*XRefNode)
		if n.Href == "" {
			_, _ = w.WriteString(html.EscapeString("[[" + n.ID + "]]"))
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString(`<a class="xref" href="` + html.EscapeString(n.Href) + `">` + html.EscapeString(n.Title) + `</a>`)
		return ast.WalkContinue, nil
	})
}

type xref struct{}

// XRef is the goldmark extension for [[ID]] cross-references.
var XRef goldmark.Extender = xref{}

func (xref) Extend(m goldmark.Markdown) {
	// Before the link parser (priority 200), which would take the [ first.
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(xrefParser{}, 199)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(xrefRenderer{}, 500)))
}

// Render renders node (a document or any block) to HTML.
func Render(md goldmark.Markdown, source []byte, node ast.Node) ([]byte, error) {
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, source, node); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Writer renders Markdown to HTML like Render, reusing its buffers from
// one call to the next: a page renders every timeline entry on its own, and
// goldmark would otherwise allocate a 4 KB writer for each. Not for
// concurrent use.
type Writer struct {
	buf bytes.Buffer
	bw  *bufio.Writer
}

// Render renders node (a document or any block) to HTML.
func (w *Writer) Render(md goldmark.Markdown, source []byte, node ast.Node) (string, error) {
	if w.bw == nil {
		w.bw = bufio.NewWriter(&w.buf)
	}
	w.buf.Reset()
	w.bw.Reset(&w.buf)
	if err := md.Renderer().Render(w.bw, source, node); err != nil {
		return "", err
	}
	return w.buf.String(), nil
}

// PlainText returns the text of node without markup, for classification and
// summaries.
func PlainText(node ast.Node, source []byte) string {
	var buf [512]byte // most entries' text fits: no buffer to grow
	return collapseSpace(appendPlain(buf[:0], node, source))
}

// appendPlain appends node's text to b as ast.Walk would visit it, with a
// space after every block but the last: it runs on every timeline entry.
func appendPlain(b []byte, n ast.Node, source []byte) []byte {
	children := true
	switch t := n.(type) {
	case *ast.Text:
		b = append(b, t.Segment.Value(source)...)
		if t.SoftLineBreak() || t.HardLineBreak() {
			b = append(b, ' ')
		}
	case *ast.String:
		b = append(b, t.Value...)
	case *ast.CodeSpan:
		for c := t.FirstChild(); c != nil; c = c.NextSibling() {
			if tx, ok := c.(*ast.Text); ok {
				b = append(b, tx.Segment.Value(source)...)
			}
		}
		children = false
	case *ast.AutoLink:
		b = append(b, t.Label(source)...)
	case *XRefNode:
		if t.Title != "" {
			b = append(b, t.Title...)
		} else {
			b = append(b, t.ID...)
		}
	case *ast.RawHTML:
		children = false
	}
	if children {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			b = appendPlain(b, c, source)
		}
	}
	if n.Type() == ast.TypeBlock && len(b) > 0 && n.NextSibling() != nil {
		b = append(b, ' ')
	}
	return b
}

// collapseSpace is string(bytes.Join(bytes.Fields(b), " ")) in one pass:
// it runs on every timeline entry's text.
func collapseSpace(b []byte) string {
	var out strings.Builder // its String does not copy
	out.Grow(len(b))
	space := false
	for i := 0; i < len(b); {
		c := b[i]
		size := 1
		isSpace := asciiSpace[c]
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRune(b[i:])
			isSpace = unicode.IsSpace(r)
		}
		if isSpace {
			space = true
		} else {
			if space && out.Len() > 0 {
				out.WriteByte(' ')
			}
			space = false
			out.Write(b[i : i+size])
		}
		i += size
	}
	return out.String()
}

// asciiSpace is unicode.IsSpace for ASCII bytes (any other byte starts a
// longer rune, decoded).
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// Lines maps byte offsets of a source to 1-based line numbers.
type Lines []int

// NewLines indexes the line starts of source.
func NewLines(source []byte) Lines {
	ls := Lines{0}
	for i, c := range source {
		if c == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

// Pos returns the 1-based line and column of offset.
func (ls Lines) Pos(offset int) (int, int) {
	lo, hi := 0, len(ls)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if ls[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1, offset - ls[lo] + 1
}

// NodeOffset returns the source offset where node's text begins, or -1.
func NodeOffset(n ast.Node) int {
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return l.At(0).Start
		}
	}
	switch t := n.(type) {
	case *ast.Text:
		return t.Segment.Start
	case *ast.RawHTML:
		if t.Segments.Len() > 0 {
			return t.Segments.At(0).Start
		}
	case *XRefNode:
		return t.Offset
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if o := NodeOffset(c); o >= 0 {
			return o
		}
	}
	// An autolink holds its text outside its children; goldmark records
	// where it starts.
	return n.Pos()
}

// Section is a level-2 heading and the blocks up to the next one. The blocks
// before the first level-2 heading form a section with no heading.
type Section struct {
	Title   string   // plain text of the heading; "" for the lead
	Heading ast.Node // nil for the lead
	Blocks  []ast.Node
}

// Sections splits a document's top-level blocks at level-2 headings.
func Sections(doc ast.Node, source []byte) []Section {
	secs := []Section{{}}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 && !brokenTableHeader(h, source) {
			secs = append(secs, Section{Title: PlainText(h, source), Heading: h})
			continue
		}
		secs[len(secs)-1].Blocks = append(secs[len(secs)-1].Blocks, n)
	}
	return secs
}

// Detach removes n from its parent, if it has one.
// brokenTableHeader reports whether h is a table's header row that a
// separator row without pipes ("Time | Text" over "-----") made a setext
// heading: it is the table's first line, not a section.
func brokenTableHeader(h *ast.Heading, source []byte) bool {
	if h.Lines().Len() == 0 {
		return false
	}
	seg := h.Lines().At(0)
	line := seg.Value(source)
	start := seg.Start
	for start > 0 && source[start-1] != '\n' {
		start--
	}
	return bytes.IndexByte(line, '|') >= 0 && bytes.IndexByte(source[start:seg.Start], '#') < 0
}

func Detach(n ast.Node) {
	if p := n.Parent(); p != nil {
		p.RemoveChild(p, n)
	}
}
