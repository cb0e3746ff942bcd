package site

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/yuin/goldmark/ast"
	"gopkg.in/yaml.v3"
)

// corpusWant is a .want file of testdata/logs: written by hand from the
// source, never from debrief's output.
type corpusWant struct {
	Entries int `yaml:"entries"`
	Checks  []struct {
		Text  string    `yaml:"text"`
		At    time.Time `yaml:"at"`
		Actor string    `yaml:"actor"`
	} `yaml:"checks"`
}

// corpusScore is how one log of the corpus came out.
type corpusScore struct {
	countOK        bool
	checks, passed int
	problems       []string
}

func scoreLog(t *testing.T, path string) corpusScore {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := os.ReadFile(strings.TrimSuffix(path, ".md") + ".want")
	if err != nil {
		t.Fatal(err)
	}
	var want corpusWant
	if err := yaml.Unmarshal(wb, &want); err != nil {
		t.Fatalf("%s.want: %v", path, err)
	}
	cfg := config.Default()
	ci, ds := content.Parse("content/"+filepath.Base(path), data, cfg)
	if ci == nil || ds.HasErrors() {
		t.Fatalf("%s: %v", path, ds)
	}
	inc, ads := Analyse(ci, markdown.New(false), cfg)
	if ads.HasErrors() {
		t.Errorf("%s: errors %v", path, ads)
	}
	var sc corpusScore
	es := inc.Timeline.Entries
	sc.countOK = len(es) == want.Entries
	if !sc.countOK {
		sc.problems = append(sc.problems, "entries: got "+itoa(len(es))+", want "+itoa(want.Entries))
	}
	for _, c := range want.Checks {
		sc.checks++
		phrase := collapse(c.Text)
		var found []string
		ok := false
		for _, e := range es {
			if !strings.Contains(collapse(e.Text), phrase) {
				continue
			}
			found = append(found, e.At.Format(time.RFC3339)+" actor "+e.Actor)
			if e.At.Equal(c.At) && (c.Actor == "" || c.Actor == e.Actor) {
				ok = true
			}
		}
		if ok {
			sc.passed++
			continue
		}
		sc.problems = append(sc.problems, "check "+c.Text+" at "+c.At.Format(time.RFC3339)+" actor "+c.Actor+": found "+strings.Join(found, "; "))
	}
	if lost := lostWords(inc, ci.Body); len(lost) > 0 {
		sc.problems = append(sc.problems, "text lost: "+strings.Join(lost, " "))
		sc.countOK = false
	}
	return sc
}

// TestCorpus holds the timeline parser to real logs nobody here wrote
// (testdata/logs): each file's entry count exact, its checked entries at
// the instants worked out by hand from the source, and no text lost.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/logs/*.md")
	var logs int
	for _, f := range files {
		if filepath.Base(f) == "README.md" {
			continue
		}
		logs++
		t.Run(strings.TrimSuffix(filepath.Base(f), ".md"), func(t *testing.T) {
			sc := scoreLog(t, f)
			for _, p := range sc.problems {
				t.Error(p)
			}
		})
	}
	if logs < 20 {
		t.Errorf("only %d logs in testdata/logs", logs)
	}
}

// TestCorpusHeldOut scores the held-out logs (testdata/logs/heldout),
// which are read only to score, never while changing the parser; the
// floors sit just under what the parser reached when they were first
// scored.
func TestCorpusHeldOut(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/logs/heldout/*.md")
	var exact, checks, passed int
	for _, f := range files {
		sc := scoreLog(t, f)
		if sc.countOK {
			exact++
		}
		checks += sc.checks
		passed += sc.passed
		t.Logf("%s: count and text %v, %d of %d checks", filepath.Base(f), sc.countOK, sc.passed, sc.checks)
	}
	t.Logf("held out: %d of %d logs exact (count and no text lost), %d of %d checked instants right", exact, len(files), passed, checks)
	if len(files) < 5 {
		t.Errorf("only %d held-out logs", len(files))
	}
	if exact < heldOutExactFloor || passed < heldOutCheckFloor {
		t.Errorf("held-out score fell below its floor (%d logs exact, %d checks)", heldOutExactFloor, heldOutCheckFloor)
	}
}

// The held-out floors: see TestCorpusHeldOut.
const (
	heldOutExactFloor = 5
	heldOutCheckFloor = 22
)

var wordRE = regexp.MustCompile(`[\p{L}]{4,}`)

// lostWords returns the words of the body that are in neither the
// timeline nor the rest of the page.
func lostWords(inc *Incident, body []byte) []string {
	var kept strings.Builder
	add := func(n ast.Node) {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch t := c.(type) {
			case *ast.Text:
				kept.Write(t.Segment.Value(body))
			case *ast.String:
				kept.Write(t.Value)
			case *ast.AutoLink:
				kept.Write(t.URL(body))
			case *ast.Link:
				kept.Write(t.Destination)
			case *ast.Image:
				kept.Write(t.Destination)
			case *ast.RawHTML:
				for i := 0; i < t.Segments.Len(); i++ {
					s := t.Segments.At(i)
					kept.Write(s.Value(body))
				}
			case *ast.HTMLBlock, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.Heading:
				for i := 0; i < c.Lines().Len(); i++ {
					s := c.Lines().At(i)
					kept.Write(s.Value(body))
				}
				if c.Kind() == ast.KindFencedCodeBlock {
					if info := c.(*ast.FencedCodeBlock).Info; info != nil {
						kept.Write(info.Segment.Value(body))
					}
				}
			}
			kept.WriteByte(' ')
			return ast.WalkContinue, nil
		})
	}
	add(inc.Doc)
	for _, n := range inc.Timeline.Intro {
		add(n)
	}
	for _, e := range inc.Timeline.Entries {
		add(e.Content)
		kept.WriteString(" " + e.Actor + " ")
	}
	have := map[string]bool{}
	for _, w := range wordRE.FindAllString(kept.String(), -1) {
		have[strings.ToLower(w)] = true
	}
	var lost []string
	for _, w := range wordRE.FindAllString(string(body), -1) {
		if !have[strings.ToLower(w)] && !monthOrZone(w) {
			lost = append(lost, w)
		}
	}
	return lost
}

// monthOrZone: the words of a time stamp, which become the entry's time.
func monthOrZone(w string) bool {
	switch strings.ToLower(strings.TrimSuffix(w, ".")) {
	case "january", "february", "march", "april", "june", "july", "august", "september", "october",
		"november", "december", "sept", "monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday", "today", "yesterday", "timeline", "edited", "replied", "thread", "view", "newer", "older", "replies", "reply", "posted", "updated", "approximately", "around", "about", "tues", "thurs":
		return true
	}
	return false
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func itoa(n int) string { return strconv.Itoa(n) }
