package bench

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/tongban/tongban/internal/search"
)

// SeedItem is one row of the shared 广安区 catalog CSV: an item's name and
// type.
type SeedItem struct {
	Name string
	Type string // 行政许可, 公共服务…; may be empty
}

// ReadSeedItems reads the item_name and item_type columns of the shared
// 广安区 catalog CSV.
func ReadSeedItems(path string) ([]SeedItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	name, typ := -1, -1
	if len(recs) > 0 {
		for i, h := range recs[0] {
			switch h {
			case "item_name":
				name = i
			case "item_type":
				typ = i
			}
		}
	}
	if name < 0 {
		return nil, fmt.Errorf("%s: no item_name column", path)
	}
	items := make([]SeedItem, 0, len(recs)-1)
	for _, r := range recs[1:] {
		it := SeedItem{Name: r[name]}
		if typ >= 0 {
			it.Type = r[typ]
		}
		items = append(items, it)
	}
	return items, nil
}

// ScaledRegion is a region the scaled catalog's listings belong to.
type ScaledRegion struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// itemTypes are the 事项类型 the importer accepts.
var itemTypes = []string{"行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认", "行政奖励", "行政裁决", "其他行政权力", "公共服务"}

var catalogHeader = []string{"基本编码", "事项名称", "事项类型", "设定依据", "法定时限", "服务对象", "个人主题", "法人主题", "别名",
	"实施编码", "实施部门", "行政区划", "办件类型", "承诺时限", "受理条件", "办理流程", "收费", "办理地点", "办理时间", "咨询电话", "监督投诉电话",
	"到现场次数", "办理深度", "最多跑一次", "物流快递", "预约办理", "结果名称", "结果类型", "申请材料", "常见问题"}

