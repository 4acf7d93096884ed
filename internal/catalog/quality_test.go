package catalog

import (
	"maps"
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

func TestCheckSampleIsClean(t *testing.T) {
	t.Parallel()
	rep := Check(sampleItem(), sampleListing())
	if len(rep.Issues) != 0 || !rep.Publishable() {
		t.Fatalf("sample listing should have no issues, got %+v", rep.Issues)
	}
}

// Each case breaks one rule (positive); the sample itself is the negative,
// and the "ok" cases are boundary negatives that must not be reported.
func TestCheckRules(t *testing.T) {
	t.Parallel()
	type mut func(*tongban.Item, *tongban.Listing)
	cases := []struct {
		name     string
		change   mut
		rule     string
		severity Severity // "" = the rule must NOT be reported
		field    string
	}{
		{"promised over statutory", func(_ *tongban.Item, l *tongban.Listing) { l.PromisedDays = 21; l.Steps = nil },
			RulePromisedOverStatutory, SeverityError, "promised_days"},
		{"promised over half", func(_ *tongban.Item, l *tongban.Listing) { l.PromisedDays = 11 },
			RulePromisedOverHalf, SeverityError, "promised_days"},
		{"promised exactly half ok", func(_ *tongban.Item, l *tongban.Listing) { l.PromisedDays = 10 },
			RulePromisedOverHalf, "", ""},
		{"no statutory limit ok", func(it *tongban.Item, l *tongban.Listing) { it.StatutoryDays = 0; l.PromisedDays = 15 },
			RulePromisedOverHalf, "", ""},
		{"instant with days", func(_ *tongban.Item, l *tongban.Listing) { l.CaseType = tongban.CaseInstant },
			RuleInstantPromised, SeverityError, "promised_days"},
		{"instant with zero ok", func(_ *tongban.Item, l *tongban.Listing) {
			l.CaseType, l.PromisedDays = tongban.CaseInstant, 0
		}, RuleInstantPromised, "", ""},
		{"five steps", func(_ *tongban.Item, l *tongban.Listing) {
			l.Steps = append(l.Steps, tongban.Step{Name: "送达", Role: tongban.StepConclude})
		}, RuleStepsMax, SeverityError, "steps"},
		{"step days over promise", func(_ *tongban.Item, l *tongban.Listing) { l.Steps[1].Days = 6 },
			RuleStepsDays, SeverityError, "steps"},
		{"special step outside limit ok", func(_ *tongban.Item, l *tongban.Listing) {
			l.Steps[1] = tongban.Step{Name: "专家评审", Role: tongban.StepSpecial, Days: 30}
		}, RuleStepsDays, "", ""},
		{"promised without steps", func(_ *tongban.Item, l *tongban.Listing) { l.Steps = nil },
			RuleStepsMissing, SeverityWarning, "steps"},
		{"missing review criteria", func(_ *tongban.Item, l *tongban.Listing) { l.Materials[1].ReviewCriteria = " " },
			RuleReviewCriteria, SeverityError, "materials[1].review_criteria"},
		{"catch-all material name", func(_ *tongban.Item, l *tongban.Listing) { l.Materials[0].Name = "其他相关材料" },
			RuleCatchAllMaterial, SeverityError, "materials[0].name"},
		{"catch-all 等材料", func(_ *tongban.Item, l *tongban.Listing) { l.Materials[0].Name = "身份证、户口簿等材料" },
			RuleCatchAllMaterial, SeverityError, "materials[0].name"},
		{"catch-all criteria", func(_ *tongban.Item, l *tongban.Listing) {
			l.Materials[2].ReviewCriteria = "以及审批机关要求提供的其他需要提交的材料"
		}, RuleCatchAllMaterial, SeverityError, "materials[2].review_criteria"},
		{"其他组织 is not a catch-all", func(_ *tongban.Item, l *tongban.Listing) { l.Materials[0].Name = "法人或其他组织营业执照" },
			RuleCatchAllMaterial, "", ""},
		{"catch-all condition", func(_ *tongban.Item, l *tongban.Listing) {
			l.Conditions = append(l.Conditions, "法律、法规规定的其他条件")
		}, RuleCatchAllCondition, SeverityError, "conditions[2]"},
		// Situation effects are held to the same rules: Tailor shows what they add.
		{"catch-all effect condition", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[1].Answers[0].Effects[1].Condition = "符合审批机关认为需要的其他条件"
		}, RuleCatchAllCondition, SeverityError, "situations[1].answers[0].effects[1].condition"},
		{"specific effect condition ok", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[1].Answers[0].Effects[1].Condition = "外资股东为法人或其他组织的，已取得商务部门备案回执"
		}, RuleCatchAllCondition, "", ""},
		{"inline material without review criteria", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[1].Answers[0].Effects[0] = tongban.Effect{Op: tongban.EffectAdd, Material: &tongban.Material{
				Key: "x1", Name: "外商投资信息报告回执", Required: tongban.MaterialRequired}}
		}, RuleReviewCriteria, SeverityError, "situations[1].answers[0].effects[0].material.review_criteria"},
		{"inline replacement without review criteria", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[2].Answers[0].Effects[0] = tongban.Effect{Op: tongban.EffectReplace, MaterialKey: "m4",
				Material: &tongban.Material{Key: "x1", Name: "外资准入批复", Required: tongban.MaterialRequired, ReviewCriteria: "\t"}}
		}, RuleReviewCriteria, SeverityError, "situations[2].answers[0].effects[0].material.review_criteria"},
		{"inline material with review criteria ok", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[1].Answers[0].Effects[0] = tongban.Effect{Op: tongban.EffectAdd, Material: &tongban.Material{
				Key: "x1", Name: "外商投资信息报告回执", Required: tongban.MaterialRequired, ReviewCriteria: "与申请人名称一致"}}
		}, RuleReviewCriteria, "", ""},
		{"catch-all inline material name", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[0].Answers[1].Effects = append(l.Situations[0].Answers[1].Effects, tongban.Effect{Op: tongban.EffectAdd,
				Material: &tongban.Material{Key: "x1", Name: "其他相关材料", Required: tongban.MaterialRequired, ReviewCriteria: "真实有效"}})
		}, RuleCatchAllMaterial, SeverityError, "situations[0].answers[1].effects[1].material.name"},
		{"catch-all inline material criteria", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[0].Answers[1].Effects = append(l.Situations[0].Answers[1].Effects, tongban.Effect{Op: tongban.EffectAdd,
				Material: &tongban.Material{Key: "x1", Name: "受托人身份证", Required: tongban.MaterialRequired,
					ReviewCriteria: "以及窗口认为需要的其他证件"}})
		}, RuleCatchAllMaterial, SeverityError, "situations[0].answers[1].effects[1].material.review_criteria"},
		{"specific inline material ok", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[0].Answers[1].Effects = append(l.Situations[0].Answers[1].Effects, tongban.Effect{Op: tongban.EffectAdd,
				Material: &tongban.Material{Key: "x1", Name: "受托人或其他组织经办人身份证", Required: tongban.MaterialRequired,
					ReviewCriteria: "在有效期内"}})
		}, RuleCatchAllMaterial, "", ""},
		{"fee without basis", func(_ *tongban.Item, l *tongban.Listing) { l.Fees[0].Basis = "" },
			RuleFeeBasis, SeverityError, "fees[0].basis"},
		{"free ok", func(_ *tongban.Item, l *tongban.Listing) { l.Fees = nil }, RuleFeeBasis, "", ""},
		{"no complaint phone", func(_ *tongban.Item, l *tongban.Listing) { l.ComplaintPhone = "" },
			RuleContact, SeverityError, "complaint_phone"},
		{"no place", func(_ *tongban.Item, l *tongban.Listing) { l.Place = "" }, RuleContact, SeverityError, "place"},
		{"no hours", func(_ *tongban.Item, l *tongban.Listing) { l.Hours = "" }, RuleContact, SeverityError, "hours"},
		{"no phone", func(_ *tongban.Item, l *tongban.Listing) { l.Phone = "" }, RuleContact, SeverityError, "phone"},
		{"depends on a missing answer", func(_ *tongban.Item, l *tongban.Listing) { l.Situations[2].DependsOn.Answer = "a9" },
			RuleSituationReachable, SeverityError, "situations[2].depends_on"},
		{"depends on a later situation", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[0].DependsOn = &tongban.AnswerRef{Situation: "s3", Answer: "a1"}
		}, RuleSituationReachable, SeverityError, "situations[0].depends_on"},
		{"effect names a missing material", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[0].Answers[1].Effects[0].MaterialKey = "m9"
		}, RuleSituationReachable, SeverityError, "situations[0].answers[1].effects[0].material_key"},
		{"inline material needs no key ok", func(_ *tongban.Item, l *tongban.Listing) {
			l.Situations[0].Answers[1].Effects[0] = tongban.Effect{Op: tongban.EffectAdd, Material: &tongban.Material{
				Key: "x1", Name: "委托书", Required: tongban.MaterialRequired, ReviewCriteria: "签字"}}
			l.Materials = l.Materials[:2] // m3 now unused: only a warning, checked below
			l.Situations = l.Situations[:1]
		}, RuleSituationReachable, "", ""},
		{"conditional material nobody adds", func(_ *tongban.Item, l *tongban.Listing) { l.Situations = l.Situations[:2] },
			RuleConditionalUnused, SeverityWarning, "materials[4].required"},
		{"most one trip but two trips", func(_ *tongban.Item, l *tongban.Listing) { l.Trips = 2 },
			RuleTripsFlags, SeverityError, "trips"},
		{"fully online with a trip", func(_ *tongban.Item, l *tongban.Listing) { l.OnlineDepth = tongban.DepthFullyOnline },
			RuleTripsFlags, SeverityError, "trips"},
		{"fully online with no trip ok", func(_ *tongban.Item, l *tongban.Listing) {
			l.OnlineDepth, l.Trips = tongban.DepthFullyOnline, 0
		}, RuleTripsFlags, "", ""},
		{"on site with no trip", func(_ *tongban.Item, l *tongban.Listing) { l.OnlineDepth, l.Trips = tongban.DepthOnSite, 0 },
			RuleTripsFlags, SeverityError, "trips"},
		{"no code", func(_ *tongban.Item, l *tongban.Listing) { l.Code = "" }, RuleRequired, SeverityError, "code"},
		{"no org", func(_ *tongban.Item, l *tongban.Listing) { l.OrgID, l.OrgName = 0, "" }, RuleRequired, SeverityError, "org_id"},
		{"no case type", func(_ *tongban.Item, l *tongban.Listing) { l.CaseType = "" }, RuleRequired, SeverityError, "case_type"},
		{"no online depth", func(_ *tongban.Item, l *tongban.Listing) { l.OnlineDepth = "" },
			RuleRequired, SeverityError, "online_depth"},
		{"promised without days", func(_ *tongban.Item, l *tongban.Listing) { l.PromisedDays = 0; l.Steps = nil },
			RuleRequired, SeverityError, "promised_days"},
		{"no item type", func(it *tongban.Item, _ *tongban.Listing) { it.Type = "" }, RuleRequired, SeverityError, "item.type"},
		{"promised without materials", func(_ *tongban.Item, l *tongban.Listing) { l.Materials = nil; l.Situations = nil },
			RuleMaterialsMissing, SeverityError, "materials"},
		{"instant without materials is a warning", func(_ *tongban.Item, l *tongban.Listing) {
			l.CaseType, l.PromisedDays, l.Steps, l.Materials, l.Situations = tongban.CaseInstant, 0, nil, nil, nil
		}, RuleMaterialsMissing, SeverityWarning, "materials"},
		{"power without legal basis", func(it *tongban.Item, _ *tongban.Listing) { it.LegalBasis = "" },
			RuleLegalBasis, SeverityError, "item.legal_basis"},
		{"public service without legal basis", func(it *tongban.Item, _ *tongban.Listing) {
			it.LegalBasis, it.Type = "", tongban.ItemPublicService
		}, RuleLegalBasis, SeverityWarning, "item.legal_basis"},
		{"no result", func(_ *tongban.Item, l *tongban.Listing) { l.Result.Name = "" },
			RuleResultMissing, SeverityWarning, "result.name"},
		{"another item's listing", func(it *tongban.Item, _ *tongban.Listing) { it.ID, it.Code = 8, "X" },
			RuleItemMismatch, SeverityError, "item_code"},
		{"structurally invalid", func(_ *tongban.Item, l *tongban.Listing) { l.Materials[1].Key = "m1" },
			RuleInvalid, SeverityError, "materials[1].key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it, l := sampleItem(), sampleListing()
			tc.change(&it, &l)
			rep := Check(it, l)
			got := rep.ByRule(tc.rule)
			if tc.severity == "" {
				if len(got) != 0 {
					t.Fatalf("rule %s should not fire, got %+v", tc.rule, got)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("rule %s did not fire; issues: %+v", tc.rule, rep.Issues)
			}
			if got[0].Severity != tc.severity || got[0].Field != tc.field || got[0].Message == "" {
				t.Fatalf("rule %s: got %+v, want severity %s field %s", tc.rule, got[0], tc.severity, tc.field)
			}
			if rep.Publishable() != (tc.severity == SeverityWarning && rep.Errors() == 0) {
				t.Fatalf("Publishable()=%v with issues %+v", rep.Publishable(), rep.Issues)
			}
		})
	}
}

