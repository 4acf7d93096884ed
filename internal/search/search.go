package search

import (
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/tongban/tongban"
)

// Query is one search. Text may be Chinese, full pinyin (with or without
// spaces), pinyin initials or a colloquial phrase; empty Text browses the
// filtered docs by popularity.
type Query struct {
	Text string

	// UserRegion is the citizen's region (GB/T 2260 code). It orders, never
	// filters: docs of that very region first, then of its county (first 6
	// digits), then of its city (first 4 digits), then the rest.
	UserRegion string

	// Filters; zero values match everything.
	Region   string // region code or prefix: "5116" or "511600000000" is the whole city
	OrgID    int64
	Theme    string
	Audience string // AudiencePerson or AudienceEntity; docs for both ("") always match
	Channel  string

	Limit  int // default DefaultLimit, at most MaxLimit
	Offset int // at most MaxOffset
}

// Paging limits.
const (
	DefaultLimit = 10
	MaxLimit     = 100
	MaxOffset    = 1000
	maxTextRunes = 200 // longer text is rejected rather than silently cut
)

// Hit is one result, ready for a results page.
type Hit struct {
	ListingID   int64
	ListingName string
	ItemName    string
	OrgID       int64
	OrgName     string
	RegionCode  string
	Snippet     string  // HTML-safe; the matched characters wrapped in <mark>
	Score       float64 // relevance (comparable within one result only); popularity when browsing
}

// Result is one page of hits and the number of docs that matched.
type Result struct {
	Hits  []Hit
	Total int
}

// Search runs a query, or answers it from the recent answers when nothing
// has changed since (see cache.go). Errors are *tongban.Error with code
// EInvalid naming the field at fault.
func (ix *Index) Search(q Query) (Result, error) {
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	// Read before the search itself: a change that lands meanwhile moves
	// gen on, and the answer is then remembered as already out of date.
	gen := ix.gen.Load()
	if res, ok := ix.cache.get(q, gen); ok {
		return res, nil
	}
	res, err := ix.search(q)
	if err != nil {
		return Result{}, err
	}
	ix.cache.put(q, gen, res)
	return res, nil
}

func (ix *Index) search(q Query) (Result, error) {
	flt, err := q.validate()
	if err != nil {
		return Result{}, err
	}
	p, _ := parsedPool.Get().(*parsed)
	if p == nil {
		p = &parsed{}
	}
	defer parsedPool.Put(p)
	p = parseInto(p, q.Text, ix.syn.Load())

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	flt.prepare(ix)
	if len(p.alts) == 0 {
		return ix.browseLocked(flt, q.Limit, q.Offset), nil
	}
	ix.resolve(p)
	sc := ix.getScratch()
	defer func() {
		sc.ds.release()
		ix.scratch.Put(sc)
	}()

	total := ix.collect(p, flt, sc, q.Offset+q.Limit+rerankMargin)
	ranked := ix.rerank(p, sc, sc.top.cands, q.Offset+q.Limit)
	res := Result{Total: total}
	if n := min(len(ranked), q.Offset+q.Limit) - q.Offset; n > 0 {
		res.Hits = make([]Hit, 0, n)
	}
	for i := q.Offset; i < len(ranked) && i < q.Offset+q.Limit; i++ {
		res.Hits = append(res.Hits, ix.hit(p, &sc.ds, ranked[i]))
	}
	return res, nil
}

// parsedPool holds parsed queries for reuse (parseInto); nothing of a
// parsed query outlives its search.
var parsedPool sync.Pool

