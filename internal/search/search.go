// Package search builds the site's search index at build time: an inverted
// index from words to incidents, written as a script file so the browser can
// load it from file:// too (where fetch of a JSON file is not allowed).
package search

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-ssg/debrief/internal/site"
)

// Index is the data the search page loads.
type Index struct {
	// Docs are the incidents, newest first: id, title, url, date, severity,
	// status, summary (trimmed).
	Docs [][7]string `json:"docs"`
	// Terms are the indexed words, sorted, so a prefix is a binary search.
	Terms []string `json:"terms"`
	// Postings hold, per term, the doc numbers as base-36 gaps joined by
	// "," ("0,3,a" is docs 0, 3 and 13): compact, and decoded only for the
	// terms a query touches.
	Postings []string `json:"postings"`
}

// MaxSummary caps the summary shown in results.
const MaxSummary = 200

// Build indexes titles, ids, summaries, timeline text, people, services,
// components, customers and tags of every incident.
func Build(incs []*site.Incident) *Index { return BuildWith(incs, DocTokens) }

// BuildWith builds the index with tokens from docTokens, which a watch
// session caches per incident.
func BuildWith(incs []*site.Incident, docTokens func(*site.Incident) []string) *Index {
	b := NewBuilder()
	for n, inc := range incs {
		b.Add(n, docTokens(inc))
	}
	return b.Index(incs)
}

// Builder collects the words of incidents in any order, from any goroutine,
// so a big build can index each incident while its page is rendered and
// keep only the postings, not every incident's text.
type Builder struct {
	mu   sync.Mutex
	post map[string][]int32
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{post: map[string][]int32{}} }

// Add records that incident number n (its place in the list Index is given)
// has these distinct words.
func (b *Builder) Add(n int, words []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, w := range words {
		b.post[w] = append(b.post[w], int32(n))
	}
}

// Index builds the index of incs, whose words were Added by their place in
// incs.
func (b *Builder) Index(incs []*site.Incident) *Index {
	b.mu.Lock()
	defer b.mu.Unlock()
	ix := &Index{Docs: make([][7]string, 0, len(incs))}
	for _, inc := range incs {
		summary := inc.Summary
		if r := []rune(summary); len(r) > MaxSummary {
			summary = string(r[:MaxSummary]) + "…"
		}
		ix.Docs = append(ix.Docs, [7]string{inc.ID, inc.Title, site.URL(inc), inc.Date.Format("2006-01-02"), inc.Severity, inc.Status, summary})
	}
	for w := range b.post {
		ix.Terms = append(ix.Terms, w)
	}
	slices.Sort(ix.Terms)
	ix.Postings = make([]string, len(ix.Terms))
	var sb strings.Builder
	for i, w := range ix.Terms {
		docs := b.post[w]
		slices.Sort(docs)
		sb.Reset()
		prev := int32(0)
		for j, d := range docs {
			if j > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.FormatInt(int64(d-prev), 36))
			prev = d
		}
		ix.Postings[i] = sb.String()
	}
	return ix
}

// DocTokens returns the distinct words an incident is found by.
func DocTokens(inc *site.Incident) []string {
	return new(Tokenizer).DocTokens(inc) // its own: no later call reuses it
}

// Tokenizer finds incidents' words with buffers it reuses: a build takes
// every incident's words once, to add them to a Builder, and keeps none.
// One goroutine at a time.
type Tokenizer struct {
	out  []string
	seen map[string]struct{}
}

