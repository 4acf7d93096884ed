package tongban

import (
	"context"
	"encoding/json"
	"time"
)

// CaseState is where a case (办件) is in its life. The transitions between
// states are decided in internal/workflow; see DESIGN.md "Case lifecycle".
type CaseState string

const (
	CaseDraft              CaseState = "draft"               // 草稿
	CaseSubmitted          CaseState = "submitted"           // 待受理
	CaseAwaitingCorrection CaseState = "awaiting_correction" // 待补正 (clock stopped)
	CaseAccepted           CaseState = "accepted"            // 已受理, waiting at the first review step
	CaseInReview           CaseState = "in_review"           // 审查中, at Case.Step
	CaseApproved           CaseState = "approved"            // 准予办理
	CaseDenied             CaseState = "denied"              // 不予办理 (否定备案)
	CaseRejected           CaseState = "rejected"            // 不予受理, final
	CaseResultIssued       CaseState = "result_issued"       // 已出件: result made, not yet handed over
	CaseClosed             CaseState = "closed"              // 已办结, final
	CaseWithdrawn          CaseState = "withdrawn"           // 已撤回, final
)

var caseStateLabels = map[CaseState]string{
	CaseDraft: "草稿", CaseSubmitted: "待受理", CaseAwaitingCorrection: "待补正", CaseAccepted: "已受理",
	CaseInReview: "审查中", CaseApproved: "准予办理", CaseDenied: "不予办理", CaseRejected: "不予受理",
	CaseResultIssued: "已出件", CaseClosed: "已办结", CaseWithdrawn: "已撤回",
}

// CaseStates lists every state in lifecycle order.
var CaseStates = []CaseState{CaseDraft, CaseSubmitted, CaseAwaitingCorrection, CaseAccepted, CaseInReview,
	CaseApproved, CaseDenied, CaseRejected, CaseResultIssued, CaseClosed, CaseWithdrawn}

func (s CaseState) Label() string { return caseStateLabels[s] }
func (s CaseState) Valid() bool   { _, ok := caseStateLabels[s]; return ok }

// Open reports whether no decision has been made yet, so the applicant may
// still withdraw. Once approved or denied, a case only moves on to its end.
func (s CaseState) Open() bool {
	switch s {
	case CaseDraft, CaseSubmitted, CaseAwaitingCorrection, CaseAccepted, CaseInReview:
		return true
	}
	return false
}

// Final reports whether nothing can happen to the case any more.
func (s CaseState) Final() bool { return s == CaseRejected || s == CaseClosed || s == CaseWithdrawn }

// Channel is how an application reached the platform.
type Channel string

const (
	ChannelOnline  Channel = "online"  // 网上办 (PC portal)
	ChannelCounter Channel = "counter" // 窗口办: taken by a clerk at a comprehensive window
	ChannelMobile  Channel = "mobile"  // 掌上办 (app, mini program)
	ChannelKiosk   Channel = "kiosk"   // 自助办 (self-service terminal)
	ChannelAgent   Channel = "agent"   // 代办 (帮办代办 staff apply for the applicant)
)

var channelLabels = map[Channel]string{
	ChannelOnline: "网上办", ChannelCounter: "窗口办", ChannelMobile: "掌上办", ChannelKiosk: "自助办", ChannelAgent: "代办",
}

func (c Channel) Label() string { return channelLabels[c] }
func (c Channel) Valid() bool   { _, ok := channelLabels[c]; return ok }

// AtWindow reports whether the application is handed in at a window by staff
// (so a clerk submits it and the back-office board routing applies).
func (c Channel) AtWindow() bool { return c == ChannelCounter || c == ChannelAgent }

// MaterialStatus says how a case's material was satisfied. A status other
// than provided and owed spares the applicant a paper (材料减少率), but the
// ones that name a source (e_license, reused, shared) count only with a
// reference the server resolved (see MaterialRef): nothing is self-declared.
type MaterialStatus string

const (
	MaterialProvided   MaterialStatus = "provided"   // 申请人提交
	MaterialOwed       MaterialStatus = "owed"       // 容缺: to be handed in after acceptance
	MaterialCommitment MaterialStatus = "commitment" // 告知承诺: a signed commitment replaces the proof
	MaterialReused     MaterialStatus = "reused"     // 复用: from the applicant's material library (材料库)
	MaterialELicense   MaterialStatus = "e_license"  // 电子证照
	MaterialShared     MaterialStatus = "shared"     // 共享数据
)

