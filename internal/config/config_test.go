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
		{"timezone: Nowhere/City\n", `debrief.yaml:1:11: timezone "Nowhere/City": not a known IANA time zone`},
		{"can: {max_words: lots}\n", `debrief.yaml:1:18: can.max_words: want a whole number, got "lots"`},
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

// Errors in debrief.yaml name the field, where its value is, and what it
// wants, in the words of the file, never YAML's internals (!!str, Go types).
func TestParseErrorsSayWhatToWrite(t *testing.T) {
	tests := []struct{ src, want string }{
		{"can: {max_words: lots}\n", `debrief.yaml:1:18: can.max_words: want a whole number, got "lots"`},
		{"title: a\ncan: {max_words: 5}\ntitle: b\n", `debrief.yaml:3:1: field "title" given twice (first at line 1)`},
		{"can:\n  max_lines: 1\n  max_lines: 2\n", `debrief.yaml:3:3: field "can.max_lines" given twice (first at line 2)`},
		{"severities: {a: b}\n", `debrief.yaml:1:13: severities: want a list, got a map`},
		{"severities: [P1, [P2]]\n", `debrief.yaml:1:18: severities: want a list of names, got a list in it`},
		{"unsafe_html: maybe\n", `debrief.yaml:1:14: unsafe_html: want true or false, got "maybe"`},
		{"related: {weights: {tags: heavy}}\n", `debrief.yaml:1:27: related.weights.tags: want a number, got "heavy"`},
		{"related: {threshold: [1]}\n", `debrief.yaml:1:22: related.threshold: want a number, got a list`},
		{"title: [a, b]\n", `debrief.yaml:1:8: title: want text, got a list`},
		{"timeline: 5\n", `debrief.yaml:1:11: timeline: want a map of fields, got "5"`},
		{"title: x\ntimezone: Nowhere/City\n", `debrief.yaml:2:11: timezone "Nowhere/City": not a known IANA time zone`},
		{"timeline: {date_order: ymd}\n", `debrief.yaml:1:24: timeline.date_order "ymd": want dmy (day first, 03/04 is 3 April) or mdy (month first)`},
		{"- a\n- b\n", `debrief.yaml:1:1: want a map of fields such as title: and base_url:, got a list`},
	}
	for _, tt := range tests {
		_, ds := Parse("debrief.yaml", []byte(tt.src))
		if len(ds) != 1 || ds[0].String() != tt.want {
			t.Errorf("%q:\n got  %v\n want %s", tt.src, ds, tt.want)
		}
		for _, d := range ds {
			if strings.Contains(d.Msg, "!!") || strings.Contains(d.Msg, "unmarshal") || strings.HasSuffix(d.Msg, " ") {
				t.Errorf("%q: %s leaks YAML's internals", tt.src, d)
			}
		}
	}
}

// base_url is an absolute http or https URL, or nothing: anything else is
// an error at its value, which the feed, the sitemap and every canonical
// link would otherwise carry.
func TestBaseURL(t *testing.T) {
	for _, ok := range []string{"https://kb.example.org", "https://kb.example.org/", "http://intranet:8080/reviews/", `""`} {
		cfg, ds := Parse("debrief.yaml", []byte("title: x\nbase_url: "+ok+"\n"))
		if len(ds) != 0 {
			t.Errorf("%s: %v", ok, ds)
		}
		if ok != `""` && cfg.BaseURL != ok {
			t.Errorf("%s: base URL %q", ok, cfg.BaseURL)
		}
	}
	for _, c := range []struct{ url, why string }{
		{"javascript:alert(1)", "want an absolute http or https URL"},
		{"not a url", "want an absolute http or https URL"},
		{"kb.example.org", "want an absolute http or https URL"},
		{"/reviews/", "want an absolute http or https URL"},
		{"ftp://kb.example.org/", "want an absolute http or https URL"},
		{"https:///reviews", "want an absolute http or https URL"},
		{"https://user:secret@kb.example.org/", "no user name or password: every page would publish it"},
		{"https://kb.example.org/?lang=en", "no query or fragment: page addresses are joined to it"},
		{"https://kb.example.org/#top", "no query or fragment: page addresses are joined to it"},
	} {
		_, ds := Parse("debrief.yaml", []byte("title: x\nbase_url: \""+c.url+"\"\n"))
		want := "debrief.yaml:2:11: base_url \"" + c.url + "\": " + c.why
		if len(ds) != 1 || !strings.HasPrefix(ds[0].String(), want) {
			t.Errorf("%s:\n got  %v\n want %s…", c.url, ds, want)
		}
	}
}
