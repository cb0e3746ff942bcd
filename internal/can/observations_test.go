package can_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/can"
	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/corpus"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/site"
)

// observe analyses the incident file at path and returns its observations,
// as a site's Classify would with the default configuration.
func observe(t *testing.T, path string) []can.Observation {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	ci, ds := content.Parse(filepath.Base(path), data, cfg)
	if ci == nil || ds.HasErrors() {
		t.Fatalf("%s: %v", path, ds)
	}
	inc, _ := site.Analyse(ci, markdown.New(false), cfg)
	return inc.Analysis.Observe(observeOptions(inc, cfg))
}

// observeOptions is what an incident gives Observe: its key moments, its
// role holders, the site's silence threshold and report bounds.
func observeOptions(inc *site.Incident, cfg config.Config) can.ObserveOptions {
	o := can.ObserveOptions{
		Moments:   map[string]time.Time{},
		Silence:   time.Duration(cfg.Timeline.SilenceMinutes) * time.Minute,
		Commander: inc.Commander,
		Roles:     map[string]string{},
		Report:    can.Options{MaxLines: cfg.CAN.MaxLines, MaxWords: cfg.CAN.MaxWords},
	}
	for _, m := range inc.Moments {
		o.Moments[m.Name] = m.At
	}
	for _, r := range inc.Roles {
		o.Roles[r.Person] = r.Role
	}
	return o
}

// want is an observation a test expects: its kind and rule, words its text
// must hold, entries it must link, and its duration (-1: none expected).
type want struct {
	kind    can.ObservationKind
	rule    string
	has     []string
	entries []string
	seconds int64
	open    bool
}

// find returns the first observation that matches w, or nil.
func find(obs []can.Observation, w want) *can.Observation {
	for i := range obs {
		o := &obs[i]
		if o.Kind != w.kind || (w.rule != "" && o.Rule != w.rule) || o.Open != w.open {
			continue
		}
		ok := true
		for _, s := range w.has {
			ok = ok && strings.Contains(o.Text, s)
		}
		for _, e := range w.entries {
			ok = ok && slices.Contains(o.Entries, e)
		}
		switch {
		case w.seconds < 0:
			ok = ok && o.Seconds == nil
		case w.seconds > 0:
			ok = ok && o.Seconds != nil && *o.Seconds == w.seconds
		}
		if ok {
			return o
		}
	}
	return nil
}

func dump(obs []can.Observation) string {
	var b strings.Builder
	for _, o := range obs {
		b.WriteString("\n  " + string(o.Kind) + "/" + o.Rule + " " + strings.Join(o.Entries, ",") + ": " + o.Text)
	}
	return b.String()
}

