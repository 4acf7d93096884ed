package search

// The index keeps one copy of each text its docs share — a name, alias,
// material or FAQ entry is filed in ~88 regions — so that rerank's memo of
// transcribed strings (docStrings.known) is keyed by a text's address, not
// by hashing and comparing its bytes on every look-up (7.8 % of a server's
// CPU under searches with no query repeated). A text the memo has not seen
// at that address is only transcribed again: nothing depends on the
// sharing being complete.

// intern returns the index's copy of s (write lock held).
func (ix *Index) intern(s string) string {
	if t, ok := ix.texts[s]; ok {
		return t
	}
	ix.texts[s] = s
	return s
}

// internDoc makes d's rerank strings the index's copies (write lock held;
// d's slices are the index's own, see cloneDoc).
func (ix *Index) internDoc(d *Doc) {
	d.ListingName, d.ItemName = ix.intern(d.ListingName), ix.intern(d.ItemName)
	for _, ss := range [][]string{d.Aliases, d.Materials, d.FAQ} {
		for i, s := range ss {
			ss[i] = ix.intern(s)
		}
	}
}

// reinternLocked starts the table afresh from the live docs, so texts no
// live doc holds are dropped (at compaction; write lock held).
func (ix *Index) reinternLocked() {
	ix.texts = make(map[string]string, len(ix.texts))
	for i := range ix.docs {
		ix.internDoc(&ix.docs[i])
	}
}
