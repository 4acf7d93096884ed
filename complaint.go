package tongban

import (
	"context"
	"time"
)

// ComplaintKind is what a citizen brings to 12345 or the 办不成事 window.
type ComplaintKind string

const (
	ComplaintGeneral  ComplaintKind = "complaint" // 投诉
	ComplaintCannotDo ComplaintKind = "cannot_do" // 办不成事反映
)

var complaintKindLabels = map[ComplaintKind]string{ComplaintGeneral: "投诉", ComplaintCannotDo: "办不成事反映"}

func (k ComplaintKind) Label() string { return complaintKindLabels[k] }
func (k ComplaintKind) Valid() bool   { _, ok := complaintKindLabels[k]; return ok }

// ComplaintSource is where a complaint came in.
type ComplaintSource string

const (
	ComplaintWeb     ComplaintSource = "web"     // 网站, by the signed-in citizen
	ComplaintCounter ComplaintSource = "counter" // 窗口 (办不成事反映窗口)
	ComplaintHotline ComplaintSource = "hotline" // 12345 热线 system, over the API
	ComplaintRating  ComplaintSource = "rating"  // a 差评 forwarded as a 12345 ticket
)

var complaintSourceLabels = map[ComplaintSource]string{ComplaintWeb: "网站", ComplaintCounter: "窗口",
	ComplaintHotline: "12345热线", ComplaintRating: "差评转办"}

func (s ComplaintSource) Label() string { return complaintSourceLabels[s] }
func (s ComplaintSource) Valid() bool   { _, ok := complaintSourceLabels[s]; return ok }

// ComplaintState is where a complaint is in its loop:
// 受理 → 派单 → 办理 → 回复 → 回访 → 评价.
type ComplaintState string

const (
	ComplaintReceived ComplaintState = "received" // 已受理, waiting for 派单
	ComplaintAssigned ComplaintState = "assigned" // 已派单 to a department
	ComplaintHandling ComplaintState = "handling" // 办理中: the department took it
	ComplaintReplied  ComplaintState = "replied"  // 已回复: waiting for 回访
	ComplaintVisited  ComplaintState = "visited"  // 已回访: waiting for the 评价
	ComplaintClosed   ComplaintState = "closed"   // 已评价, closed
)

var complaintStateLabels = map[ComplaintState]string{ComplaintReceived: "已受理", ComplaintAssigned: "已派单",
	ComplaintHandling: "办理中", ComplaintReplied: "已回复", ComplaintVisited: "已回访", ComplaintClosed: "已评价"}

func (s ComplaintState) Label() string { return complaintStateLabels[s] }
func (s ComplaintState) Valid() bool   { _, ok := complaintStateLabels[s]; return ok }

// Unreplied reports a complaint whose department has not answered yet:
// what 督办 and the reply deadline are about.
func (s ComplaintState) Unreplied() bool {
	return s == ComplaintReceived || s == ComplaintAssigned || s == ComplaintHandling
}

// Complaint is a 12345 ticket (工单): a complaint or 办不成事 report and its
// loop. The complainant's phone is personal data (sealed at rest, masked
// in pages, JSON and logs).
type Complaint struct {
	ID          int64           `json:"id"`
	Number      string          `json:"number"`
	Kind        ComplaintKind   `json:"kind"`
	Source      ComplaintSource `json:"source"`
	ExternalRef string          `json:"external_ref,omitempty"` // the hotline system's own number
	// ComplainantID is the citizen's account when filed signed in (or the
	// rater of a forwarded 差评); 0 for a caller or a walk-in.
	ComplainantID int64  `json:"-"`
	Name          string `json:"name"`
	Phone         Phone  `json:"phone,omitempty"`
	Content       string `json:"content"`
	CaseNumber    string `json:"case_number,omitempty"` // a case it is about
	RatingID      int64  `json:"rating_id,omitempty"`   // the 差评 it was forwarded from
	// RegionCode is where it was received; OrgID the department it was
	// dispatched to (0 before 派单).
	RegionCode string         `json:"region_code"`
	OrgID      int64          `json:"org_id,omitempty"`
	State      ComplaintState `json:"state"`
	// DispatchDue and ReplyDue (YYYY-MM-DD) are working-day deadlines:
	// 派单 counted from 受理, the department's 回复 from 派单.
	DispatchDue  string      `json:"dispatch_due"`
	ReplyDue     string      `json:"reply_due,omitempty"`
	Reply        string      `json:"reply,omitempty"`
	VisitNote    string      `json:"visit_note,omitempty"`
	Satisfaction RatingLevel `json:"satisfaction,omitempty"` // 满意, 基本满意 or 不满意
	ReceivedBy   int64       `json:"received_by"`
	ReceivedAt   time.Time   `json:"received_at"`
	AssignedAt   time.Time   `json:"assigned_at,omitzero"`
	RepliedAt    time.Time   `json:"replied_at,omitzero"`
	ClosedAt     time.Time   `json:"closed_at,omitzero"`
	Version      int         `json:"version"`
}

// ComplaintLevels are the 评价 of a complaint's handling.
var ComplaintLevels = []RatingLevel{RatingSatisfied, RatingFair, RatingDissatisfied}

// ComplaintAction names a step of the loop, as its event records it.
type ComplaintAction string

const (
	ComplaintActReceive  ComplaintAction = "receive"  // 受理
	ComplaintActDispatch ComplaintAction = "dispatch" // 派单
	ComplaintActHandle   ComplaintAction = "handle"   // 办理 (the department takes it)
	ComplaintActReply    ComplaintAction = "reply"    // 回复
	ComplaintActVisit    ComplaintAction = "visit"    // 回访
	ComplaintActRate     ComplaintAction = "rate"     // 评价
	// ComplaintActReturn is 退单: the department sends a misdispatched
	// complaint back to the hotline, with its reason, to be dispatched again.
	ComplaintActReturn ComplaintAction = "return"
	// ComplaintActReopen is 重办: a 不满意 评价 sends the complaint back to
	// its department with a new reply deadline (once).
	ComplaintActReopen ComplaintAction = "reopen"
)