// DocTokens returns the distinct words inc is found by, valid until the
// next call.
func (t *Tokenizer) DocTokens(inc *site.Incident) []string {
	// Tokens are taken one at a time: this runs on every incident, and
	// a slice per entry's text was most of its allocation.
	if t.seen == nil || len(t.seen) > 4096 {
		// clear costs what the map once held: one long log must not slow
		// every later incident.
		t.out, t.seen = make([]string, 0, 256), make(map[string]struct{}, 256)
	}
	out, seen := t.out[:0], t.seen
	clear(seen)
	add := func(w string) {
		if _, ok := seen[w]; !ok {
			seen[w] = struct{}{}
			out = append(out, w)
		}
	}
	eachToken(inc.ID, add)
	eachToken(inc.Title, add)
	eachToken(inc.Summary, add)
	for _, list := range [][]string{inc.People(), inc.Services, inc.Components, inc.Customers, inc.Tags} {
		eachToken(strings.Join(list, " "), add)
	}
	for _, e := range inc.Timeline.Entries {
		eachToken(e.Text, add)
	}
	t.out = out
	return out
}

// Tokens splits text into lower-case words for the index and for queries:
// letters and digits of any script; "e-mail" gives "e-mail", "e", "mail"
// and "email" so any spelling finds it. Single letters are dropped.
func Tokens(text string) []string {
	var out []string
	eachToken(text, func(w string) { out = append(out, w) })
	return out
}

// eachToken calls fn with each of Tokens(text), in order.
func eachToken(text string, fn func(string)) {
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			for _, w := range tokensUnicode(text) {
				fn(w)
			}
			return
		}
	}
	eachASCII(strings.ToLower(text), fn)
}

// eachASCII is tokensUnicode for ASCII text, by a scan: every incident's
// timeline is tokenised for the index.
func eachASCII(s string, fn func(string)) {
	for i := 0; i < len(s); {
		if !isTokenByte(s[i]) || s[i] == '-' || s[i] == '_' {
			i++
			continue
		}
		// A field runs over letters, digits, '-' and '_'; trimmed of its
		// '-' and '_' at both ends it starts here.
		j, sep := i, -1 // sep: the field's first '-' or '_'
		for j < len(s) && isTokenByte(s[j]) {
			if sep < 0 && (s[j] == '-' || s[j] == '_') {
				sep = j
			}
			j++
		}
		k := j
		for s[k-1] == '-' || s[k-1] == '_' {
			k-- // s[i] is neither: it stops there
		}
		f := s[i:k]
		i = j
		if sep < 0 || sep >= k {
			if len(f) >= 2 {
				fn(f)
			}
			continue
		}
		// f, f without its separators, then its parts (the fields
		// between separators), each of two bytes or more.
		if len(f) >= 2 {
			fn(f)
		}
		var buf [64]byte
		joined := buf[:0]
		for k := 0; k < len(f); k++ {
			if f[k] != '-' && f[k] != '_' {
				joined = append(joined, f[k])
			}
		}
		if len(joined) >= 2 {
			fn(string(joined))
		}
		for k := 0; k < len(f); {
			for k < len(f) && (f[k] == '-' || f[k] == '_') {
				k++
			}
			start := k
			for k < len(f) && f[k] != '-' && f[k] != '_' {
				k++
			}
			if k-start >= 2 {
				fn(f[start:k])
			}
		}
	}
}

func isTokenByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// tokensUnicode is Tokens for text in any script.
func tokensUnicode(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_'
	}) {
		f = strings.Trim(f, "-_")
		if f == "" {
			continue
		}
		parts := strings.FieldsFunc(f, func(r rune) bool { return r == '-' || r == '_' })
		if len(parts) > 1 {
			out = append(out, f, strings.Join(parts, ""))
		}
		out = append(out, parts...)
	}
	kept := out[:0]
	for _, w := range out {
		if len([]rune(w)) >= 2 {
			kept = append(kept, w)
		}
	}
	return kept
}

// Script renders the index as a script that sets window.DEBRIEF_SEARCH.
func (ix *Index) Script() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("// debrief search index, generated; loaded by search.js.\nwindow.DEBRIEF_SEARCH = ")
	enc := json.NewEncoder(&buf) // escapes <, > and & so nothing closes a script
	if err := enc.Encode(ix); err != nil {
		return nil, err
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	return append(b, ";\n"...), nil
}
