package can

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

// The matching machinery behind the cue table of rules.go: each rule's
// pattern split into alternatives gated by literals, so that most
// sentences are past most rules after a set test.

// matchers holds, per rule, its pattern split at the top-level "|" into
// alternatives, each cheap to rule out: most sentences hold none of an
// alternative's required literals, and a bare word ("\bdown\b") needs no
// regexp at all. A rule matches when any of its alternatives does, so this
// is the pattern's own meaning, only faster; the table runs on every
// sentence of every log.
var matchers, literals = func() ([][]alternative, *literalTable) {
	out := make([][]alternative, len(Rules))
	t := &literalTable{}
	for i, r := range Rules {
		out[i] = compileAlternatives(r.Cue.String(), t)
	}
	for _, w := range slices.Concat(answerWords, estimateWords) {
		t.add(w, false)
	}
	t.index()
	for _, alts := range out {
		for j := range alts {
			alts[j].sets()
		}
	}
	return out, t
}()

// gates holds, per rule, the literals one of which is in every sentence
// it matches, when each of its alternatives has such literals: a sentence
// holding none of them is past the rule with one test, and most sentences
// hold none of most rules' literals.
var gates = func() []gate {
	out := make([]gate, len(Rules))
	for i, alts := range matchers {
		out[i].all = true
		for _, a := range alts {
			if !a.gated {
				out[i].all = false
				break
			}
			out[i].need.union(&a.need)
		}
	}
	return out
}()

// gate is a rule's literals (gates).
type gate struct {
	all  bool // every alternative is gated
	need litSet
}

// alternative is one branch of a rule's pattern.
type alternative struct {
	word  string         // a plain word or phrase between \b and \b, or ""
	words bool           // ids are plain words, any of which matches
	lits  []string       // one of these is in every match (nil: unknown)
	ids   []int          // the literalTable ids of word, words or lits
	also  [][]int        // more such sets, of the branch's other parts
	re    *regexp.Regexp // the branch, when word is "" and words false
	// The ids as sets (sets), each tested against a sentence's literals
	// at once: need, when gated, one of which every match holds; alsoSets
	// are also's.
	gated    bool
	need     litSet
	alsoSets []litSet
}

// sets fills need and alsoSets from the ids.
func (a *alternative) sets() {
	if a.word != "" || a.words || a.lits != nil {
		a.gated = true
		for _, id := range a.ids {
			a.need.add(id)
		}
	}
	a.alsoSets = make([]litSet, len(a.also))
	for k, ids := range a.also {
		for _, id := range ids {
			a.alsoSets[k].add(id)
		}
	}
}

// match tells whether the alternative matches lower, which holds the
// literals in has (literalTable.find).
func (a *alternative) match(lower string, has *litSet) bool {
	if a.gated && !has.meets(&a.need) {
		return false
	}
	if a.word != "" || a.words {
		return true // a word, or any of the words, is in lower
	}
	for k := range a.alsoSets {
		if !has.meets(&a.alsoSets[k]) {
			return false
		}
	}
	return a.re.MatchString(lower)
}

// literalTable is every literal the alternatives need, words (which need
// a word boundary on both sides) and plain literals, by their first two
// bytes: one pass over a sentence finds all it holds, where a search per
// literal took a tenth of a build.
type literalTable struct {
	all    []literal
	single [256][]int // literals of one byte
	// byPair lists the literals starting with each pair of bytes, as a
	// range of order: it is built once the table is complete (index).
	start [1<<16 + 1]uint16
	order []candidate
	// words[p] is where the words (which need a word boundary before
	// them) begin in p's range of order: after a letter or digit only
	// the literals before it are tried.
	words [1 << 16]uint16
}

type literal struct {
	text string
	word bool
}

// candidate is a literal of two bytes or more in the table's order, with
// its first bytes (up to four, little-endian) and their mask: most
// candidates at a place differ from the text there in those.
type candidate struct {
	id         int
	head, mask uint32
}

// head4 is the first bytes of s, up to four, little-endian, and their mask.
func head4(s string) (uint32, uint32) {
	var h, m uint32
	for k := 0; k < min(len(s), 4); k++ {
		h |= uint32(s[k]) << (8 * k)
		m |= 0xff << (8 * k)
	}
	return h, m
}

// maxLiterals bounds the table, so a sentence's set is an array.
const maxLiterals = 10 * 64

type litSet [maxLiterals / 64]uint64

func (s *litSet) has(id int) bool { return s[id/64]&(1<<(id%64)) != 0 }

func (s *litSet) add(id int) { s[id/64] |= 1 << (id % 64) }

// meets reports whether s and o share a literal.
func (s *litSet) meets(o *litSet) bool {
	var any uint64
	for i := range s {
		any |= s[i] & o[i]
	}
	return any != 0
}

