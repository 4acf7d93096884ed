package tongban

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// BundleStatus is where a bundle (一件事) definition is in its life.
type BundleStatus string

const (
	BundleDraft     BundleStatus = "draft"     // 草稿
	BundlePublished BundleStatus = "published" // 已发布: applicants can apply
	BundleWithdrawn BundleStatus = "withdrawn" // 已撤销
)

var bundleStatusLabels = map[BundleStatus]string{BundleDraft: "草稿", BundlePublished: "已发布", BundleWithdrawn: "已撤销"}

func (s BundleStatus) Label() string { return bundleStatusLabels[s] }
func (s BundleStatus) Valid() bool   { _, ok := bundleStatusLabels[s]; return ok }

// FieldKind is what a form field holds; the rule a value must meet.
type FieldKind string

const (
	FieldText     FieldKind = "text"      // 文本
	FieldNumber   FieldKind = "number"    // 数字
	FieldDate     FieldKind = "date"      // 日期 YYYY-MM-DD
	FieldIDNumber FieldKind = "id_number" // 居民身份证号 (GB 11643)
	FieldPhone    FieldKind = "phone"     // 手机号码
)

var fieldKindLabels = map[FieldKind]string{FieldText: "文本", FieldNumber: "数字", FieldDate: "日期",
	FieldIDNumber: "身份证号", FieldPhone: "手机号码"}

func (k FieldKind) Label() string { return fieldKindLabels[k] }
func (k FieldKind) Valid() bool   { _, ok := fieldKindLabels[k]; return ok }

// ComponentField is one field of a component's own application form, with
// the rule its department sets for it. A field is filled from the merged
// form (see BundleField), or, with FromResult, from the result number of a
// prerequisite component's case (the 出生医学证明 number in 户口登记).
type ComponentField struct {
	Key        string    `json:"key"`
	Label      string    `json:"label"`
	Kind       FieldKind `json:"kind"`
	Required   bool      `json:"required,omitempty"`
	MaxLen     int       `json:"max_len,omitempty"` // in characters; 0 = no limit
	Min        *float64  `json:"min,omitempty"`     // for numbers
	Max        *float64  `json:"max,omitempty"`
	FromResult string    `json:"from_result,omitempty"` // a prerequisite component's key
}

// FieldRef names a component's form field.
type FieldRef struct {
	Component string `json:"component"`
	Field     string `json:"field"`
}

// BundleField is one field of the merged form (一表申请): asked once, it
// feeds every component field it maps onto.
type BundleField struct {
	Key   string     `json:"key"`
	Label string     `json:"label"`
	Kind  FieldKind  `json:"kind"`
	Maps  []FieldRef `json:"maps"`
}

// BundleAnswer is one answer to a bundle's situation question.
type BundleAnswer struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// BundleSituation is a question whose answer decides which components
// apply (新生儿出生: 是否在本市登记户口).
type BundleSituation struct {
	Key      string         `json:"key"`
	Question string         `json:"question"`
	Answers  []BundleAnswer `json:"answers"`
}

// BundleComponent is one listing of a bundle. ListingID, Name, OrgID,
// OrgName and PromisedDays are resolved from the listing when the bundle
// is saved; a file names the listing by its code.
type BundleComponent struct {
	Key          string `json:"key"`
	ListingCode  string `json:"listing_code"`
	ListingID    int64  `json:"listing_id,omitempty"`
	Name         string `json:"name,omitempty"`
	OrgID        int64  `json:"org_id,omitempty"`
	OrgName      string `json:"org_name,omitempty"`
	PromisedDays int    `json:"promised_days"`
	// After lists the components that must be decided before this one starts.
	After []string `json:"after,omitempty"`
	// When lists answers that must all be given for the component to apply;
	// empty means it always applies.
	When []AnswerRef `json:"when,omitempty"`
	// ListingAnswers answer the listing's own situations (情形) for this
	// bundle (城乡居民医保: 是否为新生儿参保 → 是), which decides the
	// materials the component asks.
	ListingAnswers map[string]string `json:"listing_answers,omitempty"`
	// ResultStandard is the standard material code of the component's
	// result (出生医学证明 BZ0203): a dependant asking for that paper gets it
	// from the result, so the applicant is not asked.
	ResultStandard string           `json:"result_standard,omitempty"`
	Fields         []ComponentField `json:"fields,omitempty"`
}

