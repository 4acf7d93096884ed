package search

import (
	"strings"
	"sync"

	"github.com/mozillazg/go-pinyin"
)

// Pinyin is handled as syllable ids (uint16, 0 = no syllable) so that the
// index can treat a syllable like a character: unigrams, bigrams and
// approximate phrase matching all work the same way in both spaces.
//
// go-pinyin knows every reading of a character but not which one a word uses;
// its first reading is the default and the tables below fix the words a
// government catalog actually contains (银行 is yin hang, not yin xing).

// phraseReadings overrides the readings of whole words. Keep it small and
// domain-driven; every entry is exercised by pinyin_test.go.
var phraseReadings = map[string]string{
	// 行: hang in trades and banks, xing in administration and travel.
	"银行": "yin hang", "行业": "hang ye", "行长": "hang zhang", "同行": "tong hang",
	"商行": "shang hang", "车行": "che hang", "行情": "hang qing", "内行": "nei hang",
	"行政": "xing zheng", "行驶": "xing shi", "执行": "zhi xing", "发行": "fa xing",
	"通行": "tong xing", "运行": "yun xing", "出行": "chu xing", "行为": "xing wei",
	// 重: chong when it means again, and in 重庆.
	"重庆": "chong qing", "重新": "chong xin", "重复": "chong fu", "重建": "chong jian",
	"重置": "chong zhi", "重组": "chong zu", "重审": "chong shen", "重名": "chong ming",
	"重阳": "chong yang", "重办": "chong ban", "重发": "chong fa", "重签": "chong qian",
	"重大": "zhong da", "重要": "zhong yao", "重点": "zhong dian",
	// 长: chang by default (see charReadings); zhang for heads and growth.
	"长期": "chang qi", "长沙": "chang sha", "长途": "chang tu", "延长": "yan chang",
	"家长": "jia zhang", "局长": "ju zhang", "校长": "xiao zhang", "院长": "yuan zhang",
	"村长": "cun zhang", "县长": "xian zhang", "市长": "shi zhang", "区长": "qu zhang",
	"镇长": "zhen zhang", "乡长": "xiang zhang", "组长": "zu zhang", "队长": "dui zhang",
	"厂长": "chang zhang", "站长": "zhan zhang", "所长": "suo zhang", "处长": "chu zhang",
	"科长": "ke zhang", "部长": "bu zhang", "社长": "she zhang", "会长": "hui zhang",
	"船长": "chuan zhang", "机长": "ji zhang", "增长": "zeng zhang", "成长": "cheng zhang",
	"生长": "sheng zhang", "董事长": "dong shi zhang", "理事长": "li shi zhang",
	// 调: diao by default; tiao when it means to mediate or adjust.
	"调解": "tiao jie", "调整": "tiao zheng", "调节": "tiao jie", "协调": "xie tiao",
	"调剂": "tiao ji", "空调": "kong tiao", "调处": "tiao chu", "调价": "tiao jia",
	"调控": "tiao kong", "调试": "tiao shi", "调动": "diao dong", "调查": "diao cha",
	// Places whose first reading is wrong or worth pinning.
	"乐山": "le shan", "广安": "guang an", "成都": "cheng du", "都江堰": "du jiang yan",
	"郫都": "pi du", "厦门": "xia men", "六安": "lu an", "蚌埠": "bang bu", "西藏": "xi zang",
	"藏族": "zang zu", "单县": "shan xian",
	// Everyday catalog words.
	"单位": "dan wei", "音乐": "yin yue", "乐器": "yue qi", "乐团": "yue tuan",
	"还款": "huan kuan", "归还": "gui huan", "偿还": "chang huan", "退还": "tui huan",
	"返还": "fan huan", "还贷": "huan dai", "会计": "kuai ji", "财会": "cai kuai",
	"给付": "ji fu", "供给": "gong ji", "给予": "ji yu", "补给": "bu ji",
	"校验": "jiao yan", "校准": "jiao zhun", "校对": "jiao dui", "校正": "jiao zheng",
	"畜牧": "xu mu", "畜产品": "xu chan pin", "传记": "zhuan ji", "出差": "chu chai",
}

// charReadings overrides the default reading of single characters whose
// first reading in go-pinyin is the rare one in this domain.
var charReadings = map[rune]string{
	'长': "chang", // 长期, 延长, 长途: more common than zhang in item names
	'都': "du",    // 成都, 首都; 都 as "all" hardly appears in item names
	'佛': "fo",
	'泊': "bo",
	'似': "si",
	'给': "gei",
}

type pinyinTables struct {
	names []string          // id → syllable; names[0] = ""
	ids   map[string]uint16 // syllable → id
	char  map[rune]uint16   // default reading of a character
	// phrases are keyed by packed runes (21 bits each, at most 3 runes) so
	// that the hot indexing path looks them up without allocating.
	phrases map[uint64][]uint16
	starts  map[rune]bool // first runes of phrases: a cheap pre-check
}

var (
	pyOnce sync.Once
	py     *pinyinTables
)

func pinyinTab() *pinyinTables {
	pyOnce.Do(func() { py = buildPinyin() })
	return py
}

