package search

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
)

// ScaledCatalog builds n docs from real item names for benchmarks and load
// runs: the names are repeated over the districts, county-level cities and
// towns of six Sichuan cities (5116 广安, 5101 成都, 5113 南充, 5111 乐山,
// 5117 达州, 5107 绵阳) and their city level, each name filed under the
// department that would implement it, with materials, FAQ, channels, themes,
// audience and a skewed popularity. The wording stays real; only the
// repetition is synthetic. The output is deterministic.
func ScaledCatalog(n int, seedNames []string) []Doc {
	if n <= 0 || len(seedNames) == 0 {
		return nil
	}
	units := scaleUnits()
	rng := rand.New(rand.NewPCG(2260, 511602))
	orgs := map[string]int64{}
	docs := make([]Doc, 0, n)
	for i := range n {
		name := seedNames[i%len(seedNames)]
		u := units[i/len(seedNames)%len(units)]
		dept := deptFor(name)
		orgName := u.name + dept.name
		if u.town {
			orgName = u.name + "便民服务中心"
		}
		orgID, ok := orgs[u.code+orgName]
		if !ok {
			orgID = int64(len(orgs) + 1)
			orgs[u.code+orgName] = orgID
		}
		h := hashString(name)
		d := Doc{
			ListingID:   int64(i + 1),
			ListingName: name,
			ItemName:    name,
			OrgID:       orgID,
			OrgName:     orgName,
			RegionCode:  u.code,
			Themes:      dept.themes,
			Audience:    audienceFor(name),
			Channels:    pick(rng, scaleChannels, 1, 3),
			Materials:   pick(rng, scaleMaterials, 2, 6),
			FAQ:         pick(rng, scaleFAQ, 0, 3),
			// Zipf-like: a few items are applied for everywhere, most rarely.
			Popularity: int64(float64(50000)/float64(1+h%997)*(0.5+rng.Float64())) / int64(1+i/len(seedNames)%7),
		}
		if a := aliasFor(name); a != "" {
			d.Aliases = []string{a}
		}
		docs = append(docs, d)
	}
	return docs
}

type scaleUnit struct {
	code, name string
	town       bool
}

// scaleUnits lists city level first, then counties, then towns, so that
// smaller catalogs still span several cities.
func scaleUnits() []scaleUnit {
	cities := []struct {
		code, name string
		counties   string // code:name pairs
	}{
		{"5116", "广安市", "02广安区 03前锋区 21岳池县 22武胜县 23邻水县 81华蓥市"},
		{"5101", "成都市", "04锦江区 05青羊区 06金牛区 07武侯区 08成华区 12龙泉驿区 13青白江区 14新都区 15温江区 16双流区 17郫都区 18新津区 21金堂县 29大邑县 31蒲江县 81都江堰市 82彭州市 83邛崃市 84崇州市 85简阳市"},
		{"5113", "南充市", "02顺庆区 03高坪区 04嘉陵区 21南部县 22营山县 23蓬安县 24仪陇县 25西充县 81阆中市"},
		{"5111", "乐山市", "02市中区 11沙湾区 12五通桥区 13金口河区 23犍为县 24井研县 26夹江县 29沐川县 81峨眉山市"},
		{"5117", "达州市", "02通川区 03达川区 22宣汉县 23开江县 24大竹县 25渠县 81万源市"},
		{"5107", "绵阳市", "03涪城区 04游仙区 05安州区 22三台县 23盐亭县 25梓潼县 81江油市"},
	}
	var city, county, town []scaleUnit
	for _, c := range cities {
		city = append(city, scaleUnit{code: c.code + "00000000", name: c.name})
		for _, f := range strings.Fields(c.counties) {
			code := c.code + f[:2]
			county = append(county, scaleUnit{code: code + "000000", name: f[2:]})
			for t := 1; t <= 6; t++ {
				town = append(town, scaleUnit{code: fmt.Sprintf("%s%03d000", code, t), name: fmt.Sprintf("%s第%d", f[2:], t), town: true})
			}
		}
	}
	return append(append(city, county...), town...)
}

type dept struct {
	name   string
	themes []string
}