func (q *Query) validate() (*filter, error) {
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	switch {
	case q.Limit < 0 || q.Limit > MaxLimit:
		return nil, tongban.FieldError("limit", "每页条数应在 1 到 %d 之间", MaxLimit)
	case q.Offset < 0 || q.Offset > MaxOffset:
		return nil, tongban.FieldError("offset", "翻页起点应在 0 到 %d 之间", MaxOffset)
	case len([]rune(q.Text)) > maxTextRunes:
		return nil, tongban.FieldError("text", "搜索内容过长，请精简到 %d 字以内", maxTextRunes)
	case q.Audience != "" && q.Audience != AudiencePerson && q.Audience != AudienceEntity:
		return nil, tongban.FieldError("audience", "服务对象只能是「%s」或「%s」", AudiencePerson, AudienceEntity)
	}
	region, ok := regionPrefix(q.Region)
	if !ok {
		return nil, tongban.FieldError("region", "行政区划代码应为 2 到 12 位数字")
	}
	user, ok := fullRegion(q.UserRegion)
	if !ok {
		return nil, tongban.FieldError("user_region", "行政区划代码应为 2 到 12 位数字")
	}
	return &filter{region: region, user: user, orgID: q.OrgID, theme: q.Theme,
		audience: q.Audience, channel: q.Channel}, nil
}

// rerankMargin is how many candidates beyond the requested page are ranked
// exactly; the cheap first-pass key orders them closely enough that the
// page itself is right.
const rerankMargin = 100

// docMask records which query tokens a doc matched, per field.
type docMask struct {
	any uint64
	f   [numFields]uint64
}

type scratch struct {
	// The touched docs' masks, in the order they were made, and each
	// doc's place among them plus one, by ordinal (doc_masks.go).
	tm      []docMask
	slot    []int32
	touched []int32
	lists   []plist
	top     topK
	order   []rankOrder // rerank's sort keys
	ranked  []candidate // rerank's result
	ds      docStrings
	memo    groupMemos
	fp      firstPass
	pw      passWeights
	bitmap  []uint64 // all zero between uses (sortOrds)
	words   []int32  // the words of bitmap not zero, while its bits are kept
	reach   int      // the docs marked in bitmap, about (visits)
	// own marks the docs whose masks are not zero (bits of their own,
	// but for those of the late lists), so that a group's range is visited
	// by its words (group_ranges.go); all zero between uses.
	own []uint64
	// heldGroups are the groups whose ranges hideNamesHeld took out of
	// bitmap for the list being intersected (names_held.go).
	heldGroups []uint32
	// Name and alias bits per name group (group_lists.go), all zero
	// between uses, and the groups the walk has touched.
	gmasks   []docMask
	gtouched []uint32
	gused    bool // some gmasks are set
	// The groups whose whole range is among the touched docs (visits),
	// for collectByGroup.
	gwhole     []uint32
	gorder     []groupKeyed
	gunmatched []uint32
	gset       []uint64 // a bit per group, all zero between uses
	// What the lists left after the closing one can give a doc, for the
	// check before marking it (precheck.go); gpending all zero between
	// uses.
	gpending []docMask
	pdense   []pendingDense
	// The lists intersected after the walk closed that are read with the
	// masks (late_lists.go), whether this walk keeps them, and ownWords'
	// buffer.
	late []lateList
	lazy bool
	gown []uint64
}

func (ix *Index) getScratch() *scratch {
	sc, _ := ix.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if len(sc.slot) < len(ix.docs) {
		sc.slot = make([]int32, len(ix.docs)+len(ix.docs)/8)
		sc.own = make([]uint64, (len(sc.slot)+63)/64)
	}
	if len(sc.gmasks) < len(ix.granges) {
		sc.gmasks = make([]docMask, len(ix.granges)+len(ix.granges)/8)
		sc.gpending = make([]docMask, len(sc.gmasks))
		sc.gset = make([]uint64, (len(sc.gmasks)+63)/64)
	}
	return sc
}

// candidate is a doc that passed the first pass.
type candidate struct {
	ord   int32
	id    int64 // ListingID: the last tie-breaker
	tier  int
	key   float64          // first-pass ordering key; larger is better
	rels  [maxAlts]float32 // first-pass relevance per alternative; -1: not matched
	alt   int              // best alternative (set by rerank)
	class int              // set by rerank
	score float64          // set by rerank
	where matchWhere       // set by rerank: where the longest part matched
}

