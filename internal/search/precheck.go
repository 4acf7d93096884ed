package search

import "math/bits"

// The list whose walk closes the walk (pruning: no untouched doc can
// qualify after it) is often a long material list, and most of the docs it
// touches first hold too little of the query to match: 社保's rewrite
// 社会保险 reaches 10,789 docs through one material, and 8,466 of them then
// fail the coverage test, each having been marked, intersected with the
// lists left and visited. But what such a doc can still get is known
// before it is marked: the bits the lists left set on its name group, and
// the bits of the lists left kept as bitmaps. So when every list left is
// of those kinds, a doc of the layout that the closing list is the first
// to touch (neither it nor its group touched yet) is marked only if that
// mask, its whole final one, could match. A doc that could not is never
// counted nor offered, so skipping it changes nothing
// (TestPrecheckChangesNothing).

// noPrecheck turns the check off, for the test that proves it changes
// nothing.
var noPrecheck = false

// pendingDense is a list left after the closing one, kept as a bitmap of
// the layout's ordinals.
type pendingDense struct {
	bm  []uint64
	bit uint64
	f   field
}

// preparePending gathers what the lists left (walked only against the
// touched docs) can give a doc of the layout: the bits they set on name
// groups, in sc.gpending, and their bitmaps, in sc.pdense. It reports false,
// having set nothing, when some list left must be walked entry by entry, so
// that membership cannot be told for one doc, or more than
// maxPendingDense lists left are bitmaps.
func (sc *scratch) preparePending(p *parsed, left []plist) bool {
	dense := 0
	for _, l := range left {
		t, f := &p.toks[l.tok], l.f
		if t.dense[f] == nil && (!t.grouped[f] || len(t.rest[f]) > 0) {
			return false
		}
		if t.dense[f] != nil {
			dense++
		}
	}
	if dense > maxPendingDense {
		return false
	}
	sc.pdense = sc.pdense[:0]
	for _, l := range left {
		t, f := &p.toks[l.tok], l.f
		if t.grouped[f] {
			for _, g := range t.groups[f] {
				sc.gpending[g].any |= t.bit
				sc.gpending[g].f[f] |= t.bit
			}
		}
		if t.dense[f] != nil {
			sc.pdense = append(sc.pdense, pendingDense{t.dense[f], t.bit, f})
		}
	}
	return true
}

// touchOpen is touch, or touchChecked for the closing list when checked.
func (sc *scratch) touchOpen(ix *Index, pw *passWeights, checked bool, touched, list []int32, bit uint64, f field) []int32 {
	if checked {
		return sc.touchChecked(ix, pw, touched, list, bit, f)
	}
	return sc.touch(touched, list, bit, f)
}

// touchChecked is touch for the list that closes the walk, once
// preparePending has succeeded: a doc of the layout touched neither on its
// own nor through its group is marked only if its final mask (this list's
// bit, its group's pending bits, the pending bitmaps that hold it) could
// match. Whether a doc is touched is read from sc.own, not from its mask:
// most of the docs are skipped, and their 40-byte masks, spread over
// megabytes, are then never read. The list is in ordinal order, so a
// group's docs come in a run: its id and whether it is touched are read
// once per run, and the answer per set of pending bitmaps once per group.
func (sc *scratch) touchChecked(ix *Index, pw *passWeights, touched, list []int32, bit uint64, f field) []int32 {
	own, gmasks := sc.own, sc.gmasks
	var g uint32
	var r ordRange // group g's range; empty before the first
	skip := false  // group g is touched: no doc of it is skipped
	var known [1 << maxPendingDense]int8
	for _, ord := range list {
		var m *docMask
		if own[ord>>6]&(1<<(ord&63)) != 0 {
			m = sc.written(ord)
		} else {
			if int(ord) < ix.ordered {
				if ord >= r.end {
					g = ix.gof[ord]
					r = ix.granges[g]
					skip = gmasks[g].any == 0
					known = [1 << maxPendingDense]int8{}
				}
				if skip && !sc.mayMatch(pw, &known, ord, g, bit, f) {
					continue
				}
			}
			touched = append(touched, ord)
			m = sc.newMask(ord)
		}
		m.any |= bit
		m.f[f] |= bit
	}
	return touched
}

