package blob

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzValidHashIsThePattern: ValidHash, written by hand, accepts exactly
// what hashPattern matches.
func FuzzValidHashIsThePattern(f *testing.F) {
	hex := strings.Repeat("0123456789abcdef", 4)
	for _, s := range []string{"hmac-sm3:" + hex, "sha256:" + hex, "sha256:" + hex[:63], "sha256:" + hex + "0",
		"hmac-sm3:" + strings.ToUpper(hex), "md5:" + hex, "", "sha256:", "hmac-sm3:" + hex[:63] + "g", "hmac-sm3:" + hex + "\n"} {
		f.Add(s)
	}
	pattern := regexp.MustCompile(hashPattern)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidHash(s), pattern.MatchString(s); got != want {
			t.Fatalf("ValidHash(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}