// Field returns the component's field with the key.
func (c *BundleComponent) Field(key string) (ComponentField, bool) {
	for _, f := range c.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return ComponentField{}, false
}

// Bundle is a 一件事: several listings across departments done with one
// form and one set of materials. Every save is a new version.
type Bundle struct {
	ID          int64        `json:"id"`
	Code        string       `json:"code"` // YJS-XSECS
	Name        string       `json:"name"` // 新生儿出生“一件事”
	Summary     string       `json:"summary,omitempty"`
	Subject     string       `json:"subject"`              // 个人 or 法人
	LifeEvent   string       `json:"life_event,omitempty"` // 出生, 开办, 退休, 变更, 身后
	Keywords    []string     `json:"keywords,omitempty"`   // words people search with: 开餐馆
	LeadOrgID   int64        `json:"lead_org_id,omitempty"`
	LeadOrgCode string       `json:"lead_org_code"`
	LeadOrgName string       `json:"lead_org_name,omitempty"`
	RegionCode  string       `json:"region_code,omitempty"`
	Version     int          `json:"version"`
	Status      BundleStatus `json:"status"`
	// PromisedDays is the bundle's promised time in working days; at most
	// its longest path through the components (0 = that path).
	PromisedDays int               `json:"promised_days"`
	Components   []BundleComponent `json:"components"`
	Situations   []BundleSituation `json:"situations,omitempty"`
	Fields       []BundleField     `json:"fields"`
	UpdatedAt    time.Time         `json:"updated_at,omitzero"`
	PublishedAt  time.Time         `json:"published_at,omitzero"`
	// Pending is a draft saved beside the published version: editors see
	// it, applicants keep reading this one. PendingRev counts the draft's
	// saves so a stale editor is refused. Neither is part of the definition.
	Pending    *Bundle `json:"-"`
	PendingRev int     `json:"-"`
}

// Component returns the bundle's component with the key.
func (b *Bundle) Component(key string) (*BundleComponent, bool) {
	for i := range b.Components {
		if b.Components[i].Key == key {
			return &b.Components[i], true
		}
	}
	return nil, false
}

// Problems lists the structural errors of the definition; whether it may be
// published is the quality check's (internal/bundle) to say.
func (b *Bundle) Problems() []*Error {
	var errs []*Error
	add := func(field, format string, args ...any) { errs = append(errs, FieldError(field, format, args...)) }
	badKey := badBundleKey
	if !ValidStandardCode(strings.ReplaceAll(b.Code, "-", "")) || utf8.RuneCountInString(b.Code) > 32 {
		add("code", "一件事编码应为大写字母开头的大写字母、数字或连字符，如 YJS-XSECS")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(b.Name)); n == 0 || n > 60 {
		add("name", "一件事名称应为1至60个字")
	}
	if b.Subject != "个人" && b.Subject != "法人" {
		add("subject", "服务对象应为 个人 或 法人")
	}
	if b.LeadOrgID == 0 && strings.TrimSpace(b.LeadOrgCode) == "" {
		add("lead_org_code", "须指明牵头部门")
	}
	if b.Status != "" && !b.Status.Valid() {
		add("status", "状态应为 草稿、已发布 或 已撤销")
	}
	if b.PromisedDays < 0 {
		add("promised_days", "承诺时限不能为负数")
	}
	if len(b.Components) < 2 {
		add("components", "一件事至少应包含两个事项")
	}
	keys := map[string]bool{}
	for i, c := range b.Components {
		p := fmt.Sprintf("components[%d]", i)
		switch {
		case badKey(c.Key):
			add(p+".key", "事项编号不能为空，也不能含有空格或 | ; = > : /")
		case keys[c.Key]:
			add(p+".key", "事项编号重复：%s", c.Key)
		}
		keys[c.Key] = true
		if c.ListingID == 0 && strings.TrimSpace(c.ListingCode) == "" {
			add(p+".listing_code", "须指明实施清单编码")
		}
		fkeys := map[string]bool{}
		for j, f := range c.Fields {
			q := fmt.Sprintf("%s.fields[%d]", p, j)
			fieldProblems(add, q, f.Key, f.Label, f.Kind, fkeys)
			if f.MaxLen < 0 {
				add(q+".max_len", "最大长度不能为负数")
			}
		}
	}
	for i, c := range b.Components {
		for j, a := range c.After {
			if !keys[a] || a == c.Key {
				add(fmt.Sprintf("components[%d].after[%d]", i, j), "前置事项「%s」不在本一件事中", a)
			}
		}
	}
	skeys := map[string]map[string]bool{}
	for i, s := range b.Situations {
		p := fmt.Sprintf("situations[%d]", i)
		if badKey(s.Key) || skeys[s.Key] != nil {
			add(p+".key", "情形编号为空或重复：%s", s.Key)
		}
		if strings.TrimSpace(s.Question) == "" {
			add(p+".question", "情形问题不能为空")
		}
		if len(s.Answers) < 2 {
			add(p+".answers", "情形至少应有两个答案")
		}
		as := map[string]bool{}
		for j, a := range s.Answers {
			if badKey(a.Key) || as[a.Key] || strings.TrimSpace(a.Label) == "" {
				add(fmt.Sprintf("%s.answers[%d]", p, j), "答案编号或内容为空或重复：%s", a.Key)
			}
			as[a.Key] = true
		}
		skeys[s.Key] = as
	}
	for i, c := range b.Components {
		for j, w := range c.When {
			if !skeys[w.Situation][w.Answer] {
				add(fmt.Sprintf("components[%d].when[%d]", i, j), "适用情形「%s」不存在", w.String())
			}
		}
	}
	fk := map[string]bool{}
	for i, f := range b.Fields {
		fieldProblems(add, fmt.Sprintf("fields[%d]", i), f.Key, f.Label, f.Kind, fk)
	}
	return errs
}