// touchDenseChecked is touchChecked for the part of the closing list kept
// as a bitmap (of the layout's ordinals), a word at a time: the docs of a
// word new to the walk are split by name group, and those of an untouched
// group by which pending bitmaps hold them, each set answered at once.
func (sc *scratch) touchDenseChecked(ix *Index, pw *passWeights, touched []int32, dense []uint64, bit uint64, f field) []int32 {
	own, gmasks := sc.own, sc.gmasks
	var g uint32
	var r ordRange // group g's range; empty before the first
	var known [1 << maxPendingDense]int8
	for w, x := range dense {
		if x == 0 {
			continue
		}
		lo := int32(w) << 6
		keep := x & own[w] // touched already: they take the bit
		for fresh := x &^ own[w]; fresh != 0; {
			if ord := lo | int32(bits.TrailingZeros64(fresh)); ord >= r.end {
				g = ix.gof[ord]
				r = ix.granges[g]
				known = [1 << maxPendingDense]int8{}
			}
			run := fresh & wordBits(int32(w), r)
			fresh &^= run
			if gm := &gmasks[g]; gm.any != 0 {
				// Touched: its range is visited whole. Its names holding
				// the token, the copies need no bit of it (names_held.go).
				if !namesHold(gm, bit, f) {
					keep |= run
				}
				continue
			}
			keep |= sc.mayMatchRun(pw, &known, w, run, g, bit, f)
		}
		for k := keep; k != 0; k &= k - 1 {
			ord := lo | int32(bits.TrailingZeros64(k))
			var m *docMask
			if own[w]&(1<<(ord&63)) != 0 {
				m = sc.written(ord)
			} else {
				touched = append(touched, ord)
				m = sc.newMask(ord)
			}
			m.any |= bit
			m.f[f] |= bit
		}
	}
	return touched
}

// mayMatchRun is mayMatch for the docs run of word w, all of group g: it
// returns those of them that may match.
func (sc *scratch) mayMatchRun(pw *passWeights, known *[1 << maxPendingDense]int8, w int, run uint64, g uint32, bit uint64, f field) uint64 {
	may := uint64(0)
	for run != 0 {
		ord := int32(w)<<6 | int32(bits.TrailingZeros64(run))
		same := run // the docs held by the same pending bitmaps as ord
		for i := range sc.pdense {
			if bm := sc.pdense[i].bm[w]; bm&(1<<(ord&63)) != 0 {
				same &= bm
			} else {
				same &^= bm
			}
		}
		run &^= same
		if sc.mayMatch(pw, known, ord, g, bit, f) {
			may |= same
		}
	}
	return may
}

// maxPendingDense is how many pending bitmaps preparePending takes: the
// answers of a group are kept by which of them hold the doc.
const maxPendingDense = 6

// mayMatch reports whether doc ord of group g, first touched by the
// closing list (bit in field f), matches with all it can still get; known
// keeps the group's answers by the pending bitmaps that hold the doc.
func (sc *scratch) mayMatch(pw *passWeights, known *[1 << maxPendingDense]int8, ord int32, g uint32, bit uint64, f field) bool {
	held := 0
	for i := range sc.pdense {
		if sc.pdense[i].bm[ord>>6]&(1<<(ord&63)) != 0 {
			held |= 1 << i
		}
	}
	if k := known[held]; k != 0 {
		return k > 0
	}
	m := sc.gpending[g]
	m.any |= bit
	m.f[f] |= bit
	for i := range sc.pdense {
		if d := &sc.pdense[i]; held&(1<<i) != 0 {
			m.any |= d.bit
			m.f[d.f] |= d.bit
		}
	}
	ok := sc.memo.guess(pw, &m) >= 0
	known[held] = -1
	if ok {
		known[held] = 1
	}
	return ok
}
