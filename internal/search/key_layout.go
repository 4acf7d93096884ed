package search

// keyLayout is what a compaction derives from one key's posting list below
// Index.ordered, each part described where it is built: for a name or alias
// key, the groups holding it (group_lists.go); for a key of the other
// fields split by group, the groups all of whose docs hold it and the rest
// of its list (group_fields.go); for a long list of those fields, a bitmap
// of it, or of its rest when split (dense_lists.go).
//
// The three were maps of their own, and resolve looked a token's key up in
// as many as four of them a field (the groups', the rest's, the bitmap's,
// and the groups' again to learn if the bitmap was of a rest); now it is
// one lookup, and one map to build and keep. It bought no CPU: in the
// server's profile with no query repeated, the map lookups took 1.00 s of
// 20 s before and after (docs/benchmarks.md), the larger entries missing
// the cache as often as the extra lookups had.
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
