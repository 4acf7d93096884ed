package tongban

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// LicenseField is one item of a licence type's face (照面).
type LicenseField struct {
	Key      string `json:"key"`  // the case form's field it is filled from
	Name     string `json:"name"` // as printed, e.g. 经营范围
	Type     string `json:"type"` // text, date, number
	Required bool   `json:"required,omitempty"`
}

// LicenseType is a 证照类型 of the national e-licence catalogue.
type LicenseType struct {
	// Code is the 证照类型代码: the defining ministry's 统一社会信用代码 (18)
	// and a 3-digit sequence.
	Code       string         `json:"code"`
	Name       string         `json:"name"`
	IssuerKind string         `json:"issuer_kind"` // 发证部门类别, e.g. 市场监督管理部门
	HolderKind HolderKind     `json:"holder_kind"` // who holds it
	ValidYears int            `json:"valid_years"` // 0: 长期有效
	Fields     []LicenseField `json:"fields"`
}

// HolderKind says whether a licence is held by a person or an organisation.
type HolderKind string

const (
	HolderPerson HolderKind = "person" // code is a 公民身份号码
	HolderOrg    HolderKind = "org"    // code is a 统一社会信用代码
)

// Validate checks a licence type's fields (the code's structure is checked
// by internal/license, which knows GB/T 36904).
func (t *LicenseType) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	switch {
	case utf8.RuneCountInString(t.Code) != 21:
		return FieldError("code", "证照类型代码应为21位")
	case t.Name == "":
		return FieldError("name", "请填写证照类型名称")
	case t.HolderKind != HolderPerson && t.HolderKind != HolderOrg:
		return FieldError("holder_kind", "持证主体类别应为 person 或 org")
	case t.ValidYears < 0 || t.ValidYears > 100:
		return FieldError("valid_years", "有效期年数应在0至100之间")
	case len(t.Fields) == 0:
		return FieldError("fields", "请列出证照照面项")
	}
	seen := map[string]bool{}
	for _, f := range t.Fields {
		if f.Key == "" || f.Name == "" || seen[f.Key] {
			return FieldError("fields", "照面项须有唯一的键和名称")
		}
		seen[f.Key] = true
	}
	return nil
}

// LicenseStatus is a licence's state (GB/T 36903 证照状态). Expiry is
// computed from ValidTo, not stored.
type LicenseStatus string

const (
	LicenseValid   LicenseStatus = "valid"   // 有效
	LicenseRevoked LicenseStatus = "revoked" // 已注销
	LicenseChanged LicenseStatus = "changed" // 已变更 (a newer version exists)
)

var licenseStatusLabels = map[LicenseStatus]string{LicenseValid: "有效", LicenseRevoked: "已注销", LicenseChanged: "已变更"}

// Label is the Chinese name of the status.
func (s LicenseStatus) Label() string { return licenseStatusLabels[s] }

// License is one e-licence with the GB/T 36903 metadata and its seal.
type License struct {
	ID         int64      `json:"id"`
	Identifier string     `json:"identifier"` // GB/T 36904, unique
	TypeCode   string     `json:"type_code"`
	TypeName   string     `json:"type_name"`
	Number     string     `json:"number"` // 证照编号, as printed
	IssuerID   int64      `json:"issuer_id"`
	IssuerName string     `json:"issuer_name"`
	IssuerCode CreditCode `json:"issuer_code"`
	IssuedOn   time.Time  `json:"issued_on"`         // date, UTC midnight
	ValidFrom  time.Time  `json:"valid_from"`        // date
	ValidTo    time.Time  `json:"valid_to,omitzero"` // date; zero: 长期
	HolderID   int64      `json:"holder_id"`         // the user who holds it
	HolderName string     `json:"holder_name"`       // 持证主体
	HolderKind HolderKind `json:"holder_kind"`       // and so the type of HolderCode
	// HolderCode is the holder's 公民身份号码 or 统一社会信用代码. A person's
	// is personal data: sealed at rest, masked (HolderCodeMasked) in pages.
	HolderCode       string            `json:"-"`
	HolderCodeMasked string            `json:"holder_code_masked"`
	RegionCode       string            `json:"region_code"`
	Status           LicenseStatus     `json:"status"`
	Version          int               `json:"version"`
	Face             map[string]string `json:"face"` // 照面, by the type's field names
	CaseID           int64             `json:"case_id,omitempty"`
	// Source says how it came to be: issued through a case (or a change), or
	// 历史导入 — loaded from the department's records of before Tongban.
	Source LicenseSource `json:"source"`
	// Replaces is the identifier of the version this one replaced (变更).
	Replaces string `json:"replaces,omitempty"`
	// StatusReason and StatusAt say why and when it was 注销 or 已变更.
	StatusReason string    `json:"status_reason,omitempty"`
	StatusAt     time.Time `json:"status_at,omitzero"`
	KeyID        string    `json:"key_id"`
	Signature    []byte    `json:"-"` // DER SM2 signature over license.Canonical
	CreatedAt    time.Time `json:"created_at"`
}

// LicenseSource is how a licence came to be.
type LicenseSource string

const (
	LicenseIssued   LicenseSource = "issued"   // 通办签发
	LicenseImported LicenseSource = "imported" // 历史导入
)

var licenseSourceLabels = map[LicenseSource]string{LicenseIssued: "通办签发", LicenseImported: "历史导入"}

