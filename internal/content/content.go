// Package content reads incident files: front matter, validation and the
// Incident model. It knows nothing of timelines or rendering.
package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"github.com/debrief-ssg/debrief/internal/clock"
	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/diag"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"gopkg.in/yaml.v3"
)

// Types of content file.
const (
	TypeIncident = "incident"
	TypePage     = "page"
)

// Relations an explicit related link may carry.
var Relations = []string{"similar", "duplicate", "caused-by", "follow-up"}

// Statuses an incident may have.
var Statuses = []string{"open", "mitigated", "resolved", "closed"}

// MomentNames are the key moments, in the order they happen.
var MomentNames = []string{"started", "detected", "acknowledged", "mitigated", "resolved"}

// MaxIDBytes is the longest id: an id names its page's folder, and a
// file name is at most 255 bytes on the common file systems.
const MaxIDBytes = 255

// MaxLineBytes is the longest line debrief reads; longer ones are an error
// rather than a page nobody can use.
const MaxLineBytes = 1 << 20

// Incident is one content file: an incident or, with Type page, a plain page.
type Incident struct {
	Path     string // site-relative, with forward slashes
	ID       string
	Type     string
	Title    string
	Date     time.Time // in Location; midnight unless DateHasTime
	HasTime  bool
	Location *time.Location
	Severity string
	Status   string
	Summary  string

	Commander    string
	Roles        []Role
	Participants []string
	Services     []string
	Components   []string
	Customers    []string
	Tags         []string

	Related     []Ref
	Moments     []Moment
	ActionItems []ActionItem
	Draft       bool
	CAN         *FrontCAN // a can: map in front matter
	// Mute lists the kinds of command observation the author silenced
	// (observations: {mute: [...]}), where each is written.
	Mute []Positioned
	// Placeholder: the file has errors that leave nothing of it but its
	// id; it is in the site only so that links to it resolve.
	Placeholder bool

	Body     []byte // the Markdown after the front matter
	BodyLine int    // line of the file where Body starts
	IDLine   int    // the front matter line of id, for messages; 0 without one
	IDCol    int    // the column of its value
	DateLine int    // the front matter line and column of date's value
	DateCol  int
}

// Role is one role holder, e.g. scribe: Ann.
type Role struct {
	Role, Person string
}

// Ref is an explicit link to another incident.
type Ref struct {
	ID        string
	Relation  string
	Line, Col int
}

// Moment is a key moment as written; it becomes an instant once the timeline
// has fixed the day it falls on.
type Moment struct {
	Name  string
	Stamp clock.Stamp
	Line  int
}

// ActionItem is one follow-up.
type ActionItem struct {
	Title, Owner, Status, Ticket, Due string
	Line                              int
}

// ActionStatuses are the statuses an action item may have: open (the
// default), in-progress, done, and wontfix for one decided against.
var ActionStatuses = []string{"open", "in-progress", "done", "wontfix"}

// actionSynonyms are words for a status that are not it, for "did you
// mean": a closed set is only as good as its hints.
var actionSynonyms = map[string]string{
	"todo": "open", "new": "open", "planned": "open",
	"wip": "in-progress", "doing": "in-progress", "started": "in-progress", "ongoing": "in-progress",
	"closed": "done", "complete": "done", "completed": "done", "fixed": "done", "resolved": "done", "finished": "done",
	"wont-fix": "wontfix", "won't fix": "wontfix", "won't-fix": "wontfix", "rejected": "wontfix", "declined": "wontfix", "cancelled": "wontfix", "canceled": "wontfix",
}

// Open reports whether the action item is still to do: open or
// in-progress.
func (a ActionItem) Open() bool { return a.Status == "open" || a.Status == "in-progress" }

// FrontCAN is an author-written CAN report given in front matter.
type FrontCAN struct {
	Conditions, Actions, Needs []string
	Line                       int
}

