package tongban

import (
	"maps"
	"slices"
	"time"
)

// CaseAction names what an event did to a case.
type CaseAction string

const (
	ActionDraft             CaseAction = "draft"              // 保存草稿
	ActionSubmit            CaseAction = "submit"             // 提交申请
	ActionAccept            CaseAction = "accept"             // 受理
	ActionReject            CaseAction = "reject"             // 不予受理
	ActionRequestCorrection CaseAction = "request_correction" // 一次性告知补正
	ActionSupplement        CaseAction = "supplement"         // 补正材料
	ActionReview            CaseAction = "review"             // 环节办理 (pass a review step)
	ActionApprove           CaseAction = "approve"            // 准予办理
	ActionDeny              CaseAction = "deny"               // 不予办理
	ActionIssue             CaseAction = "issue"              // 出具结果
	ActionDeliver           CaseAction = "deliver"            // 送达 (领取 or 邮寄)
	ActionWithdraw          CaseAction = "withdraw"           // 撤回
	ActionClose             CaseAction = "close"              // 办结
	ActionProvideOwed       CaseAction = "provide_owed"       // 补齐容缺材料
	ActionSpecialStart      CaseAction = "special_start"      // 特别程序开始 (听证, 检验, 专家评审)
	ActionSpecialEnd        CaseAction = "special_end"        // 特别程序结束
	ActionPostCheck         CaseAction = "post_check"         // 事后核查
	ActionConfirmMaterials  CaseAction = "confirm_materials"  // 材料审核通过 (enters the material library)
)

var caseActionLabels = map[CaseAction]string{
	ActionDraft: "保存草稿", ActionSubmit: "提交申请", ActionAccept: "受理", ActionReject: "不予受理",
	ActionRequestCorrection: "一次性告知补正", ActionSupplement: "补正材料", ActionReview: "环节办理",
	ActionApprove: "准予办理", ActionDeny: "不予办理", ActionIssue: "出具结果", ActionDeliver: "送达",
	ActionWithdraw: "撤回", ActionClose: "办结", ActionProvideOwed: "补齐容缺材料",
	ActionSpecialStart: "特别程序开始", ActionSpecialEnd: "特别程序结束", ActionPostCheck: "事后核查",
	ActionConfirmMaterials: "材料审核通过",
}

func (a CaseAction) Label() string { return caseActionLabels[a] }
func (a CaseAction) Valid() bool   { _, ok := caseActionLabels[a]; return ok }

// CaseActions lists every case action, for choosing one in a filter.
func CaseActions() []CaseAction { return slices.Sorted(maps.Keys(caseActionLabels)) }

// Roles that act on cases without a staff grant.
const (
	ActorApplicant Role = "applicant" // 申请人 (or the enterprise's agent)
	ActorSystem    Role = "system"    // automatic steps
)

// CaseEvent is one immutable entry of a case's history, written in the same
// transaction as the state change it records. Statistics (visits, pauses,
// on-time rates) are computed from events.
type CaseEvent struct {
	ID        int64      `json:"id"`
	CaseID    int64      `json:"case_id"`
	Seq       int        `json:"seq"` // 1, 2, … within the case
	At        time.Time  `json:"at"`
	ActorID   int64      `json:"actor_id,omitempty"`
	ActorName string     `json:"actor_name"`
	Role      Role       `json:"role"`             // the role acted in (clerk, approver…, applicant)
	OrgID     int64      `json:"org_id,omitempty"` // the org acted from (window, department, board)
	Action    CaseAction `json:"action"`
	From      CaseState  `json:"from,omitempty"` // "" for the event that created the case
	To        CaseState  `json:"to"`
	Step      int        `json:"step"` // the case's step when the action was taken
	Reason    string     `json:"reason,omitempty"`
	Materials []string   `json:"materials,omitempty"` // keys of the materials touched
	// Visit marks an in-person trip of the applicant (counter submission,
	// correction visit at a window, pickup): 跑动次数 counts these.
	Visit bool `json:"visit,omitempty"`
	// Facts are what the measures count of a Measured event, recorded with
	// it by the workflow; nil on other events and on events stored before
	// migration 00012.
	Facts *EventFacts `json:"-"`
}

// EventFacts are the case's facts at an event that the measures need, so
// that the rollups are a function of the events alone: rebuilt from them
// at any later time, they come out the same whatever the case became since
// (materials supplemented, visits added, a deadline moved).
type EventFacts struct {
	// The dimensions the rollups are kept by: the case's at the event.
	RegionCode string  `json:"region"`
	OrgID      int64   `json:"org"`
	ListingID  int64   `json:"listing"`
	Channel    Channel `json:"channel"`
	// AtWindow: an acceptance at a comprehensive window (一窗受理).
	AtWindow bool `json:"at_window,omitempty"`
	// At submission: the materials the listing asked of this case (its
	// required ones and any other the applicant handed in) and how many of
	// them were spared (CaseMaterial.Spared: a commitment or a reference
	// the server resolved).
	MaterialsAsked  int `json:"materials_asked,omitempty"`
	MaterialsSpared int `json:"materials_spared,omitempty"`
	// Of those spared, how many by each kind of resolved reference (免提交率):
	// an e-licence, a library entry, a shared-data record.
	SparedByLicense int `json:"spared_license,omitempty"`
	SparedByLibrary int `json:"spared_library,omitempty"`
	SparedByShared  int `json:"spared_shared,omitempty"`
	// At closing: the case's visits in all, its due date (YYYY-MM-DD, ""
	// without a clock) and when it was decided.
	Visits    int       `json:"visits,omitempty"`
	DueDate   string    `json:"due_date,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
}

// Measured reports whether the rollups count an event with this action
// and new state (internal/stats); only such events carry Facts.
func Measured(a CaseAction, to CaseState) bool {
	switch a {
	case ActionSubmit, ActionAccept, ActionApprove, ActionDeny, ActionReject:
		return true
	}
	return to == CaseClosed
}
