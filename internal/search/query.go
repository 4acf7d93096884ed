package search

import (
	"math"
	"strings"
)

// A query is turned into alternatives, each a reading of what the citizen
// meant: the text itself, its synonym rewrites, and for Latin letters the
// full-pinyin segmentations, the initials and the synonym phrase they spell.
// A doc scores by its best alternative, so alternatives never dilute each
// other.

type space uint8

const (
	spaceChar space = iota // Han characters and ASCII words
	spaceSyl               // pinyin syllables
	spaceIni               // pinyin initials
	numSpaces
)

type alternative struct {
	space    space
	parts    [][]int32 // runes, syllable ids or initial letters; parts are matched separately
	toks     []int     // indexes into parsed.toks
	discount float64   // rewrites rank a little below the literal text
	minCov   float64   // share of the query weight a doc must match
	// rewrite marks a synonym's expansion: words an admin chose, not the
	// citizen, so a doc must hold every bigram of the expansion (must: no
	// near misses like 药品经营许可 for 食品经营许可), and a verbatim match ranks
	// below one of the citizen's own words (see rank.go).
	rewrite  bool
	mustToks []int  // tokens a doc must hold; their bits become must
	must     uint64 // set by weighAlt
	text     []rune // the Han/word text of a spaceChar alternative, for typoAlts

	mask     uint64  // bits of its tokens the index knows (see resolve)
	covTotal float64 // coverage weight of all its tokens, known or not
}

type qtok struct {
	key  uint64 // term key with field bits zero
	word string // for kWord: resolved to key under the read lock

	bit     uint64
	inNames bool    // some name or alias holds it
	cov     float64 // weight in coverage: idf among names and aliases
	// cf is the coverage a match in each field earns: the full cov in names
	// and aliases, and in materials, FAQ or org names no more than the
	// token's idf there, so that boilerplate every listing shares (申请人身份证明)
	// does not make a doc match 身份证 while a rare FAQ phrase still does.
	cf    [numFields]float64
	w     [numFields]float64
	lists [numFields][]int32
	// For name and alias lists laid out by group (group_lists.go): the
	// groups below Index.ordered; for lists of the other fields split by
	// group, the groups wholly holding the key and the rest of the list
	// below it (group_fields.go); for long lists of the other fields, their
	// bitmap below it, of the rest if split (dense_lists.go); in all cases
	// the part of lists from it on.
	grouped [numFields]bool
	groups  [numFields][]uint32
	rest    [numFields][]int32
	dense   [numFields][]uint64
	tail    [numFields][]int32
}

type parsed struct {
	alts []alternative
	toks []qtok
}

// Query limits.
const (
	maxQueryRunes = 48 // longer text is cut: nobody types an essay into a search box
	maxTokens     = 64 // one bit each in the per-doc masks
	maxAlts       = 16 // alternatives per query, including the text itself
)

// Stop phrases are the question words around what citizens want; removing
// them keeps 身份证丢了怎么办 from being about 怎么办. Longest first.
var stopPhrases = [][]rune{
	[]rune("需要什么材料"), []rune("需要哪些材料"), []rune("要什么材料"), []rune("需要什么"),
	[]rune("需要哪些"), []rune("要办什么"), []rune("要办哪些"), []rune("什么材料"), []rune("哪些材料"), []rune("怎么办理"),
	[]rune("如何办理"), []rune("在哪里办"), []rune("在哪儿办"), []rune("在哪里"),
	[]rune("在哪儿"), []rune("办什么"), []rune("办哪些"), []rune("怎么办"), []rune("怎么弄"), []rune("怎么"),
	[]rune("怎样"), []rune("如何"), []rune("在哪"), []rune("哪里"), []rune("去哪"),
	[]rune("我想"), []rune("我要"), []rune("想要"), []rune("请问"), []rune("办理"),
	[]rune("手续"), []rune("流程"), []rune("一下"),
	[]rune("的"), []rune("了"), []rune("吗"), []rune("呢"), []rune("啊"), []rune("吧"),
}

// Token kind weights: bigrams carry phrase information, unigrams and
// initials bigrams mostly recall.
var kindWeight = [...]float64{kChar: 0.4, kBigram: 1, kWord: 1, kSyl: 0.4, kSyl2: 1, kIni2: 0.5, kIni3: 1}

// Field weights: names weigh most, then the admins' aliases, then the org
// and themes, then materials and FAQ.
var fieldWeight = [numFields]float64{fName: 1, fAlias: 0.8, fBody: 0.25, fMeta: 0.3}

// parseQuery builds the alternatives; it needs no index state.
func parseQuery(text string, syn *synonymSet) *parsed {
	return parseInto(&parsed{}, text, syn)
}

