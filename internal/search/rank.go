package search

import (
	"math"
	"slices"
)

// The second pass ranks the first pass's best candidates exactly, by how well
// each query part matches as a phrase:
//
//	class 4  every part of the citizen's own words (not a synonym's
//	         rewrite) found verbatim in a name or alias
//	class 3  every part of a rewrite found verbatim in a name or alias
//	class 2  every part found in a name or alias with a typo or a missing or
//	         extra character (one edit for 3–7 symbols, two from 8)
//	class 1  everything else that matched enough query terms
//
// Results are ordered by class, then by nearness to the citizen's region,
// then by score (phrase quality + BM25-like term score, gently boosted by
// popularity). Class 4 before 3 keeps the listing an admin gave the
// citizen's very words as an alias (开饭店 on 食品经营许可证核发) above one that
// only the rewrite reaches (食品经营许可证延续). Class before region keeps an exact match elsewhere above a
// near miss next door; region before score keeps a citizen's own listings
// above equally good ones of other districts.

// Ranking weights; see TestRelevance for what they buy.
const (
	phraseWeight = 2.0  // full phrase ≫ scattered terms
	wholeBonus   = 0.5  // the query is the whole name
	tightBonus   = 0.5  // × share of the name the query covers
	popBoost     = 0.15 // at most +15% for the most popular doc
	aliasFactor  = 0.85 // an admin's alias is nearly as good as the name
	bodyFactor   = 0.3  // a phrase in materials or FAQ
)

// where a part matched: which string of the doc (see docStrings).
type matchWhere struct {
	str int // -1: nowhere
}

// allowedEdits is the typo tolerance for a part of n symbols.
func allowedEdits(n int, s space) int {
	switch {
	case s == spaceIni || n <= 2:
		return 0
	case n <= 7:
		return 1
	}
	return 2
}

// logPopularity is the popularity rerank boosts by; a negative count is none.
func logPopularity(n int64) float64 { return math.Log1p(float64(max(n, 0))) }

// rerank ranks the candidates exactly and returns the first n of them in
// order: a page needs no more.
func (ix *Index) rerank(p *parsed, sc *scratch, cands []candidate, n int) []candidate {
	ds := &sc.ds
	maxPop := logPopularity(max(ix.maxPop, 1))
	for i := range cands {
		c := &cands[i]
		group := ix.hot[c.ord].group
		read := false // ds holds the doc's strings
		c.class, c.score, c.where = 0, -1, matchWhere{-1}
		for ai := range p.alts {
			rel1 := c.rels[ai]
			if rel1 < 0 {
				continue
			}
			a := &p.alts[ai]
			// What the names and aliases give is the same for the whole
			// name group (group_memo.go): the match itself, unless a part
			// is in neither, and then the doc's materials and FAQ decide.
			e, ok := sc.memo.rankMemo(group, ai)
			ok = ok && !noGroupMemo
			m := e.m
			if !ok || e.body {
				if !read {
					ds.reset(ix, c.ord)
					read = true
				}
				pm := ds.partsOf(a)
				if ok {
					copy(pm, e.parts[:len(pm)])
				} else {
					ds.matchNames(a, pm)
				}
				body := a.space == spaceChar && slices.ContainsFunc(pm, func(x partMatch) bool { return x.q == 0 })
				if !ok && len(pm) <= maxRankParts {
					*e = rankEntry{stamp: sc.memo.stamp, alt: int32(ai), group: group, body: body}
					copy(e.parts[:], pm)
				}
				if body {
					ds.matchBody(&sc.memo, ai, a, pm)
				}
				m = compose(a, pm)
				if !ok && !body && len(pm) <= maxRankParts {
					e.m = m
				}
			}
			class, bonus, where := m.class, m.bonus, m.where
			if class == 3 && !a.rewrite {
				class = 4
			}
			score := float64(rel1) + a.discount*bonus
			if class > c.class || class == c.class && score > c.score {
				c.class, c.score, c.where, c.alt = class, score, where, ai
			}
		}
		c.score *= 1 + popBoost*ix.popLog[c.ord]/maxPop
	}
	// Ordered by small keys, then copied in their order: a candidate is
	// ~130 bytes, and their swaps were most of sorting them. The order is
	// total (ListingIDs differ), so any sort gives this one.
	keys := sc.order[:0]
	for i := range cands {
		c := &cands[i]
		keys = append(keys, rankOrder{c.class*4 + 3 - c.tier, i, c.score, c.id})
	}
	sc.order = keys
	out := sc.ranked[:0]
	for _, k := range firstInOrder(keys, n) {
		out = append(out, cands[k.i])
	}
	sc.ranked = out
	return out
}

