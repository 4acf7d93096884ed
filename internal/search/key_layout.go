package search

// keyLayout is what a compaction derives from one key's posting list below
// Index.ordered, each part described where it is built: for a name or alias
// key, the groups holding it (group_lists.go); for a key of the other
// fields split by group, the groups all of whose docs hold it and the rest
// of its list (group_fields.go); for a long list of those fields, a bitmap
// of it, or of its rest when split (dense_lists.go).
//
// The three were maps of their own, so resolve looked a token's key up in
// as many as four of them a field (the list's, the groups', the rest's and
// the bitmap's, and the groups' again to learn if the bitmap was of a
// rest). Under searches with no query repeated those lookups were 3.8 % of
// a server's CPU; one map answers them all with one lookup.
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
