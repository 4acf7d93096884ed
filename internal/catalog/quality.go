package catalog

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban"
)

// Severity says whether an issue blocks publishing.
type Severity string

const (
	SeverityError   Severity = "error"   // blocks publishing
	SeverityWarning Severity = "warning" // shown to the admin, does not block
)

// Rule ids are stable: pages, statistics and tests refer to them.
const (
	RuleInvalid               = "invalid_element"             // a structural field error (Listing/Item Problems)
	RuleRequired              = "required_element"            // a required element of the national set is missing
	RuleItemMismatch          = "item_mismatch"               // the listing belongs to another item
	RuleLegalBasis            = "legal_basis"                 // 设定依据 missing
	RulePromisedOverStatutory = "promised_over_statutory"     // 承诺时限 > 法定时限
	RulePromisedOverHalf      = "promised_over_half"          // 承诺时限 > 50% of 法定时限 (承诺件)
	RuleInstantPromised       = "instant_promised_zero"       // 即办件 with a promised time
	RuleStepsMax              = "steps_max"                   // more than four steps
	RuleStepsDays             = "steps_days"                  // counted step days exceed the promise
	RuleStepsMissing          = "steps_missing"               // a 承诺件 without a process
	RuleMaterialsMissing      = "materials_missing"           // no material at all
	RuleReviewCriteria        = "review_criteria"             // a material without 审核准则
	RuleCatchAllMaterial      = "catch_all_material"          // 兜底 wording in materials
	RuleCatchAllCondition     = "catch_all_condition"         // 兜底 wording in conditions
	RuleFeeBasis              = "fee_basis"                   // a fee without 收费依据 or 收费标准
	RuleContact               = "contact"                     // place, hours, phone or complaint phone missing
	RuleSituationReachable    = "situation_reachable"         // a situation or effect points nowhere
	RuleConditionalUnused     = "conditional_material_unused" // a 依情形 material no answer adds
	RuleTripsFlags            = "trips_flags"                 // 到现场次数 contradicts flags or online depth
	RuleResultMissing         = "result_missing"              // 办理结果 not named
)

// MaxSteps is the reform's limit on process steps (受理, 审查, 决定, 办结).
const MaxSteps = 4

// Issue is one finding of the quality check.
type Issue struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Field    string   `json:"field"` // e.g. materials[1].review_criteria
	Message  string   `json:"message"`
}

// Report is the outcome of Check.
type Report struct {
	Issues []Issue `json:"issues"`
}

// Publishable is false when any issue is an error.
func (r Report) Publishable() bool {
	for _, i := range r.Issues {
		if i.Severity == SeverityError {
			return false
		}
	}
	return true
}

// ByRule returns the issues of one rule.
func (r Report) ByRule(rule string) []Issue {
	var out []Issue
	for _, i := range r.Issues {
		if i.Rule == rule {
			out = append(out, i)
		}
	}
	return out
}

// Errors counts the blocking issues.
func (r Report) Errors() int {
	n := 0
	for _, i := range r.Issues {
		if i.Severity == SeverityError {
			n++
		}
	}
	return n
}

type checker struct {
	item   tongban.Item
	l      tongban.Listing
	issues []Issue
}

func (c *checker) report(rule string, sev Severity, field, format string, args ...any) {
	c.issues = append(c.issues, Issue{Rule: rule, Severity: sev, Field: field, Message: fmt.Sprintf(format, args...)})
}

// Check runs every quality rule on a listing of item. Rules and severities:
//
//   - promised_over_statutory (error): 承诺时限 above 法定时限.
//   - promised_over_half (error): a 承诺件 promising more than half the
//     statutory time. The reform asks for ≤ 50%, and a warning would be
//     ignored, so it blocks; items without a statutory limit (0) are exempt.
//   - instant_promised_zero (error): a 即办件 promises 0 days.
//   - steps_max (error), steps_days (error), steps_missing (warning, 承诺件).
//   - materials_missing: error for a 承诺件; only a warning for a 即办件,
//     since on-the-spot queries and consultations may need nothing.
//   - review_criteria, catch_all_material, catch_all_condition, fee_basis,
//     contact, situation_reachable, trips_flags, required_element,
//     invalid_element, item_mismatch (all errors). The material and condition
//     rules also run on what situation answers add: a 条件 effect's text
//     and a material given inline (situations[i].answers[j].effects[k].…).
//   - legal_basis: error for administrative powers, warning for 公共服务.
//   - conditional_material_unused, result_missing (warnings).
func Check(item tongban.Item, l tongban.Listing) Report {
	c := &checker{item: item, l: l}
	c.structure()
	c.required()
	c.timeLimits()
	c.steps()
	c.materials()
	c.catchAll()
	c.effects()
	c.fees()
	c.contact()
	c.situations()
	c.trips()
	if c.issues == nil {
		c.issues = []Issue{} // a clean listing reports no issues, not null
	}
	return Report{Issues: c.issues}
}

