package catalog

import (
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

func TestCompareIdenticalHasNoDifferences(t *testing.T) {
	t.Parallel()
	std := sampleListing()
	same := sampleListing()
	same.Code, same.OrgName, same.RegionCode = "X-1", "前锋区行政审批局", "511603000000"
	same.Name = "食品经营许可 (新办)"    // half-width brackets and a space mean the same
	same.Materials[0].Key = "z9" // keys are local to a listing
	if d := Compare(std, []tongban.Listing{same}); len(d) != 0 {
		t.Fatalf("want no differences, got %+v", d)
	}
}

func TestCompareFindsEachAspect(t *testing.T) {
	t.Parallel()
	std := sampleListing()
	d := sampleListing()
	d.Code, d.OrgName = "D-2", "岳池县行政审批局"
	d.Name = "食品经营许可证核发"
	d.PromisedDays = 15
	d.Conditions = []string{d.Conditions[0], "申请人无不良信用记录"}
	d.Materials = append(d.Materials[:1:1], d.Materials[2:]...) // drop 营业执照
	d.Materials[0].Copies = 2
	d.Materials[1].Form = tongban.FormCopy
	d.Materials = append(d.Materials, tongban.Material{Key: "m9", Name: "房屋租赁合同", Required: tongban.MaterialRequired})
	d.Steps = d.Steps[:3]
	d.Steps[1].Days = 8

	ok := sampleListing()
	ok.Code = "D-3"
	other := sampleListing()
	other.ItemCode = "511A9999"
	diffs := Compare(std, []tongban.Listing{ok, d, other})

	want := map[string]bool{
		"name": false, "promised_days": false, "conditions-": false, "conditions+": false,
		"materials[营业执照]-": false, "materials[食品经营许可申请书].copies": false,
		"materials[授权委托书].form": false, "materials[房屋租赁合同]+": false, "steps": false, "steps[1]": false,
	}
	items := 0
	for _, x := range diffs {
		if x.Index == 0 {
			t.Fatalf("identical listing reported: %+v", x)
		}
		if x.Index == 2 {
			if x.Aspect != AspectItem {
				t.Fatalf("another item's listing: %+v", x)
			}
			items++
			continue
		}
		if x.Listing != "D-2" || x.OrgName != "岳池县行政审批局" || x.Message == "" {
			t.Fatalf("difference must name the listing: %+v", x)
		}
		key := x.Field
		switch {
		case x.Standard == "" && (x.Aspect == AspectConditions || x.Aspect == AspectMaterials):
			key += "+"
		case x.Actual == "" && (x.Aspect == AspectConditions || x.Aspect == AspectMaterials):
			key += "-"
		}
		if _, ok := want[key]; !ok {
			t.Fatalf("unexpected difference %q: %+v", key, x)
		}
		want[key] = true
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("missing difference %s in %+v", k, diffs)
		}
	}
	if items != 1 {
		t.Errorf("want one item mismatch, got %d", items)
	}
}

