package search

import "sync/atomic"

// The index keeps one copy of each text its docs share — a name, alias,
// material or FAQ entry is filed in ~88 regions — with an id, and each
// doc's rerank strings as those ids (textIDs, by ordinal). Rerank and
// snippets fold and transcribe each text once per index, not once per
// candidate: a text's symbol sequences are computed by the first search
// that needs them and kept with the text (Index.trans). A memo per scratch
// before this, keyed by the text's address, cost 2.5 % of a server's CPU
// in its map under searches with no query repeated, and sync.Pool dropped
// it at every GC.

// textRef is the index's copy of a text and its id.
type textRef struct {
	s  string
	id int32
}

// transcriptions holds a text's sequences, one per space, each stored by
// the first search that computed it. Searches that race to compute one
// store equal values, so whichever lands is right.
type transcriptions [numSpaces]atomic.Pointer[transcription]

// transcription is a text as symbols of one space, and the rune index in
// the text of each symbol. Never written once stored.
type transcription struct {
	seq []int32
	pos []int32
}

// intern returns the index's copy of s and its id (write lock held).
func (ix *Index) intern(s string) (string, int32) {
	if t, ok := ix.texts[s]; ok {
		return t.s, t.id
	}
	id := int32(len(ix.trans))
	ix.texts[s] = textRef{s, id}
	ix.trans = append(ix.trans, new(transcriptions))
	return s, id
}

// internDoc makes d's rerank strings the index's copies and appends their
// ids to ids in docStrings' order: names, aliases, materials, FAQ (write
// lock held; d's slices are the index's own, see cloneDoc).
func (ix *Index) internDoc(d *Doc, ids []int32) []int32 {
	var id int32
	d.ListingName, id = ix.intern(d.ListingName)
	ids = append(ids, id)
	d.ItemName, id = ix.intern(d.ItemName)
	ids = append(ids, id)
	for _, ss := range [][]string{d.Aliases, d.Materials, d.FAQ} {
		for i, s := range ss {
			ss[i], id = ix.intern(s)
			ids = append(ids, id)
		}
	}
	return ids
}

// textCount is how many rerank strings d has.
func textCount(d *Doc) int { return 2 + len(d.Aliases) + len(d.Materials) + len(d.FAQ) }

// addTextsLocked interns the doc just appended at ord (write lock held).
func (ix *Index) addTextsLocked(ord int32) {
	d := &ix.docs[ord]
	ix.textIDs = append(ix.textIDs, ix.internDoc(d, make([]int32, 0, textCount(d))))
}

// reinternLocked starts the table afresh from the live docs, so texts no
// live doc holds are dropped; a text kept keeps what was transcribed of it
// (at compaction; write lock held).
func (ix *Index) reinternLocked() {
	old, oldTrans := ix.texts, ix.trans
	ix.texts = make(map[string]textRef, len(old))
	ix.trans = make([]*transcriptions, 0, len(oldTrans))
	total := 0
	for i := range ix.docs {
		total += textCount(&ix.docs[i])
	}
	arena := make([]int32, 0, total) // one allocation for every doc's ids
	ix.textIDs = make([][]int32, len(ix.docs))
	for i := range ix.docs {
		from := len(arena)
		arena = ix.internDoc(&ix.docs[i], arena)
		ix.textIDs[i] = arena[from:len(arena):len(arena)]
	}
	for s, t := range ix.texts {
		if o, ok := old[s]; ok {
			ix.trans[t.id] = oldTrans[o.id]
		}
	}
}
