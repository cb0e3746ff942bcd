package can_test

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/site"
)

// The floors of TestObservationScore: just under what the rules reached
// when the labels were first scored.
const (
	floorObsRecall    = 0.33
	floorObsPrecision = 0.35
)

// TestObservationScore measures the command observations against what a
// reviewer who had not read the rules noted in each labelled log
// (testdata/can/*.labels, "obs" lines): an observation is found when one
// of the same kind rests on one of the entries the label names. Held-out
// logs are reported apart.
func TestObservationScore(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/can/*.labels")
	sort.Strings(files)
	type tally struct{ logs, labels, found, derived, right int }
	sets := map[string]*tally{"development": {}, "held out": {}}
	for _, lf := range files {
		l := readLabels(t, lf)
		if !l.obsLabelled {
			continue
		}
		data, err := os.ReadFile(strings.TrimSuffix(lf, ".labels") + ".md")
		if err != nil {
			t.Fatal(err)
		}
		cfg := config.Default()
		ci, _ := content.Parse("content/x.md", data, cfg)
		inc, _ := site.Analyse(ci, markdown.New(false), cfg)
		clockOf := map[string]string{}
		for _, e := range inc.Timeline.Entries {
			clockOf[e.Anchor] = e.Clock
		}
		matches := func(kind string, entries []string, clocks []string) bool {
			for _, a := range entries {
				if slices.Contains(clocks, clockOf[a]) {
					return true
				}
			}
			return false
		}
		s := sets[map[bool]string{false: "development", true: "held out"}[l.heldOut]]
		s.logs++
		for _, o := range l.obs {
			s.labels++
			ok := false
			for _, d := range inc.Observations {
				ok = ok || string(d.Kind) == o.kind && matches(o.kind, d.Entries, o.clocks)
			}
			if ok {
				s.found++
			} else if !l.heldOut && testing.Verbose() {
				t.Logf("%s: missed %s at %v: %s", filepath.Base(lf), o.kind, o.clocks, o.what)
			}
		}
		for _, d := range inc.Observations {
			s.derived++
			ok := false
			for _, o := range l.obs {
				ok = ok || string(d.Kind) == o.kind && matches(o.kind, d.Entries, o.clocks)
			}
			if ok {
				s.right++
			} else if !l.heldOut && testing.Verbose() {
				t.Logf("%s: unlabelled %s %v: %s", filepath.Base(lf), d.Kind, d.Entries, d.Text)
			}
		}
	}
	for _, name := range []string{"development", "held out"} {
		s := sets[name]
		t.Logf("observations, %s (%d logs): recall %d/%d = %.2f, precision %d/%d = %.2f", name, s.logs,
			s.found, s.labels, ratio(s.found, s.labels), s.right, s.derived, ratio(s.right, s.derived))
	}
	all := tally{}
	for _, s := range sets {
		all.labels += s.labels
		all.found += s.found
		all.derived += s.derived
		all.right += s.right
	}
	if all.labels > 0 && (ratio(all.found, all.labels) < floorObsRecall || ratio(all.right, all.derived) < floorObsPrecision) {
		t.Errorf("observations: recall %.2f, precision %.2f, below the floors %.2f and %.2f",
			ratio(all.found, all.labels), ratio(all.right, all.derived), floorObsRecall, floorObsPrecision)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
