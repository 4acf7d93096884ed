package catalog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
)

// Aspect names what differs between a standard listing and another one.
type Aspect string

const (
	AspectItem       Aspect = "item"       // not the same item at all
	AspectName       Aspect = "name"       // 事项名称
	AspectTime       Aspect = "time"       // 承诺时限 or 办件类型
	AspectConditions Aspect = "conditions" // 受理条件
	AspectMaterials  Aspect = "materials"  // 申请材料
	AspectProcess    Aspect = "process"    // 办理流程
	AspectFees       Aspect = "fees"       // 收费
	AspectTrips      Aspect = "trips"      // 到办事现场次数
	AspectOnline     Aspect = "online"     // 网上办理深度
	AspectFlags      Aspect = "flags"      // 最多跑一次、容缺受理、告知承诺、跨域通办、物流快递、预约办理
)

// Difference is one way a listing departs from the city standard (三统一:
// the same item is named, timed, conditioned, documented, processed, charged
// and served — trips, online depth, reform promises — the same everywhere).
type Difference struct {
	Index    int    `json:"index"`   // position of the listing in others
	Listing  string `json:"listing"` // its 实施编码
	OrgName  string `json:"org_name"`
	Region   string `json:"region_code"`
	Aspect   Aspect `json:"aspect"`
	Field    string `json:"field"` // e.g. materials[营业执照].copies
	Standard string `json:"standard,omitempty"`
	Actual   string `json:"actual,omitempty"`
	Message  string `json:"message"`
}

// Compare lists, per listing in others, where it differs from the standard.
// Materials, conditions and fees are matched by their normalized wording,
// since keys are local to each listing; steps are compared in order. A
// material's necessity, form, copies and source (申请人自备 vs 共享数据,
// 电子证照…) are compared, as are 到办事现场次数, 办理深度 and each flag.
func Compare(standard tongban.Listing, others []tongban.Listing) []Difference {
	var diffs []Difference
	for i, o := range others {
		c := &comparison{index: i, l: o}
		c.compare(standard)
		diffs = append(diffs, c.diffs...)
	}
	return diffs
}

type comparison struct {
	index int
	l     tongban.Listing
	diffs []Difference
}

func (c *comparison) add(a Aspect, field, std, actual, format string, args ...any) {
	c.diffs = append(c.diffs, Difference{Index: c.index, Listing: c.l.Code, OrgName: c.l.OrgName, Region: c.l.RegionCode,
		Aspect: a, Field: field, Standard: std, Actual: actual, Message: fmt.Sprintf(format, args...)})
}

func (c *comparison) compare(std tongban.Listing) {
	o := c.l
	if (std.ItemID != 0 && o.ItemID != 0 && std.ItemID != o.ItemID) ||
		(std.ItemCode != "" && o.ItemCode != "" && std.ItemCode != o.ItemCode) {
		c.add(AspectItem, "item_code", std.ItemCode, o.ItemCode, "不是同一事项，无法比对")
		return
	}
	if normalizeText(std.Name) != normalizeText(o.Name) {
		c.add(AspectName, "name", std.Name, o.Name, "事项名称与标准不一致")
	}
	if std.CaseType != o.CaseType {
		c.add(AspectTime, "case_type", std.CaseType.Label(), o.CaseType.Label(), "办件类型与标准不一致")
	}
	if std.PromisedDays != o.PromisedDays {
		c.add(AspectTime, "promised_days", strconv.Itoa(std.PromisedDays), strconv.Itoa(o.PromisedDays),
			"承诺时限与标准不一致（标准%d个工作日，本清单%d个工作日）", std.PromisedDays, o.PromisedDays)
	}
	c.conditions(std.Conditions, o.Conditions)
	c.materials(std.Materials, o.Materials)
	c.steps(std.Steps, o.Steps)
	c.fees(std.Fees, o.Fees)
	c.service(std, o)
}

func (c *comparison) conditions(std, other []string) {
	have := map[string]bool{}
	for _, s := range other {
		have[normalizeText(s)] = true
	}
	want := map[string]bool{}
	for _, s := range std {
		want[normalizeText(s)] = true
		if !have[normalizeText(s)] {
			c.add(AspectConditions, "conditions", s, "", "缺少标准受理条件：%s", s)
		}
	}
	for _, s := range other {
		if !want[normalizeText(s)] {
			c.add(AspectConditions, "conditions", "", s, "增加了标准以外的受理条件：%s", s)
		}
	}
}