// People returns everyone the front matter names, commander first.
func (inc *Incident) People() []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	add(inc.Commander)
	for _, r := range inc.Roles {
		add(r.Person)
	}
	for _, p := range inc.Participants {
		add(p)
	}
	return out
}

var knownFields = []string{
	"id", "title", "date", "timezone", "severity", "status", "summary", "commander",
	"roles", "participants", "services", "components", "customers", "tags", "related",
	"started", "detected", "acknowledged", "mitigated", "resolved", "action_items",
	"draft", "type", "can", "observations",
}

type captured struct {
	format string
	data   []byte
}

func capture(format string) frontmatter.UnmarshalFunc {
	return func(data []byte, v any) error {
		c := v.(*captured)
		c.format = format
		c.data = append([]byte(nil), data...)
		return nil
	}
}

var formats = []*frontmatter.Format{
	frontmatter.NewFormat("---", "---", capture("yaml")),
	frontmatter.NewFormat("---yaml", "---", capture("yaml")),
	frontmatter.NewFormat("+++", "+++", capture("toml")),
	frontmatter.NewFormat("---toml", "---", capture("toml")),
	frontmatter.NewFormat(";;;", ";;;", capture("json")),
	frontmatter.NewFormat("---json", "---", capture("json")),
	{Start: "{", End: "}", Unmarshal: capture("json"), UnmarshalDelims: true, RequiresNewLine: true},
}

// frontMatterHead is data up to the end of the line that closes its front
// matter, as the parser reads lines (trimmed of space, blank ones first
// skipped): the first line after the one that opens a format that closes
// with a line of its own. Otherwise, and when there is no such line, it
// is data.
func frontMatterHead(data []byte) []byte {
	rest := data
	var open *frontmatter.Format
	for len(rest) > 0 {
		line, after, found := bytes.Cut(rest, []byte("\n"))
		if !found {
			break // a last line without its newline: the parser decides
		}
		t := string(bytes.TrimSpace(line))
		switch {
		case open == nil && t == "":
		case open == nil:
			i := slices.IndexFunc(formats, func(f *frontmatter.Format) bool { return f.Start == t })
			if i < 0 || formats[i].UnmarshalDelims || formats[i].RequiresNewLine {
				return data
			}
			open = formats[i]
		case t == open.End:
			return data[:len(data)-len(after)]
		}
		rest = after
	}
	return data
}

// Normalize is what Parse reads of a file: without a byte-order mark, and
// with Windows line ends, and old Macintosh ones (a carriage return alone,
// a line end in CommonMark too), made Unix ones. The body Parse returns is
// its tail, so a file read again and unchanged gives the same body.
func Normalize(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if bytes.IndexByte(data, '\r') < 0 {
		return data // most files: ReplaceAll would copy them whole
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	if bytes.IndexByte(data, '\r') < 0 {
		return data
	}
	return bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
}

// checkBytes reports a file that is not UTF-8 text: UTF-16, binary, or
// invalid UTF-8; nil if it is.
func checkBytes(relPath string, data []byte) diag.List {
	var ds diag.List
	if order := utf16Order(data); order != "" {
		ds.Errorf(relPath, 1, 1, "the file is UTF-16 (%s); save it as UTF-8", order)
		return ds
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := markdown.NewLines(data).Pos(i)
		ds.Errorf(relPath, line, col, "binary file: NUL byte; incident files must be UTF-8 text")
		return ds
	}
	if !utf8.Valid(data) {
		off := firstInvalid(data)
		line, col := markdown.NewLines(data).Pos(off)
		ds.Errorf(relPath, line, col, "not valid UTF-8; save the file as UTF-8")
		return ds
	}
	return nil
}

// utf16Order names the byte order of a UTF-16 file ("little-endian" or
// "big-endian"), known by its byte-order mark or, without one, by the
// zero high bytes of text that starts in ASCII; "" for anything else.
func utf16Order(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		return "little-endian"
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return "big-endian"
	case len(data) < 4:
		return ""
	}
	head := data[:min(len(data), 64)&^1]
	le, be := true, true
	for i := 0; i < len(head); i += 2 {
		le = le && head[i] != 0 && head[i+1] == 0
		be = be && head[i] == 0 && head[i+1] != 0
	}
	switch {
	case le:
		return "little-endian"
	case be:
		return "big-endian"
	}
	return ""
}

