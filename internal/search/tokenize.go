package search

import (
	"unicode"
)

// Text is folded rune by rune (full-width → ASCII, upper → lower) so that
// positions in folded text are positions in the original: snippets can mark
// the original characters without a mapping table.
func fold(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r < 0x80:
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return fold(r - 0xFEE0)
	case r == 0x3000: // ideographic space
		return ' '
	}
	return unicode.ToLower(r)
}

func foldString(s string) []rune {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = fold(r)
	}
	return rs
}

func isHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return r >= 0x3400 && unicode.Is(unicode.Han, r)
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
}

// isToken reports whether a folded rune takes part in matching; everything
// else (punctuation, brackets, spaces) separates runs.
func isToken(r rune) bool { return isHan(r) || isAlnum(r) }

// run is a maximal stretch of Han characters or of ASCII letters/digits in
// folded text: [start, end).
type run struct {
	start, end int
	han        bool
}

func runs(rs []rune, out []run) []run {
	out = out[:0]
	for i := 0; i < len(rs); {
		switch {
		case isHan(rs[i]):
			j := i + 1
			for j < len(rs) && isHan(rs[j]) {
				j++
			}
			out = append(out, run{i, j, true})
			i = j
		case isAlnum(rs[i]):
			j := i + 1
			for j < len(rs) && isAlnum(rs[j]) {
				j++
			}
			out = append(out, run{i, j, false})
			i = j
		default:
			i++
		}
	}
	return out
}

// Term keys pack field, kind and payload into one uint64 so that postings
// live in a single map without string allocation:
//
//	bits 62-63 field, 58-61 kind, 0-57 payload
type kind uint8

const (
	kChar   kind = iota + 1 // one Han character
	kBigram                 // two adjacent Han characters
	kWord                   // an ASCII word or number (payload: word id)
	kSyl                    // one pinyin syllable
	kSyl2                   // two adjacent syllables
	kIni2                   // two adjacent pinyin initials
	kIni3                   // three adjacent pinyin initials
)

type field uint8

const (
	fName  field = iota // listing and item name
	fAlias              // admin-maintained colloquial names
	fBody               // materials and FAQ
	fMeta               // org name and themes
	numFields
)

func termKey(f field, k kind, payload uint64) uint64 {
	return uint64(f)<<62 | uint64(k)<<58 | payload
}

func withField(key uint64, f field) uint64 { return key&^(3<<62) | uint64(f)<<62 }

func keyKind(key uint64) kind { return kind(key >> 58 & 0xF) }

func bigramPayload(a, b rune) uint64 { return uint64(a)<<21 | uint64(b) }

// tokenizer turns text into term keys. It is not safe for concurrent use;
// the index keeps one per writer and the query parser makes its own.
type tokenizer struct {
	py   *pinyinTables
	runs []run
	syl  []uint16
}

// wordID resolves (or with add, assigns) the id of an ASCII word.
type wordID func(w string, add bool) (uint32, bool)

// add appends the keys of text s for field f to keys and returns the new
// slice and the number of token characters (the field length for BM25).
// Pinyin keys are produced only for names and aliases: nobody types the
// pinyin of a material list, and it would double the index.
func (tk *tokenizer) add(keys []uint64, s string, f field, words wordID) ([]uint64, int) {
	rs := foldString(s)
	tk.runs = runs(rs, tk.runs)
	withPinyin := f == fName || f == fAlias
	length := 0
	for _, r := range tk.runs {
		if !r.han {
			if id, ok := words(string(rs[r.start:r.end]), true); ok {
				keys = append(keys, termKey(f, kWord, uint64(id)))
			}
			length++
			continue
		}
		h := rs[r.start:r.end]
		length += len(h)
		for i, c := range h {
			if f != fBody { // body unigrams are all noise: every list asks for 证
				keys = append(keys, termKey(f, kChar, uint64(c)))
			}
			if i > 0 {
				keys = append(keys, termKey(f, kBigram, bigramPayload(h[i-1], c)))
			}
		}
		if !withPinyin {
			continue
		}
		tk.syl = tk.py.syllables(h, tk.syl)
		keys = appendPinyinKeys(keys, f, tk.py, tk.syl)
	}
	return keys, length
}

// appendPinyinKeys adds syllable unigrams and bigrams and initials bigrams
// and trigrams of one run of syllables.
func appendPinyinKeys(keys []uint64, f field, t *pinyinTables, syl []uint16) []uint64 {
	for i, s := range syl {
		if s == 0 {
			continue
		}
		keys = append(keys, termKey(f, kSyl, uint64(s)))
		if i > 0 && syl[i-1] != 0 {
			keys = append(keys, termKey(f, kSyl2, uint64(syl[i-1])<<16|uint64(s)))
			keys = append(keys, termKey(f, kIni2, ini2(t, syl[i-1], s)))
			if i > 1 && syl[i-2] != 0 {
				keys = append(keys, termKey(f, kIni3, ini3(t, syl[i-2], syl[i-1], s)))
			}
		}
	}
	return keys
}

func ini2(t *pinyinTables, a, b uint16) uint64 {
	return uint64(t.initial(a))<<8 | uint64(t.initial(b))
}

func ini3(t *pinyinTables, a, b, c uint16) uint64 {
	return uint64(t.initial(a))<<16 | uint64(t.initial(b))<<8 | uint64(t.initial(c))
}