// Label is the Chinese name of the source.
func (s LicenseSource) Label() string { return licenseSourceLabels[s] }

// Expired reports whether the licence's validity has ended by now.
func (l *License) Expired(now time.Time) bool {
	return !l.ValidTo.IsZero() && now.After(l.ValidTo.AddDate(0, 0, 1))
}

// SealKey is an issuing org's SM2 seal key. The private half is sealed at
// rest by the store; only the public half leaves the server.
type SealKey struct {
	ID         string    `json:"key_id"`
	OrgID      int64     `json:"org_id"`
	Algorithm  string    `json:"algorithm"` // SM2-SM3
	PublicPEM  string    `json:"public_pem"`
	PrivateDER []byte    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	// RetiredAt is when a rotation replaced it: it still verifies what it
	// signed, and signs nothing more.
	RetiredAt time.Time `json:"retired_at,omitzero"`
}

// LicenseIssuing is what issuing a licence of Type by Org reads.
type LicenseIssuing struct {
	Type *LicenseType
	Org  *Org
	Key  *SealKey // the org's current seal key; nil while it has none
}

// LicenseSerial is a serial of an issuer's year reserved before the issue
// transaction that uses it (see license.Serials): taken inside, the
// issuer's counter row would stay locked until the issue commits.
type LicenseSerial struct {
	IssuerID int64
	Year     int // in China time
	N        int64
	// Used is set by the issue that stored a licence with it; a serial not
	// used (a renewal, a refusal) is given back for the next issue.
	Used bool
}

// LicenseStore persists licence types, licences and seal keys.
type LicenseStore interface {
	PutLicenseType(ctx context.Context, t *LicenseType) error
	LicenseType(ctx context.Context, code string) (*LicenseType, error)
	LicenseTypes(ctx context.Context) ([]*LicenseType, error)
	LicenseTypeExists(ctx context.Context, code string) (bool, error)
	// NextLicenseSerial hands out the issuer's next serial for a year.
	NextLicenseSerial(ctx context.Context, issuerID int64, year int) (int64, error)
	// ReserveLicenseSerials bumps the issuer's serial counter of a year by
	// n in one statement of its own (never inside a transaction that does
	// more) and returns the last serial reserved.
	ReserveLicenseSerials(ctx context.Context, issuerID int64, year, n int) (int64, error)
	// CreateLicense stores a new licence. Its seal key must not be
	// retired: a licence signed by a key rotated meanwhile is refused
	// (SealKeyRetired), and the caller's transaction must then be rolled
	// back, as any error asks.
	CreateLicense(ctx context.Context, l *License) error
	// SealPlainFaces seals the 公民身份号码 items of up to limit licence
	// faces stored before they were sealed at rest (migration 00026) and
	// returns how many rows it looked at and how many it sealed.
	SealPlainFaces(ctx context.Context, limit int) (found, sealed int, err error)
	LicenseByIdentifier(ctx context.Context, identifier string) (*License, error)
	LicensesOfHolder(ctx context.Context, holderID int64) ([]*License, error)
	// LicensesOfIssuer lists an issuer's licences, newest first, at most limit.
	LicensesOfIssuer(ctx context.Context, issuerID int64, limit int) ([]*License, error)
	// LicenseNumberTaken reports whether a licence of the type already has
	// that 证照编号.
	LicenseNumberTaken(ctx context.Context, typeCode, number string) (bool, error)
	// SetLicenseStatus moves a 有效 licence to revoked or changed, with the
	// reason and time; a licence no longer 有效 is a conflict.
	SetLicenseStatus(ctx context.Context, id int64, status LicenseStatus, reason string, at time.Time) error
	CreateSealKey(ctx context.Context, k *SealKey) error
	// SealKeyOf is the org's current seal key (the newest not retired).
	SealKeyOf(ctx context.Context, orgID int64) (*SealKey, error)
	// LicenseIssuing is what issuing a licence of a type by an org reads,
	// in one statement: the type, the org and the org's current seal key
	// (nil while it has none). An unknown type or org is not found.
	LicenseIssuing(ctx context.Context, typeCode string, orgID int64) (*LicenseIssuing, error)
	// RetireSealKey marks a key retired by a rotation; retiring one already
	// retired is a conflict.
	RetireSealKey(ctx context.Context, id string, at time.Time) error
	SealKey(ctx context.Context, id string) (*SealKey, error)
	// SealKeys lists every seal key, old ones included, so licences signed
	// before a rotation still verify.
	SealKeys(ctx context.Context) ([]*SealKey, error)
}

// LicenceWithdrawn reports whether err is the refusal of 用证 consents
// (CaseStore.CreateCaseRecording, DataUseStore.RecordUsesAndConsents)
// because one of their licences was revoked or changed since it was
// checked: nothing was stored, and checking the claims again in a new
// transaction gives the applicant the reason, with the material named.
func LicenceWithdrawn(err error) bool {
	return IsCode(err, EConflict) && AsError(err).Field == "license_id"
}

// SealKeyRetired reports whether err is CreateLicense's refusal of a
// licence signed by a seal key retired meanwhile: nothing was stored, and
// issuing again signs with the org's current key.
func SealKeyRetired(err error) bool {
	return IsCode(err, EConflict) && AsError(err).Field == "key_id"
}