// noFrontMatter says what is wrong with a file whose front matter the
// parser did not find, from its first line: opened and never closed,
// JSON that is not on lines of its own, or none at all. The line is
// quoted short: it may be the whole file.
func noFrontMatter(first string) string {
	switch {
	case strings.HasPrefix(first, "{") && strings.HasSuffix(first, "}"):
		return `JSON front matter must have "{" and "}" on lines of their own`
	case strings.HasPrefix(first, "{"):
		return `JSON front matter opened with "{" is never closed: end it with a line holding only "}"`
	case first == "+++" || first == ";;;" || strings.HasPrefix(first, "---"):
		if len(first) > 40 {
			cut := 40
			for cut > 0 && !utf8.RuneStart(first[cut]) {
				cut--
			}
			first = first[:cut] + "…"
		}
		return fmt.Sprintf("front matter opened with %q is never closed", first)
	}
	return "no front matter: an incident file starts with --- and needs at least title and date"
}

// jsonSyntax is where, in JSON front matter, encoding/json finds a syntax
// error, and what it is: the line and column within the front matter.
func jsonSyntax(c captured) (line, col int, msg string, ok bool) {
	if c.format != "json" {
		return 0, 0, "", false
	}
	var v any
	var se *json.SyntaxError
	if err := json.Unmarshal(c.data, &v); !errors.As(err, &se) {
		return 0, 0, "", false
	}
	off := max(int(se.Offset)-1, 0)
	line = bytes.Count(c.data[:off], []byte("\n")) + 1
	col = off - (bytes.LastIndexByte(c.data[:off], '\n') + 1) + 1
	return line, col, se.Error(), true
}

