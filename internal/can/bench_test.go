package can

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var benchSentences = []string{
	"Pete reports that the executive has been contacted.",
	"Ana: db-3 disk 97%, writes slow on the primary cluster in eu-west",
	"One of the SMEs suggests disabling incoming e-mail because the queue is backed up.",
	"Lee: restarted cache-042 and watched the dashboards; the vendor status page is green.",
}

// BenchmarkClassify measures the cue table on typical log sentences.
func BenchmarkClassify(b *testing.B) {
	for b.Loop() {
		for _, s := range benchSentences {
			Classify(s)
		}
	}
}

func BenchmarkRules(b *testing.B) {
	for _, r := range Rules {
		b.Run(r.Name, func(b *testing.B) {
			for b.Loop() {
				for _, s := range benchSentences {
					r.Cue.MatchString(s)
				}
			}
		})
	}
}

// The split matcher is the pattern: for every rule, on every line of the
// labelled logs and on edge cases, it matches exactly when the whole
// regular expression does.
func TestMatchersAgree(t *testing.T) {
	sentences := append([]string{}, benchSentences...)
	for _, r := range Rules {
		sentences = append(sentences, r.Example)
	}
	sentences = append(sentences, "no answer", "ETA?", "we should", "5xx at 40%", "asks ana to check", "Luis, can you stop it?", "on it", "let's go",
		"down", "redis_down", "x-down-y", "shutdown", "down.", "the red button", "re-ran it", "fail", "failover", "")
	files, err := filepath.Glob("../../testdata/can/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no labelled logs: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			sentences = append(sentences, SplitSentences(line)...)
		}
	}
	for _, s := range sentences {
		lower := strings.ToLower(s)
		has := literals.find(lower)
		for i, r := range Rules {
			whole := r.Cue.MatchString(lower)
			split := false
			for _, a := range matchers[i] {
				split = split || a.match(lower, &has)
				if a.word != "" && has.has(a.ids[0]) != hasWord(lower, a.word) {
					t.Errorf("word %q in %q: table says %v, hasWord %v", a.word, s, has.has(a.ids[0]), hasWord(lower, a.word))
				}
			}
			if whole != split {
				t.Errorf("rule %s on %q: pattern says %v, split matcher %v", r.Name, s, whole, split)
			}
		}
	}
	if len(sentences) < 300 {
		t.Errorf("only %d sentences checked", len(sentences))
	}
}

// The entity scan finds exactly what entityRE finds.
func FuzzEntities(f *testing.F) {
	for _, s := range []string{"db-main-2 and pg_wal", "orders-api v2", "ab1c-d", "x9", "a-", "-a-b", "abc", "é-a1 z_9_", "svc-12, comp-033.", "a1b2-c3__d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := entityRE.FindAllStringIndex(s, -1)
		got := entities(s)
		if len(want) != len(got) {
			t.Fatalf("%q: regexp %v, scan %v", s, want, got)
		}
		for i := range want {
			if want[i][0] != got[i][0] || want[i][1] != got[i][1] {
				t.Fatalf("%q: regexp %v, scan %v", s, want, got)
			}
		}
	})
}

// clauseRE is what clauseAt finds, written as a pattern.
var clauseRE = regexp.MustCompile(`, which |, and that |, but |, so |, once |, because | because |; | — | – | - |, estimate |, roughly |, as |, while |, after |, and |, with |, then `)

