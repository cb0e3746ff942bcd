package render

import (
	"strings"
	"testing"
	"time"

	"github.com/debrief-ssg/debrief/internal/config"
	"github.com/debrief-ssg/debrief/internal/content"
	"github.com/debrief-ssg/debrief/internal/markdown"
	"github.com/debrief-ssg/debrief/internal/site"
)

func analyse(t *testing.T, src string) *site.Incident {
	t.Helper()
	cfg := config.Default()
	ci, ds := content.Parse("content/x.md", []byte(src), cfg)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	inc, ds := site.Analyse(ci, markdown.New(false), cfg)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return inc
}

func TestAxis(t *testing.T) {
	inc := analyse(t, `---
title: T
date: 2024-03-14
timezone: America/Chicago
started: "03:00"
resolved: "05:10"
---
## Timeline

- 03:39 [condition] E-mail is being lost.
- 03:45 [action] Disabled inbound mail.
- 04:30 [need] Need the DBA.
- 04:35 [key] Bridge moved.
- 05:10 E-mail is working again.
`)
	a := buildAxis(inc, entryKinds(inc), 15*time.Minute)
	if a == nil {
		t.Fatal("no axis")
	}
	// Marks coloured by kind, left to right in time.
	var kinds []string
	for i, m := range a.Marks {
		kinds = append(kinds, m.Kind)
		if i > 0 && m.X <= a.Marks[i-1].X {
			t.Errorf("mark %d at x=%v not right of the one before", i, m.X)
		}
	}
	if got := strings.Join(kinds, " "); got != "condition action need other condition" {
		t.Errorf("mark kinds %q", got)
	}
	// Silences of 15 minutes or more: 03:45→04:30 and 04:35→05:10.
	if len(a.Silences) != 2 || a.Silences[0].Label != "45m without an entry" || a.Silences[1].Label != "35m without an entry" {
		t.Errorf("silences %+v", a.Silences)
	}
	// Milestones: the key moments and the [key] entry.
	var ms []string
	for _, m := range a.Milestones {
		ms = append(ms, m.Name+"@"+m.Clock)
	}
	if got := strings.Join(ms, " "); got != "started@03:00 key@04:35 resolved@05:10" {
		t.Errorf("milestones %q", got)
	}
	// Ticks on round local times, with offsets from the start of impact.
	if len(a.Ticks) < 4 {
		t.Fatalf("ticks %+v", a.Ticks)
	}
	first := a.Ticks[0]
	if first.Label != "03:00" || first.Offset != "T+0:00" {
		t.Errorf("first tick %+v", first)
	}
	last := a.Ticks[len(a.Ticks)-1]
	if !strings.HasPrefix(last.Offset, "T+2:") {
		t.Errorf("last tick %+v", last)
	}
	// A longer threshold shades less.
	if b := buildAxis(inc, entryKinds(inc), 40*time.Minute); len(b.Silences) != 1 {
		t.Errorf("40-minute threshold: %d silences", len(b.Silences))
	}
}

func TestTickStep(t *testing.T) {
	for _, tt := range []struct {
		span, want time.Duration
	}{{10 * time.Minute, time.Minute}, {2 * time.Hour, 10 * time.Minute}, {5 * time.Hour, 30 * time.Minute}, {3 * 24 * time.Hour, 6 * time.Hour}} {
		if got := tickStep(tt.span); got != tt.want {
			t.Errorf("tickStep(%v) = %v, want %v", tt.span, got, tt.want)
		}
	}
}
