package catalog

import "github.com/tongban/tongban"

// sampleItem and sampleListing are a complete, publishable pair: every
// quality test changes one thing and expects exactly that to be reported.
func sampleItem() tongban.Item {
	return tongban.Item{
		ID: 7, Code: "511A0138000000", Name: "食品经营许可（新办）", MainItem: "食品经营许可",
		Type: tongban.ItemLicensing, Levels: []tongban.ItemLevel{tongban.ItemLevelCity, tongban.ItemLevelCounty},
		LegalBasis: "《中华人民共和国食品安全法》第三十五条\n《食品经营许可和备案管理办法》", StatutoryDays: 20,
		Sector: "市场准入", Audience: tongban.AudienceBoth,
		PersonThemes: []string{"就业"}, EnterpriseThemes: []string{"开办", "经营"}, Aliases: []string{"办食品证", "餐饮许可"},
	}
}

func sampleListing() tongban.Listing {
	return tongban.Listing{
		ItemID: 7, ItemCode: "511A0138000000", Code: "511A0138000000-511602000000-000-11511301MB051073XA-1-00",
		OrgID: 3, OrgName: "区行政审批局", RegionCode: "511602000000", Version: 2, Status: tongban.ListingDraft,
		Name: "食品经营许可（新办）", PromisedDays: 10, CaseType: tongban.CasePromised,
		Conditions: []string{"申请人已取得营业执照", "有与经营的食品品种、数量相适应的经营场所"},
		Steps: []tongban.Step{
			{Name: "受理", Role: tongban.StepAccept, Days: 1, CountsTowardLimit: true},
			{Name: "审查", Role: tongban.StepReview, Days: 5, CountsTowardLimit: true, Post: "审核人员"},
			{Name: "决定", Role: tongban.StepDecide, Days: 3, CountsTowardLimit: true, Post: "分管负责人", OtherActor: true},
			{Name: "办结", Role: tongban.StepConclude, Days: 1, CountsTowardLimit: true},
		},
		Fees:  []tongban.Fee{{Item: "工本费", Standard: "10元/本", Basis: "川价费〔2019〕12号"}},
		Place: "广安区政务服务中心二楼B区", Hours: "工作日 9:00-12:00, 13:30-17:00",
		Phone: "0826-2345678", ComplaintPhone: "12345", Trips: 1, OnlineDepth: tongban.DepthOnlineVerify,
		Flags:  tongban.Flags{MostOneTrip: true, TolerantAcceptance: true, Express: true, Appointment: true},
		Result: tongban.Result{Name: "食品经营许可证", Type: tongban.ResultLicense, Sample: "sha256:abc123"},
		FAQ:    []tongban.QA{{Question: "可以网上申请吗？", Answer: "可以，登录通办网上提交"}},
		Materials: []tongban.Material{
			{Key: "m1", Name: "食品经营许可申请书", Required: tongban.MaterialRequired, Form: tongban.FormOriginal, Copies: 1,
				Type: tongban.MaterialApplicationForm, Source: tongban.SourceApplicant, ReviewCriteria: "填写完整，申请人签字盖章",
				BlankForm: "sha256:f00d", Example: "https://example.org/sample.pdf"},
			{Key: "m2", Name: "营业执照", Required: tongban.MaterialRequired, Form: tongban.FormElectronic, Copies: 1,
				Type: tongban.MaterialLicense, Source: tongban.SourceELicense, ReviewCriteria: "在有效期内，名称与申请书一致"},
			{Key: "m3", Name: "授权委托书", Required: tongban.MaterialConditional, Form: tongban.FormOriginal, Copies: 1,
				Type: tongban.MaterialApplicationForm, Source: tongban.SourceApplicant, Tolerant: true,
				ReviewCriteria: "载明委托事项和期限，委托人签字", Note: "法定代表人不到场时提交"},
			{Key: "m4", Name: "外商投资企业备案回执", Required: tongban.MaterialConditional, Form: tongban.FormCopy, Copies: 1,
				Type: tongban.MaterialCertificate, Source: tongban.SourceGovernment, ReviewCriteria: "与申请人名称一致"},
			{Key: "m5", Name: "外资准入特别审批文件", Required: tongban.MaterialConditional, Form: tongban.FormOriginalAndCopy, Copies: 2,
				Type: tongban.MaterialCertificate, Source: tongban.SourceShared, ReviewCriteria: "批准文号可核验"},
		},
		Situations: []tongban.Situation{
			{Key: "s1", Question: "法定代表人是否本人到场办理？", Answers: []tongban.Answer{
				{Key: "a1", Label: "是"},
				{Key: "a2", Label: "否，委托他人", Effects: []tongban.Effect{{Op: tongban.EffectAdd, MaterialKey: "m3"}}},
			}},
			{Key: "s2", Question: "是否涉及外资？", Answers: []tongban.Answer{
				{Key: "a1", Label: "是", Effects: []tongban.Effect{
					{Op: tongban.EffectAdd, MaterialKey: "m4"},
					{Op: tongban.EffectCondition, Condition: "已办理外资备案; 名称含|竖线和\\反斜杠"},
				}},
				{Key: "a2", Label: "否"},
			}},
			{Key: "s3", Question: "外资股比是否超过50%？", DependsOn: &tongban.AnswerRef{Situation: "s2", Answer: "a1"},
				Answers: []tongban.Answer{
					{Key: "a1", Label: "是", Effects: []tongban.Effect{{Op: tongban.EffectReplace, MaterialKey: "m4", WithKey: "m5"}}},
					{Key: "a2", Label: "否"},
				}},
		},
	}
}
