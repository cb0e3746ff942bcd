package clock

import (
	"fmt"
	"testing"
	"time"
)

func TestLex(t *testing.T) {
	tests := []struct {
		in       string
		ok       bool
		clock    string
		n        int
		hasDate  bool
		zoneText string
	}{
		{"14:02 text", true, "14:02", 5, false, ""},
		{"9:05 text", true, "09:05", 4, false, ""},
		{"03:39:25 One of", true, "03:39:25", 8, false, ""},
		{"14:02:07.123 x", true, "14:02:07", 12, false, ""},
		{"14:02 UTC - x", true, "14:02", 9, false, "UTC"},
		{"14:02Z x", true, "14:02", 6, false, "Z"},
		{"14:02 +02:00 x", true, "14:02", 12, false, "+02:00"},
		{"14:02 -0500 x", true, "14:02", 11, false, "-0500"},
		{"2:05 PM – x", true, "14:05", 7, false, ""},
		{"12:30 am x", true, "00:30", 8, false, ""},
		{"12:30pm", true, "12:30", 7, false, ""},
		{"11:15 p.m. x", true, "23:15", 10, false, ""},
		{"2024-03-14 04:19:20 x", true, "04:19:20", 19, true, ""},
		{"2024-03-14T04:19:20Z x", true, "04:19:20", 20, true, "Z"},
		{"2024-03-14T04:19:20.5+01:00", true, "04:19:20", 27, true, "+01:00"},
		{"14:02: text", true, "14:02", 5, false, ""},
		// Not times.
		{"24:00 x", false, "", 0, false, ""},
		{"14:60 x", false, "", 0, false, ""},
		{"123:45", false, "", 0, false, ""},
		{"14:02x", false, "", 0, false, ""},
		{"2024 was a year", false, "", 0, false, ""},
		{"2024-02-30 10:00", false, "", 0, false, ""},
		{"Pete at 14:02", false, "", 0, false, ""},
		{"", false, "", 0, false, ""},
	}
	for _, tt := range tests {
		st, n, ok := Lex(tt.in)
		if ok != tt.ok {
			t.Errorf("Lex(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if st.Clock() != tt.clock || n != tt.n || st.HasDate != tt.hasDate || st.ZoneText != tt.zoneText {
			t.Errorf("Lex(%q) = clock %s n %d date %v zone %q; want %s %d %v %q", tt.in, st.Clock(), n, st.HasDate, st.ZoneText, tt.clock, tt.n, tt.hasDate, tt.zoneText)
		}
	}
}

func TestParseWhole(t *testing.T) {
	if _, err := Parse("03:39:25"); err != nil {
		t.Errorf("Parse(03:39:25): %v", err)
	}
	if _, err := Parse("2024-03-14T07:17:00-05:00"); err != nil {
		t.Errorf("Parse(RFC 3339): %v", err)
	}
	for _, bad := range []string{"soon", "07:17 and more", "7", ""} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded; want an error", bad)
		}
	}
}

func mustLex(t *testing.T, s string) Stamp {
	t.Helper()
	st, _, ok := Lex(s)
	if !ok {
		t.Fatalf("Lex(%q) failed", s)
	}
	return st
}

func TestRollerRollsOverMidnight(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	r := NewRoller(time.Date(2023, 11, 2, 0, 0, 0, 0, chicago), chicago)
	var got []string
	for _, s := range []string{"23:30", "23:58", "00:04", "01:52", "01:50"} {
		at, err := r.Resolve(mustLex(t, s))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, at.Format(time.RFC3339))
	}
	want := []string{"2023-11-02T23:30:00-05:00", "2023-11-02T23:58:00-05:00", "2023-11-03T00:04:00-05:00", "2023-11-03T01:52:00-05:00", "2023-11-04T01:50:00-05:00"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: got %s, want %s", i, got[i], want[i])
		}
	}
}

func TestRollerZonesAndDST(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	// The night clocks went forward in Europe: 2024-03-31 02:00 → 03:00.
	r := NewRoller(time.Date(2024, 3, 31, 0, 0, 0, 0, berlin), berlin)
	a, _ := r.Resolve(mustLex(t, "01:30"))
	b, _ := r.Resolve(mustLex(t, "03:30"))
	if got := b.Sub(a); got != time.Hour {
		t.Errorf("01:30 CET to 03:30 CEST = %v, want 1h (DST)", got)
	}
	if _, off := a.Zone(); off != 3600 {
		t.Errorf("01:30 offset %d, want +1h", off)
	}
	if _, off := b.Zone(); off != 7200 {
		t.Errorf("03:30 offset %d, want +2h", off)
	}
	// An entry's own zone overrides the file's.
	c, _ := r.Resolve(mustLex(t, "02:00 UTC"))
	if c.Format(time.RFC3339) != "2024-03-31T02:00:00Z" {
		t.Errorf("02:00 UTC = %s", c.Format(time.RFC3339))
	}
}