// Parse reads one content file. relPath names it in diagnostics; cfg gives
// the severity scale and default zone. The incident is nil only when the file
// cannot be read as content at all.
func Parse(relPath string, data []byte, cfg config.Config) (*Incident, diag.List) {
	var ds diag.List
	if ds = checkBytes(relPath, data); ds != nil {
		return nil, ds
	}
	data = Normalize(data)
	if line := longLine(data); line > 0 {
		ds.Errorf(relPath, line, 1, "line longer than %d bytes", MaxLineBytes)
		return nil, ds
	}

	var c captured
	// The parser is given the front matter only, when its closing line is
	// plain to see: it copies what it reads, body and all.
	head := frontMatterHead(data)
	rest, err := frontmatter.Parse(bytes.NewReader(head), &c, formats...)
	if err != nil {
		ds.Errorf(relPath, 1, 1, "reading front matter: %v", err)
		return nil, ds
	}
	// What it returns is the rest of what it was given: a tail of head,
	// and so of data.
	bodyOff := len(head) - len(rest)
	rest = data[bodyOff:]
	// The lines of offsets in the front matter: counted, not indexed,
	// since the body after it may be long.
	lineAt := func(off int) int { return bytes.Count(data[:off], []byte("\n")) + 1 }
	inc := &Incident{
		Path:     relPath,
		Type:     TypeIncident,
		Location: cfg.Location,
		Body:     rest,
	}
	inc.BodyLine = lineAt(bodyOff)
	inc.Body = checkNesting(relPath, inc.Body, inc.BodyLine, &ds)
	if c.format == "" {
		ds.Errorf(relPath, 1, 1, "%s", noFrontMatter(firstLine(data)))
		return inc, ds
	}
	dataOff := bytes.Index(data[:bodyOff], c.data)
	fmLine := lineAt(max(dataOff, 0))

	var root yaml.Node
	lineOf := func(n *yaml.Node, key string) int { return fmLine + n.Line - 1 }
	switch c.format {
	case "yaml", "json":
		// JSON is YAML too, and yaml.v3 keeps line numbers for both.
		if err := yaml.Unmarshal(c.data, &root); err != nil {
			if line, col, msg, ok := jsonSyntax(c); ok {
				ds.Errorf(relPath, fmLine+line-1, col, "front matter (JSON): %s", msg)
			} else {
				ds.Errorf(relPath, fmLine+yamlErrLine(err, c.data)-1, 1, "front matter: %s", cleanYAML(err))
			}
			// The id and title, if they stand plainly on lines of their
			// own, still let links to this file resolve: one typo while
			// writing is one error, not one more per link to the file.
			inc.ID, inc.Title = plainField(c.data, "id"), plainField(c.data, "title")
			return inc, ds
		}
	case "toml":
		var m map[string]any
		if err := toml.Unmarshal(c.data, &m); err != nil {
			line := 1
			if pe, ok := err.(toml.ParseError); ok {
				line = pe.Position.Line
			}
			ds.Errorf(relPath, fmLine+line-1, 1, "front matter: %v", err)
			return inc, ds
		}
		normTOML(m)
		if err := root.Encode(m); err != nil {
			ds.Errorf(relPath, fmLine, 1, "front matter: %v", err)
			return inc, ds
		}
		raw := string(c.data)
		lineOf = func(n *yaml.Node, key string) int { return fmLine + tomlKeyLine(raw, key) - 1 }
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind == 0 { // empty front matter
		doc = &yaml.Node{Kind: yaml.MappingNode, Line: 1}
	}
	if doc.Kind != yaml.MappingNode {
		ds.Errorf(relPath, lineOf(doc, ""), 1, "front matter must be a map of fields")
		return inc, ds
	}
	p := fieldParser{path: relPath, ds: &ds, lineOf: lineOf}
	p.fields(inc, doc, cfg)
	return inc, ds
}

// plainField is a top-level field's value in front matter YAML could not
// read, when it is a plain or quoted scalar on the key's own line; "" if
// not.
func plainField(fm []byte, key string) string {
	for line := range strings.Lines(string(fm)) {
		v, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), key+":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if n := len(v); n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n-1] == v[0] && !strings.ContainsAny(v[1:n-1], "\"'\\") {
			return v[1 : n-1]
		}
		if v == "" || strings.ContainsAny(v[:1], "\"'[{>|&*!%@`#") || strings.Contains(v, " #") || strings.Contains(v, ": ") {
			return "" // not a plain scalar: leave it to the error
		}
		return v
	}
	return ""
}

type fieldParser struct {
	path   string
	ds     *diag.List
	lineOf func(n *yaml.Node, key string) int
	key    string // top-level field being read, for TOML line lookups
}

func (p *fieldParser) errf(n *yaml.Node, format string, args ...any) {
	p.ds.Errorf(p.path, p.lineOf(n, p.key), max(n.Column, 1), format, args...)
}

