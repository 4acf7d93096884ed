package api

import (
	"slices"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// actionEndpoints maps each action endpoint to the workflow action.
var actionEndpoints = []struct {
	path   string
	action tongban.CaseAction
}{
	{"accept", tongban.ActionAccept}, {"reject", tongban.ActionReject},
	{"correction", tongban.ActionRequestCorrection}, {"supplement", tongban.ActionSupplement},
	{"review", tongban.ActionReview}, {"approve", tongban.ActionApprove}, {"deny", tongban.ActionDeny},
	{"special-start", tongban.ActionSpecialStart}, {"special-end", tongban.ActionSpecialEnd},
	{"issue", tongban.ActionIssue}, {"deliver", tongban.ActionDeliver}, {"close", tongban.ActionClose},
	{"withdraw", tongban.ActionWithdraw}, {"owed", tongban.ActionProvideOwed}, {"post-check", tongban.ActionPostCheck},
}

// actionHints lists the action endpoints worth offering the caller: the
// state allows them (workflow.Allowed), the caller has a role that takes
// them, and the case's visible conditions (step, pause, owed materials)
// permit them. It is a hint for buttons only; the workflow still decides
// each POST, including which org the caller must act from.
func actionHints(u *tongban.User, c *tongban.Case, proc workflow.Process, evs []*tongban.CaseEvent) []string {
	applicant := u.ID == c.ApplicantID
	can := func(p identity.Permission) bool { return u.Kind == tongban.UserStaff && holdsAnywhere(u, p) }
	window, review, handout := can(identity.PermCaseAccept), can(identity.PermCaseReview), can(identity.PermCaseHandout)
	frontDesk := window || (review && !c.Channel.AtWindow())
	paused := !c.PausedSince.IsZero() && c.State != tongban.CaseAwaitingCorrection
	owing := len(c.Owed()) > 0
	last := proc.IsLast(c.Step)
	// Who took the previous step may not take this one where the listing
	// separates them (审核与审批分离).
	takes := review && !workflow.TookPreviousStep(proc, evs, u.ID, c.Step)
	ok := map[tongban.CaseAction]bool{
		tongban.ActionAccept: frontDesk,
		tongban.ActionReject: frontDesk && c.AcceptedAt.IsZero(),
		tongban.ActionRequestCorrection: !paused && ((c.State == tongban.CaseSubmitted && frontDesk) ||
			(c.State != tongban.CaseSubmitted && review)),
		tongban.ActionSupplement:   applicant || window,
		tongban.ActionReview:       takes && !paused && !last,
		tongban.ActionApprove:      takes && !paused && last,
		tongban.ActionDeny:         takes && !paused && last,
		tongban.ActionSpecialStart: review && !paused,
		tongban.ActionSpecialEnd:   review && paused,
		tongban.ActionIssue:        review || (c.Instant && window),
		tongban.ActionDeliver: (handout || (review && c.Delivery.Method == tongban.DeliveryExpress)) &&
			!(owing && c.Outcome == tongban.CaseApproved),
		tongban.ActionClose:       (review || handout) && !(owing && c.Outcome == tongban.CaseApproved),
		tongban.ActionWithdraw:    applicant,
		tongban.ActionProvideOwed: (applicant || window || handout) && owing,
		tongban.ActionPostCheck: (can(identity.PermSupervise) || review) && c.NeedsPostCheck && !c.PostChecked &&
			c.Outcome == tongban.CaseApproved,
	}
	out := []string{}
	for _, e := range actionEndpoints {
		if ok[e.action] && workflow.Allowed(e.action, c.State) {
			out = append(out, e.path)
		}
	}
	return slices.Clip(out)
}
