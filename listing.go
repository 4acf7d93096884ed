package tongban

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ListingStatus is where a listing is in its life.
type ListingStatus string

const (
	ListingDraft     ListingStatus = "draft"     // 草稿: being written, not visible to applicants
	ListingPublished ListingStatus = "published" // 已发布: applicants can apply
	ListingSuspended ListingStatus = "suspended" // 已暂停: visible, not accepting applications
	ListingWithdrawn ListingStatus = "withdrawn" // 已撤销: gone; cases keep their version
)

var listingStatusLabels = map[ListingStatus]string{
	ListingDraft: "草稿", ListingPublished: "已发布", ListingSuspended: "已暂停", ListingWithdrawn: "已撤销",
}

func (s ListingStatus) Label() string { return listingStatusLabels[s] }
func (s ListingStatus) Valid() bool   { _, ok := listingStatusLabels[s]; return ok }

// ParseListingStatus accepts the Chinese label or the value.
func ParseListingStatus(s string) (ListingStatus, bool) {
	return parseCatalogEnum(listingStatusLabels, s)
}

// CaseType says whether a case is decided on the spot or within promised days.
type CaseType string

const (
	CaseInstant  CaseType = "instant"  // 即办件
	CasePromised CaseType = "promised" // 承诺件
)

var caseTypeLabels = map[CaseType]string{CaseInstant: "即办件", CasePromised: "承诺件"}

func (t CaseType) Label() string { return caseTypeLabels[t] }
func (t CaseType) Valid() bool   { _, ok := caseTypeLabels[t]; return ok }

// ParseCaseType accepts the Chinese label or the value.
func ParseCaseType(s string) (CaseType, bool) {
	switch strings.TrimSpace(s) {
	case "即办":
		return CaseInstant, true
	case "承诺":
		return CasePromised, true
	}
	return parseCatalogEnum(caseTypeLabels, s)
}

// OnlineDepth (网上办理深度) says how much of an item can be done online.
type OnlineDepth string

const (
	DepthFullyOnline   OnlineDepth = "fully_online"   // 全程网办: no trip at all
	DepthOnlineVerify  OnlineDepth = "online_verify"  // 网上申请+现场核验
	DepthOnlinePreview OnlineDepth = "online_preview" // 网上预审
	DepthOnSite        OnlineDepth = "on_site"        // 现场办理
)

var onlineDepthLabels = map[OnlineDepth]string{
	DepthFullyOnline: "全程网办", DepthOnlineVerify: "网上申请+现场核验",
	DepthOnlinePreview: "网上预审", DepthOnSite: "现场办理",
}

func (d OnlineDepth) Label() string { return onlineDepthLabels[d] }
func (d OnlineDepth) Valid() bool   { _, ok := onlineDepthLabels[d]; return ok }

// Online reports whether an application can be started online (网上可办).
func (d OnlineDepth) Online() bool { return d.Valid() && d != DepthOnSite }

// ParseOnlineDepth accepts the Chinese label, the value, or common synonyms.
func ParseOnlineDepth(s string) (OnlineDepth, bool) {
	switch strings.TrimSpace(s) {
	case "网上申请、现场核验", "网上申请＋现场核验", "网上申请+现场核验办理", "在线申请+现场核验":
		return DepthOnlineVerify, true
	case "全程网上办理", "网上办理":
		return DepthFullyOnline, true
	case "线下办理", "窗口办理":
		return DepthOnSite, true
	}
	return parseCatalogEnum(onlineDepthLabels, s)
}

// StepRole is what a process step does; the workflow routes on it.
type StepRole string

const (
	StepAccept   StepRole = "accept"   // 受理
	StepReview   StepRole = "review"   // 审查
	StepDecide   StepRole = "decide"   // 决定
	StepConclude StepRole = "conclude" // 办结 (issue the result)
	StepSpecial  StepRole = "special"  // 特别程序: hearing, expert review, inspection; usually outside the limit
)