func (p *fieldParser) fields(inc *Incident, m *yaml.Node, cfg config.Config) {
	var dateNode *yaml.Node
	var tz string
	var tzNode *yaml.Node
	seen := map[string]bool{}
	emptyRequired := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key := k.Value
		p.key = key
		line := p.lineOf(k, key)
		if seen[key] {
			p.ds.Errorf(p.path, line, k.Column, "field %q given twice", key)
			continue
		}
		seen[key] = true
		if empty(v) && contains(knownFields, key) {
			// Unset, as templates and generators leave a field
			// (mitigated: ""); required ones are checked below.
			if key == "title" || key == "date" {
				emptyRequired[key] = v
			}
			continue
		}
		switch key {
		case "id":
			inc.IDLine, inc.IDCol = line, v.Column
			if s, ok := p.scalar(v, key); ok {
				if !markdown.IDPattern.MatchString(s) {
					p.errf(v, "id %q: use letters, digits, '.', '_' and '-', starting with a letter or digit", s)
				} else if len(s) > MaxIDBytes {
					p.errf(v, "id is %d bytes long; at most %d, as it names a folder", len(s), MaxIDBytes)
				} else {
					inc.ID = s
				}
			}
		case "title":
			inc.Title, _ = p.scalar(v, key)
		case "summary":
			inc.Summary, _ = p.scalar(v, key)
		case "commander":
			inc.Commander, _ = p.scalar(v, key)
		case "date":
			dateNode = v
			inc.DateLine, inc.DateCol = p.lineOf(v, key), v.Column
		case "timezone":
			tz, _ = p.scalar(v, key)
			tzNode = v
		case "severity":
			if s, ok := p.scalar(v, key); ok {
				if _, on := cfg.SeverityRank(s); !on {
					p.errf(v, "severity %q is not on the site's scale (%s)%s", s, strings.Join(cfg.Severities, ", "), didYouMean(s, cfg.Severities, false))
				} else {
					inc.Severity = s
				}
			}
		case "status":
			if s, ok := p.scalar(v, key); ok {
				s = strings.ToLower(s)
				if !contains(Statuses, s) {
					p.errf(v, "status %q: want one of %s%s", s, strings.Join(Statuses, ", "), didYouMean(s, Statuses, true))
				} else {
					inc.Status = s
				}
			}
		case "type":
			if s, ok := p.scalar(v, key); ok {
				if s != TypeIncident && s != TypePage {
					p.errf(v, "type %q: want incident or page", s)
				} else {
					inc.Type = s
				}
			}
		case "draft":
			if v.Kind != yaml.ScalarNode || (v.Tag != "!!bool" && v.Tag != "") {
				p.errf(v, "draft: want true or false")
			} else if err := v.Decode(&inc.Draft); err != nil {
				p.errf(v, "draft: want true or false")
			}
		case "participants":
			inc.Participants = p.list(v, key)
		case "services":
			inc.Services = p.list(v, key)
		case "components":
			inc.Components = p.list(v, key)
		case "customers":
			inc.Customers = p.list(v, key)
		case "tags":
			inc.Tags = p.list(v, key)
		case "roles":
			inc.Roles = p.roles(v)
		case "related":
			inc.Related = p.related(v)
		case "action_items":
			inc.ActionItems = p.actionItems(v)
		case "can":
			inc.CAN = p.frontCAN(v)
		case "observations":
			inc.Mute = p.mute(v)
		case "started", "detected", "acknowledged", "mitigated", "resolved":
			if s, ok := p.scalar(v, key); ok {
				st, err := clock.Parse(s)
				if err != nil {
					p.errf(v, "%s: %v", key, err)
				} else {
					if inc.Moments == nil {
						// At most one of each: kept all build, so not grown.
						inc.Moments = make([]Moment, 0, len(MomentNames))
					}
					inc.Moments = append(inc.Moments, Moment{Name: key, Stamp: st, Line: p.lineOf(v, key)})
				}
			}
		default:
			msg := fmt.Sprintf("unknown field %q", key)
			if s := diag.Suggest(key, knownFields); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			p.ds.Warnf(p.path, line, k.Column, "%s", msg)
		}
	}
	p.key = ""
	if tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil || strings.EqualFold(tz, "local") {
			p.errf(tzNode, "timezone %q is not an IANA time zone name such as Europe/Berlin", tz)
		} else {
			inc.Location = loc
		}
	}
	if dateNode != nil {
		p.key = "date"
		p.date(inc, dateNode)
		p.key = ""
	}
	if inc.ID == "" {
		base := strings.TrimSuffix(path.Base(inc.Path), ".md")
		if markdown.IDPattern.MatchString(base) {
			inc.ID = base
		} else if !seen["id"] {
			p.ds.Errorf(p.path, 1, 1, "file name %q is not a valid id; rename the file or set id:", base)
		}
	}
	p.required(inc, m, dateNode != nil, emptyRequired)
}

