package search

import "slices"

// After a compaction each name group's docs are neighbours, and all of them
// hold the same name and alias tokens. So the name and alias posting lists,
// below Index.ordered, are runs of whole groups: a query walks them group by
// group (a mask per group) instead of doc by doc (~88 per group), and
// collect gives each doc it visits its group's mask besides its own. The
// per-doc lists stay as they are, for IDF and for the docs appended since
// (ordinals from Index.ordered on, walked doc by doc).

// ordRange is a name group's ordinals [start, end) below Index.ordered.
type ordRange struct{ start, end int32 }

// noGroupLists turns the group walk off, for the test that proves it
// changes nothing.
var noGroupLists = false

// buildGroupLists records the group ranges and the groups per name and
// alias key of the layout compactLocked has just made (write lock held).
func (ix *Index) buildGroupLists() {
	ix.granges = make([]ordRange, len(ix.groups))
	for g := range ix.granges {
		ix.granges[g] = ordRange{-1, -1}
	}
	for ord := range ix.hot {
		r := &ix.granges[ix.hot[ord].group]
		if r.start < 0 {
			r.start = int32(ord)
		}
		r.end = int32(ord) + 1
	}
	ix.buildGroupFacts()
	ix.lays = nil
	for k, p := range ix.post {
		if f := field(k >> 62); f != fName && f != fAlias {
			continue
		}
		var gs []uint32
		for _, ord := range p.list {
			if g := ix.hot[ord].group; len(gs) == 0 || gs[len(gs)-1] != g {
				gs = append(gs, g)
			}
		}
		ix.setLayout(k, keyLayout{groups: slices.Clip(gs)})
	}
	ix.buildFieldGroups()
}

// groupList returns, for a name or alias key, the groups holding it below
// Index.ordered and the per-doc list of the docs appended since; for a key
// of the other fields, the groups wholly holding it, the rest of its list
// below Index.ordered and the part appended since (group_fields.go); ok is
// false when the key is to be walked doc by doc (read lock held).
func (ix *Index) groupList(f field, l *keyLayout, list []int32) (groups []uint32, rest, tail []int32, ok bool) {
	if noGroupLists || ix.ordered == 0 {
		return nil, nil, nil, false
	}
	if f != fName && f != fAlias {
		return ix.splitList(f, l, list)
	}
	i := ix.tailStart(list)
	return l.groups, nil, list[i:], true
}

// tailStart is where list's ordinals from Index.ordered on begin. Most
// lists have none (nothing appended since the layout), which the index's
// length shows without reading the list (its last entry, far from the
// first, was a cache miss per token and field: 1.2 % of a server's CPU
// under searches with no query repeated), or else its last entry without
// a search.
func (ix *Index) tailStart(list []int32) int {
	if ix.ordered == len(ix.docs) || len(list) == 0 || list[len(list)-1] < int32(ix.ordered) {
		return len(list)
	}
	i, _ := slices.BinarySearch(list, int32(ix.ordered))
	return i
}