var stepRoleLabels = map[StepRole]string{
	StepAccept: "受理", StepReview: "审查", StepDecide: "决定", StepConclude: "办结", StepSpecial: "特别程序",
}

func (r StepRole) Label() string { return stepRoleLabels[r] }
func (r StepRole) Valid() bool   { _, ok := stepRoleLabels[r]; return ok }

// ParseStepRole accepts the Chinese label or the value.
func ParseStepRole(s string) (StepRole, bool) {
	switch strings.TrimSpace(s) {
	case "审核":
		return StepReview, true
	case "审批", "审定":
		return StepDecide, true
	case "办结出件", "送达":
		return StepConclude, true
	}
	return parseCatalogEnum(stepRoleLabels, s)
}

// ResultType classifies what a case produces.
type ResultType string

const (
	ResultLicense  ResultType = "license"  // 证照
	ResultApproval ResultType = "approval" // 批文
	ResultOther    ResultType = "other"    // 其他
)

var resultTypeLabels = map[ResultType]string{ResultLicense: "证照", ResultApproval: "批文", ResultOther: "其他"}

func (t ResultType) Label() string { return resultTypeLabels[t] }
func (t ResultType) Valid() bool   { _, ok := resultTypeLabels[t]; return ok }

// ParseResultType accepts the Chinese label or the value.
func ParseResultType(s string) (ResultType, bool) { return parseCatalogEnum(resultTypeLabels, s) }

// Step is one stage of the process (办理流程); the reform allows at most four.
type Step struct {
	Name              string   `json:"name"`
	Role              StepRole `json:"role,omitempty"`
	Days              int      `json:"days"`                // this step's share of the promised days
	CountsTowardLimit bool     `json:"counts_toward_limit"` // false for 特别程序 (hearing, expert review)
	// Post is who in the department takes the step (办理岗位: 承办人,
	// 科室负责人, 分管负责人…); applicants see it instead of a name.
	Post string `json:"post,omitempty"`
	// OtherActor says the step must be taken by someone other than the
	// actor of the step before it (审核与审批分离: the one who reviewed
	// does not also decide); the workflow refuses the same person.
	OtherActor bool `json:"other_actor,omitempty"`
}

// Fee is one charge; a listing without fees is free (不收费).
type Fee struct {
	Item     string `json:"item"`     // 收费项目
	Standard string `json:"standard"` // 收费标准
	Basis    string `json:"basis"`    // 收费依据
}

// Flags are the reform's promises a listing makes.
type Flags struct {
	MostOneTrip        bool `json:"most_one_trip,omitempty"`       // 最多跑一次
	TolerantAcceptance bool `json:"tolerant_acceptance,omitempty"` // 容缺受理
	Commitment         bool `json:"commitment,omitempty"`          // 告知承诺
	CrossRegion        bool `json:"cross_region,omitempty"`        // 跨域通办
	Express            bool `json:"express,omitempty"`             // 支持物流快递
	Appointment        bool `json:"appointment,omitempty"`         // 支持预约
}

// Result is what the applicant gets.
type Result struct {
	Name   string     `json:"name,omitempty"`
	Type   ResultType `json:"type,omitempty"`
	Sample string     `json:"sample,omitempty"` // blob hash or URL
	// LicenseType is the 证照类型代码 of the e-licence issued as the result,
	// if any: taking `issue` on a case then creates and signs the licence.
	LicenseType string `json:"license_type,omitempty"`
}

