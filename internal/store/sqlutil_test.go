package store

import (
	"strconv"
	"strings"
	"testing"
)

func TestPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		first, n int
		want     string
	}{
		{1, 0, "()"},
		{1, 1, "($1)"},
		{1, 7, "($1, $2, $3, $4, $5, $6, $7)"},
		{8, 3, "($8, $9, $10)"},
		{98, 4, "($98, $99, $100, $101)"},
	} {
		if got := placeholders(tc.first, tc.n); got != tc.want {
			t.Errorf("placeholders(%d, %d) = %q, want %q", tc.first, tc.n, got, tc.want)
		}
	}
	// Against the plain construction, over the shapes the store uses.
	for first := 1; first < 400; first += 7 {
		for n := 0; n < 20; n++ {
			parts := make([]string, n)
			for i := range parts {
				parts[i] = "$" + strconv.Itoa(first+i)
			}
			if got, want := placeholders(first, n), "("+strings.Join(parts, ", ")+")"; got != want {
				t.Fatalf("placeholders(%d, %d) = %q, want %q", first, n, got, want)
			}
		}
	}
	if a := testing.AllocsPerRun(100, func() { _ = placeholders(41, 15) }); a > 1 {
		t.Errorf("placeholders allocates %v times, want 1", a)
	}
}
