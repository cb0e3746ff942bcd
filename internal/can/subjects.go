package can

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Subjects: what a sentence is about, the incident's own terms first.

// spellings folds the variants normalize knows; built once, read-only.
var spellings = strings.NewReplacer("e-mail", "email", "log-in", "login", "log in", "login", "sign in", "login", "sign-in", "login", "logon", "login", "’", "'")

// normalize folds spelling variants of subjects: e-mail and email, log in
// and login, case and punctuation.
func normalize(s string) string {
	return string(appendNormal(nil, s))
}

// appendNormal appends normalize(s) to b.
func appendNormal(b []byte, s string) []byte {
	s = strings.ToLower(s)
	if strings.Contains(s, "mail") || strings.Contains(s, "log") || strings.Contains(s, "sign") || strings.Contains(s, "’") {
		s = spellings.Replace(s)
	}
	// Letters and digits, one space between runs of them, and a crude
	// singular so "ticket rate" and "tickets" meet.
	b = slices.Grow(b, len(s))
	base := len(b)
	start := -1 // where the current word starts in b
	end := func() {
		if w := b[start:]; len(w) > 4 && w[len(w)-1] == 's' && w[len(w)-2] != 's' {
			b = b[:len(b)-1]
		}
		start = -1
	}
	for i := 0; i < len(s); {
		// Runs of ASCII letters and digits are copied whole: this runs on
		// every sentence of every log.
		j := i
		for j < len(s) && asciiWordByte(s[j]) {
			j++
		}
		w, word := j-i, j > i
		if !word {
			var r rune
			if r, w = rune(s[i]), 1; r >= utf8.RuneSelf {
				r, w = utf8.DecodeRuneInString(s[i:])
				word = unicode.IsLetter(r) || unicode.IsDigit(r)
			}
		}
		if word {
			if start < 0 {
				if len(b) > base {
					b = append(b, ' ')
				}
				start = len(b)
			}
			b = append(b, s[i:i+w]...)
		} else if start >= 0 {
			end()
		}
		i += w
	}
	if start >= 0 {
		end()
	}
	return b
}

func asciiWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
}

// vocabulary finds the subjects of sentences: the incident's taxonomy terms
// (a multi-word term also by its last word, "script" for "metadata script"),
// the nouns logs commonly report the state of, and entity-like tokens
// (db-main-2, pg_wal, orders-api).
type vocabulary struct {
	terms  []string
	padded []string // terms with a space either side, as subjects looks for them
	impact []bool   // of terms: a service or customer
	// byWord lists, for a word, the terms whose first word it is and
	// those found by it as their last word: a sentence's words are looked
	// up, once each, rather than every term in every sentence.
	byWord map[string][]wordUse
	headAt []int    // scratch of subjects: where each term's first word first occurs, or -1
	lastAt []int    // scratch of subjects: the same of its last word, when that finds it
	buf    []byte   // scratch of subjects
	hits   []hit    // scratch of subjects
	spans  [][2]int // scratch of subjects (entities)
	slab   []string // subjects' results are cut from it: one allocation for many sentences
}

// wordUse is a term a word finds: as its first word, or as its last.
type wordUse struct {
	term int
	last bool
}

// hit is a term subjects found, and where.
type hit struct {
	at   int
	term string
}

func newVocabulary(t Terms) *vocabulary {
	v := &vocabulary{byWord: map[string][]wordUse{}}
	for i, list := range [][]string{t.Impact, t.Other} {
		for _, term := range list {
			n := normalize(term)
			if n == "" || slices.Contains(v.terms, n) {
				continue
			}
			ti := len(v.terms)
			v.terms = append(v.terms, n)
			v.padded = append(v.padded, " "+n+" ")
			v.impact = append(v.impact, i == 0)
			head, _, _ := strings.Cut(n, " ")
			v.byWord[head] = append(v.byWord[head], wordUse{ti, false})
			// A multi-word term is also found by its last word
			// ("script" for "metadata script") unless that is short
			// or a number.
			if k := strings.LastIndexByte(n, ' '); k > 0 {
				if last := n[k+1:]; len(last) >= 4 && !isNumber(last) {
					v.byWord[last] = append(v.byWord[last], wordUse{ti, true})
				}
			}
		}
	}
	v.headAt = make([]int, len(v.terms))
	v.lastAt = make([]int, len(v.terms))
	return v
}

var entityRE = regexp.MustCompile(`[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+|[a-z]+\d+[a-z0-9]*`)

// entities returns the matches of entityRE in s, found by a scan rather
// than the regexp, which cost a tenth of a build: identifiers are in most
// sentences of a log.
func entities(s string) [][2]int { return appendEntities(nil, s) }

