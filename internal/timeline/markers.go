package timeline

import (
	"regexp"
	"strings"
)

// markers are the words a log marks a key moment with, when front matter
// does not give it: moment name → pattern over the entry's lower-cased text.
var markers = []struct {
	moment string
	re     *regexp.Regexp
	last   bool // the last entry that marks it counts (an incident reopened and resolved again)
}{
	{"started", regexp.MustCompile(`\b(?:outage|impact|incident) (?:begins|began|starts|started)\b|^\(?outage\)?$`), false},
	{"detected", regexp.MustCompile(`\b(?:alert(?:s)? (?:fired|fires|triggered)|(?:we were|team was|on-call was|oncall was) (?:paged|alerted)|first (?:customer )?reports? of)\b`), false},
	{"acknowledged", regexp.MustCompile(`\b(?:incident (?:is |was )?declared|declared (?:an|the) incident|declared a sev|acknowledged the (?:page|alert))\b`), false},
	{"mitigated", regexp.MustCompile(`^mitigated\b|\b(?:impact (?:is |was )?mitigated|has been mitigated|mitigation (?:is |was )?in place)\b`), false},
	{"resolved", regexp.MustCompile(`^resolved\b|\b(?:outage (?:ends|ended)|all clear|incident (?:is |was |has been )?(?:now )?(?:resolved|closed)|has been resolved|service(?:s)? (?:fully )?restored)\b`), true},
}

// negated words before a marker undo it ("not yet resolved").
var negated = regexp.MustCompile(`\b(?:not|no|isn't|wasn't|hasn't|never|until|before|yet to)\s+(?:\w+\s+)?$`)

// marked finds the entries whose words mark a key moment.
func marked(es []*Entry) map[string]*Entry {
	var out map[string]*Entry
	for _, e := range es {
		text := strings.ToLower(strings.TrimSpace(e.Text))
		for _, m := range markers {
			loc := m.re.FindStringIndex(text)
			if loc == nil || negated.MatchString(text[:loc[0]]) {
				continue
			}
			if out == nil {
				out = map[string]*Entry{}
			}
			if _, seen := out[m.moment]; !seen || m.last {
				out[m.moment] = e
			}
		}
	}
	return out
}