// badBundleKey reports a key that is empty or holds a separator.
func badBundleKey(k string) bool {
	return strings.TrimSpace(k) == "" || strings.ContainsAny(k, "|;=>:/\n ")
}

// fieldProblems checks a form field's key (unique among seen), label and kind.
func fieldProblems(add func(field, format string, args ...any), p, key, label string, kind FieldKind, seen map[string]bool) {
	switch {
	case badBundleKey(key):
		add(p+".key", "字段编号不能为空，也不能含有空格或 | ; = > : /")
	case seen[key]:
		add(p+".key", "字段编号重复：%s", key)
	}
	seen[key] = true
	if strings.TrimSpace(label) == "" {
		add(p+".label", "字段名称不能为空")
	}
	if !kind.Valid() {
		add(p+".kind", "字段类型应为 text、number、date、id_number 或 phone")
	}
}

// Validate returns the first structural problem, or nil.
func (b *Bundle) Validate() error { return firstProblem(b.Problems()) }

// BundleFilter narrows a bundle listing. Zero fields do not filter.
type BundleFilter struct {
	Status BundleStatus
}

// SubCaseStatus is where one component of a bundle application is.
type SubCaseStatus string

const (
	SubWaiting SubCaseStatus = "waiting" // 等待前置事项办结
	SubStarted SubCaseStatus = "started" // 已生成子办件
	SubStopped SubCaseStatus = "stopped" // 前置事项不予办理，本事项终止
)

var subStatusLabels = map[SubCaseStatus]string{SubWaiting: "等待前置事项", SubStarted: "办理中", SubStopped: "已终止"}

func (s SubCaseStatus) Label() string { return subStatusLabels[s] }

// SubCase is one applicable component of a bundle application. Its number
// is reserved when the bundle is applied for; its case exists once it
// started (at once, or when its prerequisites were approved).
type SubCase struct {
	Component      string        `json:"component"`
	Name           string        `json:"name"`
	ListingID      int64         `json:"listing_id"`
	ListingVersion int           `json:"listing_version"`
	OrgID          int64         `json:"org_id"`
	OrgName        string        `json:"org_name"`
	Number         string        `json:"number"`
	CaseID         int64         `json:"case_id,omitempty"`
	Status         SubCaseStatus `json:"status"`
	Reason         string        `json:"reason,omitempty"` // why it stopped
	After          []string      `json:"after,omitempty"`
	Position       int           `json:"-"`
	// Spared are the materials of a waiting sub-case spared by references
	// resolved at application (keyed as its listing keys them): it starts
	// with them (internal/bundle).
	Spared []CaseMaterial `json:"-"`
}

