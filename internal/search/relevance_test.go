package search

import (
	"fmt"
	"strings"
	"testing"
)

// TestRelevance is the citizen's view: each query must bring the right
// listing into the top 3 of the fixture (广安区's real catalog plus
// well-known items elsewhere). A hit is right if its listing name is one of
// want and, when region is set, its region code starts with it.
func TestRelevance(t *testing.T) {
	ix := fixture(t)
	const guangan = "511602000000"
	cases := []struct {
		name   string
		q      Query
		want   []string
		region string
	}{
		// Plain Chinese.
		{"name", Query{Text: "营业执照"}, []string{"个体工商户设立登记（营业执照办理）"}, ""},
		{"name exact", Query{Text: "食品经营许可证核发"}, []string{"食品经营许可证核发"}, ""},
		{"name prefix", Query{Text: "食品经营许可"}, []string{"食品经营许可证核发"}, ""},
		{"sub-item", Query{Text: "建筑工程施工许可"}, []string{"建筑工程施工许可证核发"}, ""},
		{"transfer", Query{Text: "不动产转移登记"}, []string{"不动产转移登记"}, ""},
		{"birth cert", Query{Text: "出生医学证明"}, []string{"《出生医学证明》办理", "《出生医学证明》首次签发"}, ""},
		{"marriage", Query{Text: "结婚登记"}, []string{"内地居民结婚登记", "结婚登记预约", "中国内地公民婚姻登记"}, ""},
		{"provident fund", Query{Text: "公积金提取"}, []string{"住房公积金提取（购房、租房、退休）"}, ""},
		{"teacher", Query{Text: "教师资格证"}, []string{"教师资格认定", "教师资格证书补发、换发", "教师资格证相关政策咨询"}, ""},
		{"logging", Query{Text: "林木采伐"}, []string{"林木采伐许可证核发（县级权限）"}, ""},
		{"two words", Query{Text: "社会保障卡 补领"}, []string{"社会保障卡补领、换领、换发"}, ""},
		{"question", Query{Text: "身份证丢了怎么办"}, []string{"居民身份证补领", "居民身份证挂失申报、丢失招领"}, ""},

		// Materials and FAQ (full text beyond the names).
		{"material", Query{Text: "施工图设计文件审查合格书"}, []string{"建筑工程施工许可证核发"}, ""},
		{"FAQ", Query{Text: "认缴登记制"}, []string{"企业设立登记"}, ""},
		{"FAQ and name", Query{Text: "租房提取公积金"}, []string{"住房公积金提取（购房、租房、退休）"}, ""},

		// Full pinyin, with and without spaces; initials.
		{"pinyin", Query{Text: "yingyezhizhao"}, []string{"个体工商户设立登记（营业执照办理）"}, ""},
		{"pinyin spaced", Query{Text: "ying ye zhi zhao"}, []string{"个体工商户设立登记（营业执照办理）"}, ""},
		{"pinyin words", Query{Text: "hunyin dengji"}, []string{"中国内地公民婚姻登记", "内地居民结婚登记"}, ""},
		{"pinyin polyphone 长", Query{Text: "changqi juzhu"}, []string{"异地长期居住人员备案"}, ""},
		{"pinyin polyphone 调", Query{Text: "tiaojie"}, []string{"矛盾纠纷人民调解申请", "人民调解业务信息查询", "消费纠纷调解", "人民调解员补贴发放"}, ""},
		{"pinyin polyphone 行", Query{Text: "xingzheng fuyi"}, []string{"行政复议申请"}, ""},
		{"pinyin polyphone 银行", Query{Text: "yinhang"}, []string{"企业开办一件事（银行预约开户）"}, ""},
		{"pinyin polyphone 重庆", Query{Text: "chongqing"}, []string{"川渝通办·重庆户籍迁入四川"}, ""},
		{"initials", Query{Text: "yyzz"}, []string{"个体工商户设立登记（营业执照办理）"}, ""},
		{"initials food", Query{Text: "spjyxk"}, []string{"食品经营许可证核发"}, ""},
		{"initials 单位", Query{Text: "dwcbzm"}, []string{"单位参保证明查询打印"}, ""},
		{"initials long", Query{Text: "jzgcsgxkz"}, []string{"建筑工程施工许可证核发"}, ""},
		{"initials of a synonym", Query{Text: "sbk"}, []string{"社会保障卡申领"}, ""},
		{"pinyin of a synonym", Query{Text: "kaifandian"}, []string{"食品经营许可证核发"}, ""},

		// Colloquial (synonyms and aliases).
		{"colloquial 开饭店", Query{Text: "开饭店"}, []string{"食品经营许可证核发"}, ""},
		{"colloquial 生孩子", Query{Text: "生孩子"}, []string{"生育登记", "《出生医学证明》办理", "《出生医学证明》首次签发"}, ""},
		{"colloquial 社保卡", Query{Text: "社保卡"}, []string{"社会保障卡申领"}, ""},
		{"colloquial 办执照", Query{Text: "办执照"}, []string{"个体工商户设立登记（营业执照办理）"}, ""},
		{"colloquial 房产过户", Query{Text: "房产过户"}, []string{"不动产转移登记"}, ""},
		{"colloquial 换驾照", Query{Text: "换驾照"}, []string{"机动车驾驶证有效期满换证"}, ""},
		{"colloquial 取公积金", Query{Text: "取公积金"}, []string{"住房公积金提取（购房、租房、退休）"}, ""},
		{"colloquial 良民证", Query{Text: "良民证"}, []string{"无犯罪记录证明开具", "无犯罪记录证明"}, ""},
		{"colloquial 低保", Query{Text: "低保"}, []string{"最低生活保障", "最低生活保障对象认定"}, ""},
		{"colloquial 宝宝上户口", Query{Text: "宝宝上户口"}, []string{"出生登记（新生儿入户）"}, ""},
		{"colloquial 个税退税", Query{Text: "个税退税"}, []string{"个人所得税综合所得汇算清缴"}, ""},
		{"colloquial 办退休", Query{Text: "办退休"}, []string{"职工正常退休（退职）核准"}, ""},

		// One wrong, missing or extra character.
		{"typo 营业执招", Query{Text: "营业执招"}, []string{"个体工商户设立登记（营业执照办理）"}, ""},
		{"typo 食品经荣", Query{Text: "食品经荣许可"}, []string{"食品经营许可证核发"}, ""},
		{"typo 婚姻登计", Query{Text: "婚姻登计"}, []string{"中国内地公民婚姻登记"}, ""},
		{"typo in the middle 营页执照", Query{Text: "营页执照"}, []string{"个体工商户设立登记（营业执照办理）"}, ""},
		{"typo in the middle 营业只照", Query{Text: "营业只照"}, []string{"个体工商户设立登记（营业执照办理）"}, ""},
		{"typo in the middle 公基金", Query{Text: "住房公基金提取"}, []string{"住房公积金提取（购房、租房、退休）"}, ""},
		{"typo in the middle 工城", Query{Text: "建筑工城施工许可"}, []string{"建筑工程施工许可证核发"}, ""},
		{"missing char", Query{Text: "出生医证明"}, []string{"《出生医学证明》办理", "《出生医学证明》首次签发"}, ""},
		{"extra char", Query{Text: "居民身份证证补领"}, []string{"居民身份证补领"}, ""},
		{"missing char long", Query{Text: "建筑工程施许可证"}, []string{"建筑工程施工许可证核发"}, ""},

		// Region: the citizen's own listings first; filters.
		{"near: same region", Query{Text: "食品经营许可证核发", UserRegion: "510104000000"}, []string{"食品经营许可证核发"}, "510104"},
		{"near: same city", Query{Text: "食品经营许可证核发", UserRegion: guangan}, []string{"食品经营许可证核发"}, "5116"},
		{"near: exact elsewhere beats a near miss here", Query{Text: "居民身份证换领", UserRegion: guangan}, []string{"居民身份证换领"}, "511102"},
		{"near: retirement", Query{Text: "退休", UserRegion: guangan}, []string{"企业职工基本养老保险正常退休申请", "企业职工基本养老保险提前退休申请", "机关事业单位新增退休人员基础信息申报"}, guangan},
		{"filter: city", Query{Text: "社保卡", Region: "5113"}, []string{"社会保障卡申领"}, "5113"},
		{"filter: city code", Query{Text: "施工许可证", Region: "510100000000"}, []string{"建筑工程施工许可证核发"}, "5101"},
		{"filter: district", Query{Text: "施工许可证", Region: guangan}, []string{"建筑工程施工许可证核发"}, guangan},

		// Audience.
		{"audience 法人", Query{Text: "社会保险登记", Audience: AudienceEntity}, []string{"用人单位社会保险登记", "企业社会保险登记", "企业职工基本养老保险参保登记"}, ""},
		{"audience 个人", Query{Text: "社会保险参保登记", Audience: AudiencePerson}, []string{"灵活就业人员社会保险参保登记"}, ""},
	}
	failed := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := ix.Search(Query{Text: c.q.Text, UserRegion: c.q.UserRegion, Region: c.q.Region, Audience: c.q.Audience, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				if contains(c.want, h.ListingName) && strings.HasPrefix(h.RegionCode, c.region) {
					return
				}
			}
			failed++
			t.Errorf("%q: want one of %q (region %q) in the top 3, got:\n%s", c.q.Text, c.want, c.region, describe(res))
		})
	}
	t.Logf("%d/%d queries found the right listing in the top 3", len(cases)-failed, len(cases))
}

func describe(res Result) string {
	var b strings.Builder
	for i, h := range res.Hits {
		fmt.Fprintf(&b, "  %d. [%d] %s (%s, %s) %.3f  %s\n", i+1, h.ListingID, h.ListingName, h.OrgName, h.RegionCode, h.Score, h.Snippet)
	}
	fmt.Fprintf(&b, "  total %d", res.Total)
	return b.String()
}
