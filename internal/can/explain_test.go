package can_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/site"
)

// Explain says, for each line of the seed's report at the end of the
// call, the statement it rests on, the rule that classed it, and the
// statement it superseded.
func TestExplainSeed(t *testing.T) {
	data, err := os.ReadFile("../../testdata/can/seed.md")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	ci, _ := content.Parse("content/seed.md", data, cfg)
	inc, _ := site.Analyse(ci, markdown.New(false), cfg)
	exps := inc.Analysis.Explain(time.Time{}, can.Options{MaxLines: 5, MaxWords: 120})
	var found bool
	for _, e := range exps {
		if e.Section != "conditions" || !strings.Contains(e.Line.Text, "working again") {
			continue
		}
		found = true
		s := e.Statements[0]
		if s.Entry != "t-071700" || s.Rule != "healthy" || s.Kind != can.Condition {
			t.Errorf("statement %+v", s)
		}
		var sup []string
		for _, o := range s.Supersedes {
			sup = append(sup, o.Sentence)
		}
		if !strings.Contains(strings.Join(sup, "|"), "the old e-mail in the queue is backed up") {
			t.Errorf("supersedes %q; want the e-mail statement before it", sup)
		}
	}
	if !found {
		t.Fatalf("no conditions line about e-mail working again in %+v", exps)
	}
	text := can.ExplainText(exps)
	for _, want := range []string{"CONDITIONS", "from 07:17 (#t-071700)", "condition by rule healthy", "supersedes 07:02:26 (#t-070226)"} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q:\n%s", want, text)
		}
	}
}