// BundleCase is the parent case of a bundle application: the merged form,
// the one set of materials, and one sub-case per applicable component.
// Its state is derived from its sub-cases (internal/bundle), not stored.
type BundleCase struct {
	ID            int64             `json:"id"`
	Number        string            `json:"number"`
	BundleID      int64             `json:"bundle_id"`
	BundleVersion int               `json:"bundle_version"`
	BundleName    string            `json:"bundle_name"`
	LeadOrgID     int64             `json:"lead_org_id"`
	RegionCode    string            `json:"region_code"`
	ApplicantID   int64             `json:"applicant_id"`
	ApplicantName string            `json:"applicant_name"`
	Channel       Channel           `json:"channel"`
	Answers       map[string]string `json:"answers,omitempty"`
	Form          json.RawMessage   `json:"form"` // the merged form; sealed at rest
	// Materials are the merged materials handed over, keyed by the merged
	// key (the standard material code, or component/material).
	Materials []CaseMaterial `json:"materials"`
	Delivery  DeliveryMethod `json:"delivery"`
	// Separate says the applicant asked for results one by one instead of
	// handed over together.
	Separate       bool       `json:"separate,omitempty"`
	Subs           []*SubCase `json:"sub_cases"`
	IdempotencyKey string     `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Version        int        `json:"version"`
}

// Sub returns the sub-case of the component.
func (bc *BundleCase) Sub(component string) (*SubCase, bool) {
	for _, s := range bc.Subs {
		if s.Component == component {
			return s, true
		}
	}
	return nil, false
}

// BundleCaseFilter narrows a listing of bundle applications.
type BundleCaseFilter struct {
	BundleID    int64
	ApplicantID int64
	LeadOrgID   int64
	Limit       int
}

// BundleStore keeps bundle definitions, their versions, and bundle
// applications with their sub-cases.
type BundleStore interface {
	// SaveBundle inserts b (ID 0) or updates it, as a new version: Version
	// must be the stored one (else EConflict) and becomes the next. A code
	// another bundle has is an EConflict on "code".
	// It also clears the pending draft; PendingRev must be the stored one.
	SaveBundle(ctx context.Context, b *Bundle) error
	// SaveBundlePending stores b.Pending (nil: discards it) beside the
	// live version without changing it: Version and PendingRev must be
	// the stored ones (else EConflict); PendingRev becomes the next.
	SaveBundlePending(ctx context.Context, b *Bundle) error
	Bundle(ctx context.Context, id int64) (*Bundle, error)
	BundleByCode(ctx context.Context, code string) (*Bundle, error)
	BundleVersion(ctx context.Context, id int64, version int) (*Bundle, error)
	Bundles(ctx context.Context, f BundleFilter) ([]*Bundle, error)

	// CreateBundleCase inserts the parent and its sub-cases. A second one
	// with the same applicant and idempotency key is an EConflict on
	// "idempotency_key".
	CreateBundleCase(ctx context.Context, bc *BundleCase) error
	BundleCase(ctx context.Context, id int64) (*BundleCase, error)
	// BundleCaseForUpdate reads and locks the parent until the transaction ends.
	BundleCaseForUpdate(ctx context.Context, id int64) (*BundleCase, error)
	BundleCaseByNumber(ctx context.Context, number string) (*BundleCase, error)
	BundleCaseByIdempotencyKey(ctx context.Context, applicantID int64, key string) (*BundleCase, error)
	// UpdateBundleCase writes the parent and its sub-cases if Version is
	// still the stored one, then increments it; else EConflict.
	UpdateBundleCase(ctx context.Context, bc *BundleCase) error
	// BundleCaseOf returns the parent whose sub-case the case is
	// (ENotFound for a case of no bundle).
	BundleCaseOf(ctx context.Context, caseID int64) (*BundleCase, error)
	BundleCases(ctx context.Context, f BundleCaseFilter) ([]*BundleCase, error)
}
