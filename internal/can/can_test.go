package can

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/timeline"
)

// Every rule's example sentence, from a real log, is classed by that rule.
func TestRuleExamples(t *testing.T) {
	for _, r := range Rules {
		k, name := Classify(r.Example)
		if name != r.Name || k != r.Kind {
			t.Errorf("rule %s: example %q classed %s by %q", r.Name, r.Example, k, name)
		}
	}
}

// Sentences of the seed bridge-call log and the kind a trained incident
// commander gives them.
func TestClassifySeedSentences(t *testing.T) {
	tests := []struct {
		sentence string
		want     Kind
	}{
		{"In the current state, the e-mail is being lost.", Condition},
		{"E-mail test failed for Server 24 and analytics as well.", Condition},
		{"Pete reports that the executive has been contacted.", Action},
		{"Pete reports there are some issues in the Main Street Datacenter (MSDC), which started about 06:20.", Condition},
		{"Joe said he needs to check Server 28 to make sure there are no problems there.", Need},
		{"Pete says, “After the software release, there are a couple of customers that are not able to log in.”", Condition},
		{"Paul asks, “How long are we going to investigate this issue?”", Need},
		{"The discussion continues, but no one answers the question.", None},
		{"Paul directs the group to “not do the investigation and to take quick action to restore service.", Action},
		{"We need to confirm that the script was correct.", Need},
		{"An SME says, “It appears that the script did not run correctly and that we should run it again.”", Condition},
		{"Customer Service says there are seven cases now and that the customers are unable to log in.", Condition},
		{"After several minutes, the Executive says, “Let’s move forward.”", Action},
		{"Pete reports that the analytics look good and are all green.", Condition},
		{"Customer Service reports they have checked with a customer and they are able to log in.", Condition},
		{"SME asks for some help in flushing the queue.", Need},
		{"Pete asks another SME to take care of it.", Action},
		{"Pete says, “Looks like e-mail is working again.”", Condition},
		{"Discussion on the two approaches to take to resolve the issue.", None},
		{"Additional discussion occurs about the script.", None},
	}
	for _, tt := range tests {
		if k, rule := Classify(tt.sentence); k != tt.want {
			t.Errorf("%q: %s (rule %q), want %s", tt.sentence, k, rule, tt.want)
		}
	}
}