var materialStatusLabels = map[MaterialStatus]string{
	MaterialProvided: "已提交", MaterialOwed: "容缺待补", MaterialCommitment: "告知承诺",
	MaterialReused: "材料库复用", MaterialELicense: "电子证照", MaterialShared: "共享数据",
}

func (s MaterialStatus) Label() string { return materialStatusLabels[s] }
func (s MaterialStatus) Valid() bool   { _, ok := materialStatusLabels[s]; return ok }

// RefKind is the kind of reference the status needs to spare the paper, or
// "" for statuses that need none.
func (s MaterialStatus) RefKind() MaterialRefKind {
	switch s {
	case MaterialELicense:
		return RefLicense
	case MaterialReused:
		return RefLibrary
	case MaterialShared:
		return RefShared
	}
	return ""
}

// MaterialRefKind is where a resolved reference points.
type MaterialRefKind string

const (
	RefLicense MaterialRefKind = "license" // an e-licence, valid and authorised by its holder (用证)
	RefLibrary MaterialRefKind = "library" // an entry of the applicant's material library
	RefShared  MaterialRefKind = "shared"  // a record of a shared-data resource
)

// MaterialRef is what the server itself found to spare a paper: which
// licence (identifier and version), library entry or shared-data record.
// Only the workflow's resolvers set it; an applicant's input never does.
type MaterialRef struct {
	Kind    MaterialRefKind `json:"kind"`
	ID      string          `json:"id"`
	Version int             `json:"version,omitempty"`
	// Note tells staff where it came from, e.g. 来自材料库，于 N 号办件中确认.
	Note string `json:"note,omitempty"`
	// File is the content address of the file behind the reference (a
	// library entry's confirmed copy), if any: the case's material holds
	// it, so staff open it like an upload.
	File string `json:"file,omitempty"`
}

// CaseMaterial is one material of a case, keyed like the listing's material.
type CaseMaterial struct {
	Key      string         `json:"key"`
	Name     string         `json:"name"`
	BlobHash string         `json:"blob_hash,omitempty"` // content address of the upload, if any
	Status   MaterialStatus `json:"status"`
	Ref      *MaterialRef   `json:"ref,omitempty"` // set by the server for e_license, reused and shared
	// Confirmed is staff's 审核通过 of a provided file (see the workflow's
	// ConfirmMaterials): it enters the applicant's material library.
	Confirmed bool `json:"confirmed,omitempty"`
	// Claim is the reference the applicant chose (a licence identifier, a
	// library entry, a shared record), for a resolver to check; never stored.
	Claim string `json:"-"`
	// Consent is the applicant's authorisation to use the claimed licence
	// for this case (用证授权), with UseReason its stated 用证事由: the
	// e_license resolver records it as a LicenseConsent; never stored here.
	Consent   bool   `json:"-"`
	UseReason string `json:"-"`
}

// Spared reports whether the applicant did not have to hand the paper over:
// a commitment stood in for it, or a resolved reference replaced it.
func (m CaseMaterial) Spared() bool {
	return m.Status == MaterialCommitment || (m.Ref != nil && m.Status.RefKind() == m.Ref.Kind)
}

// SparedByRef counts the materials spared by each kind of reference the
// server resolved (免提交率): a licence, a library entry, a shared record.
func SparedByRef(ms []CaseMaterial) (license, library, shared int) {
	for _, m := range ms {
		if !m.Spared() || m.Ref == nil {
			continue
		}
		switch m.Ref.Kind {
		case RefLicense:
			license++
		case RefLibrary:
			library++
		case RefShared:
			shared++
		}
	}
	return license, library, shared
}

