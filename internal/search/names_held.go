package search

// A copy touched through its group's range needs no bit in its materials
// or org-name field for a token its names already hold: a token counts
// once, in its best field, and names come first (passWeights.of, coverage),
// so that bit changes no score, no cover and no count. Left unset, the copy
// has no bits of its own from a common word of materials (证 in almost
// every listing) and is visited as one of the group's copies, not one by
// one (visitRange).

// noNamesHeld turns hideNamesHeld off, for the test that proves it changes
// nothing.
var noNamesHeld = false

// hideNamesHeld takes out of sc.bitmap, for a list in field f walked once
// the touched docs are marked there, the ranges of the touched groups
// (sc.gwhole, whose ranges visits marked whole) whose names or aliases
// hold bit, so that the list's intersections skip their copies. It reports
// whether it took any; showNamesHeld puts them back.
func (sc *scratch) hideNamesHeld(ix *Index, bit uint64, f field) bool {
	if !namesSkipField(f) {
		return false
	}
	sc.heldGroups = sc.heldGroups[:0]
	for _, g := range sc.gwhole {
		if !namesHold(&sc.gmasks[g], bit, f) {
			continue
		}
		r := ix.granges[g]
		for w := r.start >> 6; w <= (r.end-1)>>6; w++ {
			sc.bitmap[w] &^= wordBits(w, r)
		}
		sc.heldGroups = append(sc.heldGroups, g)
	}
	return len(sc.heldGroups) > 0
}

// showNamesHeld marks again in sc.bitmap the ranges hideNamesHeld took out.
func (sc *scratch) showNamesHeld(ix *Index) {
	for _, g := range sc.heldGroups {
		r := ix.granges[g]
		for w := r.start >> 6; w <= (r.end-1)>>6; w++ {
			sc.bitmap[w] |= wordBits(w, r)
		}
	}
	sc.heldGroups = sc.heldGroups[:0]
}

// namesHold reports whether a group's mask gm holds bit in its names or
// aliases, for a list in field f whose bit its copies then need not take.
func namesHold(gm *docMask, bit uint64, f field) bool {
	return namesSkipField(f) && (gm.f[fName]|gm.f[fAlias])&bit != 0
}

// namesSkipField reports whether a list in field f may skip the copies
// whose names hold its token: every field but the names' own.
func namesSkipField(f field) bool { return !noNamesHeld && f != fName && f != fAlias }
