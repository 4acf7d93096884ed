package search

import (
	"strings"
	"testing"
)

// TestPinyinPolyphones pins the readings the domain depends on: the default
// reading of go-pinyin is wrong for most of these.
func TestPinyinPolyphones(t *testing.T) {
	cases := []struct{ text, want string }{
		{"银行", "yin hang"},
		{"商业银行", "shang ye yin hang"},
		{"重庆", "chong qing"},
		{"重大", "zhong da"},
		{"重新申领", "chong xin shen ling"},
		{"行政复议", "xing zheng fu yi"},
		{"行业协会", "hang ye xie hui"},
		{"长期居住", "chang qi ju zhu"},
		{"长沙", "chang sha"},
		{"延长期限", "yan chang qi xian"},
		{"村长", "cun zhang"},
		{"乐山", "le shan"},
		{"音乐", "yin yue"},
		{"广安", "guang an"},
		{"单位参保", "dan wei can bao"},
		{"调解", "tiao jie"},
		{"调动", "diao dong"},
		{"人事调动", "ren shi diao dong"},
		{"行政给付", "xing zheng ji fu"},
		{"会计", "kuai ji"},
		{"成都", "cheng du"},
		{"都江堰", "du jiang yan"},
		{"畜牧", "xu mu"},
		{"计量器具校准", "ji liang qi ju jiao zhun"},
		{"学校", "xue xiao"},
		{"绿色", "lv se"},
		{"律师", "lv shi"},
		{"营业执照（副本）", "ying ye zhi zhao fu ben"},
	}
	for _, c := range cases {
		if got := strings.Join(Pinyin(c.text), " "); got != c.want {
			t.Errorf("Pinyin(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// TestPhraseReadingsWellFormed checks every entry of the override table has
// one syllable per character, each a real syllable.
func TestPhraseReadingsWellFormed(t *testing.T) {
	tab := pinyinTab()
	for w, r := range phraseReadings {
		syls := strings.Fields(r)
		if len(syls) != len([]rune(w)) {
			t.Errorf("%q: %d syllables for %d characters", w, len(syls), len([]rune(w)))
		}
		for _, s := range syls {
			if !tab.validSyllable(s) {
				t.Errorf("%q: %q is not a syllable", w, s)
			}
		}
	}
}

func TestSegment(t *testing.T) {
	tab := pinyinTab()
	cases := []struct {
		in   string
		want []string // each segmentation, syllables joined by '
	}{
		{"yingyezhizhao", []string{"ying'ye'zhi'zhao"}},
		{"shebaoka", []string{"she'bao'ka"}},
		{"xian", []string{"xian"}},
		{"guangan", []string{"guang'an", "guan'gan"}},
		{"yyzz", nil},
		{"lvshi", []string{"lv'shi"}},
		{"hn", nil}, // consonants alone are not syllables
	}
	for _, c := range cases {
		var got []string
		for _, seg := range tab.segment(c.in) {
			var s []string
			for _, id := range seg {
				s = append(s, tab.names[id])
			}
			got = append(got, strings.Join(s, "'"))
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("segment(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSpacesAreSyllableHints: "xi an" is two syllables (西安), "xian" one.
func TestSpacesAreSyllableHints(t *testing.T) {
	segs := segmentChunks([]string{"xi", "an"})
	if len(segs) != 1 || len(segs[0]) != 2 {
		t.Fatalf("xi an: got %v", segs)
	}
}

func TestFold(t *testing.T) {
	got := string(foldString("ＩＣＰ备案　ABC"))
	if got != "icp备案 abc" {
		t.Errorf("fold = %q", got)
	}
	if len([]rune("ＩＣＰ备案　ABC")) != len(foldString("ＩＣＰ备案　ABC")) {
		t.Error("folding must keep rune positions")
	}
}

// TestInitials: what 首字母 search matches against.
func TestInitials(t *testing.T) {
	tab := pinyinTab()
	for text, want := range map[string]string{
		"银行": "yh", "重庆": "cq", "行政": "xz", "长期": "cq", "长沙": "cs", "乐山": "ls",
		"广安": "ga", "单位": "dw", "调解": "tj", "调动": "dd", "营业执照": "yyzz", "食品经营": "spjy",
	} {
		var got []byte
		for _, id := range tab.syllables([]rune(text), nil) {
			got = append(got, tab.initial(id))
		}
		if string(got) != want {
			t.Errorf("initials(%q) = %q, want %q", text, got, want)
		}
	}
}
