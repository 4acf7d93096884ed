package search_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/search"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestDemoRelevance is what a citizen of the demo city sees: the demo
// catalog loaded through the importer into a database, the index built from
// it by the Syncer, and each query run as the results page runs it
// (SearchItems: one entry per item, led by the listing nearest the citizen).
// The right item must be among the first three entries; where the case names
// a region, the entry's leading listing must be in it.
func TestDemoRelevance(t *testing.T) {
	c := loadDemoCity(t, sqldb.SQLite)
	const (
		city   = "511600000000"
		guang  = "511602000000" // 广安区
		qianf  = "511603000000" // 前锋区
		yuechi = "511621000000" // 岳池县
	)
	cases := []struct {
		kind   string
		q      search.Query
		serves string   // the page's region filter
		want   []string // listing names; any of them will do
		region string   // the leading listing's region, if it matters
	}{
		// Plain Chinese: names, result names, item names.
		{"chinese", search.Query{Text: "营业执照"}, "", []string{"个体工商户设立登记"}, ""},
		{"chinese", search.Query{Text: "营业执照"}, "", []string{"有限责任公司设立登记"}, ""},
		{"chinese", search.Query{Text: "企业设立登记"}, "", []string{"有限责任公司设立登记"}, ""},
		{"chinese", search.Query{Text: "食品经营许可证核发"}, "", []string{"食品经营许可证核发"}, ""},
		{"chinese", search.Query{Text: "不动产转移登记"}, "", []string{"国有建设用地使用权及房屋所有权转移登记（存量房买卖）"}, ""},
		{"chinese", search.Query{Text: "居民身份证换领"}, "", []string{"居民身份证换领"}, ""},
		{"chinese", search.Query{Text: "生育登记"}, "", []string{"生育登记"}, ""},
		{"chinese", search.Query{Text: "社会保障卡申领"}, "", []string{"社会保障卡申领"}, ""},
		{"chinese", search.Query{Text: "施工许可证"}, "", []string{"建筑工程施工许可证核发"}, ""},
		{"chinese", search.Query{Text: "异地就医"}, "", []string{"基本医疗保险参保人员异地就医备案"}, ""},

		// Full pinyin and initials.
		{"pinyin", search.Query{Text: "yingyezhizhao"}, "", []string{"个体工商户设立登记"}, ""},
		{"pinyin", search.Query{Text: "shipinjingying"}, "", []string{"食品经营许可证核发"}, ""},
		{"pinyin", search.Query{Text: "jiehun"}, "", []string{"内地居民结婚登记"}, ""},
		{"pinyin", search.Query{Text: "shengyu dengji"}, "", []string{"生育登记"}, ""},
		{"initials", search.Query{Text: "yyzz"}, "", []string{"个体工商户设立登记"}, ""},
		{"initials", search.Query{Text: "spjy"}, "", []string{"食品经营许可证核发"}, ""},
		{"initials", search.Query{Text: "sbk"}, "", []string{"社会保障卡申领"}, ""},
		{"initials", search.Query{Text: "ydjy"}, "", []string{"基本医疗保险参保人员异地就医备案"}, ""},
		{"initials", search.Query{Text: "gjj"}, "", []string{"住房公积金提取"}, ""},

		// What people say.
		{"colloquial", search.Query{Text: "开饭店"}, "", []string{"食品经营许可证核发"}, ""},
		{"colloquial", search.Query{Text: "办执照"}, "", []string{"个体工商户设立登记"}, ""},
		{"colloquial", search.Query{Text: "开公司"}, "", []string{"有限责任公司设立登记"}, ""},
		{"colloquial", search.Query{Text: "生孩子"}, "", []string{"生育登记"}, ""},
		{"colloquial", search.Query{Text: "身份证丢了"}, "", []string{"居民身份证补领"}, ""},
		{"colloquial", search.Query{Text: "社保卡"}, "", []string{"社会保障卡申领"}, ""},
		{"colloquial", search.Query{Text: "退休"}, "", []string{"企业职工基本养老保险正常退休申请"}, ""},
		{"colloquial", search.Query{Text: "换驾照"}, "", []string{"机动车驾驶证有效期满换证"}, ""},
		{"colloquial", search.Query{Text: "过户"}, "", []string{"国有建设用地使用权及房屋所有权转移登记（存量房买卖）"}, ""},
		{"colloquial", search.Query{Text: "公积金取钱"}, "", []string{"住房公积金提取"}, ""},
		{"colloquial", search.Query{Text: "上户口"}, "", []string{"出生登记（新生儿入户）"}, ""},
		{"colloquial", search.Query{Text: "失业了"}, "", []string{"失业保险金申领"}, ""},
		{"colloquial", search.Query{Text: "老人去世"}, "", []string{"遗体火化证明办理"}, ""},
		{"colloquial", search.Query{Text: "低保"}, "", []string{"最低生活保障"}, ""},
		{"colloquial", search.Query{Text: "开药店"}, "", []string{"药品经营许可证核发（零售）"}, ""},
		{"colloquial", search.Query{Text: "注销公司"}, "", []string{"企业注销登记"}, ""},

		// One wrong character.
		{"typo", search.Query{Text: "食品经营许克"}, "", []string{"食品经营许可证核发"}, ""},
		{"typo", search.Query{Text: "居民身分证补领"}, "", []string{"居民身份证补领"}, ""},
		{"typo", search.Query{Text: "结昏登记"}, "", []string{"内地居民结婚登记"}, ""},
		{"typo", search.Query{Text: "社会保障卡申岭"}, "", []string{"社会保障卡申领"}, ""},
		{"typo", search.Query{Text: "不动产转移登汜"}, "", []string{"国有建设用地使用权及房屋所有权转移登记（存量房买卖）"}, ""},

		// Region: the filter, and the citizen's own district first.
		{"region filter", search.Query{Text: "食品经营许可证核发", Region: qianf}, "", []string{"食品经营许可证核发"}, qianf},
		{"region filter", search.Query{Text: "营业执照", Region: yuechi}, "", []string{"个体工商户设立登记"}, yuechi},
		{"region serves", search.Query{Text: "社保卡", UserRegion: guang}, guang, []string{"社会保障卡申领"}, guang},
		{"citizen first", search.Query{Text: "身份证丢了", UserRegion: qianf}, "", []string{"居民身份证补领"}, qianf},
		{"citizen first", search.Query{Text: "spjy", UserRegion: yuechi}, "", []string{"食品经营许可证核发"}, yuechi},
		{"citizen's city", search.Query{Text: "换驾照", UserRegion: qianf}, qianf, []string{"机动车驾驶证有效期满换证"}, city},

		// Audience.
		{"audience", search.Query{Text: "设立登记", Audience: search.AudiencePerson}, "", []string{"个体工商户设立登记"}, ""},
		{"audience", search.Query{Text: "注销", Audience: search.AudienceEntity}, "", []string{"企业注销登记"}, ""},
		{"audience", search.Query{Text: "养老", Audience: search.AudienceEntity}, "", []string{"养老机构设立备案"}, ""},
	}
	byKind := map[string]int{}
	for _, tc := range cases {
		byKind[tc.kind]++
		name := fmt.Sprintf("%s/%s", tc.kind, tc.q.Text)
		groups, _, err := c.sync.Index.SearchItems(tc.q, tc.serves)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		found := false
		for i := 0; i < len(groups) && i < 3; i++ {
			g := groups[i]
			if slices.Contains(tc.want, g.ListingName) && (tc.region == "" || g.RegionCode == tc.region) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want %v (region %q) in the top 3, got:\n%s", name, tc.want, tc.region, top3(groups))
		}
	}
	if len(cases) < 30 {
		t.Errorf("only %d queries", len(cases))
	}
	t.Logf("%d queries: %v", len(cases), byKind)

	// What citizens type into the box, each expecting the right item to
	// lead the page, not merely to be on it.
	leading := []struct {
		q    string
		want string
	}{
		// One wrong character in the middle of a word (both bigrams broken).
		{"营页执照", "个体工商户设立登记"},
		{"营业只照", "个体工商户设立登记"},
		{"住房公基金提取", "住房公积金提取"},
		{"不动产专移登记", "国有建设用地使用权及房屋所有权转移登记（存量房买卖）"},
		{"居民身份正补领", "居民身份证补领"},
		{"医师执叶注册", "医师新办执业注册"},
		// The alias an admin gave the citizen's very words leads the synonym's reach.
		{"开饭店", "食品经营许可证核发"},
		{"开饭店要办什么证", "食品经营许可证核发"},
		{"开个餐馆", "食品经营许可证核发"},
		{"食品证到期", "食品经营许可证延续"},
		// Everyday phrasings.
		{"身份证过期了", "居民身份证换领"},
		{"驾照到期了怎么办", "机动车驾驶证有效期满换证"},
		{"买了新车怎么上牌", "机动车注册登记"},
		{"二手房过户", "国有建设用地使用权及房屋所有权转移登记（存量房买卖）"},
		{"失业了怎么领钱", "失业保险金申领"},
		{"外地看病报销", "基本医疗保险参保人员异地就医备案"},
		{"社保卡丢了", "社会保障卡补换"},
		{"公积金贷款买房", "住房公积金个人住房贷款"},
		{"领结婚证", "内地居民结婚登记"},
		{"理发店卫生许可", "公共场所卫生许可新办审批"},
		{"申请低保", "最低生活保障"},
		{"关公司", "企业注销登记"},
		{"退个税", "个人所得税综合所得汇算清缴"},
		{"办养老院", "养老机构设立备案"},
		{"出生证丢了", "出生医学证明补发、换发"},
		{"孩子出生了要办什么", "出生登记（新生儿入户）"},
		{"领养老金", "企业职工基本养老保险正常退休申请"},
	}
	for _, tc := range leading {
		groups, _, err := c.sync.Index.SearchItems(search.Query{Text: tc.q}, "")
		if err != nil {
			t.Errorf("%s: %v", tc.q, err)
			continue
		}
		if len(groups) == 0 || groups[0].ListingName != tc.want {
			t.Errorf("%s: want %s first, got:\n%s", tc.q, tc.want, top3(groups))
		}
	}

	// 开饭店 is about food: no other licence that merely shares 经营许可.
	groups, _, err := c.sync.Index.SearchItems(search.Query{Text: "开饭店"}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if !strings.Contains(g.ListingName+g.Snippet, "食品") && !strings.Contains(g.Snippet, "饭店") {
			t.Errorf("开饭店 shows an unrelated listing: %s（%s）", g.ListingName, g.Snippet)
		}
	}
}

func top3(groups []search.Group) string {
	var b strings.Builder
	for i, g := range groups {
		if i == 3 {
			break
		}
		fmt.Fprintf(&b, "  %d. %s（%s，%s，%s）\n", i+1, g.ListingName, g.ItemName, g.OrgName, g.RegionCode)
	}
	if len(groups) == 0 {
		b.WriteString("  (no results)\n")
	}
	return b.String()
}