// collect is the first pass: walk the posting lists of every query token,
// recording per doc which tokens matched in which field, then score each
// touched doc by its best alternative and keep the k best. It returns how
// many docs matched. Once the name lists are walked by group, the touched
// groups are visited as ranges (group_ranges.go); the loop below is the
// per-doc walk they must agree with.
func (ix *Index) collect(p *parsed, flt *filter, sc *scratch, k int) int {
	touched := sc.accumulate(ix, p)
	pw := &sc.pw

	sc.top.reset(k)
	grouped := sc.gused
	if grouped && !noGroupRanges && !noGroupMemo { // off, as the memo's test wants: the per-doc walk
		total := ix.collectByGroup(pw, flt, sc, touched)
		clear(sc.gmasks)
		clear(sc.own)
		sc.gused = false
		sc.dropLate()
		return total
	}
	if len(sc.gwhole) > 0 {
		touched = sc.withRanges(ix, touched)
		sc.touched = touched
	}
	total := 0
	gmasks := sc.gmasks
	for _, ord := range touched {
		m := sc.takeMask(ord, sc.allLate()) // no group here is touched whole
		var fp *firstPass
		he := &ix.hot[ord]
		if g := int(he.group); grouped && g < len(gmasks) { // groups made since the layout have none
			if m.any == 0 && !noGroupMemo && !gmasks[g].ownLengths() {
				// Matched through its group's names alone: the group's
				// first pass, computed once (group_lists.go).
				if fp = sc.memo.groupPass(pw, &gmasks[g], uint32(g), &he.lens); fp == nil {
					continue
				}
			} else {
				ix.addGroupBits(&m, gmasks, ord)
			}
		}
		if fp == nil {
			// The cheap part of coverage first: it needs only the
			// mask, and most touched docs fail it.
			if !pw.mayCover(&m) {
				continue
			}
			fp = sc.firstPass(pw, &m, he)
		}
		if fp.guess < 0 || !flt.admits(ix, ord) {
			continue
		}
		total++
		tier := int(flt.tiers[he.region])
		key := float64(fp.guess)*100 + float64(3-tier)*10 + math.Min(fp.bestRel, 9.9)
		if sc.top.wants(key, he.id) {
			sc.top.push(candidate{ord: ord, id: he.id, tier: tier, key: key, rels: fp.rels})
		}
	}
	if grouped {
		clear(gmasks)
		sc.gused = false
	}
	clear(sc.own)
	sc.dropLate()
	return total
}

func (m *docMask) or(o *docMask) {
	m.any |= o.any
	for f := range numFields {
		m.f[f] |= o.f[f]
	}
}

// firstPass is pw.of for the doc, computed once per name group, masks and
// matched field lengths (see group_memo.go).
func (sc *scratch) firstPass(pw *passWeights, m *docMask, he *hotEntry) *firstPass {
	if noGroupMemo {
		sc.fp = pw.of(m, &he.lens)
		return &sc.fp
	}
	// Name and alias lengths are the group's own; the others are the
	// doc's, and count only where the doc matched.
	e := &sc.memo.pass[he.group]
	if e.stamp != sc.memo.stamp || !e.mask.equal(m) ||
		m.f[fBody] != 0 && e.lens[fBody] != he.lens[fBody] ||
		m.f[fMeta] != 0 && e.lens[fMeta] != he.lens[fMeta] {
		e.stamp, e.mask, e.lens = sc.memo.stamp, *m, he.lens
		e.res = pw.of(m, &he.lens)
	}
	return &e.res
}

// passWeights are a query's per-bit weights, so that a doc's first-pass
// score is a few table lookups.
type passWeights struct {
	p     *parsed
	cov   [maxTokens]float64
	w, cf [numFields][maxTokens]float64
	avg   [numFields]float64
	// monotone: a doc's coverage cannot fall when it gains bits. It can
	// only where a token's cover in org names and themes is below its
	// cover in materials (coverage takes the former first); without such a
	// token, a doc matches whenever a part of its mask does.
	monotone bool
}