// parseInto is parseQuery into p, reusing its slices: a query token is
// ~560 bytes (its lists per field), and allocating them afresh was most
// of a search's garbage.
func parseInto(p *parsed, text string, syn *synonymSet) *parsed {
	q := foldString(strings.TrimSpace(text))
	if len(q) > maxQueryRunes {
		q = q[:maxQueryRunes]
	}
	// Drop what the last query held (alternatives, posting lists).
	clear(p.alts)
	clear(p.toks)
	p.alts, p.toks = p.alts[:0], p.toks[:0]
	if !hasToken(q) {
		return p
	}
	p.addText(q, 1, nil, syn)
	for _, rw := range syn.expand(q) {
		p.addText(rw.text, 0.9, &rw, syn)
	}
	return p
}

// addText adds the readings of q; rw is the synonym rewrite q came from, if
// it did.
func (p *parsed) addText(q []rune, discount float64, rw *rewritten, syn *synonymSet) {
	if len(p.alts) >= maxAlts-1 {
		return
	}
	q = stripStops(q)
	hasHan, hasLetter, hasDigit := false, false, false
	for _, r := range q {
		switch {
		case isHan(r):
			hasHan = true
		case r >= 'a' && r <= 'z':
			hasLetter = true
		case r >= '0' && r <= '9':
			hasDigit = true
		}
	}
	p.addChars(q, discount, rw)
	if hasHan || !hasLetter || hasDigit {
		return
	}
	// Latin letters only: maybe pinyin. Spaces are syllable hints
	// (xi an is 西安, xian is 先), so each chunk is segmented on its own.
	chunks := strings.FieldsFunc(string(q), func(r rune) bool { return !isAlnum(r) })
	for _, seg := range segmentChunks(chunks) {
		p.addSyllables(seg, discount)
	}
	letters := strings.Join(chunks, "")
	if len(letters) >= 2 && len(letters) <= 16 {
		p.addInitials(letters, discount*0.95)
	}
	// shebao, sbk: the pinyin of a synonym phrase brings in the phrase and
	// what it stands for.
	if phrase := syn.fromPinyin(letters); phrase != nil && discount == 1 {
		p.addText(phrase, 0.9, nil, syn)
		for _, rw := range syn.expand(phrase) {
			p.addText(rw.text, 0.9, &rw, syn)
		}
	}
}

func stripStops(q []rune) []rune {
	out := append([]rune(nil), q...)
	for _, sp := range stopPhrases {
		for i := 0; i+len(sp) <= len(out); i++ {
			if hasPrefix(out[i:], sp) {
				for j := range sp {
					out[i+j] = ' '
				}
			}
		}
	}
	if !hasToken(out) { // a query of nothing but question words keeps them
		return q
	}
	return out
}

// addChars adds the Han/word alternative: parts are maximal stretches of
// token runes; tokens are Han unigrams and bigrams and ASCII words.
func (p *parsed) addChars(q []rune, discount float64, rw *rewritten) {
	a := alternative{space: spaceChar, discount: discount, minCov: 0.5, rewrite: rw != nil, text: q}
	var part []int32
	flush := func() {
		if len(part) > 0 {
			a.parts = append(a.parts, part)
			part = nil
		}
	}
	for _, r := range q {
		if isToken(r) {
			part = append(part, r)
		} else {
			flush()
		}
	}
	flush()
	// Words and bigrams first, so that when the token budget runs out a long
	// query loses unigrams, which carry the least.
	rs := runs(q, nil)
	for _, r := range rs {
		if !r.han {
			a.toks = append(a.toks, p.tok(termKey(0, kWord, 0), string(q[r.start:r.end])))
			continue
		}
		for i := r.start + 1; i < r.end; i++ {
			ti := p.tok(termKey(0, kBigram, bigramPayload(q[i-1], q[i])), "")
			a.toks = append(a.toks, ti)
			if rw != nil && rw.within(i-1, i+1) {
				a.mustToks = append(a.mustToks, ti)
			}
		}
	}
	for _, r := range rs {
		for i := r.start; r.han && i < r.end; i++ {
			a.toks = append(a.toks, p.tok(termKey(0, kChar, uint64(q[i])), ""))
		}
	}
	p.addAlt(a)
}

// addAlt drops alternatives beyond maxAlts: the first ones are the text
// itself and its likeliest readings.
func (p *parsed) addAlt(a alternative) {
	if len(p.alts) < maxAlts {
		p.alts = append(p.alts, a)
	}
}

func (p *parsed) addSyllables(syl []uint16, discount float64) {
	a := alternative{space: spaceSyl, discount: discount, minCov: 0.6}
	part := make([]int32, len(syl))
	for i, s := range syl {
		part[i] = int32(s)
	}
	a.parts = [][]int32{part}
	if len(syl) == 1 {
		a.toks = append(a.toks, p.tok(termKey(0, kSyl, uint64(syl[0])), ""))
	}
	for i := 1; i < len(syl); i++ {
		a.toks = append(a.toks, p.tok(termKey(0, kSyl2, uint64(syl[i-1])<<16|uint64(syl[i])), ""))
	}
	p.addAlt(a)
}