// Each case changes one element the 三统一 comparison must see (or, with no
// field, one that must not count as a difference) and expects exactly that.
func TestCompareSourceFeesTripsDepthAndFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name             string
		change           func(std, o *tongban.Listing)
		aspect           Aspect // "" = no difference
		field            string
		standard, actual string
		message          string // a part of the message
	}{
		{"fetched material made the applicant's", func(_, o *tongban.Listing) { o.Materials[1].Source = tongban.SourceApplicant },
			AspectMaterials, "materials[营业执照].source", "电子证照", "申请人自备", "标准通过电子证照获取、申请人无需提交，本清单却要求申请人自备"},
		{"shared data material from an intermediary", func(_, o *tongban.Listing) { o.Materials[4].Source = tongban.SourceAgency },
			AspectMaterials, "materials[外资准入特别审批文件].source", "共享数据", "中介机构", "标准通过共享数据获取、申请人无需提交，本清单却要求申请人向中介机构取得后提交"},
		{"another fetched source", func(_, o *tongban.Listing) { o.Materials[4].Source = tongban.SourceGovernment },
			AspectMaterials, "materials[外资准入特别审批文件].source", "共享数据", "政府部门核发", "来源不同（标准共享数据，本清单政府部门核发）"},
		{"applicant's material fetched", func(_, o *tongban.Listing) { o.Materials[0].Source = tongban.SourceShared },
			AspectMaterials, "materials[食品经营许可申请书].source", "申请人自备", "共享数据", "来源不同"},
		{"source left out", func(_, o *tongban.Listing) { o.Materials[1].Source = "" },
			AspectMaterials, "materials[营业执照].source", "电子证照", "未填写", "来源不同（标准电子证照，本清单未填写）"},
		{"other fee amount", func(_, o *tongban.Listing) { o.Fees[0].Standard = "20元/本" },
			AspectFees, "fees[工本费].standard", "10元/本", "20元/本", "收费标准不同（标准10元/本，本清单20元/本）"},
		{"standard fee dropped", func(_, o *tongban.Listing) { o.Fees = nil },
			AspectFees, "fees[工本费]", "工本费", "", "缺少标准收费项目：工本费"},
		{"extra fee", func(_, o *tongban.Listing) {
			o.Fees = append(o.Fees, tongban.Fee{Item: "加急费", Standard: "50元", Basis: "县发改〔2020〕3号"})
		}, AspectFees, "fees[加急费]", "", "加急费", "增加了标准以外的收费项目：加急费"},
		{"charging for a free item", func(std, _ *tongban.Listing) { std.Fees = nil },
			AspectFees, "fees[工本费]", "", "工本费", "标准不收费，本清单却收取：工本费"},
		{"fee wording only", func(_, o *tongban.Listing) { o.Fees[0].Item, o.Fees[0].Standard = "工本费。", "10 元/本" }, "", "", "", "", ""},
		{"fee basis wording only", func(_, o *tongban.Listing) { o.Fees[0].Basis = "川价费[2019]12号文件" }, "", "", "", "", ""},
		{"fees in another order", func(std, o *tongban.Listing) {
			std.Fees = append(std.Fees, tongban.Fee{Item: "证书邮寄费", Standard: "到付", Basis: "快递协议"})
			o.Fees = []tongban.Fee{std.Fees[1], std.Fees[0]}
		}, "", "", "", "", ""},
		{"more trips", func(_, o *tongban.Listing) { o.Trips = 2 },
			AspectTrips, "trips", "1", "2", "到办事现场次数与标准不一致（标准1次，本清单2次）"},
		{"shallower online depth", func(_, o *tongban.Listing) { o.OnlineDepth = tongban.DepthOnSite },
			AspectOnline, "online_depth", "网上申请+现场核验", "现场办理", "办理深度与标准不一致（标准网上申请+现场核验，本清单现场办理）"},
		{"online depth left out", func(_, o *tongban.Listing) { o.OnlineDepth = "" },
			AspectOnline, "online_depth", "网上申请+现场核验", "未填写", "本清单未填写"},
		{"no 最多跑一次", func(_, o *tongban.Listing) { o.Flags.MostOneTrip = false },
			AspectFlags, "flags.most_one_trip", "是", "否", "标准提供“最多跑一次”，本清单未提供"},
		{"no 容缺受理", func(_, o *tongban.Listing) { o.Flags.TolerantAcceptance = false },
			AspectFlags, "flags.tolerant_acceptance", "是", "否", "标准提供“容缺受理”，本清单未提供"},
		{"own 告知承诺", func(_, o *tongban.Listing) { o.Flags.Commitment = true },
			AspectFlags, "flags.commitment", "否", "是", "本清单提供“告知承诺”，标准未提供"},
		{"no 跨域通办", func(std, _ *tongban.Listing) { std.Flags.CrossRegion = true },
			AspectFlags, "flags.cross_region", "是", "否", "标准提供“跨域通办”，本清单未提供"},
		{"no 物流快递", func(_, o *tongban.Listing) { o.Flags.Express = false },
			AspectFlags, "flags.express", "是", "否", "标准提供“物流快递”，本清单未提供"},
		{"no 预约办理", func(_, o *tongban.Listing) { o.Flags.Appointment = false },
			AspectFlags, "flags.appointment", "是", "否", "标准提供“预约办理”，本清单未提供"},
		{"same flags set both ways", func(std, o *tongban.Listing) {
			std.Flags.Commitment, o.Flags.Commitment = true, true
			std.Flags.CrossRegion, o.Flags.CrossRegion = true, true
		}, "", "", "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			std, o := sampleListing(), sampleListing()
			o.Code, o.OrgName, o.RegionCode = "X-1", "武胜县行政审批局", "511622000000"
			tc.change(&std, &o)
			diffs := Compare(std, []tongban.Listing{o})
			if tc.aspect == "" {
				if len(diffs) != 0 {
					t.Fatalf("want no differences, got %+v", diffs)
				}
				return
			}
			if len(diffs) != 1 {
				t.Fatalf("want one difference, got %+v", diffs)
			}
			d := diffs[0]
			if d.Aspect != tc.aspect || d.Field != tc.field || d.Standard != tc.standard || d.Actual != tc.actual ||
				d.Listing != "X-1" || d.OrgName != "武胜县行政审批局" || d.Region != "511622000000" {
				t.Fatalf("got %+v\nwant aspect %s field %s standard %q actual %q", d, tc.aspect, tc.field, tc.standard, tc.actual)
			}
			if !strings.Contains(d.Message, tc.message) {
				t.Fatalf("message %q should contain %q", d.Message, tc.message)
			}
		})
	}
}