var complaintActionLabels = map[ComplaintAction]string{ComplaintActReceive: "受理", ComplaintActDispatch: "派单",
	ComplaintActHandle: "办理", ComplaintActReply: "回复", ComplaintActVisit: "回访", ComplaintActRate: "评价",
	ComplaintActReturn: "退单", ComplaintActReopen: "重办"}

func (a ComplaintAction) Label() string { return complaintActionLabels[a] }

// ComplaintEvent is one step of a complaint, written in the step's
// transaction. It records what the measures need: the department, the
// deadline the step answered (Due) and, for 评价, the level.
type ComplaintEvent struct {
	ID          int64           `json:"id"`
	ComplaintID int64           `json:"complaint_id"`
	At          time.Time       `json:"at"`
	Action      ComplaintAction `json:"action"`
	ActorID     int64           `json:"-"`
	OrgID       int64           `json:"org_id,omitempty"`
	RegionCode  string          `json:"region_code"`
	Due         string          `json:"due,omitempty"`
	Level       RatingLevel     `json:"level,omitempty"`
	Note        string          `json:"note,omitempty"`
}

// ComplaintFilter narrows a complaint listing; OrgIDs and Regions are a
// scope (a complaint matches by its department, or by the region it was
// received in). ComplainantID lists a citizen's own.
type ComplaintFilter struct {
	OrgIDs        []int64
	Regions       []string
	ComplainantID int64
	RatingID      int64
	States        []ComplaintState
	Limit         int
}

// ComplaintCounts are the complaint measures of one department (OrgID 0:
// received but not dispatched yet), counted from complaint events.
type ComplaintCounts struct {
	Received      int64 `json:"received"`        // 受理 (by the region received)
	Dispatched    int64 `json:"dispatched"`      // 派单 to the department
	Replied       int64 `json:"replied"`         // 回复
	RepliedOnTime int64 `json:"replied_on_time"` // 回复 on or before the reply deadline
	Rated         int64 `json:"rated"`           // 评价
	Satisfied     int64 `json:"satisfied"`       // 评价 满意
	Returned      int64 `json:"returned"`        // 退单 by the department
	Reopened      int64 `json:"reopened"`        // 重办 after a 不满意 评价
}

// Add adds o to c.
func (c *ComplaintCounts) Add(o ComplaintCounts) {
	c.Received, c.Dispatched, c.Replied = c.Received+o.Received, c.Dispatched+o.Dispatched, c.Replied+o.Replied
	c.RepliedOnTime, c.Rated, c.Satisfied = c.RepliedOnTime+o.RepliedOnTime, c.Rated+o.Rated, c.Satisfied+o.Satisfied
	c.Returned, c.Reopened = c.Returned+o.Returned, c.Reopened+o.Reopened
}

// ComplaintRollupKey is one cell of the complaint rollups: the China day
// of the event, the complaint's region and the department the event names.
type ComplaintRollupKey struct {
	Day        string
	RegionCode string
	OrgID      int64
}

// ComplaintRollupFilter narrows a complaint rollup sum: inclusive China
// days, Region and below; zero fields do not filter.
type ComplaintRollupFilter struct {
	From, To string
	Region   string
}

// ComplaintRollupStore keeps the complaint rollups, folded from the
// complaint events like the case and rating rollups from theirs.
type ComplaintRollupStore interface {
	// ComplaintEventHorizon returns an event ID below which every complaint event is committed.
	ComplaintEventHorizon(ctx context.Context) (int64, error)
	// ComplaintRollupWatermark returns the last complaint event folded in
	// and locks it until the transaction ends.
	ComplaintRollupWatermark(ctx context.Context) (int64, error)
	// ComplaintEventsBetween returns events with after < ID <= upTo, in order, at most limit.
	ComplaintEventsBetween(ctx context.Context, after, upTo int64, limit int) ([]*ComplaintEvent, error)
	// ApplyComplaintRollups adds the counts and moves the watermark, in the caller's transaction.
	ApplyComplaintRollups(ctx context.Context, counts map[ComplaintRollupKey]ComplaintCounts, watermark int64) error
	// ResetComplaintRollups empties the complaint rollups and moves their watermark to the start.
	ResetComplaintRollups(ctx context.Context) error
	// SumComplaintRollups sums the rollups matching f by department.
	SumComplaintRollups(ctx context.Context, f ComplaintRollupFilter) (map[int64]ComplaintCounts, error)
}

// ComplaintStore keeps 12345 complaints and their events.
type ComplaintStore interface {
	// CreateComplaint inserts c and numbers it: c.Number, a prefix, then
	// the id in six digits (Version 1).
	CreateComplaint(ctx context.Context, c *Complaint) error
	Complaint(ctx context.Context, id int64) (*Complaint, error)
	ComplaintByNumber(ctx context.Context, number string) (*Complaint, error)
	// UpdateComplaint writes c's loop fields if its Version is the stored
	// one, then increments it; a stale Version is an EConflict.
	UpdateComplaint(ctx context.Context, c *Complaint) error
	// Complaints lists complaints, newest first.
	Complaints(ctx context.Context, f ComplaintFilter) ([]*Complaint, error)
	AppendComplaintEvent(ctx context.Context, e *ComplaintEvent) error
	ComplaintEvents(ctx context.Context, complaintID int64) ([]*ComplaintEvent, error)
}
