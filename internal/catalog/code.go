package catalog

import "strings"

// DeriveItemCode finds the 基本编码 inside a 实施编码 when a file gives only
// the latter. Real codes put the item code first and the 12-digit region code
// next (511A0138000000-511602000000-000-<org credit code>-1-00, also
// G-000007-001-511602000000-…), so the item code is everything before
// "-<region>". Without the region segment, a code with a 1–2 letter prefix
// keeps its first three segments (E-000004-001-<org>); any other code keeps
// what precedes the first '-'.
func DeriveItemCode(implementationCode, regionCode string) string {
	code := strings.TrimSpace(implementationCode)
	if regionCode != "" {
		if i := strings.Index(code, "-"+regionCode); i > 0 {
			return code[:i]
		}
	}
	segs := strings.Split(code, "-")
	for i := 1; i < len(segs); i++ { // an unnamed region: a later 12-digit segment
		if isDigits(segs[i]) && len(segs[i]) == 12 {
			return strings.Join(segs[:i], "-")
		}
	}
	if len(segs) >= 3 && len(segs[0]) <= 2 {
		return strings.Join(segs[:3], "-")
	}
	return segs[0]
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
