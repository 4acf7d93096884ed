package search

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Doc is what the index knows about one listing (实施清单). The catalog
// adapter builds it from the database; the index copies what it keeps.
type Doc struct {
	ListingID   int64
	ListingName string   // the listing's published name
	ItemName    string   // the base-catalog item (主项) it implements
	Aliases     []string // colloquial names admins add: 开饭店, 办执照
	OrgID       int64
	OrgName     string
	RegionCode  string   // 12-digit GB/T 2260-based code, e.g. 511602000000
	Themes      []string // browse themes: 生育收养, 户籍办理…
	Audience    string   // AudiencePerson, AudienceEntity or "" (both)
	Channels    []string // 全程网办, 窗口办理…
	Materials   []string // material names
	FAQ         []string // questions and answers, one entry each
	Popularity  int64    // applications in the last N days
}

// Audiences. A query for one also shows docs for both ("").
const (
	AudiencePerson = "个人"
	AudienceEntity = "法人"
)

// Ordinals are append-only: an update appends a new ordinal and kills the
// old one, so posting lists stay sorted without being rewritten; compact
// reclaims dead ordinals in bulk.
//
// hotEntry is what the first pass reads for every matching doc, kept apart
// from the Doc (ten times larger) so that those reads stay in cache.
type hotEntry struct {
	id       int64
	lens     [numFields]uint16 // token characters per field, for BM25 length norm
	region   uint32            // index into Index.regions
	group    uint32            // index of its name group (see group_memo.go)
	audience uint8             // 0 both, 1 个人, 2 法人
	alive    bool
}

func audienceCode(a string) uint8 {
	switch a {
	case AudiencePerson:
		return 1
	case AudienceEntity:
		return 2
	}
	return 0 // both; an unknown value is read leniently as both
}

// Index is an in-memory full-text index of listings. It is safe for
// concurrent use: searches share a read lock, writers take it briefly in
// chunks, and synonyms are swapped atomically without any lock.
type Index struct {
	mu      sync.RWMutex
	docs    []Doc      // by ordinal
	hot     []hotEntry // by ordinal
	pop     []int64    // Doc.Popularity by ordinal: browse reads all, a Doc is ~4 cache lines
	popLog  []float64  // log1p of pop, which rerank boosts by: a logarithm per candidate was 3 % of a search
	gof     []uint32   // hotEntry.group by ordinal: most touched docs need no more (group_ranges.go)
	rof     []uint32   // hotEntry.region by ordinal: nearCopies' binary searches read a range's in a few cache lines
	regions []string   // distinct region codes; hotEntry.region indexes it
	region  map[string]uint32
	// regionRank is each region id's place in code order, regionSorted
	// the codes in that order (region_rank.go).
	regionRank   []uint32
	regionSorted []string
	groups       map[string]uint32  // name group key → id (see group_memo.go)
	byID         map[int64]int32    // ListingID → live ordinal
	post         map[uint64]posting // per key: its list, and its layout's place in lays (key_layout.go)
	words        map[string]uint32  // ASCII word → id inside kWord keys
	texts        map[string]textRef // one copy of each rerank string of the docs, and its id (intern.go)
	trans        []*transcriptions  // by text id: its sequences, as searches computed them
	textIDs      [][]int32          // by ordinal: the doc's texts' ids, in docStrings' order
	live         int
	ordered      int // ordinals below it are in group order (see compactLocked)
	// Below ordered, as laid out by the last compaction: each name
	// group's ordinal range, and per key what the layout derived from its
	// list (key_layout.go).
	granges    []ordRange
	lays       []keyLayout  // the keys' layouts: groups, rest and bitmap (key_layout.go)
	gfacts     []groupFacts // per group: audiences, dead docs (group_ranges.go)
	byRegion   [][]int32    // layout ordinals by region id, most popular first (browse_regions.go)
	regionDead []int32      // per region id: its dead docs in byRegion
	lenSum     [numFields]int64
	maxPop     int64
	tk         tokenizer // writer state, guarded by mu
	keys       []uint64

	syn     atomic.Pointer[synonymSet]
	scratch sync.Pool // *scratch

	// gen counts changes to docs and synonyms; it moves after each change
	// is in place, so an answer tagged with gen saw every change before it.
	gen   atomic.Uint64
	cache resultCache // recent answers; see cache.go

	bundles bundleList // 一件事, matched apart from listings (bundles.go)
}