// rankOrder is what decides the final place of candidate i.
type rankOrder struct {
	classTier, i int // class*4 + 3 - tier (tiers are 0–3)
	score        float64
	id           int64
}

// compare orders a before b when a ranks higher: class first, then the
// nearer tier, then score, then the smaller ListingID.
func (a rankOrder) compare(b rankOrder) int {
	switch {
	case a.classTier != b.classTier:
		return b.classTier - a.classTier
	case a.score != b.score:
		if a.score > b.score {
			return -1
		}
		return 1
	case a.id < b.id:
		return -1
	case a.id > b.id:
		return 1
	}
	return 0
}

// firstInOrder returns the first n of keys in order, in place. A page of
// ten from the hundred and ten candidates is kept by insertion as the rest
// go by, not by sorting them all; the order being total, both give the
// same n.
func firstInOrder(keys []rankOrder, n int) []rankOrder {
	if n*4 >= len(keys) {
		slices.SortFunc(keys, rankOrder.compare)
		return keys[:min(n, len(keys))]
	}
	head := keys[:n]
	slices.SortFunc(head, rankOrder.compare)
	for _, k := range keys[n:] {
		if n == 0 || k.compare(head[n-1]) >= 0 {
			continue
		}
		i := n - 1
		for i > 0 && k.compare(head[i-1]) < 0 {
			head[i] = head[i-1]
			i--
		}
		head[i] = k
	}
	return head
}

// partMatch is where one part of an alternative matched best: its
// quality (1 − edits/length, times the field's factor; 0 nowhere), the
// string (-1 none), the edits, and the share of the string it covers.
type partMatch struct {
	q      float64
	str, d int
	tight  float64
	inName bool
}

// partsOf returns ds's buffer for the parts of a.
func (ds *docStrings) partsOf(a *alternative) []partMatch {
	if cap(ds.pm) < len(a.parts) {
		ds.pm = make([]partMatch, len(a.parts))
	}
	return ds.pm[:len(a.parts)]
}

// matchNames finds each part of a in the names and aliases, with the
// typos its length allows.
func (ds *docStrings) matchNames(a *alternative, pm []partMatch) {
	names := 2 + ds.nAlias
	for pi, part := range a.parts {
		n := len(part)
		allowed := allowedEdits(n, a.space)
		best := partMatch{str: -1, d: n}
		for si := range names {
			seq := ds.seq(si, a.space)
			if len(seq) == 0 {
				continue
			}
			dist := approxDistance(part, seq, allowed)
			if dist > allowed {
				continue
			}
			q := (1 - float64(dist)/float64(n)) * fieldFactor(ds.field(si))
			if q > best.q {
				best = partMatch{q: q, str: si, d: dist, tight: float64(n) / float64(len(seq)), inName: true}
			}
		}
		pm[pi] = best
	}
}

// matchBody finds each part of Han text found in no name or alias in the
// first material or FAQ entry that holds it verbatim: a fallback. Whether
// a text holds a part is remembered for the query (body_memo.go).
func (ds *docStrings) matchBody(memo *groupMemos, ai int, a *alternative, pm []partMatch) {
	for pi, part := range a.parts {
		if pm[pi].q > 0 {
			continue
		}
		n := len(part)
		for si := 2 + ds.nAlias; si < ds.count(); si++ {
			if !memo.bodyHolds(ds, ai, pi, a, si) {
				continue
			}
			pm[pi] = partMatch{q: (1 - float64(0)/float64(n)) * fieldFactor(fBody), str: si, tight: float64(n) / float64(len(ds.seq(si, a.space)))}
			break
		}
	}
}

// compose scores one alternative from where its parts matched: its
// class, its phrase bonus and where its longest part matched best.
func compose(a *alternative, pm []partMatch) rankMemo {
	m := rankMemo{class: 3, where: matchWhere{-1}}
	var phrase, total float64
	longest := -1
	for pi, part := range a.parts {
		n := len(part)
		x := &pm[pi]
		total += float64(n)
		phrase += float64(n) * x.q
		switch {
		case x.inName && x.d == 0:
		case x.inName:
			m.class = min(m.class, 2)
		default:
			m.class = 1
		}
		if longest < 0 || n > len(a.parts[longest]) {
			longest = pi
			m.where = matchWhere{x.str}
			if x.inName {
				m.bonus = tightBonus * min(x.tight, 1)
				if len(a.parts) == 1 && x.d == 0 && x.tight == 1 {
					m.bonus += wholeBonus
				}
			} else {
				m.bonus = 0
			}
		}
	}
	if total > 0 {
		m.bonus += phraseWeight * phrase / total
	}
	return m
}

