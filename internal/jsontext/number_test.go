package jsontext

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestNumberAsEncodingJSON: Number ends a number where encoding/json's
// scanner does, refuses what it refuses, and says big for an exponent or
// more than 308 integer digits.
func TestNumberAsEncodingJSON(t *testing.T) {
	for _, s := range []string{"0", "-0", "12", "-12.50", "1e5", "1E+5", "2.5e-3", "01", "-", "1.", ".5", "1e", "1e+",
		"-a", "0x1", "12,", "3]", strings.Repeat("9", 308), strings.Repeat("9", 309)} {
		end, big := Number([]byte(s), 0)
		prefix := ""
		if end >= 0 {
			prefix = s[:end]
		}
		if end >= 0 != json.Valid([]byte(prefix)) {
			t.Errorf("Number(%q) ends at %d: %q, valid JSON %v", s, end, prefix, json.Valid([]byte(prefix)))
		}
		if end >= 0 && end < len(s) && json.Valid([]byte(s)) {
			t.Errorf("Number(%q) stopped at %d inside a valid number", s, end)
		}
		wantBig := end >= 0 && (strings.ContainsAny(prefix, "eE") || len(strings.SplitN(strings.TrimPrefix(prefix, "-"), ".", 2)[0]) > 308)
		if big != wantBig {
			t.Errorf("Number(%q) big = %v, want %v", s, big, wantBig)
		}
	}
}