// QA is one frequently asked question.
type QA struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Listing is a 实施清单: one org's implementation of an item in one region.
// ItemCode and OrgName travel with it so that a listing read from a file can
// be stored before IDs are known (the store resolves them) and written out
// again without looking anything up.
type Listing struct {
	ID             int64         `json:"id"`
	ItemID         int64         `json:"item_id"`
	ItemCode       string        `json:"item_code"` // 基本编码 of the item
	Code           string        `json:"code"`      // 实施编码
	OrgID          int64         `json:"org_id"`
	OrgName        string        `json:"org_name"` // 实施部门, as named in the catalog
	RegionCode     string        `json:"region_code"`
	Version        int           `json:"version"`
	Status         ListingStatus `json:"status"`
	Name           string        `json:"name"` // may differ from the item's name
	PromisedDays   int           `json:"promised_days"`
	CaseType       CaseType      `json:"case_type,omitempty"`
	Conditions     []string      `json:"conditions,omitempty"` // 受理条件
	Steps          []Step        `json:"steps,omitempty"`
	Fees           []Fee         `json:"fees,omitempty"`
	Place          string        `json:"place,omitempty"`
	Hours          string        `json:"hours,omitempty"`
	Phone          string        `json:"phone,omitempty"`
	ComplaintPhone string        `json:"complaint_phone,omitempty"`
	Trips          int           `json:"trips"` // 到办事现场次数
	OnlineDepth    OnlineDepth   `json:"online_depth,omitempty"`
	Flags          Flags         `json:"flags"`
	Result         Result        `json:"result"`
	FAQ            []QA          `json:"faq,omitempty"`
	Materials      []Material    `json:"materials,omitempty"`
	Situations     []Situation   `json:"situations,omitempty"`
	UpdatedAt      time.Time     `json:"updated_at,omitzero"`
	PublishedAt    time.Time     `json:"published_at,omitzero"`
}

// Material returns the listing's material with the key.
func (l *Listing) Material(key string) (Material, bool) {
	for _, m := range l.Materials {
		if m.Key == key {
			return m, true
		}
	}
	return Material{}, false
}

// Validate returns the first problem of the listing, or nil.
func (l *Listing) Validate() error { return firstProblem(l.Problems()) }

// Problems lists every structural field error. Completeness (contacts,
// review criteria, time limits…) is judged by the catalog's quality check,
// so an imported draft with bare names is still a valid listing.
func (l *Listing) Problems() []*Error {
	var errs []*Error
	add := func(field, format string, args ...any) { errs = append(errs, FieldError(field, format, args...)) }
	if strings.TrimSpace(l.Name) == "" {
		add("name", "实施清单名称不能为空")
	}
	if l.ItemID == 0 && strings.TrimSpace(l.ItemCode) == "" {
		add("item_code", "须指明所属事项")
	}
	if l.OrgID == 0 && strings.TrimSpace(l.OrgName) == "" {
		add("org_name", "实施部门不能为空")
	}
	if l.RegionCode != "" && !isRegionCode(l.RegionCode) {
		add("region_code", "行政区划代码应为12位数字")
	}
	if l.Version < 0 {
		add("version", "版本号不能为负数")
	}
	if !l.Status.Valid() {
		add("status", "状态应为 草稿、已发布、已暂停 或 已撤销")
	}
	if l.CaseType != "" && !l.CaseType.Valid() {
		add("case_type", "办件类型应为 即办件 或 承诺件")
	}
	if l.PromisedDays < 0 {
		add("promised_days", "承诺时限不能为负数")
	}
	if l.Trips < 0 {
		add("trips", "到现场次数不能为负数")
	}
	if l.OnlineDepth != "" && !l.OnlineDepth.Valid() {
		add("online_depth", "办理深度无效：%s", l.OnlineDepth)
	}
	if l.Result.Type != "" && !l.Result.Type.Valid() {
		add("result.type", "结果类型应为 证照、批文 或 其他")
	}
	if l.Result.LicenseType != "" && (len(l.Result.LicenseType) != 21 || l.Result.Type != ResultLicense) {
		add("result.license_type", "结果证照类型代码应为21位，且结果类型须为证照")
	}
	for i, c := range l.Conditions {
		if strings.TrimSpace(c) == "" {
			add(fmt.Sprintf("conditions[%d]", i), "受理条件不能为空")
		}
	}
	for i, s := range l.Steps {
		p := fmt.Sprintf("steps[%d]", i)
		if strings.TrimSpace(s.Name) == "" {
			add(p+".name", "环节名称不能为空")
		}
		if s.Role != "" && !s.Role.Valid() {
			add(p+".role", "环节类型应为 受理、审查、决定、办结 或 特别程序")
		}
		if s.Days < 0 {
			add(p+".days", "环节时限不能为负数")
		}
		if s.OtherActor && i == 0 {
			add(p+".other_actor", "第一个环节没有上一环节，不能要求由另一人办理")
		}
	}
	for i, f := range l.Fees {
		if strings.TrimSpace(f.Item) == "" {
			add(fmt.Sprintf("fees[%d].item", i), "收费项目不能为空")
		}
	}
	for i, q := range l.FAQ {
		if strings.TrimSpace(q.Question) == "" {
			add(fmt.Sprintf("faq[%d].question", i), "问题不能为空")
		}
		if strings.TrimSpace(q.Answer) == "" {
			add(fmt.Sprintf("faq[%d].answer", i), "解答不能为空")
		}
	}
	keys := map[string]bool{}
	for i, m := range l.Materials {
		p := fmt.Sprintf("materials[%d]", i)
		errs = append(errs, prefixProblems(p, m.Problems())...)
		if m.Key != "" && keys[m.Key] {
			add(p+".key", "材料编号重复：%s", m.Key)
		}
		keys[m.Key] = true
	}
	keys = map[string]bool{}
	for i, s := range l.Situations {
		p := fmt.Sprintf("situations[%d]", i)
		errs = append(errs, prefixProblems(p, s.Problems())...)
		if s.Key != "" && keys[s.Key] {
			add(p+".key", "情形编号重复：%s", s.Key)
		}
		keys[s.Key] = true
	}
	return errs
}

