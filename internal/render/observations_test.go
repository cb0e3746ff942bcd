package render

import (
	"bytes"
	"testing"
)

// An observation's sentence links each entry's time where it says it, and
// only a whole time: "04:21" is not the start of "04:21:43".
func TestLinkClock(t *testing.T) {
	for _, tc := range []struct {
		text, clock, anchor string
		want                []TextPart
	}{
		{"No entry for 30 minutes, from 03:39:25 to 04:09:14.", "04:09:14", "t-040914",
			[]TextPart{{Text: "No entry for 30 minutes, from 03:39:25 to "}, {Text: "04:09:14", Anchor: "t-040914"}, {Text: "."}}},
		{"asked at 04:21:43 and 04:21", "04:21", "t-0421",
			[]TextPart{{Text: "asked at 04:21:43 and "}, {Text: "04:21", Anchor: "t-0421"}}},
		{"after 07:02:26: the Executive wants it", "07:02:26", "t-070226",
			[]TextPart{{Text: "after "}, {Text: "07:02:26", Anchor: "t-070226"}, {Text: ": the Executive wants it"}}},
		// Not said in the sentence: linked after it.
		{"Mitigated at once.", "10:49", "t-1049-3",
			[]TextPart{{Text: "Mitigated at once."}, {Text: " "}, {Text: "10:49", Anchor: "t-1049-3"}}},
	} {
		got := linkClock([]TextPart{{Text: tc.text}}, tc.clock, tc.anchor)
		if len(got) != len(tc.want) {
			t.Errorf("%q: %+v, want %+v", tc.text, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: %+v, want %+v", tc.text, got, tc.want)
				break
			}
		}
	}
	// A time already linked is not linked again.
	parts := linkClock([]TextPart{{Text: "at 10:49 and 10:49"}}, "10:49", "a")
	parts = linkClock(parts, "10:49", "b")
	var b bytes.Buffer
	writeObservations(&b, []ObservationView{{Kind: "decision-wait", Rule: "decision-asked", Label: "Decision asked for", Parts: parts}})
	want := `<ul class="observations"><li class="obs obs-decision-wait" data-rule="decision-asked"><span class="obs-kind">Decision asked for</span> at <a href="#a">10:49</a> and <a href="#b">10:49</a></li></ul>`
	if b.String() != want {
		t.Errorf("observations HTML:\n%s\nwant\n%s", b.String(), want)
	}
}
