package search

// One wrong character in the middle of a word breaks both bigrams around it:
// 营页执照 keeps only 执照 of 营业执照's three bigrams, too little of the
// query's weight for the first pass, although the rerank would accept the
// one edit. A wrong character at either end breaks one bigram and is found
// anyway. So where the index shows that a character's two bigrams are in no
// name or alias, the typed text gets one more reading without that
// character: its other tokens must then nearly all match, and the rerank
// still judges the whole part, edits counted, as for any other reading.

// typoMinCov is the share of the remaining weight a doc must match: with
// the suspect character gone, what is left is what the citizen got right.
const typoMinCov = 0.9

// addTypoAlts adds, for each of the citizen's own Han readings, the reading
// without its suspect characters, if there are few enough of them for the
// parts they sit in (allowedEdits) and something is left to match. It runs
// once the tokens are resolved, since suspects are what the index lacks.
func (p *parsed) addTypoAlts() {
	n := len(p.alts)
	for ai := 0; ai < n; ai++ {
		a := &p.alts[ai]
		if a.space != spaceChar || a.rewrite || a.discount != 1 {
			continue
		}
		suspect := p.suspects(a.text)
		if suspect == nil {
			continue
		}
		alt := alternative{space: spaceChar, parts: a.parts, discount: 0.9 * a.discount, minCov: typoMinCov, text: a.text}
		alt.toks = p.typoTokens(a.text, suspect)
		if len(alt.toks) > 0 {
			p.addAlt(alt)
		}
	}
}

// suspects marks the interior characters of Han runs of four or more whose
// bigrams on both sides no name or alias holds; nil if there are none, or
// more in one run than one typo allows.
func (p *parsed) suspects(text []rune) []bool {
	var mark []bool
	for _, r := range runs(text, nil) {
		if !r.han || r.end-r.start < 4 {
			continue
		}
		count := 0
		for i := r.start + 1; i < r.end-1; i++ {
			if p.knownBigram(text[i-1], text[i]) || p.knownBigram(text[i], text[i+1]) {
				continue
			}
			if mark == nil {
				mark = make([]bool, len(text))
			}
			mark[i] = true
			count++
		}
		if count > allowedEdits(r.end-r.start, spaceChar) {
			return nil
		}
	}
	return mark
}

func (p *parsed) knownBigram(a, b rune) bool {
	key := termKey(0, kBigram, bigramPayload(a, b))
	for i := range p.toks {
		if p.toks[i].key == key && p.toks[i].word == "" {
			return p.toks[i].inNames
		}
	}
	return false
}

// typoTokens lists the reading's tokens that do not touch a suspect: words,
// bigrams of two trusted characters, unigrams of trusted characters. All of
// them are tokens of the reading itself, so they are resolved already.
func (p *parsed) typoTokens(text []rune, suspect []bool) []int {
	var toks []int
	add := func(key uint64, word string) {
		for i := range p.toks {
			if p.toks[i].key == key && p.toks[i].word == word {
				toks = append(toks, i)
				return
			}
		}
	}
	rs := runs(text, nil)
	for _, r := range rs {
		if !r.han {
			add(termKey(0, kWord, 0), string(text[r.start:r.end]))
			continue
		}
		for i := r.start + 1; i < r.end; i++ {
			if !suspect[i-1] && !suspect[i] {
				add(termKey(0, kBigram, bigramPayload(text[i-1], text[i])), "")
			}
		}
	}
	for _, r := range rs {
		for i := r.start; r.han && i < r.end; i++ {
			if !suspect[i] {
				add(termKey(0, kChar, uint64(text[i])), "")
			}
		}
	}
	return toks
}
