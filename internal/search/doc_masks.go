package search

// A touched doc's mask (which query tokens it holds, in which fields) was
// kept at its ordinal in an array of every doc's: 40 bytes a doc, 4.5 MB a
// scratch for 100,000 docs. A query writes and reads a few thousand of
// them, scattered over the whole array, and under load (two searches, the
// HTTP server and the load generator sharing two cores) nearly each access
// missed the cache: in a profile of the server, touch and takeMask were
// 23 % of the index's time, against 4 % in a benchmark that searches
// alone. So the masks are written one after another, in the order the
// docs get theirs (sc.tm), and a doc's place there is kept at its ordinal
// in 4 bytes (sc.slot: 450 kB, ten times less to keep in cache); whether a
// doc has one is read from sc.own, a bit a doc.
//
// Between uses every slot is zero (a mask read is dropped: takeMask), and
// sc.tm is emptied when a walk begins.

// newMask gives doc ord, which has no mask, a zero one (marked in sc.own)
// and returns it; the pointer is good until the next mask is made.
func (sc *scratch) newMask(ord int32) *docMask {
	sc.tm = append(sc.tm, docMask{})
	sc.slot[ord] = int32(len(sc.tm))
	sc.own[ord>>6] |= 1 << (ord & 63)
	return &sc.tm[len(sc.tm)-1]
}

// maskOf returns doc ord's mask, made if it has none.
func (sc *scratch) maskOf(ord int32) *docMask {
	if s := sc.slot[ord]; s != 0 {
		return &sc.tm[s-1]
	}
	return sc.newMask(ord)
}

// written returns the mask of doc ord, which has one (its bit in sc.own).
func (sc *scratch) written(ord int32) *docMask { return &sc.tm[sc.slot[ord]-1] }

// dropMask forgets doc ord's mask, read or not needed.
func (sc *scratch) dropMask(ord int32) { sc.slot[ord] = 0 }
