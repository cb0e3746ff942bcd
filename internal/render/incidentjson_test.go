package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
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
		obs := []can.Observation{{Kind: can.ObservationKind(a), Rule: b, Text: c, Entries: []string{d, a}, Seconds: &n, Open: true}, {Kind: can.Silence, Entries: nil}, {Text: d, Entries: []string{}}}
		checkIncidentJSON(t, &jsonIncident{})
		checkIncidentJSON(t, &jsonIncident{
			ID: a, Title: b, URL: c, Date: d, Severity: a, Status: b,
			Services: []string{a, b}, Components: []string{}, Customers: nil, Tags: []string{c}, People: []string{d, a},
			Summary: c, Moments: map[string]string{a: b, c: d, "": a}, Durations: map[string]int64{a: n, b: -n},
			CAN:          &can.Report{Derived: true, AsOf: at, Conditions: lines, Actions: []can.Line{}, Needs: nil},
			Observations: obs,
			Timeline:     []jsonEntry{{At: a, Anchor: b, Kinds: []string{c}, Actor: d, Text: a}, {Kinds: nil}},
			Related:      []jsonRelated{{ID: a, Relation: b, Score: score, Reasons: []string{c, d}}, {Score: -score}, {Score: math.Float64frombits(uint64(n))}},
		})
		checkIncidentJSON(t, &jsonIncident{CAN: &can.Report{}, Moments: map[string]string{}, Observations: []can.Observation{}, Timeline: []jsonEntry{}, Related: []jsonRelated{}})
	})
}

// The spool writes incidents.json in site order whatever order the pages
// finish in, and a skipped incident does not hold up those after it.
func TestSpoolWritesInSiteOrder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		order []int // incidents in the order their pages finish
		skip  int   // -1: none
		want  string
	}{
		{"in order", 3, []int{0, 1, 2}, -1, "[\n{0},\n{1},\n{2}\n]\n"},
		{"out of order", 5, []int{2, 0, 4, 1, 3}, -1, "[\n{0},\n{1},\n{2},\n{3},\n{4}\n]\n"},
		{"reversed", 4, []int{3, 2, 1, 0}, -1, "[\n{0},\n{1},\n{2},\n{3}\n]\n"},
		{"one", 1, []int{0}, -1, "[\n{0}\n]\n"},
		{"none", 0, nil, -1, "[]\n"},
		{"skipped waits for nothing", 3, []int{2, 1, 0}, 1, "[\n{0},\n{2}\n]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp, err := newSpool(t.TempDir(), tc.n)
			if err != nil {
				t.Fatal(err)
			}
			defer sp.close()
			buf := []byte{}
			for _, i := range tc.order {
				if i == tc.skip {
					sp.skip(i)
				} else {
					// One buffer for all, as the workers reuse theirs: an
					// entry that waits must be a copy.
					buf = append(buf[:0], fmt.Sprintf("{%d}", i)...)
					sp.put(i, buf)
				}
			}
			if len(sp.pending) != 0 {
				t.Errorf("%d entries still waiting", len(sp.pending))
			}
			path, err := sp.finish()
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("incidents.json %q, want %q", got, tc.want)
			}
		})
	}
	sp, err := newSpool(t.TempDir(), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.close()
	sp.put(1, []byte("{1}"))
	if _, err := sp.finish(); err == nil {
		t.Error("finish with incident 0 missing: no error")
	}
}