// required reports a required field that is missing or empty: title, and
// an incident's date.
func (p *fieldParser) required(inc *Incident, m *yaml.Node, hasDate bool, empty map[string]*yaml.Node) {
	if v := empty["title"]; v != nil {
		p.key = "title"
		p.errf(v, "title is empty; it is required")
	} else if inc.Title == "" {
		p.ds.Errorf(p.path, p.lineOf(m, ""), 1, "missing required field title")
	}
	p.key = ""
	if inc.Type != TypeIncident || hasDate {
		return
	}
	if v := empty["date"]; v != nil {
		p.key = "date"
		p.errf(v, "date is empty; an incident needs one")
	} else {
		p.ds.Errorf(p.path, p.lineOf(m, ""), 1, "missing required field date")
	}
	p.key = ""
}

// empty reports whether a field's value is nothing at all (field:, ~,
// null) or a blank string.
func empty(v *yaml.Node) bool {
	return v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Tag == "!!str" && strings.TrimSpace(v.Value) == "")
}

func (p *fieldParser) date(inc *Incident, v *yaml.Node) {
	s, ok := p.scalar(v, "date")
	if !ok {
		return
	}
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", s, inc.Location); err == nil {
		inc.Date = t
		return
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, inc.Location); err == nil {
			inc.Date, inc.HasTime = t, true
			return
		}
	}
	p.errf(v, "date %q: want YYYY-MM-DD or an RFC 3339 date-time", s)
}

func (p *fieldParser) scalar(v *yaml.Node, key string) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.errf(v, "%s: want a single value, got %s", key, kindName(v))
		return "", false
	}
	return strings.TrimSpace(v.Value), true
}

func (p *fieldParser) list(v *yaml.Node, key string) []string {
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		// One value where a list was expected is unambiguous; take it.
		return []string{strings.TrimSpace(v.Value)}
	}
	if v.Kind != yaml.SequenceNode {
		p.errf(v, "%s: want a list of names, got %s", key, kindName(v))
		return nil
	}
	var out []string
	for _, it := range v.Content {
		if s, ok := p.scalar(it, key+" item"); ok && s != "" {
			if !contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func (p *fieldParser) roles(v *yaml.Node) []Role {
	if v.Kind != yaml.MappingNode {
		p.errf(v, "roles: want a map of role to person, e.g. scribe: Ann; got %s", kindName(v))
		return nil
	}
	var out []Role
	for i := 0; i+1 < len(v.Content); i += 2 {
		if s, ok := p.scalar(v.Content[i+1], "roles."+v.Content[i].Value); ok && s != "" {
			out = append(out, Role{Role: v.Content[i].Value, Person: s})
		}
	}
	return out
}

func (p *fieldParser) related(v *yaml.Node) []Ref {
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		v = &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{v}, Line: v.Line}
	}
	if v.Kind != yaml.SequenceNode {
		p.errf(v, "related: want a list of ids or of {id, relation}, got %s", kindName(v))
		return nil
	}
	var out []Ref
	for _, it := range v.Content {
		ref := Ref{Line: p.lineOf(it, "related"), Col: it.Column}
		switch it.Kind {
		case yaml.ScalarNode:
			ref.ID = strings.TrimSpace(it.Value)
		case yaml.MappingNode:
			for i := 0; i+1 < len(it.Content); i += 2 {
				k, val := it.Content[i], it.Content[i+1]
				s, ok := p.scalar(val, "related."+k.Value)
				if !ok {
					continue
				}
				switch k.Value {
				case "id":
					ref.ID = s
				case "relation":
					if !contains(Relations, s) {
						p.errf(val, "relation %q: want one of %s", s, strings.Join(Relations, ", "))
					} else {
						ref.Relation = s
					}
				default:
					p.ds.Warnf(p.path, p.lineOf(k, "related"), k.Column, "unknown field %q in related (want id, relation)", k.Value)
				}
			}
		default:
			p.errf(it, "related: want an id or {id, relation}, got %s", kindName(it))
			continue
		}
		if ref.ID == "" {
			p.errf(it, "related: entry has no id")
			continue
		}
		out = append(out, ref)
	}
	return out
}

