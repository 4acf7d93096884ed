package bench

import (
	"testing"

	"github.com/tongban/tongban"
)

// TestEnterpriseCodesAreValid: the bench's enterprises pass Tongban's own
// GB 32100 check, and no two collide.
func TestEnterpriseCodesAreValid(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range []int{0, 1, 63, 9_999, 1_234_567} {
		c := EnterpriseCode(n)
		if _, err := tongban.ParseCreditCode(c); err != nil || seen[c] {
			t.Errorf("EnterpriseCode(%d) = %s: %v", n, c, err)
		}
		seen[c] = true
	}
}