func (p *parsed) addInitials(letters string, discount float64) {
	a := alternative{space: spaceIni, discount: discount, minCov: 0.75}
	part := make([]int32, len(letters))
	for i := range letters {
		part[i] = int32(letters[i])
	}
	a.parts = [][]int32{part}
	for i := 1; i < len(letters); i++ {
		if i >= 2 {
			a.toks = append(a.toks, p.tok(termKey(0, kIni3, uint64(letters[i-2])<<16|uint64(letters[i-1])<<8|uint64(letters[i])), ""))
		}
	}
	for i := 1; i < len(letters); i++ {
		a.toks = append(a.toks, p.tok(termKey(0, kIni2, uint64(letters[i-1])<<8|uint64(letters[i])), ""))
	}
	p.addAlt(a)
}

// segmentChunks combines the segmentations of each chunk, fewest first,
// bounded by maxSegmentations.
func segmentChunks(chunks []string) [][]uint16 {
	t := pinyinTab()
	out := [][]uint16{nil}
	for _, c := range chunks {
		segs := t.segment(c)
		if len(segs) == 0 {
			return nil
		}
		var next [][]uint16
		for _, prefix := range out {
			for _, s := range segs {
				if len(next) < maxSegmentations {
					next = append(next, append(append([]uint16(nil), prefix...), s...))
				}
			}
		}
		out = next
	}
	if len(out) == 1 && len(out[0]) == 0 {
		return nil
	}
	return out
}

// tok returns the index of a (deduplicated) query token.
func (p *parsed) tok(key uint64, word string) int {
	for i := range p.toks {
		if p.toks[i].key == key && p.toks[i].word == word {
			return i
		}
	}
	p.toks = append(p.toks, qtok{key: key, word: word})
	return len(p.toks) - 1
}

// resolve looks tokens up in the index (read lock held), assigns mask bits
// to the tokens the index knows, and weighs them with BM25's idf.
func (ix *Index) resolve(p *parsed) {
	n := float64(len(ix.docs))
	idf := func(df int) float64 { return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5)) }
	nbits := 0
	for i := range p.toks {
		t := &p.toks[i]
		key := t.key
		if keyKind(key) == kWord {
			id, ok := ix.wordID(t.word, false)
			if !ok {
				continue
			}
			key = termKey(0, kWord, uint64(id))
		}
		kw := kindWeight[keyKind(key)]
		var df [numFields]int
		var posts [numFields]posting
		for f := range numFields {
			posts[f] = ix.post[withField(key, f)]
			t.lists[f] = posts[f].list
			df[f] = len(t.lists[f])
			if df[f] > 0 {
				t.w[f] = kw * fieldWeight[f] * idf(df[f])
			}
		}
		dfCov := df[fName] + df[fAlias]
		t.inNames = dfCov > 0
		if dfCov == 0 {
			dfCov = max(df[fBody], df[fMeta])
		}
		t.cov = kw * idf(dfCov)
		t.cf[fName], t.cf[fAlias] = t.cov, t.cov
		for _, f := range []field{fBody, fMeta} {
			if df[f] > 0 {
				t.cf[f] = min(t.cov, kw*idf(df[f]))
			}
		}
		if dfCov == 0 || nbits == maxTokens {
			t.lists = [numFields][]int32{}
			continue
		}
		t.bit = 1 << nbits
		nbits++
		for f := range numFields {
			if len(t.lists[f]) == 0 {
				continue
			}
			l := ix.layoutOf(posts[f])
			t.groups[f], t.rest[f], t.tail[f], t.grouped[f] = ix.groupList(f, l, t.lists[f])
			if bm, tail, ok := ix.denseList(f, l, t.lists[f]); ok {
				t.dense[f], t.tail[f] = bm, tail
			}
		}
	}
	p.addTypoAlts()
	for i := range p.alts {
		p.weighAlt(&p.alts[i])
	}
}

// weighAlt sums an alternative's coverage weight. A token no doc has (a typo
// makes two bigrams that exist nowhere) still weighs as much as the average
// known token of its kind: a typo costs a doc its share of the query, and
// nonsense around one common character matches nothing.
func (p *parsed) weighAlt(a *alternative) {
	for _, ti := range a.mustToks {
		if p.toks[ti].bit == 0 { // the rewrite is in no doc
			a.mask = 0
			return
		}
		a.must |= p.toks[ti].bit
	}
	var sum, n [kIni3 + 1]float64
	for _, ti := range a.toks {
		if t := &p.toks[ti]; t.bit != 0 {
			k := keyKind(t.key)
			sum[k] += t.cov
			n[k]++
		}
	}
	for _, ti := range a.toks {
		t := &p.toks[ti]
		if t.bit != 0 {
			a.mask |= t.bit
			a.covTotal += t.cov
			continue
		}
		if a.space == spaceIni {
			a.mask = 0 // initials match verbatim or not at all
			return
		}
		if k := keyKind(t.key); n[k] > 0 {
			a.covTotal += sum[k] / n[k]
		} else {
			a.covTotal += t.cov
		}
	}
}
