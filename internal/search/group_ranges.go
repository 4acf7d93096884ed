package search

import (
	"math"
	"math/bits"
	"slices"
	"sort"
)

// A query touches a name group's docs (~88 regional copies) through its
// names, and most of those copies hold nothing of the query of their own:
// their first pass is the group's, computed once, and they differ only in
// region, listing ID, audience and whether they are alive. So collect
// visits such a group's ordinal range as a whole: a doc with bits of its
// own (materials, FAQ, org name) takes the per-doc path; one without is
// only counted, and read further only while the top-k could still take
// its key — its tier's key, the same for every copy in that tier.
//
// Those groups are visited first. They hold the docs that match in their
// names, with the best keys, so the top-k is soon full of them and most
// docs matched only in their materials or org name are then turned away
// by a bound on their key, without computing their relevance.
//
// Every doc is still counted and offered once with the key it had before,
// and the top-k is a total order (key, then listing ID), so results are
// exactly those of the per-doc walk (TestGroupRangesChangeNothing).

// noGroupRanges turns the range visit off, for the test that proves it
// changes nothing.
var noGroupRanges = false

// noUnreadCount makes visitRange read the mask of every copy it counts,
// for the test that proves counting some unread changes nothing.
var noUnreadCount = false

// groupFacts is what a group's range needs for it to be counted without
// reading its docs: below Index.ordered, per name group, the audiences of
// its docs (a bit per audience code) and how many of them are dead.
type groupFacts struct {
	auds uint8
	dead int32
}

// buildGroupFacts records the audiences of each group's docs in the layout
// compactLocked has just made (all alive; write lock held).
func (ix *Index) buildGroupFacts() {
	ix.gfacts = make([]groupFacts, len(ix.granges))
	for ord := range ix.hot {
		h := &ix.hot[ord]
		ix.gfacts[h.group].auds |= 1 << h.audience
	}
}

// noteDead counts a doc of the layout that is killed (write lock held).
func (ix *Index) noteDead(ord int32) {
	if int(ord) < ix.ordered {
		ix.gfacts[ix.hot[ord].group].dead++
		ix.regionDead[ix.hot[ord].region]++
	}
}

// admitsAll reports whether the filters admit every doc of group g's range,
// so that its docs can be counted without being read.
func (f *filter) admitsAll(ix *Index, g uint32) bool {
	gf := &ix.gfacts[g]
	return gf.dead == 0 && f.regionOK == nil && f.orgID == 0 && f.theme == "" && f.channel == "" &&
		(f.aud == 0 || gf.auds&^(1|1<<f.aud) == 0)
}

// collectByGroup is collect's loop over the touched docs, the groups whose
// whole range was touched (sc.gwhole) first, as ranges.
func (ix *Index) collectByGroup(pw *passWeights, flt *filter, sc *scratch, touched []int32) int {
	whole := sc.gwhole
	// Best first, by the key of a copy matched through the names alone:
	// the top-k's least key then rises at once, and turns away early
	// most of the docs after it. The groups whose names match nothing
	// come last, in any order: only copies with bits of their own can.
	order, unmatched := sc.gorder[:0], sc.gunmatched[:0]
	for _, g := range whole {
		key := math.Inf(-1)
		if gm := &sc.gmasks[g]; gm.ownLengths() {
			if guess := sc.memo.guess(pw, gm); guess >= 0 {
				key = float64(guess)*100 + 9.9 // its copies' relevance differs, this bounds it
			}
		} else if fp := sc.memo.groupPass(pw, gm, g, &ix.hot[ix.granges[g].start].lens); fp != nil && fp.guess >= 0 {
			key = float64(fp.guess)*100 + math.Min(fp.bestRel, 9.9)
		}
		if math.IsInf(key, -1) {
			unmatched = append(unmatched, g)
			continue
		}
		order = append(order, groupKeyed{g, key})
	}
	slices.SortFunc(order, func(a, b groupKeyed) int {
		switch {
		case a.key > b.key:
			return -1
		case a.key < b.key:
			return 1
		}
		return 0
	})
	sc.gorder, sc.gunmatched = order, unmatched
	total := 0
	for _, o := range order {
		total += ix.visitRange(pw, flt, sc, o.g)
	}
	for _, g := range unmatched {
		total += ix.visitRange(pw, flt, sc, g)
	}
	// The docs touched on their own, skipping those of the ranges just
	// visited: a set of the groups, read by each doc's group.
	isWhole := sc.gset
	for _, g := range whole {
		isWhole[g>>6] |= 1 << (g & 63)
	}
	late := sc.allLate()
	for _, ord := range touched {
		if int(ord) < ix.ordered { // the ranges are of the layout
			if g := ix.gof[ord]; isWhole[g>>6]&(1<<(g&63)) != 0 {
				continue
			}
		}
		if m := sc.takeMask(ord, late); ix.visitOwn(pw, flt, sc, ord, m) {
			total++
		}
	}
	for _, g := range whole {
		isWhole[g>>6] = 0
	}
	sc.gwhole = whole[:0]
	return total
}

