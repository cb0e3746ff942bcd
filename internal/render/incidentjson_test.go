package render

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/can"
)

// checkIncidentJSON holds appendIncident to encoding/json's bytes, and to
// its refusal of what JSON cannot hold.
func checkIncidentJSON(t *testing.T, j *jsonIncident) {
	t.Helper()
	want, werr := json.Marshal(j)
	got, gerr := appendIncident(nil, j)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("encoding/json error %v, ours %v", werr, gerr)
	}
	if werr == nil && !bytes.Equal(want, got) {
		t.Fatalf("incident JSON:\nreflection %s\nours       %s", want, got)
	}
}

func FuzzIncidentJSON(f *testing.F) {
	f.Add("GEN-1", "Disk at 97% <b> & \"x\"", "\x00\b\f\n\r\t\x1f\x7f", "\u2028\u2029\xff é", int64(300), 0.8125, int64(1700000000))
	f.Add("", "", "", "", int64(-1), 1e-7, int64(-62135596800))
	f.Add("a", "b", "c", "d", int64(0), 1e21, int64(253402300800))
	f.Fuzz(func(t *testing.T, a, b, c, d string, n int64, score float64, unix int64) {
		at := time.Unix(unix, n).In(time.FixedZone(c, int(n%50000)))
		lines := []can.Line{{Text: a, Kind: can.Condition, At: at, Entry: b, Rule: c}, {Text: d, Kind: can.Kind(a)}}
		checkIncidentJSON(t, &jsonIncident{})
		checkIncidentJSON(t, &jsonIncident{
			ID: a, Title: b, URL: c, Date: d, Severity: a, Status: b,
			Services: []string{a, b}, Components: []string{}, Customers: nil, Tags: []string{c}, People: []string{d, a},
			Summary: c, Moments: map[string]string{a: b, c: d, "": a}, Durations: map[string]int64{a: n, b: -n},
			CAN:      &can.Report{Derived: true, AsOf: at, Conditions: lines, Actions: []can.Line{}, Needs: nil},
			Timeline: []jsonEntry{{At: a, Anchor: b, Kinds: []string{c}, Actor: d, Text: a}, {Kinds: nil}},
			Related:  []jsonRelated{{ID: a, Relation: b, Score: score, Reasons: []string{c, d}}, {Score: -score}, {Score: math.Float64frombits(uint64(n))}},
		})
		checkIncidentJSON(t, &jsonIncident{CAN: &can.Report{}, Moments: map[string]string{}, Timeline: []jsonEntry{}, Related: []jsonRelated{}})
	})
}