// What an incident-command instructor points out in the seed exercise,
// written down from the log before the rules were: the executive's question
// asked three times, the commander's either/or question to both executives
// left unanswered for 51 minutes, the confusion over who runs the bridge,
// the commander silent while an SME sets the course, the long silences
// while customers could not log in, and what was still open at the end.
func TestObserveSeed(t *testing.T) {
	obs := observe(t, "../../content/incidents/2024-03-14-email-loss-login-failures.md")
	for _, w := range []want{
		// 04:21:43: "Paul asks the question a second and third time", and
		// only after several minutes an SME answers "about 30 minutes".
		{kind: can.RepeatedQuestion, rule: "asked-again", has: []string{"Paul", "How long are we going to investigate this issue?", "three times", "after several minutes", "30 minutes"}, entries: []string{"t-042143"}, seconds: -1},
		// 04:58:41, no answer from either executive; the call moves only at
		// 05:49:45: 51 minutes 4 seconds.
		{kind: can.DecisionWait, rule: "decision-asked", has: []string{"Pete", "both Executives", "04:58:41", "no answer", "05:49:45", "Executive", "Let’s move forward"}, entries: []string{"t-045841", "t-054945"}, seconds: 51*60 + 4},
		{kind: can.RoleConfusion, rule: "who-leads", has: []string{"Paul", "who is running this bridge", "06:37:25", "Pete", "leader"}, entries: []string{"t-063725"}},
		{kind: can.RoleConfusion, rule: "confusion", has: []string{"04:19:20", "who is going to handle database issues"}, entries: []string{"t-041920"}},
		{kind: can.RoleConfusion, rule: "silent-role", has: []string{"Pete", "commander", "silent", "06:24:06", "Let’s work on the e-mail issue"}, entries: []string{"t-062406"}},
		// Silences of 15 minutes or more between 01:12 (impact began) and
		// 07:17 (resolved).
		{kind: can.Silence, has: []string{"03:39:25", "04:09:14"}, entries: []string{"t-033925", "t-040914"}, seconds: 29*60 + 49},
		{kind: can.Silence, has: []string{"04:29:22", "04:46:22"}, entries: []string{"t-042922", "t-044622"}, seconds: 17 * 60},
		{kind: can.Silence, has: []string{"05:15:52", "05:44:23"}, entries: []string{"t-051552", "t-054423"}, seconds: 28*60 + 31},
		{kind: can.Silence, has: []string{"05:49:45", "06:10:43"}, entries: []string{"t-054945", "t-061043"}, seconds: 20*60 + 58},
		{kind: can.Silence, has: []string{"06:37:25", "07:02:26"}, entries: []string{"t-063725", "t-070226"}, seconds: 25*60 + 1},
		// The executive's request at 07:02:26 that everything be documented.
		{kind: can.OpenNeed, has: []string{"documented for the root cause analysis", "07:02:26"}, entries: []string{"t-070226"}, seconds: 47*60 + 34, open: true},
		// Pete hands the queue flush to an SME; nothing later says it was
		// flushed.
		{kind: can.UnconfirmedWork, has: []string{"07:02:26", "Pete asks another SME to take care of it", "flushing the queue"}, entries: []string{"t-070226"}, seconds: -1, open: true},
		// Impact from 01:12 (started); the first action, "Disable it", at
		// 03:39:25; mitigated 06:31:05; the decision that ended the impact,
		// "Let's move forward", at 05:49:45.
		{kind: can.TimeToAction, has: []string{"01:12", "03:39:25", "Disable it"}, entries: []string{"t-033925"}, seconds: 2*3600 + 27*60 + 25},
		{kind: can.TimeToMitigation, has: []string{"01:12", "06:31:05"}, entries: []string{"t-063105"}, seconds: 5*3600 + 19*60 + 5},
		{kind: can.EndingDecision, has: []string{"05:49:45", "Let’s move forward", "Executive"}, entries: []string{"t-054945"}, seconds: 4*3600 + 37*60 + 45},
	} {
		if find(obs, w) == nil {
			t.Errorf("no %s observation (rule %q) with %q and entries %v; observations:%s", w.kind, w.rule, w.has, w.entries, dump(obs))
		}
	}
	// And nothing an instructor would not say: one decision asked for, one
	// question asked again ("Someone asks how long that might take" was
	// answered at once), five silences.
	counts := map[can.ObservationKind]int{}
	for _, o := range obs {
		counts[o.Kind]++
		if o.Text == "" || len(o.Entries) == 0 || o.Rule == "" {
			t.Errorf("observation without text, entries or rule: %+v", o)
		}
	}
	for k, n := range map[can.ObservationKind]int{can.DecisionWait: 1, can.RepeatedQuestion: 1, can.Silence: 5, can.UnconfirmedWork: 1, can.RoleConfusion: 3} {
		if counts[k] != n {
			t.Errorf("%d %s observations, want %d:%s", counts[k], k, n, dump(obs))
		}
	}
}

// obsCase is a log and an observation it must hold (or, with absent, must
// not hold: a kind at an entry).
type obsCase struct {
	file   string
	want   want
	absent bool
}