func (c *checker) structure() {
	for _, e := range c.item.Problems() {
		c.report(RuleInvalid, SeverityError, "item."+e.Field, "%s", e.Message)
	}
	for _, e := range c.l.Problems() {
		c.report(RuleInvalid, SeverityError, e.Field, "%s", e.Message)
	}
	if (c.l.ItemID != 0 && c.item.ID != 0 && c.l.ItemID != c.item.ID) ||
		(c.l.ItemCode != "" && c.item.Code != "" && c.l.ItemCode != c.item.Code) {
		c.report(RuleItemMismatch, SeverityError, "item_code", "实施清单不属于事项“%s”", c.item.Name)
	}
}

func (c *checker) required() {
	l := c.l
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	if blank(l.Name) {
		c.report(RuleRequired, SeverityError, "name", "缺少事项名称")
	}
	if blank(l.Code) {
		c.report(RuleRequired, SeverityError, "code", "缺少实施编码")
	}
	if l.OrgID == 0 && blank(l.OrgName) {
		c.report(RuleRequired, SeverityError, "org_id", "缺少实施部门")
	}
	if blank(l.RegionCode) {
		c.report(RuleRequired, SeverityError, "region_code", "缺少行政区划")
	}
	if !c.item.Type.Valid() {
		c.report(RuleRequired, SeverityError, "item.type", "缺少事项类型")
	}
	if !l.CaseType.Valid() {
		c.report(RuleRequired, SeverityError, "case_type", "缺少办件类型（即办件或承诺件）")
	}
	if !l.OnlineDepth.Valid() {
		c.report(RuleRequired, SeverityError, "online_depth", "缺少办理深度")
	}
	if l.CaseType == tongban.CasePromised && l.PromisedDays <= 0 {
		c.report(RuleRequired, SeverityError, "promised_days", "承诺件须填写承诺时限")
	}
	if blank(c.item.LegalBasis) {
		if c.item.Type == tongban.ItemPublicService {
			c.report(RuleLegalBasis, SeverityWarning, "item.legal_basis", "公共服务事项宜写明设定依据")
		} else {
			c.report(RuleLegalBasis, SeverityError, "item.legal_basis", "行政权力事项须写明设定依据")
		}
	}
	if blank(l.Result.Name) {
		c.report(RuleResultMissing, SeverityWarning, "result.name", "未写明办理结果")
	}
}

func (c *checker) timeLimits() {
	l, statutory := c.l, c.item.StatutoryDays
	switch l.CaseType {
	case tongban.CaseInstant:
		if l.PromisedDays != 0 {
			c.report(RuleInstantPromised, SeverityError, "promised_days", "即办件的承诺时限应为0，现为%d个工作日", l.PromisedDays)
		}
	case tongban.CasePromised:
		if statutory > 0 && l.PromisedDays > statutory {
			c.report(RulePromisedOverStatutory, SeverityError, "promised_days",
				"承诺时限（%d个工作日）超过法定时限（%d个工作日）", l.PromisedDays, statutory)
		} else if statutory > 0 && 2*l.PromisedDays > statutory {
			c.report(RulePromisedOverHalf, SeverityError, "promised_days",
				"承诺时限（%d个工作日）超过法定时限（%d个工作日）的50%%，最多%d个工作日", l.PromisedDays, statutory, statutory/2)
		}
	}
}

func (c *checker) steps() {
	l := c.l
	if len(l.Steps) > MaxSteps {
		c.report(RuleStepsMax, SeverityError, "steps", "办理环节不得超过%d个，现有%d个", MaxSteps, len(l.Steps))
	}
	if len(l.Steps) == 0 && l.CaseType == tongban.CasePromised {
		c.report(RuleStepsMissing, SeverityWarning, "steps", "承诺件宜写明办理流程")
	}
	total := 0
	for _, s := range l.Steps {
		if s.CountsTowardLimit {
			total += s.Days
		}
	}
	if total > l.PromisedDays {
		c.report(RuleStepsDays, SeverityError, "steps", "各环节时限合计%d个工作日，超过承诺时限%d个工作日", total, l.PromisedDays)
	}
}

func (c *checker) materials() {
	l := c.l
	if len(l.Materials) == 0 {
		if l.CaseType == tongban.CaseInstant {
			c.report(RuleMaterialsMissing, SeverityWarning, "materials", "未列申请材料，请确认本即办件确实无需材料")
		} else {
			c.report(RuleMaterialsMissing, SeverityError, "materials", "未列申请材料")
		}
	}
	for i, m := range l.Materials {
		c.material(fmt.Sprintf("materials[%d]", i), fmt.Sprintf("材料“%s”", m.Name), m)
	}
}

// material runs the per-material rules (review_criteria, catch_all_material)
// on m, which is either one of the listing's materials or one given inline in
// a situation effect; field is its path and what names it in messages.
func (c *checker) material(field, what string, m tongban.Material) {
	if strings.TrimSpace(m.ReviewCriteria) == "" {
		c.report(RuleReviewCriteria, SeverityError, field+".review_criteria", "%s缺少审核准则", what)
	}
	if p, ok := CatchAllPhrase(m.Name, catchAllMaterial); ok {
		c.report(RuleCatchAllMaterial, SeverityError, field+".name", "%s含兜底表述“%s”，请写明具体材料", what, p)
	}
	if p, ok := CatchAllPhrase(m.ReviewCriteria, catchAllMaterial); ok {
		c.report(RuleCatchAllMaterial, SeverityError, field+".review_criteria", "%s的审核准则含兜底表述“%s”", what, p)
	}
}