// New returns an empty index with the default synonyms installed.
func New() *Index {
	ix := &Index{
		byID:   map[int64]int32{},
		region: map[string]uint32{},
		groups: map[string]uint32{},
		post:   map[uint64]posting{},
		words:  map[string]uint32{},
		texts:  map[string]textRef{},
		tk:     tokenizer{py: pinyinTab()},
	}
	ix.SetSynonyms(DefaultSynonyms())
	return ix
}

// SetSynonyms replaces the synonym rules (phrase → expansions, one way; see
// ParseSynonyms for the file form). It takes effect for the next search.
func (ix *Index) SetSynonyms(rules map[string][]string) {
	ix.syn.Store(newSynonymSet(rules))
	ix.gen.Add(1)
}

// Synonyms returns a copy of the rules in effect.
func (ix *Index) Synonyms() map[string][]string {
	out := map[string][]string{}
	for k, v := range ix.syn.Load().raw {
		out[k] = slices.Clone(v)
	}
	return out
}

// Len returns the number of docs in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// writeChunk bounds how long one writer holds the lock, so that a rebuild of
// the whole catalog does not stall searches.
const writeChunk = 256

// Upsert adds docs or replaces the docs with the same ListingID. It never
// fails: a doc is indexed as given (a malformed region code simply matches
// no region filter).
func (ix *Index) Upsert(docs ...Doc) {
	for len(docs) > 0 {
		n := min(len(docs), writeChunk)
		ix.mu.Lock()
		for i := range docs[:n] {
			ix.upsertLocked(&docs[i])
		}
		ix.maybeCompactLocked()
		ix.gen.Add(1)
		ix.mu.Unlock()
		docs = docs[n:]
	}
}

// Delete removes the docs with these listing IDs; unknown IDs are ignored.
func (ix *Index) Delete(ids ...int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, id := range ids {
		if ord, ok := ix.byID[id]; ok {
			ix.killLocked(ord)
			delete(ix.byID, id)
		}
	}
	ix.maybeCompactLocked()
	ix.gen.Add(1)
}

func (ix *Index) killLocked(ord int32) {
	h := &ix.hot[ord]
	h.alive = false
	ix.noteDead(ord)
	ix.live--
	for f, n := range h.lens {
		ix.lenSum[f] -= int64(n)
	}
}

func (ix *Index) upsertLocked(d *Doc) {
	if old, ok := ix.byID[d.ListingID]; ok {
		ix.killLocked(old)
	}
	h := hotEntry{id: d.ListingID, audience: audienceCode(d.Audience), alive: true}
	rid, ok := ix.region[d.RegionCode]
	if !ok {
		rid = uint32(len(ix.regions))
		ix.regions = append(ix.regions, d.RegionCode)
		ix.region[d.RegionCode] = rid
		ix.rankRegionsLocked()
	}
	h.region = rid
	h.group = ix.groupOf(d)
	keys := ix.keys[:0]
	var n1, n2 int
	keys, n1 = ix.tk.add(keys, d.ListingName, fName, ix.wordID)
	keys, n2 = ix.tk.add(keys, d.ItemName, fName, ix.wordID)
	h.lens[fName] = clampLen(max(n1, n2)) // two names of one thing: the longer counts
	h.lens[fAlias] = ix.addAll(&keys, d.Aliases, fAlias)
	h.lens[fBody] = clampLen(int(ix.addAll(&keys, d.Materials, fBody)) + int(ix.addAll(&keys, d.FAQ, fBody)))
	keys, n1 = ix.tk.add(keys, d.OrgName, fMeta, ix.wordID)
	h.lens[fMeta] = clampLen(n1 + int(ix.addAll(&keys, d.Themes, fMeta)))
	slices.Sort(keys)
	keys = slices.Compact(keys)

	ord := int32(len(ix.docs))
	for _, k := range keys {
		p := ix.post[k]
		p.list = append(p.list, ord)
		ix.post[k] = p
	}
	ix.keys = keys
	ix.docs = append(ix.docs, cloneDoc(d))
	ix.addTextsLocked(ord)
	ix.hot = append(ix.hot, h)
	ix.pop = append(ix.pop, d.Popularity)
	ix.popLog = append(ix.popLog, logPopularity(d.Popularity))
	ix.gof = append(ix.gof, h.group)
	ix.rof = append(ix.rof, h.region)
	ix.byID[d.ListingID] = ord
	ix.live++
	for f, n := range h.lens {
		ix.lenSum[f] += int64(n)
	}
	ix.maxPop = max(ix.maxPop, d.Popularity)
}

func (ix *Index) addAll(keys *[]uint64, ss []string, f field) uint16 {
	total := 0
	for _, s := range ss {
		var n int
		*keys, n = ix.tk.add(*keys, s, f, ix.wordID)
		total += n
	}
	return clampLen(total)
}

