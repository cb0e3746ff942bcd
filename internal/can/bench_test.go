package can

import (
	"strings"
	"testing"
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

// The prefilter never hides a match: for every rule and many sentences,
// matching with and without it agrees.
func TestPrefilterAgrees(t *testing.T) {
	sentences := append([]string{}, benchSentences...)
	for _, r := range Rules {
		sentences = append(sentences, r.Example)
	}
	sentences = append(sentences, "no answer", "ETA?", "we should", "5xx at 40%", "asks ana to check", "Luis, can you stop it?", "on it", "let's go")
	for _, s := range sentences {
		lower := strings.ToLower(s)
		for i, r := range Rules {
			if r.Cue.MatchString(lower) && !mayMatch(i, lower) {
				t.Errorf("rule %s matches %q but its prefilter %v says it cannot", r.Name, s, prefilter[i])
			}
		}
	}
}