// passWeights fills the scratch's pass weights for p: at 4.6 KB they were
// a good part of a search's garbage.
func (sc *scratch) passWeights(ix *Index, p *parsed) *passWeights {
	pw := &sc.pw
	*pw = passWeights{p: p}
	for i := range p.toks {
		if t := &p.toks[i]; t.bit != 0 {
			b := bits.TrailingZeros64(t.bit)
			pw.cov[b] = t.cov
			for f := range numFields {
				pw.w[f][b] = t.w[f]
				pw.cf[f][b] = t.cf[f]
			}
		}
	}
	for f := range numFields {
		pw.avg[f] = float64(ix.lenSum[f]) / float64(max(ix.live, 1))
	}
	pw.monotone = true
	for b := range maxTokens {
		if meta, body := pw.cf[fMeta][b], pw.cf[fBody][b]; meta > 0 && body > meta {
			pw.monotone = false
		}
	}
	return pw
}

// coverage is the weight of the query's tokens a doc matched, each counted
// once, in its best field.
func (pw *passWeights) coverage(m *docMask, mask uint64) float64 {
	names := (m.f[fName] | m.f[fAlias]) & mask
	meta := m.f[fMeta] & mask &^ names
	body := m.f[fBody] & mask &^ names &^ meta
	return sumBits(names, &pw.cf[fName]) + sumBits(meta, &pw.cf[fMeta]) + sumBits(body, &pw.cf[fBody])
}

// covers is the cheap half of an alternative's coverage test: the
// alternative's tokens the doc holds, wherever they are.
func (pw *passWeights) covers(m *docMask, a *alternative) bool {
	hit := m.any & a.mask
	return hit != 0 && m.any&a.must == a.must && sumBits(hit, &pw.cov) >= a.minCov*a.covTotal
}

// mayCover reports whether any alternative passes the cheap test.
func (pw *passWeights) mayCover(m *docMask) bool {
	for ai := range pw.p.alts {
		if pw.covers(m, &pw.p.alts[ai]) {
			return true
		}
	}
	return false
}

// of scores a doc by each alternative from its masks and the lengths of the
// fields it matched in: rels (-1 where an alternative does not cover it),
// the best guess at rerank's class (-1: no alternative covers it) and the
// relevance that goes with it.
func (pw *passWeights) of(m *docMask, lens *[numFields]uint16) firstPass {
	fp := firstPass{guess: -1}
	for ai := range pw.p.alts {
		fp.rels[ai] = -1
		a := &pw.p.alts[ai]
		if !pw.covers(m, a) || pw.coverage(m, a.mask) < a.minCov*a.covTotal {
			continue
		}
		// Each token counts once, in the best field that holds it
		// (fields are in weight order): a renewal's materials naming
		// the licence again must not lift it above the licence itself.
		rel, seen := 0.0, uint64(0)
		for f := range numFields {
			if h := m.f[f] & a.mask &^ seen; h != 0 {
				rel += bm25Norm(float64(lens[f]), pw.avg[f], f) * sumBits(h, &pw.w[f])
				seen |= h
			}
		}
		rel *= a.discount / a.covTotal
		fp.rels[ai] = float32(rel)
		if class := pw.class(m, a); class > fp.guess || class == fp.guess && rel > fp.bestRel {
			fp.guess, fp.bestRel = class, rel
		}
	}
	return fp
}

// class is a guess at rerank's class for a doc an alternative covers, to
// keep the right docs; it needs only the masks.
func (pw *passWeights) class(m *docMask, a *alternative) int {
	nameCov := sumBits((m.f[fName]|m.f[fAlias])&a.mask, &pw.cov) / a.covTotal
	switch {
	case nameCov > 0.999 && !a.rewrite:
		return 3
	case nameCov > 0.999:
		return 2
	case nameCov >= 0.6:
		return 1
	}
	return 0
}

// guess is of(m, …).guess without the relevance, which needs the lengths:
// the best class of the alternatives that cover the doc, or -1.
func (pw *passWeights) guess(m *docMask) int {
	guess := -1
	for ai := range pw.p.alts {
		a := &pw.p.alts[ai]
		if !pw.covers(m, a) || pw.coverage(m, a.mask) < a.minCov*a.covTotal {
			continue
		}
		guess = max(guess, pw.class(m, a))
	}
	return guess
}

