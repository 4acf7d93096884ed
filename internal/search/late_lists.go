package search

import "math/bits"

// A list intersected once the walk has closed, kept as a bitmap (the long
// lists of common words of materials, FAQ and org names), only adds its
// token to docs already touched, nearly all of them copies of touched name
// groups. Most of those bits are never read: a group whose names and own
// bits together cannot match is skipped whole (ownCannotMatch), and a copy
// only counted is never judged (visitRange). Yet writing each bit was a
// store to a 40-byte mask, scattered over megabytes. So such a list is
// kept as it is (sc.late), and a copy's bits from it are read where its
// mask is: from the bitmap's word, at the copy's ordinal.
//
// A late bit is what intersectDense would have set: every doc collect
// visits was touched when the list was walked, and a copy of a group
// whose names hold the token takes no bit of it (names_held.go). The
// names are read when the copy is, so a token they came to hold after the
// list was walked is skipped too, which the same argument allows
// (TestLateListsChangeNothing).

// noLateLists turns the late lists off, for the test that proves they
// change nothing.
var noLateLists = false

// maxLateLists is how many late lists a query keeps (a bit each in a
// uint32); a list after them is intersected at once.
const maxLateLists = 32

// lateList is a list intersected after the walk closed, not yet applied.
type lateList struct {
	dense []uint64 // a bit per ordinal of the layout
	bit   uint64
	f     field
}

// keepsLate reports whether intersectDense may keep its list late: off
// with the paths the per-doc walk stands in for, which read masks only.
func keepsLate() bool { return !noLateLists && !noGroupRanges && !noGroupMemo }

// lateFor returns the late lists whose bits the copies of a group with
// mask gm take; a doc touched on its own takes them all (allLate).
func (sc *scratch) lateFor(gm *docMask) uint32 {
	use := uint32(0)
	for i := range sc.late {
		if l := &sc.late[i]; !namesHold(gm, l.bit, l.f) {
			use |= 1 << i
		}
	}
	return use
}

// ownWords returns the words of range r with its copies that hold bits of
// their own: in their masks (sc.own) or from the late lists of use. The
// first word is r.start's.
func (sc *scratch) ownWords(r ordRange, use uint32) []uint64 {
	out := sc.gown[:0]
	for w := r.start >> 6; w <= (r.end-1)>>6; w++ {
		x := sc.own[w]
		for u := use; u != 0; u &= u - 1 {
			if d := sc.late[bits.TrailingZeros32(u)].dense; int(w) < len(d) {
				x |= d[w]
			}
		}
		out = append(out, x&wordBits(w, r))
	}
	sc.gown = out
	return out
}

// takeMask returns doc ord's mask, what is written in sc.tm (if anything:
// a copy of a touched group may have none) and its bits from the late lists
// of use, and drops the written one for the next walk.
func (sc *scratch) takeMask(ord int32, use uint32) docMask {
	var m docMask
	if s := sc.slot[ord]; s != 0 {
		m = sc.tm[s-1]
		sc.dropMask(ord)
	}
	w, b := ord>>6, uint64(1)<<(ord&63)
	for u := use; u != 0; u &= u - 1 {
		l := &sc.late[bits.TrailingZeros32(u)]
		if int(w) < len(l.dense) && l.dense[w]&b != 0 {
			m.any |= l.bit
			m.f[l.f] |= l.bit
		}
	}
	return m
}

// lateUnion adds to u the bits the late lists of use give some copy of
// range r.
func (sc *scratch) lateUnion(u *docMask, r ordRange, use uint32) {
	for ; use != 0; use &= use - 1 {
		l := &sc.late[bits.TrailingZeros32(use)]
		for w := r.start >> 6; w <= (r.end-1)>>6 && int(w) < len(l.dense); w++ {
			if l.dense[w]&wordBits(w, r) != 0 {
				u.any |= l.bit
				u.f[l.f] |= l.bit
				break
			}
		}
	}
}

// allLate is every late list: what a doc touched on its own takes.
func (sc *scratch) allLate() uint32 { return uint32(1)<<len(sc.late) - 1 }

// dropLate forgets the late lists once read: a pooled scratch must not
// keep a replaced layout's bitmaps alive.
func (sc *scratch) dropLate() {
	clear(sc.late)
	sc.late = sc.late[:0]
}