func buildPinyin() *pinyinTables {
	t := &pinyinTables{
		names:   []string{""},
		ids:     make(map[string]uint16, 512),
		char:    make(map[rune]uint16, len(pinyin.PinyinDict)),
		phrases: make(map[uint64][]uint16, len(phraseReadings)),
		starts:  make(map[rune]bool),
	}
	for code, readings := range pinyin.PinyinDict {
		for i, r := range strings.Split(readings, ",") {
			id := t.register(toneless(r))
			if i == 0 && id != 0 {
				t.char[rune(code)] = id
			}
		}
	}
	for r, s := range charReadings {
		t.char[r] = t.register(s)
	}
	for w, s := range phraseReadings {
		var ids []uint16
		for _, syl := range strings.Fields(s) {
			ids = append(ids, t.register(syl))
		}
		rs := []rune(w)
		if len(rs) < 2 || len(rs) > maxPhrase || len(rs) != len(ids) {
			panic("search: bad phrase reading " + w)
		}
		t.phrases[phraseKey(rs)] = ids
		t.starts[rs[0]] = true
	}
	return t
}

func (t *pinyinTables) register(s string) uint16 {
	if s == "" {
		return 0
	}
	if id, ok := t.ids[s]; ok {
		return id
	}
	id := uint16(len(t.names))
	t.names = append(t.names, s)
	t.ids[s] = id
	return id
}

// toneless turns "lǜ" into "lv" and drops anything that is not a-z.
func toneless(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case strings.ContainsRune("āáǎà", r):
			b.WriteByte('a')
		case strings.ContainsRune("ēéěèêếề", r):
			b.WriteByte('e')
		case strings.ContainsRune("īíǐì", r):
			b.WriteByte('i')
		case strings.ContainsRune("ōóǒò", r):
			b.WriteByte('o')
		case strings.ContainsRune("ūúǔù", r):
			b.WriteByte('u')
		case strings.ContainsRune("üǖǘǚǜ", r):
			b.WriteByte('v')
		case strings.ContainsRune("ńňǹ", r):
			b.WriteByte('n')
		case r == 'ḿ':
			b.WriteByte('m')
		}
	}
	return b.String()
}

// syllables returns one syllable id per rune of rs (0 for non-Han runes),
// applying the phrase table with longest match first.
func (t *pinyinTables) syllables(rs []rune, out []uint16) []uint16 {
	out = out[:0]
	for i := 0; i < len(rs); {
		if isHan(rs[i]) && i+1 < len(rs) {
			if n, ids := t.phraseAt(rs[i:]); n > 0 {
				out = append(out, ids...)
				i += n
				continue
			}
		}
		out = append(out, t.char[rs[i]])
		i++
	}
	return out
}

const maxPhrase = 3

// phraseKey packs 2 or 3 runes, 21 bits each. A 3-rune key is always above
// 2^42 and a 2-rune key below it, since a phrase never starts with rune 0.
func phraseKey(rs []rune) uint64 {
	var k uint64
	for _, r := range rs {
		k = k<<21 | uint64(r)
	}
	return k
}

func (t *pinyinTables) phraseAt(rs []rune) (int, []uint16) {
	if !t.starts[rs[0]] {
		return 0, nil
	}
	for n := min(maxPhrase, len(rs)); n >= 2; n-- {
		if ids, ok := t.phrases[phraseKey(rs[:n])]; ok {
			return n, ids
		}
	}
	return 0, nil
}

// initial is the first letter of a syllable, as typed in 首字母 search.
func (t *pinyinTables) initial(id uint16) byte {
	if id == 0 {
		return 0
	}
	return t.names[id][0]
}

// Pinyin returns the toneless pinyin of s, one syllable per Han character,
// with the domain's polyphone overrides applied. It is exported for the
// admin pages that show how an item will be found.
func Pinyin(s string) []string {
	t := pinyinTab()
	rs := []rune(s)
	var out []string
	for i, id := range t.syllables(rs, nil) {
		if id != 0 && isHan(rs[i]) {
			out = append(out, t.names[id])
		}
	}
	return out
}

// maxSegmentations bounds how many readings of an ambiguous pinyin string
// (xian = 先 or 西安) are searched; each becomes one query alternative.
const maxSegmentations = 4

// segment splits a run of letters into syllables, returning the
// segmentations with the fewest syllables (at most maxSegmentations).
// Single consonants (n, m, ng) are not accepted as syllables: they are almost
// always a typing slip, never an intended 嗯.
func (t *pinyinTables) segment(s string) [][]uint16 {
	n := len(s)
	if n == 0 || n > 64 {
		return nil
	}
	// best[i] = fewest syllables to cover s[i:]; -1 if impossible.
	best := make([]int, n+1)
	for i := range best {
		best[i] = -1
	}
	best[n] = 0
	for i := n - 1; i >= 0; i-- {
		for j := i + 1; j <= n && j-i <= 6; j++ {
			if best[j] >= 0 && t.validSyllable(s[i:j]) && (best[i] < 0 || best[j]+1 < best[i]) {
				best[i] = best[j] + 1
			}
		}
	}
	if best[0] < 0 {
		return nil
	}
	var out [][]uint16
	var walk func(i int, acc []uint16)
	walk = func(i int, acc []uint16) {
		if len(out) >= maxSegmentations {
			return
		}
		if i == n {
			out = append(out, append([]uint16(nil), acc...))
			return
		}
		for j := min(n, i+6); j > i; j-- { // longer syllables first
			if best[j] >= 0 && best[j]+1 == best[i] && t.validSyllable(s[i:j]) {
				walk(j, append(acc, t.ids[s[i:j]]))
			}
		}
	}
	walk(0, nil)
	return out
}

func (t *pinyinTables) validSyllable(s string) bool {
	switch s {
	case "n", "m", "ng", "hm", "hng", "r":
		return false
	}
	_, ok := t.ids[s]
	return ok
}