// union adds o's literals to s.
func (s *litSet) union(o *litSet) {
	for i := range s {
		s[i] |= o[i]
	}
}

func (t *literalTable) add(text string, word bool) int {
	l := literal{text, word}
	if i := slices.Index(t.all, l); i >= 0 {
		return i
	}
	if len(t.all) == maxLiterals {
		panic("can: more cue literals than maxLiterals")
	}
	t.all = append(t.all, l)
	return len(t.all) - 1
}

func pair(a, b byte) int { return int(a)<<8 | int(b) }

// ids are the table's ids of plain literals it holds.
func (t *literalTable) ids(lits []string) []int {
	out := make([]int, len(lits))
	for i, l := range lits {
		out[i] = slices.Index(t.all, literal{l, false})
		if out[i] < 0 {
			panic("can: literal " + l + " not in the table")
		}
	}
	return out
}

// index builds the lookup by first bytes.
func (t *literalTable) index() {
	var count [1 << 16]uint16
	for id, l := range t.all {
		if len(l.text) == 1 {
			t.single[l.text[0]] = append(t.single[l.text[0]], id)
		} else {
			count[pair(l.text[0], l.text[1])]++
		}
	}
	for p := range count {
		t.start[p+1] = t.start[p] + count[p]
	}
	t.order = make([]candidate, t.start[1<<16])
	next := t.start
	for _, word := range [2]bool{false, true} { // plain literals first
		for id, l := range t.all {
			if len(l.text) > 1 && l.word == word {
				p := pair(l.text[0], l.text[1])
				h, m := head4(l.text)
				t.order[next[p]] = candidate{id, h, m}
				next[p]++
			}
		}
		if !word {
			copy(t.words[:], next[:1<<16])
		}
	}
}

// find returns the literals s holds: a word only where it stands alone,
// with a word boundary on both sides as \b has it.
func (t *literalTable) find(s string) litSet {
	var set litSet // by value: one a sentence, not on the heap
	mark := func(id, i int) {
		l := t.all[id]
		if set.has(id) || !strings.HasPrefix(s[i:], l.text) {
			return
		}
		if j := i + len(l.text); l.word && (i > 0 && isWordByte(s[i-1]) || j < len(s) && isWordByte(s[j])) {
			return
		}
		set[id/64] |= 1 << (id % 64)
	}
	for i := 0; i < len(s); i++ {
		for _, id := range t.single[s[i]] {
			mark(id, i)
		}
		if i+1 < len(s) {
			p := pair(s[i], s[i+1])
			end := t.start[p+1]
			if i > 0 && isWordByte(s[i-1]) {
				end = t.words[p] // no word starts here
			}
			cands := t.order[t.start[p]:end]
			if len(cands) == 0 {
				continue
			}
			at, _ := head4(s[i:])
			for _, c := range cands {
				if at&c.mask == c.head {
					mark(c.id, i)
				}
			}
		}
	}
	return set
}

// isWordByte is \b's word character: ASCII letters, digits, underscore.
func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// splitTop splits a pattern at the "|" outside any group or class.
func splitTop(p string) []string {
	var parts []string
	depth, class, last := 0, false, 0
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			i++
		case class:
			class = c != ']'
		case c == '[':
			class = true
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0:
			parts = append(parts, p[last:i])
			last = i + 1
		}
	}
	return append(parts, p[last:])
}

func compileAlternatives(pattern string, t *literalTable) []alternative {
	var out []alternative
	for _, part := range splitTop(pattern) {
		if w, ok := plainWord(part); ok {
			out = append(out, alternative{word: w, ids: []int{t.add(w, true)}})
			continue
		}
		// \b(restarted|rolled back|ran (?:the|a))\b is those phrases
		// between \b and \b: the bare words among them are looked up
		// like plainWord's, the rest left to a regexp each. On most
		// sentences of a log one of these groups is what a rule matches
		// by, and the regexp tried every word at every place. Not when
		// the phrases multiply (\b(is|are) (up|down|…)\b): each is a
		// literal every sentence is searched for.
		if ps, ok := phrases(part); ok && len(ps) <= 2*len(requiredOf(part))+2 {
			words := alternative{words: true}
			for _, w := range ps {
				if _, plain := plainWord(`\b` + w + `\b`); plain {
					words.ids = append(words.ids, t.add(w, true))
					continue
				}
				out = append(out, alternative{re: regexp.MustCompile(`\b` + regexp.QuoteMeta(w) + `\b`), lits: []string{w}, ids: []int{t.add(w, false)}})
			}
			if len(words.ids) > 0 {
				out = append(out, words)
			}
			continue
		}
		a := alternative{re: regexp.MustCompile(part), lits: requiredOf(part)}
		for _, l := range a.lits {
			if l == "" {
				a.lits, a.ids = nil, nil // an empty literal rules nothing out
				break
			}
			a.ids = append(a.ids, t.add(l, false))
		}
		// A match holds one literal of each part's set, not only of the
		// most selective one: "status page ... is up" needs both.
		if a.lits != nil {
		sets:
			for _, lits := range requiredParts(part) {
				if slices.Equal(lits, a.lits) {
					continue
				}
				var ids []int
				for _, l := range lits {
					if l == "" {
						continue sets
					}
					ids = append(ids, t.add(l, false))
				}
				a.also = append(a.also, ids)
			}
		}
		out = append(out, a)
	}
	return out
}

