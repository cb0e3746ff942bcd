package can

import (
	"testing"
	"time"
)

// The small judgements the observation rules rest on, each on words from
// the logs they were written for.
func TestObservationHelpers(t *testing.T) {
	for _, tc := range []struct {
		before int
		lower  string
		want   int
	}{
		{1, "paul asks the question a second and third time.", 3},
		{1, "she asks again.", 2},
		{2, "he asks it again", 3},
		{1, "asks the question twice", 2},
	} {
		if got := timesAsked(tc.before, tc.lower); got != tc.want {
			t.Errorf("timesAsked(%d, %q) = %d, want %d", tc.before, tc.lower, got, tc.want)
		}
	}
	for q, want := range map[string]string{
		"what is the eta?":        "what eta",
		"what's the eta?":         "what eta",
		"eta?":                    "",
		"who owns this?":          "who owns this",
		"is the eta still 17:15?": "eta 17 15",
	} {
		if got := questionKey(q); got != want {
			t.Errorf("questionKey(%q) = %q, want %q", q, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		20 * time.Second:                "under a minute",
		time.Minute:                     "1 minute",
		51*time.Minute + 4*time.Second:  "51 minutes",
		2*time.Hour + 27*time.Minute:    "2h 27m",
		29*time.Minute + 49*time.Second: "30 minutes",
	} {
		if got := spoken(d); got != want {
			t.Errorf("spoken(%v) = %q, want %q", d, got, want)
		}
	}
	for _, tc := range []struct {
		lower   string
		options []string
		want    bool
	}{
		{"keeping 600g for now, ticket ops-2231 to revisit", []string{"keep", "shrink"}, true},
		{"continuing the investigation", []string{"focus", "continue"}, true},
		{"checkout still failing", []string{"wait", "fail"}, true}, // choosesOption sees words; decisionAfter asks for an action
		{"the queue is long", []string{"keep", "shrink"}, false},
	} {
		if got := choosesOption(tc.lower, tc.options); got != tc.want {
			t.Errorf("choosesOption(%q, %q) = %v", tc.lower, tc.options, got)
		}
	}
	for in, want := range map[string]string{
		"There is confusion as to who":      "there is confusion as to who",
		"Pete offers that he is the leader": "Pete offers that he is the leader",
		"I can rotate the key":              "I can rotate the key",
	} {
		if got := midSentence(in); got != want {
			t.Errorf("midSentence(%q) = %q, want %q", in, got, want)
		}
	}
	if got := clocks([]time.Time{time.Date(2024, 7, 16, 16, 5, 0, 0, time.UTC), time.Date(2024, 7, 16, 16, 12, 0, 0, time.UTC), time.Date(2024, 7, 16, 16, 24, 0, 0, time.UTC)}); got != "16:05, 16:12 and 16:24" {
		t.Errorf("clocks: %q", got)
	}
}

// An empty analysis, or one with nothing but silence, observes nothing and
// does not panic.
func TestObserveEmpty(t *testing.T) {
	if got := (&Analysis{}).Observe(ObserveOptions{Silence: 15 * time.Minute}); got != nil {
		t.Errorf("empty log: %v", got)
	}
}