// visitRange offers the docs of group g, all of them touched, and returns
// how many matched.
func (ix *Index) visitRange(pw *passWeights, flt *filter, sc *scratch, g uint32) int {
	r := ix.granges[g]
	gm := &sc.gmasks[g]
	// A copy with no bits of its own matches as the group's mask does. Its
	// first pass is the group's, unless the mask holds bits of fields whose
	// lengths are the copy's own (group_fields.go): then each copy's is
	// computed, and only while the top-k could take its class and tier.
	perCopy := gm.ownLengths()
	var fp *firstPass
	guess := -1
	if perCopy {
		guess = sc.memo.guess(pw, gm)
	} else if fp = sc.memo.groupPass(pw, gm, g, &ix.hot[r.start].lens); fp != nil {
		guess = fp.guess
	}
	// The key of a copy of each tier with no bits of its own; perCopy, the
	// most it can be.
	var keys [4]float64
	if guess >= 0 {
		for tier := range keys {
			rel := 9.9
			if !perCopy {
				rel = math.Min(fp.bestRel, 9.9)
			}
			keys[tier] = float64(guess)*100 + float64(3-tier)*10 + rel
		}
	}
	// The copies with bits of their own, visited apart: the late lists'
	// bits are theirs unless the names hold the token (late_lists.go).
	use := sc.lateFor(gm)
	ownW := sc.ownWords(r, use)
	base := r.start >> 6
	owned := ownedIn(ownW)
	// The copies without: with no dead doc and no filter to read, all
	// count, and they are read only while the top-k could take one.
	all := flt.admitsAll(ix, g)
	counted := guess >= 0 && all
	total := 0
	if counted {
		total = int(r.end-r.start) - owned
	}
	top := &sc.top
	from, to := r.start, r.end
	if counted {
		from, to = ix.nearCopies(flt, top, &keys, r)
	}
	for ord := from; guess >= 0 && ord < to; ord++ {
		if ownW[ord>>6-base]&(1<<(ord&63)) != 0 {
			continue
		}
		if counted {
			// keys[0] is the best of them: below the top-k's least, no
			// copy left can enter it.
			if top.full() && top.least() > keys[0] {
				break
			}
		} else {
			if !flt.admits(ix, ord) {
				continue
			}
			total++
		}
		he := &ix.hot[ord]
		tier := int(flt.tiers[he.region])
		key, cfp := keys[tier], fp
		if perCopy {
			if top.full() && top.least() > key {
				continue
			}
			cfp = sc.memo.passOf(pw, gm, &he.lens)
			key = float64(cfp.guess)*100 + float64(3-tier)*10 + math.Min(cfp.bestRel, 9.9)
		}
		if top.wants(key, he.id) {
			top.push(candidate{ord: ord, id: he.id, tier: tier, key: key, rels: cfp.rels})
		}
	}
	if owned == 0 {
		return total
	}
	if guess < 0 && pw.monotone && !noOwnUnion && sc.ownCannotMatch(pw, gm, r, use) {
		// No copy can match: the group's names do not, and their own
		// bits all together do not make them.
		sc.clearOwnMasks(r)
		return total
	}
	// The copies with bits of their own, found by the words of own. Their
	// names are the group's (a name list is walked by group below
	// Index.ordered), so no alternative can give one a better class than
	// the group's names do: outside the run of the tiers whose best key
	// the top-k could still take, such a copy, all admitted, is only
	// counted, from its mask.
	ownFrom, ownTo := r.start, r.end
	if all {
		best := float64(maxClass(pw, gm))*100 + 9.9
		near := [4]float64{best + 30, best + 20, best + 10, best}
		ownFrom, ownTo = ix.nearCopies(flt, top, &near, r)
	}
	names := gm.f[fName] | gm.f[fAlias]
	// Counted with the copies above, its mask unread: the group's mask
	// alone matches, so with the copy's own bits it still does.
	unread := counted && pw.monotone && !noUnreadCount
	// A copy only counted has its own bits joined to the group's and
	// guessed; the copies of a group mostly hold the same own bits (the
	// same materials), so the last answer is kept by its own mask.
	var lastOwn docMask
	lastMatched, haveLast := false, false
	for i, words := range ownW {
		w := base + int32(i)
		for x := words; x != 0; x &= x - 1 {
			ord := w<<6 | int32(bits.TrailingZeros64(x))
			// Its mask, dropped for the next walk once read. A copy
			// whose bits are all late has none written (late_lists.go).
			if unread && (ord < ownFrom || ord >= ownTo) && (perCopy || ord < from || ord >= to) {
				if sc.own[w]&(1<<(ord&63)) != 0 {
					sc.dropMask(ord)
				}
				total++
				continue
			}
			m := sc.takeMask(ord, use)
			if !perCopy && m.any&^names == 0 {
				// Its own bits are tokens its names hold, a better
				// field: its first pass is the group's, and it is a copy
				// like those above (from, to: where they are offered).
				if guess < 0 || !all && !flt.admits(ix, ord) {
					continue
				}
				total++
				if ord < from || ord >= to {
					continue
				}
				he := &ix.hot[ord]
				tier := int(flt.tiers[he.region])
				if top.wants(keys[tier], he.id) {
					top.push(candidate{ord: ord, id: he.id, tier: tier, key: keys[tier], rels: fp.rels})
				}
				continue
			}
			if ord >= ownFrom && ord < ownTo {
				if ix.visitOwn(pw, flt, sc, ord, m) {
					total++
				}
				continue
			}
			if !haveLast || !m.equal(&lastOwn) {
				lastOwn, haveLast = m, true
				c := m
				c.or(gm)
				lastMatched = sc.memo.guess(pw, &c) >= 0
			}
			if lastMatched {
				total++
			}
		}
	}
	return total
}

