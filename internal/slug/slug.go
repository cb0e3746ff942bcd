// Package slug turns names (taxonomy terms, severities) into path segments.
package slug

import (
	"strings"
	"unicode"
)

// Make turns a name into a path segment: lower case letters and digits of
// any script, other runs of characters as one "-". It never contains "/" or
// "..", so no name can make a path outside its folder; a name with no
// letter or digit is "term".
func Make(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
		if b.Len() > 80 {
			break
		}
	}
	if b.Len() == 0 {
		return "term"
	}
	return b.String()
}
