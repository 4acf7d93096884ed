package tongban

import (
	"context"
	"time"
)

// DataUseKind says how a person's data was read.
type DataUseKind string

const (
	DataUseSharedLookup DataUseKind = "shared_lookup" // a shared-data record looked up (共享数据查询)
	DataUseLicense      DataUseKind = "license_use"   // a licence used for a case (用证)
	DataUseStaffReveal  DataUseKind = "staff_reveal"  // staff showed a full ID number or phone
	DataUseAPIRelease   DataUseKind = "api_release"   // a department system received it through the API or OIDC
	DataUseLibrary      DataUseKind = "library_use"   // a material library entry reused for a case
	// DataUseCounterLookup: a clerk found the applicant at the counter by
	// the full ID number they presented; it is the purpose that lets the
	// clerk read that person for a while (identity.CounterServiceTTL).
	DataUseCounterLookup DataUseKind = "counter_lookup"
	// DataUseLicenseRead: staff opened a person's e-licence, as the issuer
	// or for a case its holder authorised it for (用证).
	DataUseLicenseRead DataUseKind = "license_read"
)

var dataUseKindLabels = map[DataUseKind]string{
	DataUseSharedLookup: "共享数据查询", DataUseLicense: "电子证照使用", DataUseStaffReveal: "工作人员查看完整信息",
	DataUseAPIRelease: "接入系统获取", DataUseLibrary: "材料库复用", DataUseCounterLookup: "窗口受理核验身份",
	DataUseLicenseRead: "查看电子证照",
}

func (k DataUseKind) Label() string { return dataUseKindLabels[k] }
func (k DataUseKind) Valid() bool   { _, ok := dataUseKindLabels[k]; return ok }

// DataUse is one read of a person's data (数据使用记录), shown to that
// person. It is written in the same transaction as the read's other
// effects, like an audit entry; a read that leaves none is a bug.
type DataUse struct {
	ID        int64       `json:"id"`
	SubjectID int64       `json:"-"` // the person whose data was read
	At        time.Time   `json:"at"`
	Kind      DataUseKind `json:"kind"`
	ActorID   int64       `json:"-"`
	// ActorName is who read: a department and role for staff (never a
	// username), a system's name for an API client.
	ActorName string `json:"actor"`
	OrgID     int64  `json:"org_id,omitempty"`
	OrgName   string `json:"org_name,omitempty"`
	// Resource is what was read: a resource code, a licence identifier, or
	// "id_number" / "phone" for a reveal.
	Resource   string   `json:"resource"`
	Fields     []string `json:"fields,omitempty"`
	CaseNumber string   `json:"case_number,omitempty"`
	Reason     string   `json:"reason,omitempty"` // the stated purpose (用证事由, reveal reason)
}

// DataUseStore keeps the data-use record.
type DataUseStore interface {
	// RecordDataUse stores u inside the caller's transaction; ID is set.
	RecordDataUse(ctx context.Context, u *DataUse) error
	// RecordDataUses stores all of us inside the caller's transaction in
	// one statement (an action reading several materials' data); their IDs
	// are not set.
	RecordDataUses(ctx context.Context, us []*DataUse) error
	// RecordUsesAndConsents stores, inside the caller's transaction, an
	// action's 用证 consents and data-use records together: one statement
	// on PostgreSQL, one per table on SQLite. Their IDs are not set. It
	// refuses them all when a consent's licence is no longer 有效
	// (LicenceWithdrawn).
	RecordUsesAndConsents(ctx context.Context, cs []*LicenseConsent, us []*DataUse) error
	// DataUses lists the uses of one person's data, newest first.
	DataUses(ctx context.Context, subjectID int64, limit, offset int) ([]*DataUse, error)
	// CountDataUses counts uses matching f (zero fields match anything).
	CountDataUses(ctx context.Context, f DataUseCount) (int, error)
}

// DataUseCount selects data uses to count.
type DataUseCount struct {
	SubjectID int64
	ActorID   int64
	Kind      DataUseKind
	Since     time.Time // uses after it
}