// noOwnUnion turns ownCannotMatch off, for the test that proves it changes
// nothing.
var noOwnUnion = false

// ownCannotMatch reports whether no copy of range r with bits of its own
// can match: the group's mask gm with the union of the copies' own bits
// does not, and with pw.monotone a doc's coverage cannot rise as it loses
// bits, so no copy, holding part of that union, can either. A query's
// common characters touch many groups through their names (生 of
// 生孩子's 出生医学证明 is in 卫生 and 学生), and their copies' materials
// give them own bits that each had to be judged.
func (sc *scratch) ownCannotMatch(pw *passWeights, gm *docMask, r ordRange, use uint32) bool {
	u := *gm
	for w := r.start >> 6; w <= (r.end-1)>>6; w++ {
		for x := sc.own[w] & wordBits(w, r); x != 0; x &= x - 1 {
			u.or(sc.written(w<<6 | int32(bits.TrailingZeros64(x))))
		}
	}
	sc.lateUnion(&u, r, use)
	return sc.memo.guess(pw, &u) < 0
}

// ownedIn counts the docs with bits of their own in a range's words (ownWords).
func ownedIn(words []uint64) int {
	n := 0
	for _, x := range words {
		n += bits.OnesCount64(x)
	}
	return n
}

// clearOwnMasks zeroes the masks of the docs of range r with bits of their
// own written (sc.own), as visiting them would.
func (sc *scratch) clearOwnMasks(r ordRange) {
	for w := r.start >> 6; w <= (r.end-1)>>6; w++ {
		for x := sc.own[w] & wordBits(w, r); x != 0; x &= x - 1 {
			sc.dropMask(w<<6 | int32(bits.TrailingZeros64(x)))
		}
	}
}

// maxClass is the best class the names of mask m give any alternative,
// covered or not: the most a doc with m's name and alias bits can be
// guessed.
func maxClass(pw *passWeights, m *docMask) int {
	best := 0
	for ai := range pw.p.alts {
		if a := &pw.p.alts[ai]; a.mask != 0 {
			best = max(best, pw.class(m, a))
		}
	}
	return best
}

// nearCopies narrows a counted group's range to the copies whose tier's
// key the top-k could still take. A range is in region-code order, so the
// copies of the citizen's city, county or own region are a run of it,
// found by binary search; the key of a farther tier, once below the
// top-k's least, is below it for good.
func (ix *Index) nearCopies(flt *filter, top *topK, keys *[4]float64, r ordRange) (from, to int32) {
	if flt.user == "" || !top.full() {
		return r.start, r.end
	}
	var run rankRun
	switch least := top.least(); {
	case least > keys[0]:
		return r.start, r.start
	case least > keys[1]:
		run = flt.near[0] // tier 0: the region itself
	case least > keys[2]:
		run = flt.near[1] // its county
	case least > keys[3]:
		run = flt.near[2] // its city
	default:
		return r.start, r.end
	}
	rank := func(ord int32) uint32 { return ix.regionRank[ix.rof[ord]] }
	n := int(r.end - r.start)
	from = r.start + int32(sort.Search(n, func(i int) bool { return rank(r.start+int32(i)) >= run.lo }))
	to = from + int32(sort.Search(int(r.end-from), func(i int) bool { return rank(from+int32(i)) >= run.hi }))
	return from, to
}

