package web

import (
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/identity"
)

// catalogRuleLabels name the quality rules in plain words.
var catalogRuleLabels = map[string]string{
	catalog.RuleInvalid:               "要素格式错误",
	catalog.RuleRequired:              "必填要素缺失",
	catalog.RuleItemMismatch:          "清单与事项不符",
	catalog.RuleLegalBasis:            "缺少设定依据",
	catalog.RulePromisedOverStatutory: "承诺时限超过法定时限",
	catalog.RulePromisedOverHalf:      "承诺时限超过法定时限的一半",
	catalog.RuleInstantPromised:       "即办件承诺时限应为0",
	catalog.RuleStepsMax:              "办理环节超过4个",
	catalog.RuleStepsDays:             "环节时限之和超过承诺时限",
	catalog.RuleStepsMissing:          "缺少办理流程",
	catalog.RuleMaterialsMissing:      "没有申请材料",
	catalog.RuleReviewCriteria:        "材料缺少审核准则",
	catalog.RuleCatchAllMaterial:      "兜底性材料",
	catalog.RuleCatchAllCondition:     "兜底性受理条件",
	catalog.RuleFeeBasis:              "收费缺少标准或依据",
	catalog.RuleContact:               "地点、时间或电话缺失",
	catalog.RuleSituationReachable:    "情形引用不存在的材料或问题",
	catalog.RuleConditionalUnused:     "依情形材料没有情形引用",
	catalog.RuleTripsFlags:            "到现场次数与办理方式矛盾",
	catalog.RuleResultMissing:         "未写明办理结果",
	catalog.RuleLicenseTypeUnknown:    "结果证照类型不存在",
}

func init() {
	funcs["catalogField"] = catalog.FieldLabel
	funcs["catalogRule"] = func(rule string) string {
		if s, ok := catalogRuleLabels[rule]; ok {
			return s
		}
		return rule
	}
}

type catalogQualityPage struct {
	catalogBase
	Region, Status string
	Regions        []*tongban.Region
	Report         *catalog.QualityReport
	Rules          []catalogRuleCount
	RegionNames    map[string]string
}

type catalogRuleCount struct {
	Rule  string
	Count int
}

// catalogQuality is 清单质检: every listing the member may edit checked
// against the rules, totals per rule, and each listing with issues.
func (w *Web) catalogQuality(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := r.URL.Query()
	p := catalogQualityPage{catalogBase: w.catalogBase(rw, r, u, "清单质检", "quality"), Region: v.Get("region"), Status: v.Get("status")}
	f := catalog.ReportFilter{Region: p.Region}
	if p.Status != "" {
		st, ok := tongban.ParseListingStatus(p.Status)
		if !ok {
			return tongban.FieldError("status", "状态无效：%s", p.Status)
		}
		f.Status = st
	}
	if p.Report, err = w.Catalog.CheckReport(ctx, w.request(r), f); err != nil {
		return err
	}
	for _, rule := range []string{catalog.RuleInvalid, catalog.RuleRequired, catalog.RuleItemMismatch, catalog.RuleLegalBasis,
		catalog.RulePromisedOverStatutory, catalog.RulePromisedOverHalf, catalog.RuleInstantPromised, catalog.RuleStepsMax,
		catalog.RuleStepsDays, catalog.RuleStepsMissing, catalog.RuleMaterialsMissing, catalog.RuleReviewCriteria,
		catalog.RuleCatchAllMaterial, catalog.RuleCatchAllCondition, catalog.RuleFeeBasis, catalog.RuleContact,
		catalog.RuleSituationReachable, catalog.RuleConditionalUnused, catalog.RuleTripsFlags, catalog.RuleResultMissing,
		catalog.RuleLicenseTypeUnknown} {
		if n := p.Report.ByRule[rule]; n > 0 {
			p.Rules = append(p.Rules, catalogRuleCount{Rule: rule, Count: n})
		}
	}
	if p.RegionNames, err = w.regionNames(ctx); err != nil {
		return err
	}
	if p.Regions, err = w.catalogRegions(r); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "catalog_quality", p)
}