// materials matches materials by their standard material (标准材料) where
// both name one — 身份证 and 居民身份证 are the same paper — and by their
// normalized name otherwise.
func (c *comparison) materials(std, other []tongban.Material) {
	byKey := map[string]tongban.Material{}
	for _, m := range other {
		for _, k := range materialKeys(m) {
			if _, dup := byKey[k]; !dup {
				byKey[k] = m
			}
		}
	}
	matched := map[string]bool{} // other's materials, by name
	for _, s := range std {
		var m tongban.Material
		ok := false
		for _, k := range materialKeys(s) {
			if m, ok = byKey[k]; ok {
				break
			}
		}
		if !ok {
			c.add(AspectMaterials, "materials["+s.Name+"]", s.Name, "", "缺少标准材料：%s", s.Name)
			continue
		}
		matched[m.Name] = true
		field := "materials[" + s.Name + "]."
		if s.Standard != m.Standard {
			c.add(AspectMaterials, field+"standard", s.Standard, m.Standard,
				"材料“%s”对应的标准材料编码不同（标准%s，本清单%s）", s.Name, labelOr(s.Standard, "未关联"), labelOr(m.Standard, "未关联"))
		}
		if normalizeText(s.Name) != normalizeText(m.Name) {
			c.add(AspectMaterials, field+"name", s.Name, m.Name, "同一标准材料名称不同（标准“%s”，本清单“%s”）", s.Name, m.Name)
		}
		if s.Required != m.Required {
			c.add(AspectMaterials, field+"required", s.Required.Label(), m.Required.Label(),
				"材料“%s”的必要性不同（标准%s，本清单%s）", s.Name, s.Required.Label(), m.Required.Label())
		}
		if s.Form != m.Form {
			c.add(AspectMaterials, field+"form", s.Form.Label(), m.Form.Label(),
				"材料“%s”的形式不同（标准%s，本清单%s）", s.Name, s.Form.Label(), m.Form.Label())
		}
		if s.Copies != m.Copies {
			c.add(AspectMaterials, field+"copies", strconv.Itoa(s.Copies), strconv.Itoa(m.Copies),
				"材料“%s”的份数不同（标准%d份，本清单%d份）", s.Name, s.Copies, m.Copies)
		}
		if s.Source != m.Source {
			c.source(field+"source", s, m)
		}
	}
	for _, m := range other {
		if !matched[m.Name] {
			c.add(AspectMaterials, "materials["+m.Name+"]", "", m.Name, "增加了标准以外的材料：%s", m.Name)
		}
	}
}

// materialKeys are what a material is matched by: its standard material
// first, then its wording.
func materialKeys(m tongban.Material) []string {
	name := "name:" + normalizeText(m.Name)
	if m.Standard != "" {
		return []string{"std:" + m.Standard, name}
	}
	return []string{name}
}

// source reports a material whose 来源渠道 differs. The case 三统一 exists to
// catch — the standard fetches the material (电子证照, 共享数据, 政府部门核发)
// and this listing makes the applicant bring it — is said in those words.
func (c *comparison) source(field string, s, m tongban.Material) {
	std, actual := labelOr(s.Source.Label(), "未填写"), labelOr(m.Source.Label(), "未填写")
	if fetched(s.Source) {
		asks := map[tongban.MaterialSource]string{
			tongban.SourceApplicant: "申请人自备", tongban.SourceAgency: "申请人向中介机构取得后提交",
		}[m.Source]
		if asks != "" {
			c.add(AspectMaterials, field, std, actual,
				"材料“%s”标准通过%s获取、申请人无需提交，本清单却要求%s", s.Name, std, asks)
			return
		}
	}
	c.add(AspectMaterials, field, std, actual, "材料“%s”的来源不同（标准%s，本清单%s）", s.Name, std, actual)
}

// fetched reports whether a material of this source need not be handed over
// by the applicant (材料减少率: everything but 申请人自备 and 中介机构).
func fetched(s tongban.MaterialSource) bool {
	return s == tongban.SourceELicense || s == tongban.SourceShared || s == tongban.SourceGovernment
}

