package search

import "strconv"

// A province files the same item in every region: 100,000 listings hold
// about a thousand distinct names, each ~88 times. Listings with the same
// names and aliases (a name group) have the same name and alias tokens and
// lengths, so whatever the two passes compute from those alone is computed
// once per group and query, and reused for the group's other listings.
// Only the listing's own parts (materials, FAQ, org, region, popularity,
// filters) are still looked at one by one. The memo is exact: it is keyed by
// everything the computation reads, so results are the same as without it
// (TestGroupMemoChangesNothing).

// groupOf returns the id of d's name group, creating it (write lock held).
// Group ids are never reused or dropped: a renamed listing leaves its old
// key behind, a few bytes per distinct name ever indexed.
func (ix *Index) groupOf(d *Doc) uint32 {
	key := groupKey(d)
	id, ok := ix.groups[key]
	if !ok {
		id = uint32(len(ix.groups))
		ix.groups[key] = id
	}
	return id
}

// groupKey packs the names and aliases with their lengths, so that no two
// different lists of strings give the same key.
func groupKey(d *Doc) string {
	b := make([]byte, 0, 64)
	add := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	add(d.ListingName)
	add(d.ItemName)
	for _, a := range d.Aliases {
		add(a)
	}
	return string(b)
}

// noGroupMemo turns the memo off, for the test that proves it changes
// nothing.
var noGroupMemo = false

// firstPass is what collect computes for a doc from its masks and lengths.
type firstPass struct {
	rels    [maxAlts]float32
	guess   int
	bestRel float64
}

// passMemo is one group's first pass for the current query, valid while
// stamp is the scratch's stamp and the doc's masks and the lengths of the
// fields it matched in are the same.
type passMemo struct {
	stamp uint32
	mask  docMask
	lens  [numFields]uint16 // of the doc it was computed for
	res   firstPass
}

// rankMemo is one group's exact match of one alternative (rerank),
// computed without reading any body string.
type rankMemo struct {
	class int
	bonus float64
	where matchWhere
}

// groupMemos holds the memos of a scratch: the first pass's by group id,
// where a new stamp per query invalidates them all without clearing; the
// rerank's (a hundred candidates) by group and alternative, cleared.
type groupMemos struct {
	stamp uint32
	pass  []passMemo
	rank  *[1 << rankMemoBits]rankEntry // by a hash of group and alternative
	names []namesMemo                   // by group id: its first pass from its names alone
	// guesses are the class guesses of doc masks, by a hash of the mask
	// (group_ranges.go).
	guesses   *[1 << guessMemoBits]guessMemo
	lastGuess *guessMemo // the entry guess last answered from
	passes    *[1 << passMemoBits]passEntry
	body      *[1 << bodyMemoBits]bodyEntry // by a hash of alternative, part and text (body_memo.go)
}

// namesMemo is a group's first pass for a doc that matched only through
// its group's names and aliases (valid while stamp is the scratch's).
type namesMemo struct {
	stamp  uint32
	covers bool
	res    firstPass
}

// rankEntry is a rankMemo of one group and alternative, valid while stamp
// is the scratch's; with body, some part is in no name or alias, and the
// match of each part in them is kept instead, for each doc's materials and
// FAQ to complete. A direct-mapped table, not a map: a colliding pair is
// computed again, which changes nothing, and a query's hundred candidates
// fall in a few dozen groups.
type rankEntry struct {
	stamp uint32
	alt   int32
	group uint32
	body  bool
	m     rankMemo
	parts [maxRankParts]partMatch
}

const rankMemoBits = 10

// maxRankParts is how many parts an alternative may have for its matches
// in the names to be kept (more are matched afresh for each doc).
const maxRankParts = 4

// rankMemo returns the entry for group g and alternative alt: the memo if
// found, else a slot to fill.
func (g *groupMemos) rankMemo(group uint32, alt int) (e *rankEntry, ok bool) {
	e = &g.rank[(uint64(group)*maxAlts+uint64(alt))*0x9E3779B97F4A7C15>>(64-rankMemoBits)]
	return e, e.stamp == g.stamp && e.group == group && e.alt == int32(alt)
}

func (g *groupMemos) next(groups int) {
	g.stamp++
	if g.stamp == 0 { // wrapped: old stamps could look current
		clear(g.pass)
		clear(g.names)
		if g.guesses != nil {
			clear(g.guesses[:])
			clear(g.passes[:])
			clear(g.rank[:])
			clear(g.body[:])
		}
		g.stamp = 1
	}
	if g.guesses == nil {
		g.guesses = new([1 << guessMemoBits]guessMemo)
		g.passes = new([1 << passMemoBits]passEntry)
		g.rank = new([1 << rankMemoBits]rankEntry)
		g.body = new([1 << bodyMemoBits]bodyEntry)
	}
	if len(g.pass) < groups {
		g.pass = append(g.pass, make([]passMemo, groups-len(g.pass)+groups/8)...)
	}
	if len(g.names) < groups {
		g.names = append(g.names, make([]namesMemo, groups-len(g.names)+groups/8)...)
	}
}

// groupPass is the first pass of a doc of group grp whose only matches are
// its group's names and aliases (mask gm), or nil if no alternative may
// cover it. Only the name and alias lengths are read (lens, a copy's), and
// they are the group's: a group mask with bits of other fields
// (gm.ownLengths) needs each doc's own. The group is passed, not read from
// a copy: collectByGroup orders the ranges before it visits them, and
// reading each range's first copy for its group missed the cache once a
// group; lens is read only when the memo misses.
func (g *groupMemos) groupPass(pw *passWeights, gm *docMask, grp uint32, lens *[numFields]uint16) *firstPass {
	e := &g.names[grp]
	if e.stamp != g.stamp {
		e.stamp = g.stamp
		e.covers = pw.mayCover(gm)
		if e.covers {
			e.res = pw.of(gm, lens)
		}
	}
	if !e.covers {
		return nil
	}
	return &e.res
}
