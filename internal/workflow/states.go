package workflow

import (
	"slices"

	"github.com/tongban/tongban"
)

// from lists, per action, the states it may start from. Some actions have
// further conditions (the current step, owed materials, an open special
// procedure) checked where they are taken.
var from = map[tongban.CaseAction][]tongban.CaseState{
	tongban.ActionSubmit:            {tongban.CaseDraft},
	tongban.ActionAccept:            {tongban.CaseSubmitted},
	tongban.ActionReject:            {tongban.CaseSubmitted, tongban.CaseAwaitingCorrection},
	tongban.ActionRequestCorrection: {tongban.CaseSubmitted, tongban.CaseAccepted, tongban.CaseInReview},
	tongban.ActionSupplement:        {tongban.CaseAwaitingCorrection},
	tongban.ActionReview:            {tongban.CaseAccepted, tongban.CaseInReview},
	tongban.ActionApprove:           {tongban.CaseAccepted, tongban.CaseInReview},
	tongban.ActionDeny:              {tongban.CaseAccepted, tongban.CaseInReview},
	tongban.ActionSpecialStart:      {tongban.CaseAccepted, tongban.CaseInReview},
	tongban.ActionSpecialEnd:        {tongban.CaseAccepted, tongban.CaseInReview},
	tongban.ActionIssue:             {tongban.CaseApproved},
	// A denial decision (不予许可决定书) is handed over like a result, and
	// its delivery closes the case; there is no closing it by hand.
	tongban.ActionDeliver: {tongban.CaseResultIssued, tongban.CaseDenied},
	tongban.ActionClose:   {tongban.CaseResultIssued},
	tongban.ActionWithdraw: {tongban.CaseDraft, tongban.CaseSubmitted, tongban.CaseAwaitingCorrection,
		tongban.CaseAccepted, tongban.CaseInReview},
	tongban.ActionProvideOwed: {tongban.CaseAccepted, tongban.CaseInReview, tongban.CaseAwaitingCorrection,
		tongban.CaseApproved, tongban.CaseResultIssued},
	tongban.ActionPostCheck:        {tongban.CaseApproved, tongban.CaseResultIssued, tongban.CaseClosed},
	tongban.ActionConfirmMaterials: {tongban.CaseSubmitted, tongban.CaseAccepted, tongban.CaseInReview},
}

// Allowed reports whether the action may be taken from the state, by the
// table alone; pages use it to show only the buttons that can work.
func Allowed(a tongban.CaseAction, s tongban.CaseState) bool { return slices.Contains(from[a], s) }

// checkFrom refuses an action the case's state does not allow, naming the
// state so the person sees why (HTTP 409).
func checkFrom(c *tongban.Case, a tongban.CaseAction) error {
	if Allowed(a, c.State) {
		return nil
	}
	return illegal(c, a)
}

func illegal(c *tongban.Case, a tongban.CaseAction) error {
	return tongban.Errorf(tongban.EConflict, "办件当前状态为「%s」，不能执行「%s」", c.State.Label(), a.Label())
}

// illegalBecause is a refused transition with the reason beyond the state.
func illegalBecause(c *tongban.Case, a tongban.CaseAction, why string) error {
	return tongban.Errorf(tongban.EConflict, "办件当前状态为「%s」，不能执行「%s」：%s", c.State.Label(), a.Label(), why)
}