// condition runs the per-condition rule (catch_all_condition) on one 受理条件,
// listed or added by a situation effect.
func (c *checker) condition(field, what, cond string) {
	if p, ok := CatchAllPhrase(cond, catchAllCondition); ok {
		c.report(RuleCatchAllCondition, SeverityError, field, "%s含兜底表述“%s”，请写明具体条件", what, p)
	}
}

// effects holds what situation answers add to the same rules as the
// listing's own materials and conditions: Tailor shows an inline material or
// an added condition to the applicant just like a listed one. Every inline
// material is checked whatever the effect's op, since an export turns each
// into a listed 依情形 material.
func (c *checker) effects() {
	for i, s := range c.l.Situations {
		for j, a := range s.Answers {
			for k, e := range a.Effects {
				p := fmt.Sprintf("situations[%d].answers[%d].effects[%d]", i, j, k)
				if e.Op == tongban.EffectCondition {
					c.condition(p+".condition", fmt.Sprintf("情形“%s”答案“%s”增加的受理条件", s.Question, a.Label), e.Condition)
				}
				if e.Material != nil {
					c.material(p+".material", fmt.Sprintf("情形“%s”答案“%s”所列材料“%s”", s.Question, a.Label, e.Material.Name), *e.Material)
				}
			}
		}
	}
}

// catchAllMaterial are phrases that let a clerk ask for anything (兜底条款),
// which the reform forbids; catchAllCondition the same for conditions.
var (
	catchAllMaterial = []string{"其他材料", "相关材料", "有关材料", "兜底", "等材料", "其他需要",
		"其他有关", "其他相关", "要求提供的其他", "规定的其他", "认为需要", "等相关"}
	catchAllCondition = []string{"其他条件", "规定的其他", "兜底", "等条件", "其他情形", "认为需要"}
)

// CatchAllPhrase returns the 兜底 phrase s contains, if any.
func CatchAllPhrase(s string, phrases []string) (string, bool) {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return p, true
		}
	}
	return "", false
}

func (c *checker) catchAll() {
	for i, cond := range c.l.Conditions {
		c.condition(fmt.Sprintf("conditions[%d]", i), "受理条件", cond)
	}
}

func (c *checker) fees() {
	for i, f := range c.l.Fees {
		if strings.TrimSpace(f.Basis) == "" {
			c.report(RuleFeeBasis, SeverityError, fmt.Sprintf("fees[%d].basis", i), "收费项目“%s”缺少收费依据", f.Item)
		}
		if strings.TrimSpace(f.Standard) == "" {
			c.report(RuleFeeBasis, SeverityError, fmt.Sprintf("fees[%d].standard", i), "收费项目“%s”缺少收费标准", f.Item)
		}
	}
}

func (c *checker) contact() {
	for _, f := range []struct{ field, value, label string }{
		{"place", c.l.Place, "办理地点"}, {"hours", c.l.Hours, "办理时间"},
		{"phone", c.l.Phone, "咨询电话"}, {"complaint_phone", c.l.ComplaintPhone, "监督投诉电话"},
	} {
		if strings.TrimSpace(f.value) == "" {
			c.report(RuleContact, SeverityError, f.field, "缺少%s", f.label)
		}
	}
}

func (c *checker) situations() {
	for _, e := range situationProblems(c.l) {
		c.report(RuleSituationReachable, SeverityError, e.Field, "%s", e.Message)
	}
	added := map[string]bool{}
	for _, s := range c.l.Situations {
		for _, a := range s.Answers {
			for _, e := range a.Effects {
				switch e.Op {
				case tongban.EffectAdd:
					added[e.MaterialKey] = true
				case tongban.EffectReplace:
					added[e.WithKey] = true
				}
			}
		}
	}
	for i, m := range c.l.Materials {
		if m.Required == tongban.MaterialConditional && !added[m.Key] {
			c.report(RuleConditionalUnused, SeverityWarning, fmt.Sprintf("materials[%d].required", i),
				"依情形材料“%s”没有任何情形答案会要求提交", m.Name)
		}
	}
}

func (c *checker) trips() {
	l := c.l
	if l.Flags.MostOneTrip && l.Trips > 1 {
		c.report(RuleTripsFlags, SeverityError, "trips", "标注“最多跑一次”，到现场次数却为%d次", l.Trips)
	}
	switch l.OnlineDepth {
	case tongban.DepthFullyOnline:
		if l.Trips != 0 {
			c.report(RuleTripsFlags, SeverityError, "trips", "全程网办事项到现场次数应为0，现为%d次", l.Trips)
		}
	case tongban.DepthOnSite, tongban.DepthOnlineVerify:
		if l.Trips == 0 {
			c.report(RuleTripsFlags, SeverityError, "trips", "%s事项至少需到现场1次", l.OnlineDepth.Label())
		}
	}
}
