package exchange

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/workflow"
)

// caseUse starts the data-use record of a read made for a case: the
// department handling the case reads; who submitted is named by role.
func caseUse(ctx context.Context, tx tongban.Store, q workflow.MaterialClaim, kind tongban.DataUseKind) (*tongban.DataUse, error) {
	u := &tongban.DataUse{SubjectID: q.Applicant.ID, At: q.Now, Kind: kind, CaseNumber: q.Case.Number, OrgID: q.Case.OrgID,
		OrgName: q.OrgName}
	if q.Case.OrgID != 0 && u.OrgName == "" {
		org, err := tx.Org(ctx, q.Case.OrgID)
		if err != nil {
			return nil, err
		}
		u.OrgName = org.Name
	}
	u.ActorName = u.OrgName + " 承办人员"
	if q.Actor != nil {
		u.ActorID = q.Actor.ID
		switch {
		case q.Actor.ID == q.Applicant.ID:
			u.ActorName = "申请人本人提交，" + u.OrgName + "办理"
		case q.Actor.Kind == tongban.UserStaff:
			u.ActorName = staffLabel(q.Actor) + "代为提交，" + u.OrgName + "办理"
		}
	}
	return u, nil
}

// staffLabel names staff by role and org, never by username (the record is
// shown to citizens).
func staffLabel(u *tongban.User) string {
	for _, g := range u.Roles {
		if g.OrgName != "" {
			return g.OrgName + " " + g.Role.Label() + "人员"
		}
		return g.Role.Label() + "人员"
	}
	return "工作人员"
}

// cst is China time, in which the record's dates are written.
func cst() *time.Location { return calendar.Location() }
