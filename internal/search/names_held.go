package search

// A copy touched through its group's range needs no bit in its materials
// or org-name field for a token its names already hold: a token counts
// once, in its best field, and names come first (passWeights.of, coverage),
// so that bit changes no score, no cover and no count. Left unset, the copy
// has no bits of its own from a common word of materials (证 in almost
// every listing) and is visited as one of the group's copies, not one by
// one (visitRange).

// noNamesHeld turns namesHeld off, for the test that proves it changes
// nothing.
var noNamesHeld = false

// namesHeld marks in sc.held the docs of the touched groups (sc.gwhole)
// whose names or aliases hold bit, for a list in field f walked after
// them, and reports whether it marked any. clearHeld undoes it.
func (sc *scratch) namesHeld(ix *Index, bit uint64, f field) bool {
	if noNamesHeld || f == fName || f == fAlias {
		return false
	}
	if len(sc.held) < len(sc.bitmap) {
		sc.held = make([]uint64, len(sc.bitmap))
	}
	sc.heldGroups = sc.heldGroups[:0]
	for _, g := range sc.gwhole {
		if gm := &sc.gmasks[g]; (gm.f[fName]|gm.f[fAlias])&bit == 0 {
			continue
		}
		r := ix.granges[g]
		for w := r.start >> 6; w <= (r.end-1)>>6; w++ {
			sc.held[w] |= wordBits(w, r)
		}
		sc.heldGroups = append(sc.heldGroups, g)
	}
	return len(sc.heldGroups) > 0
}

// clearHeld leaves sc.held all zero again after namesHeld.
func (sc *scratch) clearHeld(ix *Index) {
	for _, g := range sc.heldGroups {
		r := ix.granges[g]
		for w := r.start >> 6; w <= (r.end-1)>>6; w++ {
			sc.held[w] = 0
		}
	}
	sc.heldGroups = sc.heldGroups[:0]
}