func (p *fieldParser) actionItems(v *yaml.Node) []ActionItem {
	if v.Kind != yaml.SequenceNode {
		p.errf(v, "action_items: want a list of {title, owner, status, ticket, due}, got %s", kindName(v))
		return nil
	}
	var out []ActionItem
	for _, it := range v.Content {
		ai := ActionItem{Line: p.lineOf(it, "action_items")}
		if it.Kind == yaml.ScalarNode {
			ai.Title = it.Value
			out = append(out, ai)
			continue
		}
		if it.Kind != yaml.MappingNode {
			p.errf(it, "action item: want {title, owner, status, ticket, due}, got %s", kindName(it))
			continue
		}
		for i := 0; i+1 < len(it.Content); i += 2 {
			k, val := it.Content[i], it.Content[i+1]
			if empty(val) {
				continue // unset, as at the top level
			}
			s, ok := p.scalar(val, "action item "+k.Value)
			if !ok {
				continue
			}
			switch k.Value {
			case "title":
				ai.Title = s
			case "owner":
				ai.Owner = s
			case "status":
				ai.Status = strings.ToLower(s)
				if !contains(ActionStatuses, ai.Status) {
					hint := didYouMean(ai.Status, ActionStatuses, true)
					if syn, ok := actionSynonyms[ai.Status]; ok {
						hint = fmt.Sprintf("; did you mean %q?", syn)
					}
					p.errf(val, "action item status %q: want one of %s%s", s, strings.Join(ActionStatuses, ", "), hint)
				}
			case "ticket":
				ai.Ticket = s
			case "due":
				if _, err := time.Parse("2006-01-02", s); err != nil {
					p.errf(val, "due %q: want YYYY-MM-DD", s)
				}
				ai.Due = s
			default:
				msg := fmt.Sprintf("unknown field %q in action item", k.Value)
				if c := diag.Suggest(k.Value, []string{"title", "owner", "status", "ticket", "due"}); c != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", c)
				}
				p.ds.Warnf(p.path, p.lineOf(k, "action_items"), k.Column, "%s", msg)
			}
		}
		if ai.Title == "" {
			p.errf(it, "action item has no title")
			continue
		}
		if ai.Status == "" {
			ai.Status = "open"
		}
		out = append(out, ai)
	}
	return out
}

// Positioned is a front-matter value with where it is written, for a
// check made later (a muted observation kind is checked where the kinds
// are known).
type Positioned struct {
	Value     string
	Line, Col int
}

// mute reads observations: {mute: [kind, …]}.
func (p *fieldParser) mute(v *yaml.Node) []Positioned {
	if v.Kind != yaml.MappingNode {
		p.errf(v, "observations: want a map with mute, got %s", kindName(v))
		return nil
	}
	var out []Positioned
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if strings.ToLower(k.Value) != "mute" {
			p.ds.Warnf(p.path, p.lineOf(k, "observations"), k.Column, "unknown field %q in observations (want mute)", k.Value)
			continue
		}
		items := val.Content
		if val.Kind == yaml.ScalarNode {
			items = []*yaml.Node{val}
		} else if val.Kind != yaml.SequenceNode {
			p.errf(val, "observations.mute: want a list of kinds, got %s", kindName(val))
			continue
		}
		for _, it := range items {
			if s, ok := p.scalar(it, "observations.mute item"); ok && s != "" {
				out = append(out, Positioned{Value: strings.ToLower(s), Line: p.lineOf(it, "observations"), Col: max(it.Column, 1)})
			}
		}
	}
	return out
}