// accumulate sets, for every doc holding a query token, the token's bit in
// the doc's field masks, and returns the docs touched. Posting lists go
// shortest first, and once the lists left cannot give an untouched doc the
// coverage any alternative needs, the rest (the long lists of common tokens)
// are only intersected with the docs already touched: the result is the
// same, the work a fraction. It also readies the pass weights and memos
// for the query, which the check before marking a doc needs (precheck.go).
func (sc *scratch) accumulate(ix *Index, p *parsed) []int32 {
	pw := sc.passWeights(ix, p)
	sc.memo.next(len(ix.groups))
	sc.late, sc.lazy = sc.late[:0], keepsLate()
	sc.tm = sc.tm[:0]
	lists := sc.lists[:0]
	for i := range p.toks {
		for f := range numFields {
			if p.toks[i].bit != 0 && len(p.toks[i].lists[f]) > 0 {
				lists = append(lists, plist{i, f})
			}
		}
	}
	slices.SortFunc(lists, func(a, b plist) int { return len(p.toks[a.tok].lists[a.f]) - len(p.toks[b.tok].lists[b.f]) })
	sc.lists = lists

	// left[a] bounds the coverage an untouched doc can still earn for
	// alternative a: each of its tokens once, in the best field among the
	// token's lists not walked yet (coverage counts a token once, in its
	// best field). bound.gone holds the tokens all of whose lists are
	// walked: an untouched doc lacks them, so an alternative that must
	// hold one of them is out of its reach.
	var bound pruneBound
	for _, l := range lists {
		bound.rest[bits.TrailingZeros64(p.toks[l.tok].bit)] |= 1 << l.f
	}
	var left, need [maxAlts]float64
	for ai := range p.alts {
		a := &p.alts[ai]
		need[ai] = a.minCov*a.covTotal - 1e-9
		for i := range p.toks {
			if t := &p.toks[i]; t.bit&a.mask != 0 {
				left[ai] += bound.best(t)
			}
		}
	}
	touched := sc.touched[:0]
	sc.gtouched = sc.gtouched[:0]
	sc.gwhole = sc.gwhole[:0]
	open, pending := true, false
	for i, l := range lists {
		t, f := &p.toks[l.tok], l.f
		if !open {
			hidden := sc.hideNamesHeld(ix, t.bit, f)
			list := t.lists[f]
			switch {
			case t.grouped[f]:
				sc.gused = true
				// Bits on groups none of whose docs are touched are
				// never read: collect visits only touched docs.
				for _, g := range t.groups[f] {
					sc.gmasks[g].any |= t.bit
					sc.gmasks[g].f[f] |= t.bit
				}
				if t.dense[f] != nil {
					sc.intersectDense(t.dense[f], t.bit, f)
				} else {
					sc.intersectTouched(t.rest[f], t.bit, f)
				}
				list = t.tail[f]
			case t.dense[f] != nil:
				sc.intersectDense(t.dense[f], t.bit, f)
				list = t.tail[f]
			}
			sc.intersectTouched(list, t.bit, f)
			if hidden {
				sc.showNamesHeld(ix)
			}
			continue
		}
		// Whether this list closes the walk is known before it is walked.
		open = noPruning
		drop := bound.walked(t, f)
		for ai := range p.alts {
			a := &p.alts[ai]
			if a.mask&t.bit != 0 {
				left[ai] -= drop
			}
			if a.mask != 0 && a.must&bound.gone == 0 && left[ai] >= need[ai] {
				open = true
			}
		}
		checked := !open && !noPrecheck && ix.ordered > 0 && sc.preparePending(p, lists[i+1:])
		pending = pending || checked
		list := t.lists[f]
		if t.grouped[f] {
			sc.gused = true
			for _, g := range t.groups[f] {
				m := &sc.gmasks[g]
				if m.any == 0 {
					sc.gtouched = append(sc.gtouched, g)
				}
				m.any |= t.bit
				m.f[f] |= t.bit
			}
		}
		switch {
		case checked && t.dense[f] != nil: // its docs below Index.ordered, a word at a time
			touched = sc.touchDenseChecked(ix, pw, touched, t.dense[f], t.bit, f)
			list = t.tail[f]
		case t.grouped[f]:
			touched = sc.touchOpen(ix, pw, checked, touched, t.rest[f], t.bit, f)
			list = t.tail[f]
		}
		touched = sc.touchOpen(ix, pw, checked, touched, list, t.bit, f)
		if !open {
			// Every doc touched so far, its own or through its group,
			// marked in the bitmap for the lists left (intersectTouched).
			touched = sc.visits(ix, touched, true)
		}
	}
	if pending {
		clear(sc.gpending)
	}
	if !open {
		sc.clearBits()
	} else if len(touched) > sortTouchedFrom || len(sc.gtouched) > 0 {
		// Ordinal order lets collect read masks, doc entries and group
		// memos in memory order (a group's docs are neighbours) instead
		// of in the order of the lists that touched them.
		touched = sc.visits(ix, touched, false)
	}
	sc.touched = touched
	return touched
}