func TestSplitSentences(t *testing.T) {
	got := SplitSentences(`Pete says, “After the release, customers are not able to log in.” Paul chimes in, “This may be a metadata issue.” One of the SMEs confirms. See e.g. the runbook. Dr. Who agrees? Yes!`)
	want := []string{
		"Pete says, “After the release, customers are not able to log in.”",
		"Paul chimes in, “This may be a metadata issue.”",
		"One of the SMEs confirms.",
		"See e.g. the runbook.",
		"Dr. Who agrees?",
		"Yes!",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	// One sentence with no stop, the common entry; blank; and bytes that
	// are not UTF-8, which read as U+FFFD either way.
	for text, want := range map[string][]string{
		"  need a DBA on the bridge ": {"need a DBA on the bridge"},
		" \t\n":                       nil,
		"disk \xff full":              {"disk \uFFFD full"},
		"disk \xff full. Paged":       {"disk \uFFFD full.", "Paged"},
	} {
		if got := SplitSentences(text); !slices.Equal(got, want) {
			t.Errorf("SplitSentences(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestConcise(t *testing.T) {
	tests := []struct{ in, actor, want string }{
		{"Pete reports that the executive has been contacted.", "Pete", "The executive has been contacted (Pete)"},
		{"Pete says, “Looks like e-mail is working again.”", "Pete", "Looks like e-mail is working again (Pete)"},
		{"An SME says, “Let’s work on the e-mail issue.”", "", "Let’s work on the e-mail issue (SME)"},
		{"There is some discussion, then someone says, “Disable it, then we can discuss it.”", "", "Disable it, then we can discuss it"},
		{"E-mail test failed for Server 24 and analytics as well.", "", "E-mail test failed for Server 24 and analytics as well"},
		{"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen", "", "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"},
		// Too long: it ends at the last whole phrase, never with "…".
		{"Consumer lag on the analytics event stream starts to grow with the afternoon peak and keeps growing until the evening.", "", "Consumer lag on the analytics event stream starts to grow with the afternoon peak"},
		{"The Executive wants to make sure everything is documented for the root cause analysis of the incident today.", "", "The Executive wants to make sure everything is documented for the root cause analysis"},
	}
	for _, tt := range tests {
		if got := Concise(tt.in, tt.actor); got != tt.want {
			t.Errorf("Concise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func entries(lines ...string) []*timeline.Entry {
	base := time.Date(2024, 3, 14, 3, 0, 0, 0, time.UTC)
	var out []*timeline.Entry
	for i, l := range lines {
		var kinds []string
		if strings.HasPrefix(l, "[") {
			end := strings.Index(l, "]")
			kinds = []string{l[1:end]}
			l = strings.TrimSpace(l[end+1:])
		}
		out = append(out, &timeline.Entry{At: base.Add(time.Duration(i) * 10 * time.Minute), Anchor: "e" + string(rune('a'+i)), Text: l, Kinds: kinds})
	}
	return out
}

func texts(ls []Line) string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Text)
	}
	return strings.Join(out, " | ")
}

func TestLaterConditionSupersedesEarlier(t *testing.T) {
	es := entries(
		"In the current state, the e-mail is being lost.",
		"Customers are unable to log in.",
		"Pete says, “Looks like e-mail is working again.”",
	)
	a := Analyse(es, Terms{Impact: []string{"e-mail", "login"}})
	r := a.At(time.Time{}, Options{})
	if got := texts(r.Conditions); got != "Looks like e-mail is working again (Pete) | Customers are unable to log in" {
		t.Errorf("conditions at end: %s", got)
	}
	// As of the second entry, the loss is still the condition.
	r = a.At(es[1].At, Options{})
	if got := texts(r.Conditions); got != "Customers are unable to log in | The e-mail is being lost" {
		t.Errorf("conditions at 2nd entry: %s", got)
	}
	if r.Conditions[1].Entry != "ea" || !r.Conditions[1].At.Equal(es[0].At) {
		t.Errorf("line not linked to its entry: %+v", r.Conditions[1])
	}
}

func TestNothingAfterTAppears(t *testing.T) {
	es := entries("Database failed.", "Pete restarted the database.", "We need a postmortem owner.")
	a := Analyse(es, Terms{})
	r := a.At(es[0].At, Options{})
	if len(r.Actions) != 0 || len(r.Needs) != 0 || len(r.Conditions) != 1 {
		t.Errorf("as of the first entry: %+v", r)
	}
	if !r.AsOf.Equal(es[0].At) {
		t.Errorf("as of %v", r.AsOf)
	}
}

func TestNeedsMetAndOpen(t *testing.T) {
	es := entries(
		"SME asks for some help in flushing the queue.",
		"Pete asks another SME to take care of it.",
		"Paul asks, “How long are we going to investigate this issue?”",
		"The discussion continues, but no one answers the question.",
		"[need] Confirm the script was correct",
		"[met] Script verified by Raj",
	)
	a := Analyse(es, Terms{Impact: []string{"script"}})
	r := a.At(time.Time{}, Options{})
	got := texts(r.Needs)
	if got != "How long are we going to investigate this issue? (Paul)" {
		t.Errorf("open needs: %s", got)
	}
	r = a.At(es[4].At, Options{})
	if !strings.Contains(texts(r.Needs), "Confirm the script was correct") {
		t.Errorf("need before it was met: %s", texts(r.Needs))
	}
}

func TestTagsOverrideCues(t *testing.T) {
	es := entries("[condition] We rolled back the release.", "[decision] Keep the feature flag off")
	a := Analyse(es, Terms{})
	r := a.At(time.Time{}, Options{})
	if len(r.Conditions) != 1 || len(r.Actions) != 1 || r.Actions[0].Rule != "tag" {
		t.Errorf("%+v", r)
	}
}

func TestBudget(t *testing.T) {
	var lines []string
	for i := 0; i < 12; i++ {
		lines = append(lines, "The database replica number seven failed again with many errors in the logs today.")
		lines = append(lines, "Pete restarted the cache cluster and the web tier and the workers again now.")
	}
	a := Analyse(entries(lines...), Terms{})
	r := a.At(time.Time{}, Options{MaxLines: 5, MaxWords: 40})
	if r.Words() > 40 || len(r.Actions) > 5 || len(r.Conditions) > 5 {
		t.Errorf("report over budget: %d words, %d actions", r.Words(), len(r.Actions))
	}
	if len(r.Actions) == 0 || len(r.Conditions) == 0 {
		t.Errorf("budget emptied a section: %+v", r)
	}
}

func TestAuthoredLineLinksTime(t *testing.T) {
	es := entries("a", "b")
	l := AuthoredLine("Script rerun in batches (03:10)", Action, es)
	if l.Text != "Script rerun in batches" || l.Entry != "eb" {
		t.Errorf("%+v", l)
	}
	l = AuthoredLine("No additional needs", Need, es)
	if l.Entry != "" || l.Text != "No additional needs" {
		t.Errorf("%+v", l)
	}
}

func TestMarkdownRoundTrip(t *testing.T) {
	es := entries("E-mail is being lost.", "Pete disabled inbound e-mail.")
	r := Analyse(es, Terms{Impact: []string{"e-mail"}}).At(time.Time{}, Options{})
	md := Markdown(r)
	for _, want := range []string{"## CAN report", "### Conditions", "- E-mail is being lost (03:00:00)", "### Actions", "### Needs", "- No additional needs"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// docs/can.md documents every rule of the table.
func TestRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/can.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		if !strings.Contains(string(doc), "| `"+r.Name+"` | "+string(r.Kind)+" |") {
			t.Errorf("docs/can.md does not document rule %s (%s)", r.Name, r.Kind)
		}
	}
}

// FormatClock writes what time's Format writes, at every second of a day.
func TestFormatClockMatchesFormat(t *testing.T) {
	day := time.Date(2024, 3, 14, 0, 0, 0, 0, time.FixedZone("X", 5*3600+1800))
	for s := 0; s < 86400; s++ {
		tm := day.Add(time.Duration(s)*time.Second + 123*time.Millisecond)
		want := tm.Format("15:04:05")
		if tm.Second() == 0 {
			want = tm.Format("15:04")
		}
		if got := FormatClock(tm); got != want {
			t.Fatalf("FormatClock(%v) = %q, want %q", tm, got, want)
		}
	}
}
