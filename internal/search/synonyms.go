package search

import (
	"bufio"
	_ "embed"
	"io"
	"strings"

	"github.com/tongban/tongban"
)

// Synonyms bridge the gap between what citizens type (开饭店, 社保, 身份证丢了)
// and what catalogs say (食品经营许可, 社会保险, 居民身份证补领). Admins own the
// list and change it at run time; a sensible default ships in synonyms.txt.

//go:embed synonyms.txt
var defaultSynonymsText string

// DefaultSynonyms returns the rules shipped in synonyms.txt.
func DefaultSynonyms() map[string][]string {
	m, err := ParseSynonyms(strings.NewReader(defaultSynonymsText))
	if err != nil {
		panic("search: embedded synonyms.txt: " + err.Error())
	}
	return m
}

// ParseSynonyms reads rules in the synonyms.txt format and returns them as
// one-way rules (phrase → expansions), the form SetSynonyms takes:
//
//	a, b, c        equivalent: each maps to the others
//	a, b => c, d   one way: a and b map to c and d
//
// Separators are "," "，" and "、"; "#" starts a comment.
func ParseSynonyms(r io.Reader) (map[string][]string, error) {
	m := map[string][]string{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		lhs, rhs, oneWay := strings.Cut(text, "=>")
		from := splitPhrases(lhs)
		to := from
		if oneWay {
			to = splitPhrases(rhs)
		}
		if len(from) == 0 || len(to) == 0 || !oneWay && len(from) < 2 {
			return nil, tongban.FieldError("synonyms", "第 %d 行格式不对：%q（应为「甲, 乙」或「甲 => 乙」）", line, text)
		}
		for _, a := range from {
			for _, b := range to {
				if a != b && !contains(m[a], b) {
					m[a] = append(m[a], b)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, tongban.Wrap(tongban.EInvalid, err, "无法读取同义词")
	}
	return m, nil
}

func splitPhrases(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' })
	out := f[:0]
	for _, p := range f {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// synonymSet is the immutable, folded form of the rules; SetSynonyms swaps it
// atomically so searches never wait for an admin.
type synonymSet struct {
	rules          map[string][][]rune // folded phrase → folded expansions
	raw            map[string][]string // as given, for Synonyms()
	minLen, maxLen int

	// byPinyin finds a Han phrase from its full pinyin (shebaoka) or, for
	// phrases of three or more characters, its initials (sbk): citizens type
	// abbreviations in pinyin as often as in characters.
	byPinyin map[string][]rune
}

func newSynonymSet(m map[string][]string) *synonymSet {
	s := &synonymSet{rules: map[string][][]rune{}, raw: map[string][]string{}}
	for k, vs := range m {
		key := foldString(strings.TrimSpace(k))
		if !hasToken(key) {
			continue
		}
		for _, v := range vs {
			exp := foldString(strings.TrimSpace(v))
			if !hasToken(exp) || string(exp) == string(key) {
				continue
			}
			s.rules[string(key)] = append(s.rules[string(key)], exp)
			s.raw[k] = append(s.raw[k], v)
		}
		if len(s.rules[string(key)]) > 0 {
			if s.minLen == 0 || len(key) < s.minLen {
				s.minLen = len(key)
			}
			s.maxLen = max(s.maxLen, len(key))
			s.addPinyin(key)
		}
	}
	return s
}

func (s *synonymSet) addPinyin(key []rune) {
	for _, r := range key {
		if !isHan(r) {
			return
		}
	}
	t := pinyinTab()
	var full, ini strings.Builder
	for _, id := range t.syllables(key, nil) {
		full.WriteString(t.names[id])
		ini.WriteByte(t.initial(id))
	}
	if s.byPinyin == nil {
		s.byPinyin = map[string][]rune{}
	}
	s.byPinyin[full.String()] = key
	if len(key) >= 3 {
		if _, taken := s.byPinyin[ini.String()]; !taken {
			s.byPinyin[ini.String()] = key
		}
	}
}

// fromPinyin returns the phrase whose pinyin or initials are letters, if any.
func (s *synonymSet) fromPinyin(letters string) []rune {
	if s == nil {
		return nil
	}
	return s.byPinyin[letters]
}

func hasToken(rs []rune) bool {
	for _, r := range rs {
		if isToken(r) {
			return true
		}
	}
	return false
}

// maxAlternatives bounds how many rewritten queries one search runs.
const maxAlternatives = 8

// rewritten is a query with synonym phrases replaced; spans are where the
// expansions sit in text, [start, end).
type rewritten struct {
	text  []rune
	spans [][2]int
}

// within reports whether [start, end) lies inside one expansion.
func (rw *rewritten) within(start, end int) bool {
	for _, sp := range rw.spans {
		if start >= sp[0] && end <= sp[1] {
			return true
		}
	}
	return false
}

// expand returns rewritten forms of the folded query q (not q itself): for
// each matched phrase and each of its expansions, q with that phrase
// replaced; and when several phrases matched, q with every phrase replaced
// by its first expansion (社保卡丢了 → 社会保障卡补领). Phrases are matched
// longest first, left to right, without overlap.
func (s *synonymSet) expand(q []rune) []rewritten {
	if s == nil || len(s.rules) == 0 {
		return nil
	}
	type match struct {
		at, n int
		exps  [][]rune
	}
	var ms []match
	for i := 0; i < len(q); {
		found := false
		for n := min(s.maxLen, len(q)-i); n >= s.minLen && n > 0; n-- {
			if exps, ok := s.rules[string(q[i:i+n])]; ok {
				ms = append(ms, match{i, n, exps})
				i += n
				found = true
				break
			}
		}
		if !found {
			i++
		}
	}
	var out []rewritten
	seen := map[string]bool{string(q): true}
	addAlt := func(alt rewritten) {
		if len(out) < maxAlternatives-1 && !seen[string(alt.text)] {
			seen[string(alt.text)] = true
			out = append(out, alt)
		}
	}
	if len(ms) > 1 { // the full rewrite first: it is the likeliest intent
		var alt rewritten
		last := 0
		for _, m := range ms {
			alt.text = append(alt.text, q[last:m.at]...)
			alt.spans = append(alt.spans, [2]int{len(alt.text), len(alt.text) + len(m.exps[0])})
			alt.text = append(alt.text, m.exps[0]...)
			last = m.at + m.n
		}
		alt.text = append(alt.text, q[last:]...)
		addAlt(alt)
	}
	for _, m := range ms {
		for _, e := range m.exps {
			// 离婚 → 离婚登记 must not turn 离婚登记 into 离婚登记登记.
			if hasPrefix(q[m.at:], e) {
				continue
			}
			alt := make([]rune, 0, len(q)+len(e))
			alt = append(append(append(alt, q[:m.at]...), e...), q[m.at+m.n:]...)
			addAlt(rewritten{text: alt, spans: [][2]int{{m.at, m.at + len(e)}}})
		}
	}
	return out
}

func hasPrefix(s, p []rune) bool {
	if len(p) > len(s) {
		return false
	}
	for i := range p {
		if s[i] != p[i] {
			return false
		}
	}
	return true
}
