package clock

import (
	"strings"
	"time"
)

// zoneAbbrevs are the zone abbreviations logs write after a time, as
// offsets east of UTC in minutes. Where one abbreviation names several
// zones (CST, IST), the one English-language incident logs mean. Go's
// time package reads abbreviations only of a zone already known, so the
// table is ours.
var zoneAbbrevs = map[string]int{
	"UTC": 0, "GMT": 0, "UT": 0, "WET": 0,
	"BST": 60, "CET": 60, "WEST": 60, "MET": 60,
	"CEST": 120, "EET": 120, "MEST": 120, "SAST": 120,
	"EEST": 180, "MSK": 180, "IDT": 180,
	"IST": 330,
	"ICT": 420, "WIB": 420,
	"SGT": 480, "HKT": 480, "AWST": 480, "PHT": 480,
	"JST": 540, "KST": 540,
	"ACST": 570, "ACDT": 630,
	"AEST": 600, "AEDT": 660,
	"NZST": 720, "NZDT": 780,
	"BRT": -180, "ART": -180,
	"NST": -210, "NDT": -150,
	"AST": -240, "ADT": -180,
	"EST": -300, "EDT": -240,
	"CST": -360, "CDT": -300,
	"MST": -420, "MDT": -360,
	"PST": -480, "PDT": -420,
	"AKST": -540, "AKDT": -480,
	"HST": -600,
}

// zoneNames are the generic zones ("PT" in "3:24 PM PT"): they follow
// daylight saving time, so they are the IANA zone.
var zoneNames = map[string]string{
	"PT": "America/Los_Angeles", "MT": "America/Denver", "CT": "America/Chicago", "ET": "America/New_York",
}

// abbrevZone reads an upper-case zone abbreviation at s[j:]: the zone,
// the end, and whether the word looked like a zone at all (known is false
// for one that is not in the table).
func abbrevZone(s string, j int) (loc *time.Location, end int, text string, looks, known bool) {
	k := j
	for k < len(s) && s[k] >= 'A' && s[k] <= 'Z' {
		k++
	}
	if k-j < 2 || k-j > 5 || (k < len(s) && (isLetter(s[k]) || isDigit(s[k]))) {
		return nil, j, "", false, false
	}
	text = s[j:k]
	if off, ok := zoneAbbrevs[text]; ok {
		if off == 0 {
			return time.UTC, k, text, true, true
		}
		return time.FixedZone(text, off*60), k, text, true, true
	}
	if name, ok := zoneNames[text]; ok {
		if l, err := time.LoadLocation(name); err == nil {
			return l, k, text, true, true
		}
	}
	// Zone abbreviations end in T (PST, CEST, AEDT) or are two or three
	// letters ending in "T" or "ST"; other capitals ("ALL CLEAR") are words.
	return nil, k, text, strings.HasSuffix(text, "T") && k-j >= 3, false
}
