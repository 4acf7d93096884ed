package tongban

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// ShareCondition is a resource's 共享属性 in the 政务信息资源目录.
type ShareCondition string

const (
	ShareUnconditional ShareCondition = "unconditional" // 无条件共享
	ShareConditional   ShareCondition = "conditional"   // 有条件共享: the person consents for the case
	ShareNone          ShareCondition = "none"          // 不予共享
)

var shareLabels = map[ShareCondition]string{
	ShareUnconditional: "无条件共享", ShareConditional: "有条件共享", ShareNone: "不予共享",
}

func (s ShareCondition) Label() string { return shareLabels[s] }
func (s ShareCondition) Valid() bool   { _, ok := shareLabels[s]; return ok }

// SubjectKind is whose records a resource holds, and so how they are keyed.
type SubjectKind string

const (
	SubjectPerson     SubjectKind = "person"     // 自然人, by 居民身份证号
	SubjectEnterprise SubjectKind = "enterprise" // 法人, by 统一社会信用代码
)

var subjectLabels = map[SubjectKind]string{SubjectPerson: "自然人（身份证号）", SubjectEnterprise: "法人（统一社会信用代码）"}

func (k SubjectKind) Label() string { return subjectLabels[k] }
func (k SubjectKind) Valid() bool   { _, ok := subjectLabels[k]; return ok }

// SubjectOf is the key an applicant's records are filed under for the
// kind: a citizen's ID number, an enterprise's credit code; "" if the
// applicant is not of that kind.
func SubjectOf(u *User, k SubjectKind) string {
	switch {
	case k == SubjectPerson && u.Kind == UserCitizen:
		return u.IDNumber.Reveal()
	case k == SubjectEnterprise && u.Kind == UserEnterprise:
		return string(u.CreditCode)
	}
	return ""
}

// ResourceField is one data item (信息项) of a resource.
type ResourceField struct {
	Key      string `json:"key"`  // stable, e.g. address
	Name     string `json:"name"` // 住址
	Required bool   `json:"required,omitempty"`
	// Personal items are masked when shown to the applicant to confirm
	// (names, ID numbers, addresses); the approver sees them in full.
	Personal bool `json:"personal,omitempty"`
	// FormField is the application form field it fills in (企业名称,
	// 法定代表人, 住所…), if any.
	FormField string `json:"form_field,omitempty"`
}

// DataResource is one entry of the 政务信息资源目录: a department's data
// that other departments may use instead of asking the applicant.
type DataResource struct {
	ID          int64           `json:"id"`
	Code        string          `json:"code"` // 资源代码, e.g. GA-HJXX
	Name        string          `json:"name"` // 户籍信息
	OrgID       int64           `json:"org_id"`
	OrgName     string          `json:"org_name,omitempty"`
	Subject     SubjectKind     `json:"subject"`
	Fields      []ResourceField `json:"fields"`
	Share       ShareCondition  `json:"share"`
	UpdateCycle string          `json:"update_cycle,omitempty"` // 实时, 每日, 每月…
	LegalBasis  string          `json:"legal_basis,omitempty"`
	// Standards are the standard materials a record stands for: an
	// application asking one of them may take the record instead.
	Standards []string `json:"standards,omitempty"`
	// PullURL, when set, is the provider's endpoint Tongban asks for a
	// subject's record (see docs/exchange.md); otherwise providers push.
	PullURL string `json:"pull_url,omitempty"`
	// PullTimeoutMS bounds a pull, in milliseconds; 0 = the platform's default.
	PullTimeoutMS int       `json:"pull_timeout_ms,omitempty"`
	UpdatedBy     int64     `json:"-"`
	UpdatedAt     time.Time `json:"updated_at"`
}

var resourceCodePattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+){0,3}$`)
var fieldKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// PullTimeout is the time a pull may take; 0 = the platform's default.
func (r *DataResource) PullTimeout() time.Duration {
	return time.Duration(r.PullTimeoutMS) * time.Millisecond
}

// Field returns the resource's data item with the key.
func (r *DataResource) Field(key string) (ResourceField, bool) {
	for _, f := range r.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return ResourceField{}, false
}

// StandsFor reports whether a record of the resource stands for the
// standard material.
func (r *DataResource) StandsFor(code string) bool {
	for _, s := range r.Standards {
		if s == code {
			return true
		}
	}
	return false
}

// Problems lists the resource's field errors.
func (r *DataResource) Problems() []*Error {
	var errs []*Error
	add := func(field, format string, args ...any) { errs = append(errs, FieldError(field, format, args...)) }
	if !resourceCodePattern.MatchString(r.Code) || len(r.Code) > 40 {
		add("code", "资源代码应为大写字母、数字和连字符，如 GA-HJXX")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(r.Name)); n == 0 || n > 60 {
		add("name", "资源名称应为1至60个字")
	}
	if r.OrgID == 0 {
		add("org_id", "请指明提供部门")
	}
	if !r.Subject.Valid() {
		add("subject", "共享对象应为 person（身份证号）或 enterprise（统一社会信用代码）")
	}
	if !r.Share.Valid() {
		add("share", "共享属性应为 无条件共享、有条件共享 或 不予共享")
	}
	if len(r.Fields) == 0 || len(r.Fields) > 60 {
		add("fields", "信息项应有1至60项")
	}
	seen := map[string]bool{}
	for i, f := range r.Fields {
		p := fmt.Sprintf("fields[%d]", i)
		switch {
		case !fieldKeyPattern.MatchString(f.Key):
			add(p+".key", "信息项代码应为小写字母开头的字母、数字或下划线")
		case seen[f.Key]:
			add(p+".key", "信息项代码重复：%s", f.Key)
		}
		seen[f.Key] = true
		if n := utf8.RuneCountInString(strings.TrimSpace(f.Name)); n == 0 || n > 30 {
			add(p+".name", "信息项名称应为1至30个字")
		}
		if utf8.RuneCountInString(f.FormField) > 30 {
			add(p+".form_field", "表单字段名不能超过30个字")
		}
	}
	if utf8.RuneCountInString(r.UpdateCycle) > 20 || utf8.RuneCountInString(r.LegalBasis) > 500 {
		add("legal_basis", "更新周期不超过20个字，共享依据不超过500个字")
	}
	for i, s := range r.Standards {
		if !ValidStandardCode(s) {
			add(fmt.Sprintf("standards[%d]", i), "标准材料编码无效：%s", s)
		}
	}
	if r.PullURL != "" {
		u, err := url.Parse(r.PullURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			add("pull_url", "调取地址应为 http(s):// 开头的完整地址")
		}
	}
	if r.PullTimeoutMS < 0 || r.PullTimeoutMS > 60000 {
		add("pull_timeout", "调取超时应在0至60秒之间")
	}
	return errs
}

// DataRecord is one subject's record of a resource, as its provider gave
// it. The subject (an ID number or credit code) and the data are sealed at
// rest; records are found by the subject's blind index.
type DataRecord struct {
	ID         int64             `json:"id"`
	ResourceID int64             `json:"resource_id"`
	Subject    string            `json:"-"` // full in memory only
	Data       map[string]string `json:"data"`
	Source     string            `json:"source"` // push, pull or accounts
	UpdatedAt  time.Time         `json:"updated_at"`
}

// Consent is a person's permission to use a 有条件共享 resource for one
// application (授权): granted before the case is filed, used by at most one
// case, revocable until then, and kept afterwards as part of the record.
type Consent struct {
	ID           int64     `json:"id"`
	SubjectID    int64     `json:"-"`
	ResourceCode string    `json:"resource"`
	ListingID    int64     `json:"listing_id"`
	Purpose      string    `json:"purpose"` // 办理「…」
	GrantedAt    time.Time `json:"granted_at"`
	GrantedBy    int64     `json:"-"` // the person, or the clerk who took it at a window
	ExpiresAt    time.Time `json:"expires_at"`
	CaseNumber   string    `json:"case_number,omitempty"` // set when a case used it
	UsedAt       time.Time `json:"used_at,omitzero"`
	RevokedAt    time.Time `json:"revoked_at,omitzero"`
}

// Open reports whether a case may still use the consent at now.
func (c *Consent) Open(now time.Time) bool {
	return c.CaseNumber == "" && c.RevokedAt.IsZero() && now.Before(c.ExpiresAt)
}

// DataStore keeps the resource catalog, the records and consents.
type DataStore interface {
	// SaveDataResource inserts r, or updates the resource with its code.
	SaveDataResource(ctx context.Context, r *DataResource) error
	DataResource(ctx context.Context, code string) (*DataResource, error)
	// DataResourceRecord returns the resource with its code (ENotFound if
	// none) and, read in the same statement, the subject's record in it
	// if the resource shares it unconditionally and keys records of kind;
	// rec is nil otherwise (a 有条件 resource's record is read only once
	// consent is checked).
	DataResourceRecord(ctx context.Context, code string, kind SubjectKind, subject string) (res *DataResource, rec *DataRecord, err error)
	DataResources(ctx context.Context) ([]*DataResource, error)

	// PutDataRecords inserts or replaces records of one resource by
	// subject and deletes those of the subjects in remove, in the caller's
	// transaction; it reports how many were new.
	PutDataRecords(ctx context.Context, resourceID int64, recs []*DataRecord, remove []string) (created int, err error)
	// DataRecord returns the subject's record of the resource (ENotFound if none).
	DataRecord(ctx context.Context, resourceID int64, subject string) (*DataRecord, error)
	// DataRecordByID returns a record by id (ENotFound if none).
	DataRecordByID(ctx context.Context, id int64) (*DataRecord, error)
	CountDataRecords(ctx context.Context, resourceID int64) (int, error)

	AddConsent(ctx context.Context, c *Consent) error
	// Consents lists a person's consents, newest first.
	Consents(ctx context.Context, subjectID int64) ([]*Consent, error)
	// OpenConsent returns the person's newest open consent to the resource
	// for the listing at now (ENotFound if none), locking it until the
	// transaction ends.
	OpenConsent(ctx context.Context, subjectID int64, resourceCode string, listingID int64, now time.Time) (*Consent, error)
	// UseConsent binds an open consent to a case; a consent used or
	// revoked meanwhile is an EConflict.
	UseConsent(ctx context.Context, id int64, caseNumber string, at time.Time) error
	// RevokeConsent revokes the person's unused consent (ENotFound otherwise).
	RevokeConsent(ctx context.Context, subjectID, id int64, at time.Time) error
}
