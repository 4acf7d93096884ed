package rating

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
)

// reopens reports whether a 不满意 评价 of c sends it back to its
// department (重办): the first time only; a second 不满意 closes it, so the
// loop ends and the figure shows the dissatisfaction.
func (s *Service) reopens(ctx context.Context, tx tongban.Store, c *tongban.Complaint) (bool, error) {
	es, err := tx.ComplaintEvents(ctx, c.ID)
	if err != nil {
		return false, err
	}
	for _, e := range es {
		if e.Action == tongban.ComplaintActReopen {
			return false, nil
		}
	}
	return c.OrgID != 0, nil
}

// complaintAnnouncement is the outbox payload of a complaint's step: what
// happened to which ticket, never the complainant's name, phone or words.
// UserID is the complainant's account, when filed signed in, as other
// concepts' events name the person they concern.
type complaintAnnouncement struct {
	Number      string                  `json:"number"`
	Kind        tongban.ComplaintKind   `json:"kind"`
	Source      tongban.ComplaintSource `json:"source"`
	ExternalRef string                  `json:"external_ref,omitempty"`
	Action      tongban.ComplaintAction `json:"action"`
	State       tongban.ComplaintState  `json:"state"`
	OrgID       int64                   `json:"org_id,omitempty"`
	CaseNumber  string                  `json:"case_number,omitempty"`
	Due         string                  `json:"due,omitempty"`
	Level       tongban.RatingLevel     `json:"level,omitempty"`
	UserID      int64                   `json:"user_id,omitempty"`
}

// announceComplaint writes complaint.{action} to the outbox in the step's
// transaction (subject complaint:{number}, scoped to the region and the
// department the event names), so the 12345 system hears every step.
func (s *Service) announceComplaint(ctx context.Context, tx tongban.Store, c *tongban.Complaint, e *tongban.ComplaintEvent) error {
	if !s.Outbox {
		return nil
	}
	a := complaintAnnouncement{Number: c.Number, Kind: c.Kind, Source: c.Source, ExternalRef: c.ExternalRef, Action: e.Action,
		State: c.State, OrgID: e.OrgID, CaseNumber: c.CaseNumber, Due: e.Due, Level: e.Level, UserID: c.ComplainantID}
	return outbox.Append(ctx, tx, "complaint."+string(e.Action), "complaint:"+c.Number,
		outbox.Scope{RegionCode: c.RegionCode, OrgID: e.OrgID}, e.At, a)
}
