package timeline

import (
	"regexp"
	"strings"
)

// markers are the words a log marks a key moment with, when front matter
// does not give it: moment name → pattern over the entry's lower-cased text.
var markers = []struct {
	moment string
	needs  []string // words one of which the text must hold: most entries are ruled out before the pattern runs
	re     *regexp.Regexp
	last   bool // the last entry that marks it counts (an incident reopened and resolved again)
}{
	{"started", []string{"outage", "impact", "incident"}, regexp.MustCompile(`\b(?:outage|impact|incident) (?:begins|began|starts|started)\b`), false},
	{"detected", []string{"alert", "paged", "report"}, regexp.MustCompile(`\b(?:alert(?:s)? (?:fired|fires|triggered)|(?:we were|team was|on-call was|oncall was) (?:paged|alerted)|first (?:customer )?reports? of)\b`), false},
	{"acknowledged", []string{"declared", "acknowledged"}, regexp.MustCompile(`\b(?:incident (?:is |was )?declared|declared (?:an|the) incident|declared a sev|acknowledged the (?:page|alert))\b`), false},
	{"mitigated", []string{"mitigat"}, regexp.MustCompile(`^mitigated\b|\b(?:impact (?:is |was )?mitigated|has been mitigated|mitigation (?:is |was )?in place)\b`), false},
	{"resolved", []string{"resolved", "all clear", "outage end", "closed", "restored"}, regexp.MustCompile(`^resolved\b|\b(?:outage (?:ends|ended)|all clear|incident (?:is |was |has been )?(?:now )?(?:resolved|closed)|has been resolved|service(?:s)? (?:fully )?restored)\b`), true},
}

// holdsAny reports whether text holds one of words.
func holdsAny(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// negated words before a marker undo it ("not yet resolved").
var negated = regexp.MustCompile(`\b(?:not|no|isn't|wasn't|hasn't|never|until|before|yet to)\s+(?:\w+\s+)?$`)

// Mark returns the entry whose words mark moment ("OUTAGE BEGINS" marks
// started), or nil: the first such entry, or for resolved the last (an
// incident reopened and resolved again). It is asked only for the moments
// front matter lacks.
func (tl *Timeline) Mark(moment string) *Entry {
	var found *Entry
	for _, m := range markers {
		if m.moment != moment {
			continue
		}
		for _, e := range tl.Entries {
			text := strings.TrimSpace(e.Text)
			if len(text) > 400 {
				text = text[:400] // markers lead an entry; a long one is prose
			}
			text = strings.ToLower(text)
			if !holdsAny(text, m.needs) {
				continue
			}
			loc := m.re.FindStringIndex(text)
			if loc == nil || negated.MatchString(text[:loc[0]]) {
				continue
			}
			found = e
			if !m.last {
				return found
			}
		}
	}
	return found
}
