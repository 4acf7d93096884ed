package search

import "math/bits"

// Materials, FAQ, org names and themes repeat a few common words (申请,
// 身份证明, 证明) across most listings, so their posting lists run to tens of
// thousands of entries. Once pruning has closed the walk, such a list is
// only intersected with the docs already touched, and walking the whole
// list to find the few thousand touched ones was a large part of a long
// query. So a compaction also keeps each long list of those fields as a
// bitmap over the ordinals below Index.ordered, and the intersection
// becomes a word-wise AND with the touched docs' bitmap, or a bit test per
// touched doc when they are fewer than the bitmap's words. The entries from
// Index.ordered on (docs appended since) are intersected as before.
//
// A list gets a bitmap from ordered/denseShare entries on: the bitmap (one
// bit per doc) is then no larger than the list (32 bits per entry), so the
// bitmaps together take at most as much memory as the lists they mirror.
const denseShare = 32

// noDenseLists turns the bitmaps off, for the test that proves they change
// nothing.
var noDenseLists = false

// buildDenseLists makes the bitmaps of the layout compactLocked has just
// made (write lock held). The lists below Index.ordered do not change
// until the next compaction: updates append ordinals from it on.
func (ix *Index) buildDenseLists() {
	n := ix.ordered
	if n == 0 {
		return
	}
	words := (n + 63) / 64
	for k, p := range ix.post {
		f := field(k >> 62)
		if f == fName || f == fAlias {
			continue
		}
		list := p.list
		l := *ix.layoutOf(p)
		if l.split(f) {
			list = l.rest // the whole groups are walked as groups (group_fields.go)
		}
		if len(list)*denseShare < n {
			continue
		}
		bm := make([]uint64, words)
		for _, ord := range list { // all below ordered, just renumbered
			bm[ord>>6] |= 1 << (ord & 63)
		}
		l.dense = bm
		ix.setLayout(k, l)
	}
}

// denseList returns a key's bitmap (of the rest of its list, if split by
// group) and the part of its list from Index.ordered on, or ok false when
// the list is to be walked (read lock held).
func (ix *Index) denseList(f field, l *keyLayout, list []int32) (bm []uint64, tail []int32, ok bool) {
	if noDenseLists || l.dense == nil {
		return nil, nil, false
	}
	if (noGroupLists || noFieldGroups) && l.split(f) {
		return nil, nil, false // walked whole, and its bitmap is of the rest
	}
	i := ix.tailStart(list)
	return l.dense, list[i:], true
}

// intersectDense sets the token's bits for the touched docs (marked in
// sc.bitmap, its words not zero in sc.words) that are set in the list's
// bitmap. Only those words are read: the touched docs are runs of name
// groups, so they fill a fraction of the bitmap's words, and never more
// words than there are touched docs.
func (sc *scratch) intersectDense(dense []uint64, bit uint64, f field) {
	if sc.lazy && len(sc.late) < maxLateLists {
		sc.late = append(sc.late, lateList{dense, bit, f}) // read with the masks (late_lists.go)
		return
	}
	bm := sc.bitmap
	for _, w := range sc.words {
		if int(w) >= len(dense) {
			break // sorted: the rest are appended since the layout
		}
		for x := bm[w] & dense[w]; x != 0; x &= x - 1 {
			m := sc.maskOf(w<<6 | int32(bits.TrailingZeros64(x)))
			m.any |= bit
			m.f[f] |= bit
		}
	}
}