func (c *comparison) steps(std, other []tongban.Step) {
	if len(std) != len(other) {
		c.add(AspectProcess, "steps", strconv.Itoa(len(std)), strconv.Itoa(len(other)),
			"办理环节数不同（标准%d个，本清单%d个）", len(std), len(other))
	}
	for i := range min(len(std), len(other)) {
		s, o := std[i], other[i]
		if normalizeText(s.Name) != normalizeText(o.Name) || s.Role != o.Role || s.Days != o.Days {
			c.add(AspectProcess, fmt.Sprintf("steps[%d]", i), stepText(s), stepText(o),
				"第%d个环节不同（标准“%s”，本清单“%s”）", i+1, stepText(s), stepText(o))
		}
	}
}

// fees matches fees by their item; a standard that charges nothing makes
// every fee of another listing an extra one.
func (c *comparison) fees(std, other []tongban.Fee) {
	byItem := map[string]tongban.Fee{}
	for _, f := range other {
		byItem[normalizeText(f.Item)] = f
	}
	inStd := map[string]bool{}
	for _, s := range std {
		key := normalizeText(s.Item)
		inStd[key] = true
		f, ok := byItem[key]
		if !ok {
			c.add(AspectFees, "fees["+s.Item+"]", s.Item, "", "缺少标准收费项目：%s", s.Item)
			continue
		}
		if normalizeText(s.Standard) != normalizeText(f.Standard) {
			c.add(AspectFees, "fees["+s.Item+"].standard", s.Standard, f.Standard,
				"收费项目“%s”的收费标准不同（标准%s，本清单%s）", s.Item, labelOr(s.Standard, "未填写"), labelOr(f.Standard, "未填写"))
		}
	}
	for _, f := range other {
		if !inStd[normalizeText(f.Item)] {
			if len(std) == 0 {
				c.add(AspectFees, "fees["+f.Item+"]", "", f.Item, "标准不收费，本清单却收取：%s", f.Item)
			} else {
				c.add(AspectFees, "fees["+f.Item+"]", "", f.Item, "增加了标准以外的收费项目：%s", f.Item)
			}
		}
	}
}

// service compares how the item is delivered: trips to the hall, online
// depth and the reform's promises.
func (c *comparison) service(std, o tongban.Listing) {
	if std.Trips != o.Trips {
		c.add(AspectTrips, "trips", strconv.Itoa(std.Trips), strconv.Itoa(o.Trips),
			"到办事现场次数与标准不一致（标准%d次，本清单%d次）", std.Trips, o.Trips)
	}
	if std.OnlineDepth != o.OnlineDepth {
		s, a := labelOr(std.OnlineDepth.Label(), "未填写"), labelOr(o.OnlineDepth.Label(), "未填写")
		c.add(AspectOnline, "online_depth", s, a, "办理深度与标准不一致（标准%s，本清单%s）", s, a)
	}
	for _, f := range []struct {
		field, label string
		std, actual  bool
	}{
		{"most_one_trip", "最多跑一次", std.Flags.MostOneTrip, o.Flags.MostOneTrip},
		{"tolerant_acceptance", "容缺受理", std.Flags.TolerantAcceptance, o.Flags.TolerantAcceptance},
		{"commitment", "告知承诺", std.Flags.Commitment, o.Flags.Commitment},
		{"cross_region", "跨域通办", std.Flags.CrossRegion, o.Flags.CrossRegion},
		{"express", "物流快递", std.Flags.Express, o.Flags.Express},
		{"appointment", "预约办理", std.Flags.Appointment, o.Flags.Appointment},
	} {
		switch {
		case f.std && !f.actual:
			c.add(AspectFlags, "flags."+f.field, "是", "否", "标准提供“%s”，本清单未提供", f.label)
		case !f.std && f.actual:
			c.add(AspectFlags, "flags."+f.field, "否", "是", "本清单提供“%s”，标准未提供", f.label)
		}
	}
}

func labelOr(s, unset string) string {
	if s == "" {
		return unset
	}
	return s
}

func stepText(s tongban.Step) string {
	return fmt.Sprintf("%s/%s/%d日", s.Name, s.Role.Label(), s.Days)
}

// normalizeText ignores what does not change meaning: spaces, full-width
// vs half-width forms (（） vs ()), and trailing punctuation.
func normalizeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if r == ' ' || r == '\u3000' || r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		b.WriteRune(r)
	}
	return strings.TrimRight(b.String(), "。.;；,，")
}