// deptRules files an item under the department that implements it in a
// typical district, by the first keyword found in its name.
var deptRules = []struct {
	keywords string
	dept     dept
}{
	{"税 发票 纳税", dept{"税务局", []string{"行政缴费"}}},
	{"户口 身份证 居住证 护照 犬 爆炸 枪支 易制毒 剧毒 烟花爆竹 保安 旅馆 无犯罪 上网服务", dept{"公安分局", []string{"户籍办理", "证件办理", "公共安全"}}},
	{"医疗保险 医保 医疗费 门诊 定点医 参保人员 异地就医 生育医疗 生育津贴", dept{"医疗保障局", []string{"医疗卫生", "社会保障"}}},
	{"养老保险 失业 工伤 社会保险 社会保障卡 就业 退休 职业技能 劳动 人力资源 职称 社保", dept{"人社局", []string{"社会保障", "就业创业", "离职退休"}}},
	{"道路 运输 出租 公路 驾驶员 车辆 客运 货运 教练车 船舶 航道", dept{"交通运输局", []string{"交通出行"}}},
	{"建筑 施工 房屋 物业 燃气 商品房 建设工程 市政 城镇排水", dept{"住建局", []string{"住房保障", "规划建设"}}},
	{"不动产 土地 规划 测绘 矿 地质 建设用地 种子", dept{"自然资源和规划局", []string{"规划建设", "抵押质押"}}},
	{"林木 采伐 林地 野生 森林 木材", dept{"林业局", []string{"环保绿化"}}},
	{"食品 药品 医疗器械 计量 企业 个体工商户 股权 商标 特种设备 广告 市场主体", dept{"市场监管局", []string{"设立变更", "准营准办"}}},
	{"婚姻 结婚 离婚 低保 最低生活 养老机构 殡葬 社会组织 社会救助 特困 孤儿 残疾人护理 困难残疾人", dept{"民政局", []string{"婚姻登记", "社会救助"}}},
	{"出生 生育 医师 护士 医疗机构 卫生 职业病 计划生育 传染病", dept{"卫健局", []string{"生育收养", "医疗卫生"}}},
	{"教师 学校 学生 入学 教育 体育 运动员", dept{"教科体局", []string{"教育科研", "文化体育"}}},
	{"公证 律师 调解 法律援助 司法鉴定 基层法律", dept{"司法局", []string{"司法公证"}}},
	{"文物 演出 艺术品 旅行社 网吧 娱乐 广播电视 出版物 营业性 文化", dept{"文广旅局", []string{"文化体育", "旅游观光"}}},
	{"农 畜 兽 渔 拖拉机 收割机 农药 肥料 动物 饲料 蚕", dept{"农业农村局", []string{"农林牧渔"}}},
	{"环境 排污 辐射 危险废物 污染 放射", dept{"生态环境局", []string{"环保绿化"}}},
	{"水 河道 取水 防洪 灌溉 提灌", dept{"水务局", []string{"公用事业"}}},
	{"安全生产 危险化学品 烟花 应急 非煤", dept{"应急管理局", []string{"公共安全"}}},
	{"残疾", dept{"残联", []string{"社会救助"}}},
	{"退役 军人 优抚 烈士 伤残抚恤", dept{"退役军人事务局", []string{"优待抚恤"}}},
	{"烟草", dept{"烟草专卖局", []string{"准营准办"}}},
	{"气象 雷电 防雷", dept{"气象局", []string{"公共安全"}}},
}

var otherDept = dept{"行政审批局", []string{"其他"}}

func deptFor(name string) dept {
	for _, r := range deptRules {
		for _, k := range strings.Fields(r.keywords) {
			if strings.Contains(name, k) {
				return r.dept
			}
		}
	}
	return otherDept
}

// audienceFor guesses who applies: businesses for licences to operate,
// people for life events, both otherwise.
func audienceFor(name string) string {
	for _, k := range []string{"企业", "公司", "单位", "经营", "施工", "生产", "运输许可", "工程", "机构", "个体工商户"} {
		if strings.Contains(name, k) {
			return AudienceEntity
		}
	}
	for _, k := range []string{"个人", "居民", "出生", "婚姻", "结婚", "户口", "退休", "身份证", "学生", "残疾", "护照", "居住证", "生育", "教师资格"} {
		if strings.Contains(name, k) {
			return AudiencePerson
		}
	}
	return ""
}

// aliasFor gives some docs the alias an admin would add.
func aliasFor(name string) string {
	for _, r := range [][2]string{
		{"社会保障卡", "社保卡"}, {"居民身份证", "身份证"}, {"最低生活保障", "低保"},
		{"婚姻登记", "领结婚证"}, {"互联网上网服务营业场所", "网吧"}, {"巡游出租汽车", "出租车"},
		{"食品经营", "开饭店"}, {"建筑工程施工许可", "开工证"}, {"残疾人证", "残疾证"},
	} {
		if strings.Contains(name, r[0]) {
			return r[1]
		}
	}
	return ""
}

var scaleChannels = []string{"全程网办", "网上预审", "窗口办理", "自助终端", "掌上办", "邮寄办理"}

var scaleMaterials = []string{
	"申请书", "申请人身份证明", "法定代表人身份证明", "授权委托书及受托人身份证明",
	"营业执照（副本）复印件", "户口簿", "居民身份证", "结婚证", "不动产权证书",
	"房屋租赁合同", "经营场所使用证明", "建设工程规划许可证", "施工合同", "安全生产许可证",
	"劳动合同", "社会保险缴费证明", "出生医学证明", "近期免冠证件照", "银行账户信息",
	"医疗费用发票", "病历资料", "健康证明", "无犯罪记录证明", "学历证明",
	"专业技术资格证书", "机动车行驶证", "机动车驾驶证", "道路运输证", "环境影响评价文件",
	"消防验收意见书", "公司章程", "股东会决议", "项目可行性研究报告", "土地使用权证明",
	"村民委员会意见", "告知承诺书", "其他依法需要提交的材料",
}

var scaleFAQ = []string{
	"办理这个事项需要本人到场吗？全程网办的事项无需到场，其余事项需本人或受托人到窗口。",
	"可以委托他人代办吗？可以，受托人需携带授权委托书和双方身份证件。",
	"办理需要多长时间？材料齐全的，在承诺时限内办结，即办件当场办结。",
	"办理是否收费？本事项不收费。",
	"可以在网上办理吗？可以登录政务服务网或掌上办应用在线申请。",
	"材料不齐全怎么办？非关键材料可以容缺受理，在约定时间内补齐。",
	"办理结果怎么领取？可以到窗口领取，也可以选择免费邮寄送达。",
	"证件遗失了怎么办？可以先挂失，再申请补领。",
	"办理进度在哪里查询？可以凭受理编号在政务服务网查询。",
	"外地户籍可以办理吗？符合条件的可以跨域通办。",
}

// pick returns between lo and hi distinct entries of pool.
func pick(rng *rand.Rand, pool []string, lo, hi int) []string {
	n := lo + rng.IntN(hi-lo+1)
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for _, i := range rng.Perm(len(pool))[:n] {
		out = append(out, pool[i])
	}
	return out
}

func hashString(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}
