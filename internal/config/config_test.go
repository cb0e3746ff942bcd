package config

import (
	"strings"
	"testing"
)

func TestParseOverridesDefaults(t *testing.T) {
	cfg, ds := Parse("debrief.yaml", []byte("title: Acme reviews\ntimezone: Europe/Berlin\nseverities: [P1, P2, P3]\ncan: {max_words: 60}\nrelated: {weights: {tags: 5}}\n"))
	if len(ds) != 0 {
		t.Fatal(ds)
	}
	if cfg.Title != "Acme reviews" || cfg.Location.String() != "Europe/Berlin" || strings.Join(cfg.Severities, ",") != "P1,P2,P3" {
		t.Errorf("%+v", cfg)
	}
	if cfg.CAN.MaxWords != 60 || cfg.CAN.MaxLines != 5 || cfg.CAN.CheckWords != 80 {
		t.Errorf("can %+v", cfg.CAN)
	}
	if cfg.Related.Weights["tags"] != 5 || cfg.Related.Weights["components"] != 4 {
		t.Errorf("weights %v: one override must keep the other defaults", cfg.Related.Weights)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"title: x\ntitel: y\n", `debrief.yaml:2:1: warning: unknown field "titel" (did you mean "title"?)`},
		{"timezone: Nowhere/City\n", `debrief.yaml:1:1: timezone "Nowhere/City": not a known IANA time zone`},
		{"can: {max_words: lots}\n", "debrief.yaml:1:1: config: cannot unmarshal !!str `lots` into int"},
		{"can: {max_wrds: 9}\n", `debrief.yaml:1:7: warning: unknown field "can.max_wrds" (did you mean "max_words"?)`},
		{"severities:\n  - Sev 1\n  - SEV-1\n", `debrief.yaml:3:1: severities "Sev 1" and "SEV-1" would share the page severity/sev-1/; rename one`},
		{"severities: [P1, P2, P1]\n", `debrief.yaml:1:1: severities "P1" and "P1" would share the page severity/p1/; rename one`},
	}
	for _, tt := range tests {
		_, ds := Parse("debrief.yaml", []byte(tt.src))
		if len(ds) != 1 || ds[0].String() != tt.want {
			t.Errorf("%q:\n got  %v\n want %s", tt.src, ds, tt.want)
		}
	}
}