// touch sets bit in field f of the masks of the docs in list, and returns
// touched with those touched for the first time appended.
func (sc *scratch) touch(touched, list []int32, bit uint64, f field) []int32 {
	for _, ord := range list {
		var m *docMask
		if sc.own[ord>>6]&(1<<(ord&63)) == 0 {
			touched = append(touched, ord)
			m = sc.newMask(ord)
		} else {
			m = sc.written(ord)
		}
		m.any |= bit
		m.f[f] |= bit
	}
	return touched
}

// pruneBound tracks, per query token (by bit), the fields whose lists are
// not walked yet, and the tokens with none left.
type pruneBound struct {
	rest [maxTokens]uint8
	gone uint64
}

// best is the most coverage token t can still give an untouched doc.
func (b *pruneBound) best(t *qtok) float64 {
	best := 0.0
	for fs := b.rest[bits.TrailingZeros64(t.bit)]; fs != 0; fs &= fs - 1 {
		best = max(best, t.cf[bits.TrailingZeros8(fs)])
	}
	return best
}

// walked records that t's list in field f is walked, and returns how much
// less t can now give an untouched doc.
func (b *pruneBound) walked(t *qtok, f field) float64 {
	before := b.best(t)
	fs := &b.rest[bits.TrailingZeros64(t.bit)]
	*fs &^= 1 << f
	if *fs == 0 {
		b.gone |= t.bit
	}
	return before - b.best(t)
}

// visits returns, in ordinal order, the docs touched on their own (marked
// in sc.own), and moves the groups touched to sc.gwhole, whose ranges are
// visited as ranges (group_ranges.go). With keep, it also marks every
// touched doc, its own or through its group, in sc.bitmap for the lists
// walked whole (intersectTouched), and notes the words it set in sc.words:
// a group's range is marked a word at a time, not doc by doc.
func (sc *scratch) visits(ix *Index, touched []int32, keep bool) []int32 {
	words := sc.growBitmap()
	bm, own := sc.bitmap, sc.own
	sc.gwhole = append(sc.gwhole, sc.gtouched...)
	reach := 0
	for _, g := range sc.gtouched {
		r := ix.granges[g]
		reach += int(r.end - r.start)
		for w := r.start >> 6; keep && w <= (r.end-1)>>6; w++ {
			bm[w] |= wordBits(w, r)
		}
	}
	sc.gtouched = sc.gtouched[:0] // now in gwhole
	out := touched[:0]
	sc.words = sc.words[:0]
	for w, o := range own[:words] {
		if keep {
			b := bm[w] | o
			if b == 0 {
				continue
			}
			bm[w] = b
			sc.words = append(sc.words, int32(w))
		}
		for ; o != 0; o &= o - 1 {
			out = append(out, int32(w<<6|bits.TrailingZeros64(o)))
		}
	}
	sc.reach = reach + len(out)
	return out
}

// withRanges returns touched (its docs in ordinal order) with the docs of
// the ranges of sc.gwhole merged in, for the per-doc walk.
func (sc *scratch) withRanges(ix *Index, touched []int32) []int32 {
	for _, g := range sc.gwhole {
		for o := ix.granges[g].start; o < ix.granges[g].end; o++ {
			touched = append(touched, o)
		}
	}
	return sc.sortOrds(touched)
}