func clampLen(n int) uint16 { return uint16(min(n, 0xFFFF)) }

// wordID is called with the write lock held when add is true, and with the
// read lock held otherwise.
func (ix *Index) wordID(w string, add bool) (uint32, bool) {
	if id, ok := ix.words[w]; ok {
		return id, true
	}
	if !add {
		return 0, false
	}
	id := uint32(len(ix.words) + 1)
	ix.words[w] = id
	return id, true
}

func cloneDoc(d *Doc) Doc {
	c := *d
	c.Aliases = slices.Clone(d.Aliases)
	c.Themes = slices.Clone(d.Themes)
	c.Channels = slices.Clone(d.Channels)
	c.Materials = slices.Clone(d.Materials)
	c.FAQ = slices.Clone(d.FAQ)
	return c
}

// maybeCompactLocked drops dead entries once they are a quarter of the
// index: rewriting every posting list costs about as much as the garbage it
// reclaims only at that ratio.
func (ix *Index) maybeCompactLocked() {
	dead := len(ix.docs) - ix.live
	if dead < 1024 || dead*4 < len(ix.docs) {
		return
	}
	ix.compactLocked()
}

// Regroup compacts the index, and so lays its docs out in group order, when
// the docs appended since the last compaction are at least a quarter of it:
// a catalog loaded region by region leaves each name's ~88 copies a
// thousand ordinals apart, and a query's walk over them misses the cache at
// every one. It holds the write lock for the whole index (0.7–2 s at
// 100,000 docs on a busy 2-core host), so it is meant for the end of a
// rebuild, not for every batch. Dropping dead docs can move scores a
// little (their postings count in IDF until then), as any compaction.
func (ix *Index) Regroup() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	tail := len(ix.docs) - ix.ordered
	if tail < 1024 || tail*4 < len(ix.docs) {
		return
	}
	ix.compactLocked()
	ix.gen.Add(1)
}

// compactLocked drops dead docs and renumbers the live ones in group order
// (name group, then region code, then listing ID), so that a group's
// listings are neighbours in every posting list and in the per-doc arrays.
// Ordinals decide nothing in a result (ties are broken by ListingID), so
// the order changes only where memory is read.
func (ix *Index) compactLocked() {
	order := make([]int32, 0, ix.live)
	for ord := range ix.docs {
		if ix.hot[ord].alive {
			order = append(order, int32(ord))
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		ha, hb := &ix.hot[a], &ix.hot[b]
		switch {
		case ha.group != hb.group:
			return cmp.Compare(ha.group, hb.group)
		case ha.region != hb.region:
			return strings.Compare(ix.regions[ha.region], ix.regions[hb.region])
		}
		return cmp.Compare(ha.id, hb.id)
	})
	remap := make([]int32, len(ix.docs))
	for ord := range remap {
		remap[ord] = -1
	}
	docs := make([]Doc, 0, ix.live)
	hot := make([]hotEntry, 0, ix.live)
	pop := make([]int64, 0, ix.live)
	popLogs := make([]float64, 0, ix.live)
	gof := make([]uint32, 0, ix.live)
	rof := make([]uint32, 0, ix.live)
	ix.maxPop = 0
	for _, ord := range order {
		remap[ord] = int32(len(docs))
		ix.byID[ix.hot[ord].id] = int32(len(docs))
		ix.maxPop = max(ix.maxPop, ix.docs[ord].Popularity)
		docs = append(docs, ix.docs[ord])
		hot = append(hot, ix.hot[ord])
		pop = append(pop, ix.pop[ord])
		popLogs = append(popLogs, ix.popLog[ord])
		gof = append(gof, ix.hot[ord].group)
		rof = append(rof, ix.hot[ord].region)
	}
	for k, p := range ix.post {
		out := p.list[:0]
		sorted := true
		for _, ord := range p.list {
			if r := remap[ord]; r >= 0 {
				sorted = sorted && (len(out) == 0 || out[len(out)-1] < r)
				out = append(out, r)
			}
		}
		if !sorted {
			slices.Sort(out)
		}
		if len(out) == 0 {
			delete(ix.post, k)
		} else {
			ix.post[k] = posting{list: slices.Clip(out)} // its layout is rebuilt below
		}
	}
	ix.docs, ix.hot, ix.pop, ix.popLog, ix.gof, ix.rof = docs, hot, pop, popLogs, gof, rof
	ix.ordered = len(docs)
	ix.reinternLocked()
	ix.buildGroupLists()
	ix.buildDenseLists()
	ix.buildRegionLists()
}
