package diag

import "testing"

func TestN(t *testing.T) {
	for _, tt := range []struct {
		n    int
		noun string
		want string
	}{
		{0, "error", "0 errors"},
		{1, "error", "1 error"},
		{2, "warning", "2 warnings"},
		{10000, "incident", "10000 incidents"},
	} {
		if got := N(tt.n, tt.noun); got != tt.want {
			t.Errorf("N(%d, %q) = %q, want %q", tt.n, tt.noun, got, tt.want)
		}
	}
}