func (p *fieldParser) frontCAN(v *yaml.Node) *FrontCAN {
	if v.Kind != yaml.MappingNode {
		p.errf(v, "can: want a map with conditions, actions and needs, got %s", kindName(v))
		return nil
	}
	fc := &FrontCAN{Line: p.lineOf(v, "can")}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		switch strings.ToLower(k.Value) {
		case "conditions":
			fc.Conditions = p.list(val, "can.conditions")
		case "actions":
			fc.Actions = p.list(val, "can.actions")
		case "needs":
			fc.Needs = p.list(val, "can.needs")
		default:
			p.ds.Warnf(p.path, p.lineOf(k, "can"), k.Column, "unknown field %q in can (want conditions, actions, needs)", k.Value)
		}
	}
	return fc
}

// didYouMean is "; did you mean "X"?" when s is one of known but for case,
// spaces, '-' and '_' ("sev 1" for SEV1), or, with typos, near one
// (diag.Suggest); else "". A scale such as SEV1..SEV5 takes no typos:
// SEV9 is as near to each of them.
func didYouMean(s string, known []string, typos bool) string {
	squash := strings.NewReplacer(" ", "", "-", "", "_", "")
	for _, k := range known {
		if strings.EqualFold(squash.Replace(s), squash.Replace(k)) {
			return fmt.Sprintf("; did you mean %q?", k)
		}
	}
	if !typos {
		return ""
	}
	// diag.Suggest folds s only: fold both, and answer as known spells it.
	lower := make([]string, len(known))
	for i, k := range known {
		lower[i] = strings.ToLower(k)
	}
	if i := slices.Index(lower, diag.Suggest(s, lower)); i >= 0 && lower[i] != "" {
		return fmt.Sprintf("; did you mean %q?", known[i])
	}
	return ""
}

func kindName(v *yaml.Node) string {
	switch v.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a map"
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", v.Value)
	}
	return "something else"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

func longLine(data []byte) int {
	line, start := 1, 0
	for i, c := range data {
		if c == '\n' {
			if i-start > MaxLineBytes {
				return line
			}
			line++
			start = i + 1
		}
	}
	if len(data)-start > MaxLineBytes {
		return line
	}
	return 0
}

func firstLine(data []byte) string {
	for _, l := range strings.Split(string(data), "\n") {
		if t := strings.TrimSpace(l); t != "" {
			return t
		}
	}
	return ""
}

func yamlErrLine(err error, fm []byte) int {
	var line int
	if _, e := fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line); e == nil && line > 0 {
		// An unclosed [ or { is reported a line early (but never as line
		// 0): the line after the one named is the one that opens it.
		if strings.Contains(err.Error(), "did not find expected ','") {
			if ls := strings.Split(string(fm), "\n"); line < len(ls) && strings.ContainsAny(ls[line], "[{") {
				line++
			}
		}
		return line
	}
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		if _, e := fmt.Sscanf(te.Errors[0], "line %d:", &line); e == nil {
			return line
		}
	}
	return 1
}

func cleanYAML(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	if i := strings.Index(s, ": "); strings.HasPrefix(s, "line ") && i > 0 {
		s = s[i+2:]
	}
	return s
}

// normTOML turns TOML's native dates and times into strings so one set of
// field rules serves every front-matter format.
func normTOML(m map[string]any) {
	for k, v := range m {
		switch t := v.(type) {
		case time.Time:
			switch t.Location().String() {
			case "date-local":
				m[k] = t.Format("2006-01-02")
			case "time-local":
				m[k] = t.Format("15:04:05")
			case "datetime-local":
				m[k] = t.Format("2006-01-02T15:04:05")
			default:
				m[k] = t.Format(time.RFC3339)
			}
		case map[string]any:
			normTOML(t)
		case []map[string]any:
			for _, x := range t {
				normTOML(x)
			}
		}
	}
}

func tomlKeyLine(raw, key string) int {
	if key == "" {
		return 1
	}
	for i, l := range strings.Split(raw, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, key) {
			rest := strings.TrimSpace(t[len(key):])
			if strings.HasPrefix(rest, "=") || strings.HasPrefix(t, "["+key) {
				return i + 1
			}
		}
		if strings.HasPrefix(t, "[["+key+"]]") || strings.HasPrefix(t, "["+key+"]") {
			return i + 1
		}
	}
	return 1
}