// appendEntities is entities appending to out.
func appendEntities(out [][2]int, s string) [][2]int {
	lower := func(b byte) bool { return 'a' <= b && b <= 'z' }
	digit := func(b byte) bool { return '0' <= b && b <= '9' }
	alnum := func(b byte) bool { return lower(b) || digit(b) }
	for i := 0; i < len(s); {
		if !lower(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && alnum(s[j]) {
			j++
		}
		// [a-z][a-z0-9]*(?:[-_][a-z0-9]+)+
		k, parts := j, 0
		for k+1 < len(s) && (s[k] == '-' || s[k] == '_') && alnum(s[k+1]) {
			k += 2
			for k < len(s) && alnum(s[k]) {
				k++
			}
			parts++
		}
		if parts > 0 {
			out = append(out, [2]int{i, k})
			i = k
			continue
		}
		// [a-z]+\d+[a-z0-9]*
		l := i
		for l < j && lower(s[l]) {
			l++
		}
		if l < j {
			out = append(out, [2]int{i, j})
		}
		// No later start inside this run can match either.
		i = j
	}
	return out
}

// subjects returns what text is about, first-named first, and whether it
// names a service or customer. lower is text lower-cased.
func (v *vocabulary) subjects(text, lower string) ([]string, bool) {
	// " " + normalize(text) + " ", made in the vocabulary's scratch.
	v.buf = append(appendNormal(append(v.buf[:0], ' '), lower), ' ')
	nt := string(v.buf)
	hits := v.hits[:0]
	impact := false
	// Each word of nt is looked up once, where it first occurs (the index
	// of the space before it): for the terms it begins or ends, and for
	// the common subjects it begins, in the order the words come.
	for k := range v.headAt {
		v.headAt[k], v.lastAt[k] = -1, -1
	}
	var commonSeen uint64 // common subjects' first words met so far
	var commonBuf [8]hit
	common := commonBuf[:0]
	for i := 0; i < len(nt)-1; {
		j := strings.IndexByte(nt[i+1:], ' ') + i + 1
		if w := nt[i+1 : j]; w != "" {
			for _, u := range v.byWord[w] {
				at := &v.headAt[u.term]
				if u.last {
					at = &v.lastAt[u.term]
				}
				if *at < 0 {
					*at = i
				}
			}
			if cs, ok := commonByHead[w]; ok && commonSeen&(1<<cs.bit) == 0 {
				commonSeen |= 1 << cs.bit
				for _, c := range cs.terms {
					at := i
					if len(c.term) > len(w) {
						if at = strings.Index(nt, c.padded); at < 0 {
							continue
						}
					}
					common = append(common, hit{at, c.term})
				}
			}
		}
		i = j
	}
	// Terms in their order: by the whole term where its first word is,
	// else by its last word.
	for ti, t := range v.terms {
		at := v.headAt[ti]
		if at >= 0 && strings.IndexByte(t, ' ') >= 0 {
			at = strings.Index(nt, v.padded[ti])
		}
		if at < 0 {
			at = v.lastAt[ti]
		}
		if at < 0 {
			continue
		}
		hits = append(hits, hit{at, t})
		if v.impact[ti] {
			impact = true
		}
	}
	for _, h := range common {
		hits = append(hits, h)
		if impactWords[h.term] {
			impact = true
		}
	}
	// Entity-like tokens from the original text: hyphenated or with digits.
	if strings.ContainsAny(text, "-_0123456789") {
		v.spans = appendEntities(v.spans[:0], lower)
		for _, m := range v.spans {
			key := normalize(lower[m[0]:m[1]])
			if key != "" && !isNumber(key) {
				hits = append(hits, hit{m[0], key})
			}
		}
	}
	// First named first; at the same place the longer, more specific term
	// ("search cluster" rather than "search").
	// With no subject of its own, a sentence is about its first noun
	// phrase: "Synthetic checks failing" and "Synthetic checks green".
	real := false
	for _, h := range hits {
		if !contextWords[h.term] {
			real = true
		}
	}
	if !real {
		if head := headNoun(" " + normalize(core(text)) + " "); head != "" {
			hits = append(hits, hit{-1, head})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		// Context words ("customers", "release") name who or when, not
		// what is in a state; they come after real subjects.
		if ca, cb := contextWords[a.term], contextWords[b.term]; ca != cb {
			if ca {
				return 1
			}
			return -1
		}
		if a.at != b.at {
			return a.at - b.at
		}
		return len(b.term) - len(a.term)
	})
	v.hits = hits
	if len(hits) == 0 {
		return nil, impact
	}
	// out has room for every hit, in the slab, which is cut, never reused.
	if cap(v.slab)-len(v.slab) < len(hits) {
		v.slab = make([]string, 0, max(128, len(hits)))
	}
	out := v.slab[len(v.slab) : len(v.slab) : len(v.slab)+len(hits)]
	for _, h := range hits {
		if !slices.Contains(out, h.term) {
			out = append(out, h.term)
		}
	}
	v.slab = v.slab[:len(v.slab)+len(out)]
	return out[:len(out):len(out)], impact
}

// commonSubjects are nouns incident logs report the state of, so that two
// statements about them supersede each other even when the incident's front
// matter does not list them.
var commonSubjects = []string{"email", "login", "database", "queue", "script", "network", "dns", "api", "deploy", "release", "analytics", "cache", "disk", "cpu", "memory", "certificate", "cert", "latency", "payments", "search", "checkout", "replica", "replication", "lag", "backlog", "error rate", "5xx", "p99", "customers", "users", "tickets", "orders", "status page", "statuspage", "archiver", "volume", "shards", "pops", "traffic", "declines", "approval rate"}

// core strips a sentence to what is reported: no speaker ("Pete reports
// that"), no quotation marks, no lead-in phrase or filler.
func core(text string) string {
	t := strings.TrimSpace(text)
	if m := reported(t); m != nil && len(m[0]) < len(t) {
		t = t[len(m[0]):]
	} else if m := quoted(t); m != nil {
		t = m[2]
	}
	t = strings.TrimSpace(trimQuotes(t))
	if m := leadIn(t); m != nil && wordCount(t[m[1]:]) >= 4 {
		t = t[m[1]:]
	}
	return dropFiller(t)
}

// headNoun returns the first one or two words of a normalised sentence
// after any determiner, unless they are not a noun phrase at all.
func headNoun(nt string) string {
	words := strings.Fields(nt)
	i := 0
	for i < len(words) && determiners[words[i]] {
		i++
	}
	if i >= len(words) || notNoun[words[i]] || isNumber(words[i]) || len(words[i]) < 3 {
		return ""
	}
	head := words[i]
	if i+1 < len(words) && !notNoun[words[i+1]] && !isNumber(words[i+1]) && !strings.HasSuffix(words[i+1], "ing") && !strings.HasSuffix(words[i+1], "ed") {
		head += " " + words[i+1]
	}
	return head
}

var determiners = map[string]bool{"one": true, "another": true, "other": true, "the": true, "a": true, "an": true, "all": true, "our": true, "their": true, "some": true, "both": true, "new": true, "old": true, "this": true, "that": true, "these": true, "those": true, "every": true, "each": true, "most": true, "no": true}

// notNoun holds pronouns, verbs and state words a noun phrase stops at.
var notNoun = map[string]bool{"i": true, "we": true, "you": true, "he": true, "she": true, "it": true, "they": true, "there": true, "nobody": true, "someone": true, "anyone": true, "everyone": true, "is": true, "are": true, "wa": true, "were": true, "ha": true, "have": true, "had": true, "can": true, "will": true, "would": true, "should": true, "do": true, "doe": true, "did": true, "not": true, "still": true, "now": true, "back": true, "up": true, "down": true, "ok": true, "green": true, "red": true, "at": true, "on": true, "in": true, "to": true, "and": true, "of": true, "for": true, "from": true, "with": true, "by": true, "again": true, "fail": true, "look": true, "seem": true, "appear": true, "if": true, "when": true, "what": true, "who": true, "why": true, "how": true, "yes": true, "let": true, "after": true, "before": true, "since": true, "only": true, "also": true, "just": true, "then": true, "this": true, "these": true, "those": true, "unidentified": true, "maybe": true}

// commonNorm is commonSubjects normalised as sentences are; read-only.
var commonNorm = normalizeAll(commonSubjects)

// commonByHead lists commonNorm's subjects by their first word; read-only.
var commonByHead = func() map[string]commonHead {
	m := map[string]commonHead{}
	for _, c := range commonNorm {
		head, _, _ := strings.Cut(c, " ")
		h, ok := m[head]
		if !ok {
			h.bit = len(m)
			if h.bit >= 64 {
				panic("can: more first words of common subjects than a uint64 has bits")
			}
		}
		h.terms = append(h.terms, commonTerm{c, " " + c + " "})
		m[head] = h
	}
	return m
}()

// commonHead is the common subjects with one first word, and that word's
// bit in subjects' set of those met.
type commonHead struct {
	bit   int
	terms []commonTerm
}

// commonTerm is a common subject, and it with a space either side.
type commonTerm struct{ term, padded string }

// contextWords among them say who or when rather than what.
var contextWords = setOf(normalizeAll([]string{"customers", "users", "release", "deploy"}))

// impactWords among them are what users feel.
var impactWords = setOf(normalizeAll([]string{"customers", "users", "checkout", "login", "email", "payments", "search", "5xx", "error rate", "tickets", "declines", "approval rate", "orders"}))

func normalizeAll(list []string) []string {
	out := make([]string, len(list))
	for i, w := range list {
		out[i] = normalize(w)
	}
	return out
}

func setOf(list []string) map[string]bool {
	m := map[string]bool{}
	for _, w := range list {
		m[w] = true
	}
	return m
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}