// sortTouchedFrom is how many touched docs make sorting them (a pass over
// the bitmap's ~1,600 words) cheaper than reading them out of order.
const sortTouchedFrom = 512

// intersectTouched sets the token's bits for the touched docs (marked in
// sc.bitmap, sc.reach of them, in the words sc.words) that are in list. A
// list up to walkFactor times longer than the touched docs is walked
// whole, each entry tested in the bitmap (a sequential read and an L1
// lookup, no mispredicted merge branches); a longer one is galloped
// through once per word of touched docs.
func (sc *scratch) intersectTouched(list []int32, bit uint64, f field) {
	if len(list) > walkFactor*sc.reach {
		sc.gallopTouched(list, bit, f)
		return
	}
	bm := sc.bitmap
	for _, ord := range list {
		if bm[ord>>6]&(1<<(ord&63)) != 0 {
			m := sc.maskOf(ord)
			m.any |= bit
			m.f[f] |= bit
		}
	}
}

// gallopTouched is intersectTouched for a list much longer than the
// touched docs: it jumps to each word of them in turn.
func (sc *scratch) gallopTouched(list []int32, bit uint64, f field) {
	bm := sc.bitmap
	j := 0
	for _, w := range sc.words {
		lo := w << 6
		j += gallop(list[j:], lo)
		for ; j < len(list) && list[j] < lo+64; j++ {
			if ord := list[j]; bm[w]&(1<<(ord&63)) != 0 {
				m := sc.maskOf(ord)
				m.any |= bit
				m.f[f] |= bit
			}
		}
		if j == len(list) {
			return
		}
	}
}

// gallop returns the index of the first entry of the sorted list that is
// at least x: a doubling search from the front, then a binary search.
func gallop(list []int32, x int32) int {
	j, step, hi := 0, 1, 0
	for hi < len(list) && list[hi] < x {
		j = hi + 1
		hi += step
		step *= 2
	}
	k, _ := slices.BinarySearch(list[j:min(hi+1, len(list))], x)
	return j + k
}

const walkFactor = 32

// sortOrds sorts ordinals, dropping repeats, through a bitmap of the
// index: a pass over a few thousand words instead of a comparison sort of
// the thousands of docs a common token touches.
func (sc *scratch) sortOrds(ords []int32) []int32 {
	words := sc.growBitmap()
	bm := sc.bitmap
	for _, o := range ords {
		bm[o>>6] |= 1 << (o & 63)
	}
	out := ords[:0]
	for w, b := range bm[:words] {
		if b == 0 {
			continue
		}
		bm[w] = 0
		for b != 0 {
			out = append(out, int32(w<<6|bits.TrailingZeros64(b)))
			b &= b - 1
		}
	}
	return out
}

func (sc *scratch) growBitmap() (words int) {
	words = (len(sc.slot) + 63) / 64
	if len(sc.bitmap) < words {
		sc.bitmap = make([]uint64, words)
	}
	return words
}

// clearBits leaves sc.bitmap all zero again after visits(…, true): its
// words not zero are those it noted.
func (sc *scratch) clearBits() {
	for _, w := range sc.words {
		sc.bitmap[w] = 0
	}
}

// plist names one posting list of a query: a token's list in one field.
type plist struct {
	tok int
	f   field
}

// noPruning turns the intersect shortcut off, for the test that proves it
// changes nothing.
var noPruning = false

func sumBits(b uint64, w *[maxTokens]float64) float64 {
	s := 0.0
	for b != 0 {
		s += w[bits.TrailingZeros64(b)]
		b &= b - 1
	}
	return s
}

// bm25Norm is BM25's length normalisation for a term that occurs once
// (names rarely repeat a term): short fields that match weigh more.
func bm25Norm(length, avg float64, f field) float64 {
	const k1 = 1.2
	b := 0.5 // names: a longer name is a more specific item, punish gently
	if f == fBody {
		b = 0.75
	}
	if avg == 0 {
		return 1
	}
	return (k1 + 1) / (1 + k1*(1-b+b*length/avg))
}