// Every rule of the table finds its observation in a log it was written
// for — the seed exercise and real public logs where they hold one, else
// the labelled logs written for debrief (testdata/can) — and sentences
// that only look like the cue find nothing.
func TestObservationRules(t *testing.T) {
	const (
		seed      = "../../content/incidents/2024-03-14-email-loss-login-failures.md"
		flutter   = "../../testdata/logs/flutter-2023-03-27-defender-discord.md"
		sreBook   = "../../testdata/logs/sre-book-shakespeare-postmortem.md"
		mybinder  = "../../testdata/logs/mybinder-2018-01-18-reddit-hug.md"
		k8sSlack  = "../../testdata/logs/k8s-prow-2019-05-30-slack.md"
		questions = "../../testdata/can/questions.md"
		chatops   = "../../testdata/can/chatops.md"
		midnight  = "../../testdata/can/midnight.md"
		narrative = "../../testdata/can/narrative.md"
		list      = "../../testdata/can/listactors.md"
	)
	cases := []obsCase{
		{file: seed, want: want{kind: can.TimeToAction, rule: "first-action", entries: []string{"t-033925"}}},
		{file: seed, want: want{kind: can.TimeToMitigation, rule: "mitigated", has: []string{"Mitigated"}, entries: []string{"t-063105"}}},
		// Resolved, as the log marks it (no mitigated moment): 14:54 to 16:00.
		{file: sreBook, want: want{kind: can.TimeToMitigation, rule: "mitigated", has: []string{"Resolved", "16:00"}, seconds: 66 * 60}},
		{file: sreBook, want: want{kind: can.EndingDecision, rule: "ending-decision", has: []string{"15:21", "decide to increase instance count"}, seconds: 27 * 60}},
		{file: seed, want: want{kind: can.EndingDecision, rule: "ending-decision", entries: []string{"t-054945"}}},
		{file: seed, want: want{kind: can.RepeatedQuestion, rule: "asked-again", entries: []string{"t-042143"}}},
		// "What is the ETA?" at 16:05, 16:12 and 16:24; the best guess at
		// 16:26.
		{file: questions, want: want{kind: can.RepeatedQuestion, rule: "same-question", has: []string{"Grace", "What is the ETA?", "three times", "Hiro", "21 minutes"}, entries: []string{"t-1605", "t-1612", "t-1624", "t-1626"}, seconds: 21 * 60}},
		{file: seed, want: want{kind: can.DecisionWait, rule: "decision-asked", entries: []string{"t-045841"}}},
		// Put to the room and agreed to in the same minute.
		{file: flutter, want: want{kind: can.DecisionWait, rule: "decision-asked", has: []string{"mini postmortem", "agreed", "good idea"}, entries: []string{"t-1049-2", "t-1049-3"}}},
		{file: midnight, want: want{kind: can.DecisionWait, rule: "decision-asked", has: []string{"whether to wait for AWS", "Stefan", "Fail over now"}, entries: []string{"t-2320", "t-2322"}, seconds: 120}},
		// An either-or answered by doing one of the two: "keeping 600G".
		{file: chatops, want: want{kind: can.DecisionWait, rule: "decision-asked", has: []string{"keeping 600G"}, entries: []string{"t-1437", "t-1450"}, seconds: 13 * 60}},
		{file: questions, want: want{kind: can.DecisionWait, rule: "decision-asked", has: []string{"Should we restart the reindex tonight or wait?", "no decision"}, entries: []string{"t-1705"}, open: true}},
		{file: seed, want: want{kind: can.RoleConfusion, rule: "who-leads", entries: []string{"t-063725"}}},
		// Hiro's "Nadia, please add disk" at 16:17 is no answer to who owns
		// the cluster.
		{file: questions, want: want{kind: can.RoleConfusion, rule: "who-owns", has: []string{"Who owns the search cluster", "nobody answered"}, entries: []string{"t-1610"}, open: true}},
		{file: chatops, want: want{kind: can.RoleConfusion, rule: "who-owns", has: []string{"who owns the bucket policy"}, entries: []string{"t-1421"}, open: true}},
		{file: seed, want: want{kind: can.RoleConfusion, rule: "confusion", entries: []string{"t-041920"}}},
		{file: seed, want: want{kind: can.RoleConfusion, rule: "silent-role", entries: []string{"t-062406"}}},
		{file: seed, want: want{kind: can.Silence, rule: "silence", entries: []string{"t-051552", "t-054423"}}},
		{file: seed, want: want{kind: can.OpenNeed, rule: "open-need", entries: []string{"t-070226"}, open: true}},
		{file: seed, want: want{kind: can.UnconfirmedWork, rule: "assigned", entries: []string{"t-070226"}, open: true}},

		// Questions that only look like a decision asked for.
		{file: list, want: want{kind: can.DecisionWait, entries: []string{"t-0909"}}, absent: true},                              // "Do we know why auto-renew didn't run?"
		{file: narrative, want: want{kind: can.DecisionWait, entries: []string{"t-100640"}}, absent: true},                       // "asks Ken whether any firewall or proxy changes went out"
		{file: mybinder, want: want{kind: can.DecisionWait}, absent: true},                                                       // "Decide there must be a problem …"
		{file: seed, want: want{kind: can.RepeatedQuestion, entries: []string{"t-042922"}}, absent: true},                        // "Someone asks how long that might take", answered at once
		{file: k8sSlack, want: want{kind: can.UnconfirmedWork}, absent: true},                                                    // "Anything I can do to help Katharine?" offers
		{file: narrative, want: want{kind: can.UnconfirmedWork, entries: []string{"t-100211"}}, absent: true},                    // "Tom reports the error logs show …"
		{file: questions, want: want{kind: can.UnconfirmedWork, entries: []string{"t-1617"}}, absent: true},                      // "Reindex job stopped.", "Disk added"
		{file: seed, want: want{kind: can.RoleConfusion, entries: []string{"t-045841"}}, absent: true},                           // a decision asked for, not a role
		{file: seed, want: want{kind: can.TimeToAction, entries: []string{"t-033925"}, has: []string{"suggests"}}, absent: true}, // a suggestion is no action
	}
	covered := map[string]bool{}
	obs := map[string][]can.Observation{}
	for _, c := range cases {
		if obs[c.file] == nil {
			obs[c.file] = observe(t, c.file)
		}
		got := obs[c.file]
		var o *can.Observation
		for _, open := range []bool{c.want.open, !c.want.open} {
			w := c.want
			w.open = open
			if o = find(got, w); o != nil || !c.absent {
				break
			}
		}
		switch {
		case c.absent && o != nil:
			t.Errorf("%s: unwanted %s observation at %v: %s", filepath.Base(c.file), c.want.kind, o.Entries, o.Text)
		case !c.absent && o == nil:
			t.Errorf("%s: no %s observation (rule %q) with %q at %v; observations:%s", filepath.Base(c.file), c.want.kind, c.want.rule, c.want.has, c.want.entries, dump(got))
		case !c.absent:
			covered[o.Rule] = true
		}
	}
	for _, r := range can.ObservationRules {
		if !covered[r.Name] {
			t.Errorf("rule %s has no case in TestObservationRules", r.Name)
		}
	}
}