func TestRollerRejectsClockGoingBackMoreThanADay(t *testing.T) {
	r := NewRoller(time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC), time.UTC)
	if _, err := r.Resolve(mustLex(t, "2024-03-14 10:00")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Resolve(mustLex(t, "2024-03-13 11:00")); err != nil {
		t.Errorf("23 hours back is allowed (out-of-order paste): %v", err)
	}
	if _, err := r.Resolve(mustLex(t, "2024-03-10 09:00")); err == nil {
		t.Error("days back: want an error")
	}
}

// Clock writes what fmt's %02d would, for any field values.
func TestClockMatchesFmt(t *testing.T) {
	for _, v := range []int{-12, -1, 0, 5, 9, 10, 23, 59, 99, 100, 123} {
		for _, sec := range []bool{false, true} {
			st := Stamp{Hour: v, Min: (v + 7) % 60, Sec: v, HasSec: sec}
			want := fmt.Sprintf("%02d:%02d", st.Hour, st.Min)
			if sec {
				want = fmt.Sprintf("%02d:%02d:%02d", st.Hour, st.Min, st.Sec)
			}
			if got := st.Clock(); got != want {
				t.Errorf("%+v: Clock() = %q, want %q", st, got, want)
			}
		}
	}
}

// The forms real logs write a time in, each with the date, clock and zone
// it must read and where the stamp ends.
func TestLexForms(t *testing.T) {
	tests := []struct {
		in   string
		date string // YYYY-MM-DD, 0000 for no year, "" for no date; "?" suffix: ambiguous
		clk  string
		zone string
		rest string // what follows the stamp
		slip bool
	}{
		{"2017/02/01 00:36 - x", "2017-02-01", "00:36", "", " - x", false},
		{"Jan 04, 2021 - 3:24 PM PST x", "2021-01-04", "15:24", "PST", " x", false},
		{"21 October 2018 22:52 UTC x", "2018-10-21", "22:52", "UTC", " x", false},
		{"2018 October 21 22:52 UTC", "2018-10-21", "22:52", "UTC", "", false},
		{"October 21, 2018 at 22:52 x", "2018-10-21", "22:52", "", " x", false},
		{"Oct 21 22:52 x", "0000-10-21", "22:52", "", " x", false},
		{"Oct 30th, 14:02 x", "0000-10-30", "14:02", "", " x", false},
		{"Monday, Oct 30th 14:02 x", "0000-10-30", "14:02", "", " x", false},
		{"Sept. 3 9:15am x", "0000-09-03", "09:15", "", " x", false},
		{"03-26 23:04] x", "0000-03-26", "23:04", "", "] x", false},
		{"03/04/2024 14:02 x", "2024-03-04?", "14:02", "", " x", false},
		{"26/03/2024 14:02 x", "2024-03-26", "14:02", "", " x", false},
		{"3/26/24 2:02 PM x", "2024-03-26", "14:02", "", " x", false},
		{"2024-03-14 14:02:11 <ana> x", "2024-03-14", "14:02:11", "", " <ana> x", false},
		{"14:02 UTC+2 x", "", "14:02", "UTC+2", " x", false},
		{"14:02 (UTC) x", "", "14:02", "UTC", " x", false},
		{"3:24 PM PT x", "", "15:24", "PT", " x", false},
		{"14:02 CEST x", "", "14:02", "CEST", " x", false},
		{"14:02 XST x", "", "14:02", "", " x", true},
		{"13:55 PM x", "", "13:55", "", " x", true},
		{"23:00 AM x", "", "23:00", "", " x", true},
		{"14:02 ALL CLEAR", "", "14:02", "", " ALL CLEAR", false},
	}
	for _, tt := range tests {
		st, n, ok := Lex(tt.in)
		if !ok {
			t.Errorf("Lex(%q) failed", tt.in)
			continue
		}
		date := ""
		if st.HasDate {
			date = fmt.Sprintf("%04d-%02d-%02d", st.Year, st.Month, st.Day)
			if st.Ambiguous {
				date += "?"
			}
		}
		got := []any{date, st.Clock(), st.ZoneText, tt.in[n:], st.Slip != ""}
		want := []any{tt.date, tt.clk, tt.zone, tt.rest, tt.slip}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Lex(%q) = %v, want %v (slip %q)", tt.in, got, want, st.Slip)
		}
	}
	for _, no := range []string{"3-4 people joined", "1071900 - 1072525", "Oct 21 was quiet", "May 3 people", "24:00 x", "25:61 x", "Monday 14"} {
		if st, n, ok := Lex(no); ok {
			t.Errorf("Lex(%q) = %+v, %d; want no stamp", no, st, n)
		}
	}
}
