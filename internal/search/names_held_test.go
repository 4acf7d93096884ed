package search

import (
	"math/bits"
	"testing"
)

// TestNamesHeldChangesNothing: leaving unset a copy's materials and
// org-name bits for the tokens its group's names hold (names_held.go) must give
// exactly what setting them gives, on the catalogs of
// TestUnreadCountChangesNothing, each after churn; and it must leave some
// copy without bits of its own, or the comparison proves nothing.
func TestNamesHeldChangesNothing(t *testing.T) {
	switchChangesNothing(t, &noNamesHeld, func(ix *Index) bool { return ownedFewer(ix, "居民身份证") },
		"居民身份证 leaves every copy with the bits of its own it had", "出生医学证明")
}

// ownedFewer reports whether text's walk leaves fewer docs with bits of
// their own with namesHeld on than off.
func ownedFewer(ix *Index, text string) bool {
	owned := func(off bool) int {
		defer func() { noNamesHeld = false }()
		noNamesHeld = off
		return ownedAfterWalk(ix, accumulated(ix, text))
	}
	return owned(false) < owned(true)
}

// ownedAfterWalk counts the docs with bits of their own once sc's walk is
// done: in their masks (sc.own), or from the late lists for the copies of
// the groups touched whole (late_lists.go).
func ownedAfterWalk(ix *Index, sc *scratch) int {
	n := 0
	for _, w := range sc.own {
		n += bits.OnesCount64(w)
	}
	return n + ownedLateOnly(ix, sc)
}