// Observe never panics, and every observation it makes has a kind of the
// table, text, a rule, and entries of the log.
func FuzzObserve(f *testing.F) {
	for _, p := range []string{"../../content/incidents/2024-03-14-email-loss-login-failures.md", "../../testdata/can/questions.md", "../../testdata/can/chatops.md", "../../testdata/can/midnight.md"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("---\ntitle: T\ndate: 2024-01-01\nstarted: \"10:00\"\nmitigated: \"09:00\"\ncommander: A\n---\n- 10:00 A: who owns it? answer: B\n- 10:30 B: should we x or y? no answer\n- 11:00 A is silent. Let's y.\n"))
	// Mitigated before the log's first entry.
	f.Add([]byte("---\ntitle: 0\ndate: 0000-01-01\nstarted: \"0:00\"\nmitigated: \"0:00\"\n---\n00:10 0"))
	cfg := config.Default()
	md := markdown.New(false)
	f.Fuzz(func(t *testing.T, data []byte) {
		ci, ds := content.Parse("content/f.md", data, cfg)
		if ci == nil || ds.HasErrors() {
			return
		}
		inc, _ := site.Analyse(ci, md, cfg)
		anchors := map[string]bool{}
		for _, e := range inc.Timeline.Entries {
			anchors[e.Anchor] = true
		}
		for _, o := range inc.Observations {
			if !slices.Contains(can.ObservationKinds, o.Kind) || o.Text == "" || o.Rule == "" || len(o.Entries) == 0 {
				t.Fatalf("observation %+v", o)
			}
			for _, a := range o.Entries {
				if !anchors[a] {
					t.Fatalf("observation %q links %q, no entry of the log", o.Text, a)
				}
			}
		}
	})
}

// BenchmarkObserve measures the observations of generated incidents (20–80
// entries each) against classifying them, which every build does anyway.
func BenchmarkObserve(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Generate(dir, corpus.Options{N: 200, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "content", "incidents", "*", "*.md"))
	cfg := config.Default()
	md := markdown.New(false)
	var incs []*site.Incident
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if ci, ds := content.Parse("content/f.md", data, cfg); ci != nil && !ds.HasErrors() {
			inc, _ := site.Analyse(ci, md, cfg)
			incs = append(incs, inc)
		}
	}
	b.Run("classify", func(b *testing.B) {
		for b.Loop() {
			for _, inc := range incs {
				can.Analyse(inc.Timeline.Entries, can.Terms{Impact: inc.Services, Other: inc.Components})
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(incs)), "µs/incident")
	})
	b.Run("observe", func(b *testing.B) {
		for b.Loop() {
			for _, inc := range incs {
				inc.Analysis.Observe(observeOptions(inc, cfg))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(incs)), "µs/incident")
	})
}