// Deficiency is one line of a 一次性告知 (correction) notice.
type Deficiency struct {
	Key    string `json:"key"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// DeliveryMethod is how the result reaches the applicant.
type DeliveryMethod string

const (
	DeliveryPickup  DeliveryMethod = "pickup"  // 窗口领取 at the unified window (统一出件)
	DeliveryExpress DeliveryMethod = "express" // 邮寄
)

var deliveryLabels = map[DeliveryMethod]string{DeliveryPickup: "窗口领取", DeliveryExpress: "快递邮寄"}

func (m DeliveryMethod) Label() string { return deliveryLabels[m] }
func (m DeliveryMethod) Valid() bool   { _, ok := deliveryLabels[m]; return ok }

// Delivery is the applicant's choice and, once delivered, what happened.
type Delivery struct {
	Method     DeliveryMethod `json:"method,omitempty"`
	TrackingNo string         `json:"tracking_no,omitempty"`
	WindowID   int64          `json:"window_id,omitempty"` // the unified window for pickup
}

// Case is one application of one listing version (办件). It is the current
// state only; its history is the list of CaseEvents, from which visits and
// pauses are derived.
type Case struct {
	ID             int64     `json:"id"`
	Number         string    `json:"number"` // 511602000000-20260302-000017
	ListingID      int64     `json:"listing_id"`
	ListingVersion int       `json:"listing_version"`
	ItemName       string    `json:"item_name"`    // denormalised for lists
	ListingName    string    `json:"listing_name"` // denormalised for lists
	OrgID          int64     `json:"org_id"`       // the implementing department
	RegionCode     string    `json:"region_code"`
	BoardID        int64     `json:"board_id,omitempty"` // back-office board routed to, 0 if none
	ApplicantID    int64     `json:"applicant_id"`
	ApplicantName  string    `json:"applicant_name"` // full; masked by the workflow in lists
	Channel        Channel   `json:"channel"`
	State          CaseState `json:"state"`
	// Outcome is the decision (approved, denied or rejected), kept after the
	// case closes so denials stay listable (否定备案).
	Outcome        CaseState       `json:"outcome,omitempty"`
	Step           int             `json:"step"` // index into the listing's steps
	Form           json.RawMessage `json:"form"` // the applicant's fields, a JSON object
	Materials      []CaseMaterial  `json:"materials"`
	Corrections    []Deficiency    `json:"corrections,omitempty"` // the latest 一次性告知 notice
	OwedDue        string          `json:"owed_due,omitempty"`    // YYYY-MM-DD, 容缺 materials due
	Commitment     bool            `json:"commitment,omitempty"`  // 告知承诺 replaced some proofs
	NeedsPostCheck bool            `json:"needs_post_check,omitempty"`
	PostChecked    bool            `json:"post_checked,omitempty"`
	// PostCheckFailed records a 事后核查 that found the commitment untrue.
	PostCheckFailed bool `json:"post_check_failed,omitempty"`
	Instant         bool `json:"instant,omitempty"` // 即办件: decided on acceptance
	PromisedDays    int  `json:"promised_days"`
	// AcceptedAt starts the clock; DueDate (YYYY-MM-DD, China civil date) is
	// recomputed from it and the pauses recorded as events.
	AcceptedAt  time.Time `json:"accepted_at,omitzero"`
	DueDate     string    `json:"due_date,omitempty"`
	Provisional bool      `json:"provisional,omitempty"` // DueDate reaches a year whose holidays are not loaded
	PausedDays  int       `json:"paused_days,omitempty"` // working days added by closed pauses
	PausedSince time.Time `json:"paused_since,omitzero"` // the clock is stopped since then
	DecidedAt   time.Time `json:"decided_at,omitzero"`
	// Visits is a cache of the in-person visits among the case's events,
	// written in the same transaction as the event that adds one.
	Visits         int       `json:"visits"`
	Delivery       Delivery  `json:"delivery"`
	Reasons        []string  `json:"reasons,omitempty"`   // why rejected or denied
	ResultNo       string    `json:"result_no,omitempty"` // licence or decision number
	IdempotencyKey string    `json:"-"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Version        int       `json:"version"` // optimistic concurrency

	// Events, when not nil, are the case's events as of Version: the
	// workflow fills them in when it has them all at hand (a case it just
	// created, or an action that read the history), sparing a read.
	Events []*CaseEvent `json:"-"`
}

// Material returns the case's material with the key.
func (c *Case) Material(key string) (CaseMaterial, bool) {
	for _, m := range c.Materials {
		if m.Key == key {
			return m, true
		}
	}
	return CaseMaterial{}, false
}

// Owed lists the 容缺 materials still to be handed in.
func (c *Case) Owed() []CaseMaterial {
	var out []CaseMaterial
	for _, m := range c.Materials {
		if m.Status == MaterialOwed {
			out = append(out, m)
		}
	}
	return out
}