// plainWord recognises \bphrase\b where the phrase is lower-case letters,
// digits and single spaces, starting and ending with a word character.
func plainWord(part string) (string, bool) {
	w, ok := strings.CutPrefix(part, `\b`)
	if !ok {
		return "", false
	}
	if w, ok = strings.CutSuffix(w, `\b`); !ok || w == "" {
		return "", false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == ' ' && i > 0 && i < len(w)-1 && w[i-1] != ' ') {
			return "", false
		}
	}
	return w, true
}

// requiredOf is required of a pattern.
func requiredOf(part string) []string {
	re, err := syntax.Parse(part, syntax.Perl)
	if err != nil {
		return nil
	}
	return required(re.Simplify())
}

// requiredParts is required of each part of a pattern that is a sequence
// of parts (every part's set holds for every match), or nil.
func requiredParts(part string) [][]string {
	re, err := syntax.Parse(part, syntax.Perl)
	if err != nil {
		return nil
	}
	if re = re.Simplify(); re.Op != syntax.OpConcat {
		return nil
	}
	var out [][]string
	for _, sub := range re.Sub {
		if lits := required(sub); lits != nil {
			out = append(out, lits)
		}
	}
	return out
}

// phrases recognises \b(...)\b matching a few phrases only, and returns
// them: "\b(is|are) (up|back)\b" is "is up", "is back", "are up", "are
// back".
func phrases(part string) ([]string, bool) {
	re, err := syntax.Parse(part, syntax.Perl)
	if err != nil {
		return nil, false
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) < 3 || re.Sub[0].Op != syntax.OpWordBoundary || re.Sub[len(re.Sub)-1].Op != syntax.OpWordBoundary {
		return nil, false
	}
	words, ok := finite(&syntax.Regexp{Op: syntax.OpConcat, Sub: re.Sub[1 : len(re.Sub)-1]})
	if !ok || slices.Contains(words, "") {
		return nil, false // \b\b is not a phrase
	}
	return words, true
}

// maxPhrases bounds what phrases expands a pattern into.
const maxPhrases = 256

// finite returns every string re matches, if they are few.
func finite(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpCapture:
		return finite(re.Sub[0])
	case syntax.OpQuest:
		sub, ok := finite(re.Sub[0])
		return append([]string{""}, sub...), ok
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if out = append(out, string(r)); len(out) > maxPhrases {
					return nil, false
				}
			}
		}
		return out, true
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s, ok := finite(sub)
			if !ok {
				return nil, false
			}
			if out = append(out, s...); len(out) > maxPhrases {
				return nil, false
			}
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			ends, ok := finite(sub)
			if !ok {
				return nil, false
			}
			var next []string
			for _, w := range out {
				for _, e := range ends {
					next = append(next, w+e)
				}
			}
			if out = next; len(out) > maxPhrases {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// required returns literals one of which any match of re contains, or nil
// when it cannot tell.
func required(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture:
		return required(re.Sub[0])
	case syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return required(re.Sub[0])
		}
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			lits := required(sub)
			if lits == nil {
				return nil
			}
			all = append(all, lits...)
		}
		return all
	case syntax.OpConcat:
		// Any required child will do; take the one with the longest
		// shortest literal, the most selective.
		var best []string
		bestLen := 0
		for _, sub := range re.Sub {
			lits := required(sub)
			if lits == nil {
				continue
			}
			shortest := len(lits[0])
			for _, l := range lits {
				shortest = min(shortest, len(l))
			}
			if shortest > bestLen {
				best, bestLen = lits, shortest
			}
		}
		return best
	}
	return nil
}

// Classify returns the kind of one sentence and the rule that decided it.
func Classify(sentence string) (Kind, string) {
	return classifyLower(strings.ToLower(sentence))
}

func classifyLower(lower string) (Kind, string) {
	has := literals.find(lower)
	return classifyHas(lower, &has)
}

// classifyHas is classifyLower with lower's literals found.
func classifyHas(lower string, has *litSet) (Kind, string) {
	for i, r := range Rules {
		if g := &gates[i]; g.all && !has.meets(&g.need) {
			continue
		}
		alts := matchers[i]
		for j := range alts {
			if alts[j].match(lower, has) {
				return r.Kind, r.Name
			}
		}
	}
	return None, ""
}
