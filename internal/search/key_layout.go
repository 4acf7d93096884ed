package search

// keyLayout is what a compaction derives from one key's posting list below
// Index.ordered, each part described where it is built: for a name or alias
// key, the groups holding it (group_lists.go); for a key of the other
// fields split by group, the groups all of whose docs hold it and the rest
// of its list (group_fields.go); for a long list of those fields, a bitmap
// of it, or of its rest when split (dense_lists.go).
//
// The three were maps of their own, and resolve looked a token's key up in
// as many as four of them a field; then one layout map, looked up beside
// the posting map. Now the posting map's entry holds the layout's place
// (posting.lay), so resolve looks a key up once a field. One layout map
// had bought no CPU (the larger entries missed the cache as often as the
// extra lookups had; docs/benchmarks.md); halving the lookups again is
// measured there too.
type keyLayout struct {
	groups []uint32
	rest   []int32
	dense  []uint64
}

// split reports whether the list of a key of the fields other than names
// and aliases is split by group: only those keys hold both groups and a
// layout without them (names' and aliases' are always walked as groups).
func (l *keyLayout) split(f field) bool {
	return f != fName && f != fAlias && l.groups != nil
}

// posting is a key's entry in Index.post: its list of ordinals and, for a
// key with a layout below Index.ordered, 1 + its place in Index.lays (0:
// none). The place is an index, not a pointer, so the map's entries hold
// no pointer the collector must follow beyond the list's.
type posting struct {
	list []int32
	lay  int32
}

// layoutOf returns the layout of a posting, or an empty one (read lock
// held).
func (ix *Index) layoutOf(p posting) *keyLayout {
	if p.lay == 0 {
		return &keyLayout{}
	}
	return &ix.lays[p.lay-1]
}

// setLayout records l as key k's layout, in its posting (write lock held,
// during a compaction's builds).
func (ix *Index) setLayout(k uint64, l keyLayout) {
	p := ix.post[k]
	if p.lay != 0 {
		ix.lays[p.lay-1] = l
		return
	}
	ix.lays = append(ix.lays, l)
	p.lay = int32(len(ix.lays))
	ix.post[k] = p
}