func TestCheckWarningsDoNotBlock(t *testing.T) {
	t.Parallel()
	it, l := sampleItem(), sampleListing()
	l.Result.Name = ""
	rep := Check(it, l)
	if !rep.Publishable() || len(rep.Issues) != 1 || rep.Issues[0].Severity != SeverityWarning {
		t.Fatalf("a lone warning must not block: %+v", rep.Issues)
	}
}

func TestCheckBareImportedDraftIsNotPublishable(t *testing.T) {
	t.Parallel()
	it := tongban.Item{Code: "511A0138000000", Name: "适龄儿童延缓入学审批", Type: tongban.ItemLicensing}
	l := tongban.Listing{ItemCode: it.Code, Code: "511A0138000000-511602000000-000-1-00", OrgName: "区教科体局",
		RegionCode: "511602000000", Version: 1, Status: tongban.ListingDraft, Name: it.Name}
	rep := Check(it, l)
	if rep.Publishable() {
		t.Fatal("a bare draft must not be publishable")
	}
	for _, rule := range []string{RuleRequired, RuleMaterialsMissing, RuleContact, RuleLegalBasis} {
		if len(rep.ByRule(rule)) == 0 {
			t.Errorf("expected %s in %+v", rule, rep.Issues)
		}
	}
}

// The gap found in the demo catalog: a 条件 effect with 兜底 wording and an
// inline material with a 兜底 name and no 审核准则 both reached applicants
// through Tailor while the listing passed the check.
func TestCheckHoldsSituationEffectsToMaterialAndConditionRules(t *testing.T) {
	t.Parallel()
	it, l := sampleItem(), sampleListing()
	l.Situations[1].Answers[0].Effects = []tongban.Effect{
		{Op: tongban.EffectCondition, Condition: "符合审批机关认为需要的其他条件"},
		{Op: tongban.EffectAdd, Material: &tongban.Material{Key: "x1", Name: "其他相关材料", Required: tongban.MaterialConditional}},
	}
	l.Materials = l.Materials[:3] // m4 and m5 are no longer referenced
	l.Situations = l.Situations[:2]

	ms, conds, err := Tailor(l, map[string]string{"s1": "a1", "s2": "a1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ms[len(ms)-1].Name; got != "其他相关材料" || conds[len(conds)-1] != "符合审批机关认为需要的其他条件" {
		t.Fatalf("Tailor should show the effect's material and condition: %v %q", ms, conds)
	}

	rep := Check(it, l)
	if rep.Publishable() {
		t.Fatalf("must not be publishable: %+v", rep.Issues)
	}
	got := map[string]string{}
	for _, i := range rep.Issues {
		if i.Severity != SeverityError {
			t.Errorf("unexpected warning %+v", i)
			continue
		}
		got[i.Field] = i.Rule
		if !strings.Contains(i.Message, "是否涉及外资？") || !strings.Contains(i.Message, "“是”") {
			t.Errorf("message should name the situation and answer: %s", i.Message)
		}
	}
	want := map[string]string{
		"situations[1].answers[0].effects[0].condition":                RuleCatchAllCondition,
		"situations[1].answers[0].effects[1].material.name":            RuleCatchAllMaterial,
		"situations[1].answers[0].effects[1].material.review_criteria": RuleReviewCriteria,
	}
	if !maps.Equal(got, want) {
		t.Fatalf("issues\n got %v\nwant %v\nall %+v", got, want, rep.Issues)
	}
}