func fieldFactor(f field) float64 {
	switch f {
	case fName:
		return 1
	case fAlias:
		return aliasFactor
	}
	return bodyFactor
}

// approxDistance returns the fewest edits (substitute, insert, delete) that
// turn p into some substring of t, or k+1 if that is more than k. It is
// Sellers' dynamic programme: O(len(p)·len(t)), a few hundred steps here.
func approxDistance(p, t []int32, k int) int {
	m := len(p)
	if m == 0 {
		return 0
	}
	if k == 0 || m > maxPart {
		if indexSeq(t, p) >= 0 {
			return 0
		}
		return k + 1
	}
	var col [maxPart + 1]int
	for i := range m + 1 {
		col[i] = i
	}
	best := m
	for _, c := range t {
		diag := col[0] // col[0] stays 0: a match may start anywhere
		for i := 1; i <= m; i++ {
			up := col[i]
			v := diag
			if p[i-1] != c {
				v++
			}
			v = min(v, up+1, col[i-1]+1)
			col[i] = v
			diag = up
		}
		if col[m] < best {
			if best = col[m]; best == 0 {
				return 0
			}
		}
	}
	return min(best, k+1)
}

const maxPart = 48

func indexSeq(t, p []int32) int {
	for i := 0; i+len(p) <= len(t); i++ {
		ok := true
		for j := range p {
			if t[i+j] != p[j] {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// docStrings gives the rerank and snippet code each string of a doc as a
// symbol sequence in each space: names, then aliases, then materials and
// FAQ. Each text is transcribed once per index (intern.go).
type docStrings struct {
	py *pinyinTables
	// d is the doc whose strings these are, read in place (str): copying
	// its ~20 strings for each candidate was 4 % of a server's CPU under
	// searches with no query repeated. Cleared when the scratch is put
	// back (release), so a pooled scratch holds no doc array alive.
	d      *Doc
	ids    []int32           // its texts' ids (Index.textIDs)
	trans  []*transcriptions // the index's, by text id
	nAlias int
	syl    []uint16
	pm     []partMatch // rerank's parts of one alternative
}

// reset makes ds the strings of the doc at ord (read lock held).
func (ds *docStrings) reset(ix *Index, ord int32) {
	if ds.py == nil {
		ds.py = pinyinTab()
	}
	ds.d, ds.ids, ds.trans = &ix.docs[ord], ix.textIDs[ord], ix.trans
	ds.nAlias = len(ds.d.Aliases)
}

// release forgets the doc, before the scratch goes back to the pool.
func (ds *docStrings) release() { ds.d, ds.ids, ds.trans = nil, nil, nil }

// count is how many strings the doc has.
func (ds *docStrings) count() int { return len(ds.ids) }

// str returns string si of the doc: names, then aliases, then materials
// and FAQ.
func (ds *docStrings) str(si int) string {
	d := ds.d
	switch {
	case si == 0:
		return d.ListingName
	case si == 1:
		return d.ItemName
	case si < 2+len(d.Aliases):
		return d.Aliases[si-2]
	case si < 2+len(d.Aliases)+len(d.Materials):
		return d.Materials[si-2-len(d.Aliases)]
	}
	return d.FAQ[si-2-len(d.Aliases)-len(d.Materials)]
}

func (ds *docStrings) field(si int) field {
	switch {
	case si < 2:
		return fName
	case si < 2+ds.nAlias:
		return fAlias
	}
	return fBody
}

// seq returns string si as symbols of space s: token runes for spaceChar,
// syllable ids of its Han characters for spaceSyl, their initials for
// spaceIni.
func (ds *docStrings) seq(si int, s space) []int32 { return ds.transcribe(si, s).seq }

// transcribe returns string si in space s, from the index's transcriptions
// or computed and stored there.
func (ds *docStrings) transcribe(si int, s space) *transcription {
	tr := &ds.trans[ds.ids[si]][s]
	if t := tr.Load(); t != nil {
		return t
	}
	rs := foldString(ds.str(si))
	t := &transcription{}
	if s == spaceChar {
		for i, r := range rs {
			if isToken(r) {
				t.seq, t.pos = append(t.seq, r), append(t.pos, int32(i))
			}
		}
	} else {
		ds.syl = ds.py.syllables(rs, ds.syl)
		for i, id := range ds.syl {
			if id == 0 || !isHan(rs[i]) {
				continue
			}
			sym := int32(id)
			if s == spaceIni {
				sym = int32(ds.py.initial(id))
			}
			t.seq, t.pos = append(t.seq, sym), append(t.pos, int32(i))
		}
	}
	tr.Store(t)
	return t
}
