package search

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

func TestParseSynonyms(t *testing.T) {
	in := `# comment
社保, 社会保险
开饭店，开餐馆 => 食品经营许可、餐饮服务许可   # trailing comment

`
	got, err := ParseSynonyms(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"社保":   {"社会保险"},
		"社会保险": {"社保"},
		"开饭店":  {"食品经营许可", "餐饮服务许可"},
		"开餐馆":  {"食品经营许可", "餐饮服务许可"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestParseSynonymsErrors(t *testing.T) {
	for _, in := range []string{"社保", "=> 社会保险", "开饭店 =>", "\n\n社保,"} {
		_, err := ParseSynonyms(strings.NewReader(in))
		if !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("%q: err = %v, want EInvalid", in, err)
		}
	}
	_, err := ParseSynonyms(strings.NewReader("a, b\n\n社保"))
	if err == nil || !strings.Contains(err.Error(), "第 3 行") {
		t.Errorf("error should name the line: %v", err)
	}
}

func TestDefaultSynonymsLoad(t *testing.T) {
	m := DefaultSynonyms()
	if len(m) < 50 {
		t.Fatalf("only %d default rules", len(m))
	}
	for _, k := range []string{"开饭店", "生孩子", "社保", "办执照", "身份证丢了"} {
		if len(m[k]) == 0 {
			t.Errorf("default synonyms miss %q", k)
		}
	}
}

func TestExpand(t *testing.T) {
	s := newSynonymSet(map[string][]string{
		"社保卡": {"社会保障卡"},
		"社保":  {"社会保险"},
		"丢了":  {"补领", "挂失"},
		"离婚":  {"离婚登记"},
	})
	cases := []struct {
		q    string
		want []string
	}{
		{"社保", []string{"社会保险"}},
		{"社保卡丢了", []string{"社会保障卡补领", "社会保障卡丢了", "社保卡补领", "社保卡挂失"}}, // longest match wins: 社保卡, not 社保
		{"离婚登记", nil}, // not 离婚登记登记
		{"护照", nil},
	}
	for _, c := range cases {
		var got []string
		for _, rw := range s.expand(foldString(c.q)) {
			got = append(got, string(rw.text))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("expand(%q) = %q, want %q", c.q, got, c.want)
		}
	}
}

// TestSetSynonymsAtRunTime: an admin's new rule takes effect on the next
// search, and replacing the rules removes the old ones.
func TestSetSynonymsAtRunTime(t *testing.T) {
	ix := New()
	ix.Upsert(Doc{ListingID: 1, ListingName: "食品经营许可证核发", RegionCode: "511602000000"},
		Doc{ListingID: 2, ListingName: "犬类准养证核发", RegionCode: "511602000000"})
	top := func(q string) int64 {
		t.Helper()
		res, err := ix.Search(Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			return 0
		}
		return res.Hits[0].ListingID
	}
	if got := top("开饭店"); got != 1 {
		t.Fatalf("default synonyms: 开饭店 → %d, want 1", got)
	}
	if got := top("遛狗证"); got != 0 {
		t.Fatalf("遛狗证 before the rule → %d, want nothing", got)
	}
	ix.SetSynonyms(map[string][]string{"遛狗证": {"犬类准养证"}})
	if got := top("遛狗证"); got != 2 {
		t.Errorf("遛狗证 after the rule → %d, want 2", got)
	}
	if got := top("开饭店"); got != 0 {
		t.Errorf("开饭店 after replacing the rules → %d, want nothing", got)
	}
	if got := ix.Synonyms(); !reflect.DeepEqual(got, map[string][]string{"遛狗证": {"犬类准养证"}}) {
		t.Errorf("Synonyms() = %v", got)
	}
}

func TestSynonymPinyin(t *testing.T) {
	s := newSynonymSet(map[string][]string{"社保卡": {"社会保障卡"}, "社保": {"社会保险"}, "办ETC": {"ETC"}})
	for in, want := range map[string]string{"shebaoka": "社保卡", "sbk": "社保卡", "shebao": "社保", "sb": "", "banetc": ""} {
		if got := string(s.fromPinyin(in)); got != want {
			t.Errorf("fromPinyin(%q) = %q, want %q", in, got, want)
		}
	}
}
