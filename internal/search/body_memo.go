package search

// rerank's fallback (matchBody) looks for a part of an alternative found
// in no name verbatim in each candidate's materials and FAQ, in order, and
// the copies of a group hold mostly the same few texts (a catalog's
// materials are a short list, repeated): so whether a text holds a part
// is remembered for the query, by the text's id (Index.textIDs: one id
// per distinct text).

// bodyEntry is whether text holds part of alternative alt verbatim, valid
// while stamp is the memo's.
type bodyEntry struct {
	stamp uint32
	holds bool
	key   uint64 // alt, part and text id (bodyKey)
}

const bodyMemoBits = 10

func bodyKey(alt, part int, text int32) uint64 {
	return uint64(alt)<<40 | uint64(part)<<32 | uint64(uint32(text))
}

// bodyHolds reports whether string si of ds holds part pi of alternative
// ai (a) verbatim, from the memo or computed and kept there.
func (g *groupMemos) bodyHolds(ds *docStrings, ai, pi int, a *alternative, si int) bool {
	key := bodyKey(ai, pi, ds.ids[si])
	e := &g.body[key*0x9E3779B97F4A7C15>>(64-bodyMemoBits)]
	if e.stamp == g.stamp && e.key == key && !noGroupMemo {
		return e.holds
	}
	seq := ds.seq(si, a.space)
	e.stamp, e.key, e.holds = g.stamp, key, len(seq) > 0 && approxDistance(a.parts[pi], seq, 0) == 0
	return e.holds
}