// wordBits is the mask of the ordinals of range r in bitmap word w.
func wordBits(w int32, r ordRange) uint64 {
	lo, hi := max(r.start-w<<6, 0), min(r.end-w<<6, 64)
	if hi <= lo {
		return 0
	}
	return ^uint64(0) >> (64 - (hi - lo)) << lo
}

// visitOwn offers a touched doc with bits of its own (m, taken by the
// caller: takeMask), and reports whether it matched. Its relevance is
// computed only when the top-k could take it: the class guess needs the
// masks alone, and bounds the key.
func (ix *Index) visitOwn(pw *passWeights, flt *filter, sc *scratch, ord int32, m docMask) bool {
	ix.addGroupBits(&m, sc.gmasks, ord)
	guess := sc.memo.guess(pw, &m)
	if guess < 0 || !flt.admits(ix, ord) {
		return false
	}
	he := &ix.hot[ord]
	tier := int(flt.tiers[he.region])
	top := &sc.top
	if top.full() && top.least() > float64(guess)*100+float64(3-tier)*10+9.9 {
		return true
	}
	fp := sc.memo.passOf(pw, &m, &he.lens)
	key := float64(fp.guess)*100 + float64(3-tier)*10 + math.Min(fp.bestRel, 9.9)
	if top.wants(key, he.id) {
		top.push(candidate{ord: ord, id: he.id, tier: tier, key: key, rels: fp.rels})
	}
	return true
}

// groupKeyed is a touched group and the key of its names' first pass.
type groupKeyed struct {
	g   uint32
	key float64
}

// guessMemo is pw.guess of one doc mask, valid while stamp is the
// scratch's. A query's touched docs have few distinct masks (the names'
// bits of a group and a few common words of materials and org names), so
// a small table by a hash of the mask answers most of them.
type guessMemo struct {
	stamp uint32
	guess int32
	mask  docMask
}

const guessMemoBits = 9

func (g *groupMemos) guess(pw *passWeights, m *docMask) int {
	// Docs visited one after another are mostly copies of one name group
	// under the same department's org name and themes: the same mask as
	// the last one, found without hashing it.
	if e := g.lastGuess; e != nil && e.stamp == g.stamp && e.mask.equal(m) {
		return int(e.guess)
	}
	h := m.any
	for f := range numFields {
		h = h*31 ^ m.f[f]
	}
	e := &g.guesses[h*0x9E3779B97F4A7C15>>(64-guessMemoBits)]
	if e.stamp != g.stamp || !e.mask.equal(m) {
		e.stamp, e.mask, e.guess = g.stamp, *m, int32(pw.guess(m))
	}
	g.lastGuess = e
	return int(e.guess)
}

// passEntry is pw.of of one doc mask and the lengths of the fields it
// matched in, valid while stamp is the scratch's.
type passEntry struct {
	stamp uint32
	lens  [numFields]uint16
	mask  docMask
	res   firstPass
}

const passMemoBits = 9

// passOf is pw.of(m, lens), remembered by a hash of what it reads: the masks
// and the lengths of the fields with bits. The copies of a group that
// match on their own mostly share both (the same themes, org names of the
// same length), but a memo per group (firstPass) would see them alternate
// in region order.
func (g *groupMemos) passOf(pw *passWeights, m *docMask, lens *[numFields]uint16) *firstPass {
	var l [numFields]uint16
	h := m.any
	for f := range numFields {
		if m.f[f] != 0 {
			l[f] = lens[f]
		}
		h = h*31 ^ m.f[f] ^ uint64(l[f])<<48
	}
	e := &g.passes[h*0x9E3779B97F4A7C15>>(64-passMemoBits)]
	if e.stamp != g.stamp || e.lens != l || !e.mask.equal(m) {
		// of reads the lengths of the fields with bits only.
		e.stamp, e.lens, e.mask, e.res = g.stamp, l, *m, pw.of(m, &l)
	}
	return &e.res
}

// equal is *m == *o, spelled out: for the struct the compiler calls
// memequal, a good part of a memo lookup.
func (m *docMask) equal(o *docMask) bool {
	if m.any != o.any {
		return false
	}
	for f := range numFields {
		if m.f[f] != o.f[f] {
			return false
		}
	}
	return true
}
