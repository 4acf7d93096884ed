package workflow

import (
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
)

// CaseAnnouncement is the payload of a case event in the outbox (type
// "case.{action}", subject "case:{number}"): what a department system or
// the applicant's notifications need to know without reading the case.
// Personal data stays out; UserID is the applicant's account, the same
// number an OIDC sign-in gives as "sub".
type CaseAnnouncement struct {
	Number string `json:"number"`
	Seq    int    `json:"seq"` // the event's place in the case's history
	// EventID is the case event's id: a visit's encounter (一次一评).
	EventID int64 `json:"event_id,omitempty"`
	// Visit marks an in-person trip (counter submission, correction
	// visit, pickup), which the applicant may rate on its own.
	Visit     bool               `json:"visit,omitempty"`
	Action    tongban.CaseAction `json:"action"`
	From      tongban.CaseState  `json:"from,omitempty"`
	To        tongban.CaseState  `json:"to"`
	Step      int                `json:"step"`
	ListingID int64              `json:"listing_id"`
	ItemName  string             `json:"item_name"`
	OrgID     int64              `json:"org_id"`                 // the implementing department
	ActorOrg  int64              `json:"actor_org_id,omitempty"` // the window or department that acted
	ActorRole tongban.Role       `json:"actor_role"`
	Channel   tongban.Channel    `json:"channel"`
	Reason    string             `json:"reason,omitempty"`
	Materials []string           `json:"materials,omitempty"`
	DueDate   string             `json:"due_date,omitempty"`
	UserID    int64              `json:"user_id"` // the applicant
	At        time.Time          `json:"at"`
}

// announce writes a stored case event to the outbox, in the transaction
// that stored it. Drafts are the applicant's own business and stay out.
func (t *txn) announce(e *tongban.CaseEvent) error {
	if !t.s.Outbox || e.Action == tongban.ActionDraft {
		return nil
	}
	c := t.c
	a := CaseAnnouncement{Number: c.Number, Seq: e.Seq, EventID: e.ID, Visit: e.Visit, Action: e.Action, From: e.From, To: e.To, Step: e.Step,
		ListingID: c.ListingID, ItemName: c.ItemName, OrgID: c.OrgID, ActorOrg: e.OrgID, ActorRole: e.Role,
		Channel: c.Channel, Reason: e.Reason, Materials: e.Materials, DueDate: c.DueDate, UserID: c.ApplicantID, At: e.At}
	return outbox.Append(t.ctx, t.tx, "case."+string(e.Action), "case:"+c.Number,
		outbox.Scope{RegionCode: c.RegionCode, OrgID: c.OrgID}, e.At, &a)
}