// catalogRegions are the city and its districts, for the region filters.
func (w *Web) catalogRegions(r *http.Request) ([]*tongban.Region, error) {
	regions, err := w.Store.Regions(r.Context(), "")
	if err != nil {
		return nil, err
	}
	var out []*tongban.Region
	for _, reg := range regions {
		if reg.Level == tongban.LevelCity || reg.Level == tongban.LevelCounty {
			out = append(out, reg)
		}
	}
	return out, nil
}

type catalogConsistencyPage struct {
	catalogBase
	Item        string // 基本编码 asked for; "" lists every item
	Region      string
	Regions     []*tongban.Region
	Summary     []catalogConsistencyRow
	Tables      []catalogDiffTable
	RegionNames map[string]string
}

type catalogConsistencyRow struct {
	catalog.ItemConsistency
	Differing int // district listings that differ
}

// catalogDiffTable is one item's 三统一 comparison: a row per element that
// differs somewhere, a column per district listing, the city standard first.
type catalogDiffTable struct {
	catalog.ItemConsistency
	Columns []catalog.ListingRef
	Rows    []catalogDiffRow
}

type catalogDiffRow struct {
	Aspect   string
	Field    string
	Standard string
	Cells    []catalogDiffCell
}

type catalogDiffCell struct {
	Differs bool
	Text    string
}

var catalogAspectLabels = map[catalog.Aspect]string{
	catalog.AspectItem: "事项", catalog.AspectName: "名称", catalog.AspectTime: "时限", catalog.AspectConditions: "受理条件",
	catalog.AspectMaterials: "申请材料", catalog.AspectProcess: "办理流程", catalog.AspectFees: "收费",
	catalog.AspectTrips: "到现场次数", catalog.AspectOnline: "办理深度", catalog.AspectFlags: "改革标识",
}

// catalogConsistency is 三统一: without an item, how many district listings
// of each item depart from the city standard; with one, the comparison
// table with the differences highlighted.
func (w *Web) catalogConsistency(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := r.URL.Query()
	p := catalogConsistencyPage{catalogBase: w.catalogBase(rw, r, u, "三统一比对", "consistency"),
		Item: strings.TrimSpace(v.Get("item")), Region: v.Get("region")}
	reports, err := w.Catalog.ConsistencyReport(ctx, w.request(r), p.Item, p.Region)
	if err != nil {
		return err
	}
	if p.RegionNames, err = w.regionNames(ctx); err != nil {
		return err
	}
	if p.Regions, err = w.catalogRegions(r); err != nil {
		return err
	}
	for _, ic := range reports {
		if p.Item == "" {
			p.Summary = append(p.Summary, catalogConsistencyRow{ItemConsistency: ic, Differing: len(ic.Listings) - ic.Aligned})
			continue
		}
		p.Tables = append(p.Tables, diffTable(ic))
	}
	return w.render(rw, r, http.StatusOK, "catalog_consistency", p)
}

func diffTable(ic catalog.ItemConsistency) catalogDiffTable {
	t := catalogDiffTable{ItemConsistency: ic, Columns: ic.Listings}
	row := map[string]int{}
	for _, d := range ic.Differences {
		key := string(d.Aspect) + "\x00" + d.Field
		i, ok := row[key]
		if !ok {
			i = len(t.Rows)
			row[key] = i
			t.Rows = append(t.Rows, catalogDiffRow{Aspect: catalogAspectLabels[d.Aspect], Field: d.Field, Standard: d.Standard,
				Cells: make([]catalogDiffCell, len(ic.Listings))})
		}
		if d.Index >= 0 && d.Index < len(ic.Listings) {
			text := d.Actual
			if text == "" {
				text = d.Message
			}
			t.Rows[i].Cells[d.Index] = catalogDiffCell{Differs: true, Text: text}
		}
	}
	return t
}