// WriteScaledCatalog writes n listings scaled from the seed items in the
// layout of `tongban import` (docs/catalog-columns.md), each complete
// enough to pass the quality check and be published, and returns the
// regions they belong to, parents first. The listings are those of
// search.ScaledCatalog (the same names, departments, regions, aliases,
// audiences, themes, materials and FAQ), so the search scenario measures
// the catalog internal/search's own benchmark is built on, stored through
// the importer.
func WriteScaledCatalog(w io.Writer, n int, seed []SeedItem) ([]ScaledRegion, error) {
	names := make([]string, len(seed))
	types := map[string]string{}
	codes := map[string]string{} // item name → 基本编码
	for i, s := range seed {
		names[i] = s.Name
		if _, ok := codes[s.Name]; !ok {
			codes[s.Name] = fmt.Sprintf("BENCH%05d", len(codes)+1)
			types[s.Name] = s.Type
			if !slices.Contains(itemTypes, s.Type) {
				types[s.Name] = "公共服务"
			}
		}
	}
	docs := search.ScaledCatalog(n, names)
	cw := csv.NewWriter(w)
	if err := cw.Write(catalogHeader); err != nil {
		return nil, err
	}
	orgsIn := map[string][]string{} // region → its departments' names
	for i, d := range docs {
		if !slices.Contains(orgsIn[d.RegionCode], d.OrgName) {
			orgsIn[d.RegionCode] = append(orgsIn[d.RegionCode], d.OrgName)
		}
		if err := cw.Write(scaledRow(i, d, codes[d.ItemName], types[d.ItemName])); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	var regions []ScaledRegion
	for code, orgs := range orgsIn {
		regions = append(regions, ScaledRegion{Code: code, Name: unitName(orgs)})
	}
	// Parents first: cities (…00000000), counties (…000000), towns.
	sort.Slice(regions, func(i, j int) bool {
		li, lj := regionDepth(regions[i].Code), regionDepth(regions[j].Code)
		if li != lj {
			return li < lj
		}
		return regions[i].Code < regions[j].Code
	})
	return regions, nil
}

func regionDepth(code string) int {
	return len(strings.TrimRight(code, "0"))
}

// unitName is the region's name, the common prefix of its departments'
// names (广安市 of 广安市税务局 and 广安市公安分局; a town has one
// 便民服务中心).
func unitName(orgs []string) string {
	p := []rune(orgs[0])
	for _, o := range orgs[1:] {
		r := []rune(o)
		k := 0
		for k < len(p) && k < len(r) && p[k] == r[k] {
			k++
		}
		p = p[:k]
	}
	name := strings.TrimSuffix(string(p), "便民服务中心")
	if name == "" {
		return orgs[0]
	}
	return name
}

// scaledRow is listing i of the scaled catalog as an import row.
func scaledRow(i int, d search.Doc, itemCode, itemType string) []string {
	audience, personThemes, entityThemes := "个人和法人", "", ""
	switch d.Audience {
	case search.AudiencePerson:
		audience, personThemes = "个人", strings.Join(d.Themes, "、")
	case search.AudienceEntity:
		audience, entityThemes = "法人", strings.Join(d.Themes, "、")
	default:
		personThemes = strings.Join(d.Themes, "、")
	}
	depth, trips := "现场办理", "1"
	switch {
	case slices.Contains(d.Channels, "全程网办"):
		depth, trips = "全程网办", "0"
	case slices.Contains(d.Channels, "网上预审"):
		depth = "网上预审"
	}
	var mats []string
	for _, m := range d.Materials {
		if strings.Contains(m, "其他") { // 兜底 wording fails the quality check
			continue
		}
		mats = append(mats, fmt.Sprintf("m%d|%s|必要|原件|1|其他|申请人自备|否|内容完整、真实有效，与申请事项一致", len(mats)+1, esc(m)))
	}
	if len(mats) == 0 {
		mats = append(mats, "m1|申请书|必要|原件|1|表格|申请人自备|否|填写完整并签字")
	}
	var faq []string
	for _, f := range d.FAQ {
		q, a, ok := strings.Cut(f, "？")
		if !ok {
			continue
		}
		faq = append(faq, esc(q+"？")+"|"+esc(a))
	}
	return []string{
		itemCode, d.ItemName, itemType, "《四川省政务服务管理办法》", "20", audience, personThemes, entityThemes,
		strings.Join(d.Aliases, "、"),
		fmt.Sprintf("%s-%s-%06d", itemCode, d.RegionCode, i+1), d.OrgName, d.RegionCode, "承诺件", "5",
		"申请人符合法律法规规定的条件", "受理|受理|1\n审查|审查|2\n决定|决定|1\n办结|办结|1", "不收费",
		d.OrgName + "政务服务窗口", "工作日 上午9:00—12:00，下午13:30—17:00", "0826-2300000", "12345",
		trips, depth, "是", yesNo(slices.Contains(d.Channels, "邮寄办理")), yesNo(slices.Contains(d.Channels, "掌上办")),
		"办理结果通知书", "其他", strings.Join(mats, "\n"), strings.Join(faq, "\n"),
	}
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// esc escapes the import layout's field separators inside a cell line.
func esc(s string) string {
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, ";", `\;`).Replace(s)
}

// SearchQueries is the query mix of GET /api/v1/search: names, parts of
// names, pinyin, initials, colloquial phrases, typos, filters, a
// citizen's region (near), very common characters and a browse page (as
// in internal/search's benchmark).
var SearchQueries = []url.Values{
	q("居民身份证"), q("社会保障卡补领"), q("户口迁移", "near", "511602000000"), q("食品经营"),
	q("建筑工程施工许可证核发"), q("婚姻登记", "near", "510107000000"), q("出生医学证明"),
	q("退休", "near", "511302000000"), q("残疾人证"), q("教师资格认定", "region", "5101"),
	q("jumin shenfenzheng"), q("shehuibaozhangka"), q("hunyindengji"), q("sbk"), q("jmsfz"), q("spjy"),
	q("开饭店"), q("社保"), q("生孩子"), q("身份证丢了怎么办"), q("营业执招"), q("食品经荣"), q("婚姻登计"),
	q("居民身份证证补领"), q("林木采伐", "region", "5101"), q("失业保险金", "audience", search.AudiencePerson),
	q("发票", "near", "510107000000"), q("许可"), q("证"), q("网约车"),
	q("", "region", "5116", "near", "511602000000"), // browse page
}

func q(text string, kv ...string) url.Values {
	v := url.Values{}
	if text != "" {
		v.Set("q", text)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}