// CaseFilter narrows a case listing. Zero fields do not filter.
type CaseFilter struct {
	ApplicantID int64
	// PickupWindowID keeps cases whose result waits at (or was handed out
	// at) this window.
	PickupWindowID int64
	OrgID          int64
	BoardID        int64
	Within         string // region code: cases of this region and below
	States         []CaseState
	Outcomes       []CaseState
	// DueBefore (YYYY-MM-DD) keeps cases due strictly before that day; with
	// today's date and the running states it lists the overdue ones.
	DueBefore string
	// PostCheckPending keeps commitment cases not yet checked (事后核查).
	PostCheckPending bool
	// Newest sorts by creation, newest first (an applicant's list);
	// otherwise cases sort by due date, undated last (a queue).
	Newest bool
	Limit  int
	Offset int
}

// CaseRecords is what a case's insert stores or checks besides its row.
type CaseRecords struct {
	Consents []*LicenseConsent
	Uses     []*DataUse
	// ListingCurrent stores the case only while its ListingVersion is
	// still the listing's current version and ItemName its item's name, as
	// the statement that inserts it sees them: a submission that took both
	// from memory learns there that they moved (ListingMoved).
	ListingCurrent bool
	// Event is the case's first event, stored with it (on PostgreSQL by
	// the same statement); its CaseID, ID and Seq are set.
	Event *CaseEvent
}

// ListingMoved reports whether err is CreateCaseRecording's refusal of a
// case whose listing has a new version, or whose item a new name, since
// they were read (CaseRecords.ListingCurrent): nothing was stored, and the
// submission is prepared again from the current listing.
func ListingMoved(err error) bool {
	return IsCode(err, EConflict) && AsError(err).Field == "listing_version"
}

// CaseStore persists cases and their events. It keeps no rules: the
// workflow decides every transition and writes the state and its event in
// one transaction.
type CaseStore interface {
	// CreateCase inserts c (Version becomes 1). A second case with the same
	// applicant and idempotency key is an EConflict with Field "idempotency_key".
	CreateCase(ctx context.Context, c *Case) error
	// CreateCaseRecording is CreateCase that also stores the submission's
	// 用证 consents and data-use records (their IDs not set): in the same
	// statement on PostgreSQL, so a submission sparing materials makes no
	// round trip more for them than for its case row, nor for its first
	// event. It refuses them all when a consent's licence is no longer 有效
	// (LicenceWithdrawn), and the case when rec.ListingCurrent no longer
	// holds (ListingMoved).
	CreateCaseRecording(ctx context.Context, c *Case, rec CaseRecords) error
	Case(ctx context.Context, id int64) (*Case, error)
	// CaseForUpdate reads the case and locks it until the transaction ends.
	CaseForUpdate(ctx context.Context, id int64) (*Case, error)
	CaseByNumber(ctx context.Context, number string) (*Case, error)
	// CaseByNumberWithEvents is CaseByNumber with the case's events, in
	// order, in Events (never nil), read in one statement.
	CaseByNumberWithEvents(ctx context.Context, number string) (*Case, error)
	CaseByIdempotencyKey(ctx context.Context, applicantID int64, key string) (*Case, error)
	// UpdateCase writes c if its Version is still the stored one, then
	// increments c.Version; a stale Version is an EConflict.
	UpdateCase(ctx context.Context, c *Case) error
	// AppendCaseEvent inserts e with the next Seq of its case.
	AppendCaseEvent(ctx context.Context, e *CaseEvent) error
	// CaseEvents returns a case's events in order.
	CaseEvents(ctx context.Context, caseID int64) ([]*CaseEvent, error)
	Cases(ctx context.Context, f CaseFilter) ([]*Case, error)
	CountCases(ctx context.Context, f CaseFilter) (int, error)
	// ReserveCaseNumbers reserves the next n numbers of the day (YYYYMMDD)
	// in the region, counting from 1, and returns the last of them. Called
	// outside any transaction it commits at once, so no submission holds the
	// counter while its own transaction runs; concurrent callers never get
	// the same number.
	ReserveCaseNumbers(ctx context.Context, region, day string, n int) (last int, err error)
	// SealPlainForms seals up to limit application forms still stored in
	// plain JSON (written before migration 00018) and returns how many it
	// found; 0 means none is left. Forms are sealed on every write anyway.
	SealPlainForms(ctx context.Context, limit int) (int, error)
}
