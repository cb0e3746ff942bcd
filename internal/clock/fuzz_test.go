package clock

import "testing"

// FuzzLex: any text either is a stamp of a valid clock time or is not.
func FuzzLex(f *testing.F) {
	for _, s := range []string{"14:02", "2:05 PM", "2024-03-14T04:19:20.5+01:00", "14:02 UTC", "12:30 a.m."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, n, ok := Lex(s)
		if !ok {
			return
		}
		if n <= 0 || n > len(s) || st.Hour > 23 || st.Min > 59 || st.Sec > 59 {
			t.Fatalf("Lex(%q) = %+v, %d", s, st, n)
		}
	})
}