func isRegionCode(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Clone returns a deep copy, so a snapshot never shares slices with a
// listing that is edited later.
func (l Listing) Clone() Listing {
	c := l
	c.Conditions = slices.Clone(l.Conditions)
	c.Steps = slices.Clone(l.Steps)
	c.Fees = slices.Clone(l.Fees)
	c.FAQ = slices.Clone(l.FAQ)
	c.Materials = slices.Clone(l.Materials)
	if l.Situations != nil {
		c.Situations = make([]Situation, len(l.Situations))
		for i, s := range l.Situations {
			c.Situations[i] = s.clone()
		}
	}
	return c
}

func (s Situation) clone() Situation {
	c := s
	if s.DependsOn != nil {
		d := *s.DependsOn
		c.DependsOn = &d
	}
	if s.Answers != nil {
		c.Answers = make([]Answer, len(s.Answers))
		for i, a := range s.Answers {
			c.Answers[i] = a
			if a.Effects != nil {
				c.Answers[i].Effects = make([]Effect, len(a.Effects))
				for j, e := range a.Effects {
					if e.Material != nil {
						m := *e.Material
						e.Material = &m
					}
					c.Answers[i].Effects[j] = e
				}
			}
		}
	}
	return c
}

// ListingVersion is an immutable snapshot of a listing as published (or
// otherwise changed). A case keeps the version it was applied under, so a
// later edit never changes what an applicant was asked for.
type ListingVersion struct {
	ID        int64     `json:"id"`
	ListingID int64     `json:"listing_id"`
	Version   int       `json:"version"`
	Listing   Listing   `json:"listing"`    // stored as JSON
	ChangedBy int64     `json:"changed_by"` // user id
	ChangedAt time.Time `json:"changed_at"`
	Reason    string    `json:"reason"`
}

// NewListingVersion snapshots l.
func NewListingVersion(l Listing, by int64, at time.Time, reason string) ListingVersion {
	return ListingVersion{ListingID: l.ID, Version: l.Version, Listing: l.Clone(), ChangedBy: by, ChangedAt: at, Reason: reason}
}