// The cheap tests in front of the patterns never change an answer.
func FuzzGates(f *testing.F) {
	for _, s := range append(benchSentences, "Our best guess is 17:15.", "Beth, use the runbook.", "In the current state, the e-mail is being lost.",
		"There are seven cases", "It appears that the script failed", `"Looks good," says Pete.`, "Ana answered.", "ESTIMATE: 20 min", "a, and that b, and c; d — e - f", " because , which ", "a\u00a0b c\u2003", "x \xff y", "eſtimate", "“”", `'a"`,
		"We re-ran the job.", "Ana reran it", "ran the script, then ran a check", "started the failover", "it has been rolled back", "the re-ran", "Ran-the", "unpaged", "paged_x", "is up-to-date",
		"The status page notice is up.", "the vendor status page is green", "\xffabc", "ǆemo", "éclair", "statuspage: posted", "notice. posted", "API is back up", "needs to be has to", "12 tickets, 3 orders") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lower := strings.ToLower(s)
		same := func(name string, a, b any) {
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s of %q: pattern %q, gated %q", name, s, a, b)
			}
		}
		has := literals.find(lower)
		same("literals", findNaive(literals, lower), has)
		same("answer", answerRE.MatchString(s), isAnswer(s, lower, &has))
		same("estimate", estimateRE.MatchString(s), isEstimate(s, lower, &has))
		same("reported", reportedRE.FindStringSubmatch(s), reported(s))
		same("quoted", quotedRE.FindStringSubmatch(s), quoted(s))
		same("address", addressRE.FindStringSubmatch(s), address(s))
		same("lead-in", leadInRE.FindStringIndex(s), leadIn(s))
		same("filler", fillerRE.ReplaceAllString(s, ""), dropFiller(s))
		same("words", len(strings.Fields(s)), wordCount(s))
		for i, r := range Rules {
			split := false
			for _, a := range matchers[i] {
				split = split || a.match(lower, &has)
			}
			same("rule "+r.Name, r.Cue.MatchString(lower), split)
			// A rule's gate never rules out a sentence its pattern matches.
			if g := &gates[i]; g.all && !has.meets(&g.need) && r.Cue.MatchString(lower) {
				t.Fatalf("rule %s gated out %q, which it matches", r.Name, s)
			}
		}
		// The first rule whose pattern matches decides, as in classifyHas.
		wantKind, wantRule := None, ""
		for _, r := range Rules {
			if r.Cue.MatchString(lower) {
				wantKind, wantRule = r.Kind, r.Name
				break
			}
		}
		k, rule := classifyHas(lower, &has)
		same("classify", []any{wantKind, wantRule}, []any{k, rule})
		same("quotes", quoteTrim.ReplaceAllString(s, ""), trimQuotes(s))
		var cuts [][]int
		for i := 0; i < len(s); {
			if n := clauseAt(s[i:]); n > 0 {
				cuts, i = append(cuts, []int{i, i + n}), i+n
			} else {
				i++
			}
		}
		same("clauses", clauseRE.FindAllStringIndex(s, -1), cuts)
		same("upper first", upperFirstRef(s), upperFirst(s))
	})
}

// upperFirstRef is upperFirst as first written, copying every line.
func upperFirstRef(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// normalizeRef is normalize as first written: the scan must agree with it.
func normalizeRef(s string) string {
	s = strings.ToLower(s)
	s = spellings.Replace(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		} else {
			space = true
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		if len(w) > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			words[i] = w[:len(w)-1]
		}
	}
	return strings.Join(words, " ")
}

func FuzzNormalize(f *testing.F) {
	for _, s := range append(benchSentences, "E-Mail log in Sign-In logon’s", "Tickets  glass ÉCOLES ßs", "\xff\xfeabc", "İstanbul KELVIN", "a\u0301bcs") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if want, got := normalizeRef(s), normalize(s); want != got {
			t.Fatalf("normalize(%q) = %q, want %q", s, got, want)
		}
	})
}

// hasWord, the reference for the literal table's words, reports whether w
// occurs in s with an ASCII word boundary on both sides, as \bw\b does for
// a w that begins and ends with a word character.
func hasWord(s, w string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(w)
		if (i == 0 || !isWordByte(s[i-1])) && (j == len(s) || !isWordByte(s[j])) {
			return true
		}
		off = i + 1
	}
}

// findNaive is literalTable.find by a search for every literal.
func findNaive(t *literalTable, s string) litSet {
	var set litSet
	for id, l := range t.all {
		for i := 0; i+len(l.text) <= len(s); i++ {
			if !strings.HasPrefix(s[i:], l.text) {
				continue
			}
			j := i + len(l.text)
			if l.word && (i > 0 && isWordByte(s[i-1]) || j < len(s) && isWordByte(s[j])) {
				continue
			}
			set.add(id)
			break
		}
	}
	return set
}
