package workflow

import (
	"cmp"

	"github.com/tongban/tongban"
)

// takesStep lists the actions that complete a step of the process: the
// actor of the step before the current one is whoever took the latest of
// these at an earlier step.
var takesStep = map[tongban.CaseAction]bool{
	tongban.ActionAccept: true, tongban.ActionReview: true, tongban.ActionApprove: true, tongban.ActionDeny: true,
}

// previousTaker is the event that took the step before step, when the
// listing says step must be taken by someone else (审核与审批分离); nil when
// it does not say so or nobody took an earlier step.
func previousTaker(proc Process, evs []*tongban.CaseEvent, step int) *tongban.CaseEvent {
	if step < 0 || step >= len(proc.Steps) || !proc.Steps[step].OtherActor {
		return nil
	}
	for i := len(evs) - 1; i >= 0; i-- {
		if e := evs[i]; takesStep[e.Action] && e.Step < step {
			return e
		}
	}
	return nil
}

// TookPreviousStep reports whether the user took the step before step of a
// case whose events are evs, where the listing requires another person for
// step: pages and API hints leave that person's buttons out.
func TookPreviousStep(proc Process, evs []*tongban.CaseEvent, userID int64, step int) bool {
	e := previousTaker(proc, evs, step)
	return e != nil && e.ActorID == userID
}

// otherActor refuses a taking step when the listing says the step must be
// taken by someone other than the previous step's actor and a is that actor.
func (t *txn) otherActor(a *actor, step int) error {
	if step < 0 || step >= len(t.proc.Steps) || !t.proc.Steps[step].OtherActor {
		return nil
	}
	evs, err := t.events()
	if err != nil {
		return err
	}
	if e := previousTaker(t.proc, evs, step); e != nil && e.ActorID == a.user.ID {
		return tongban.Errorf(tongban.EForbidden, "「%s」环节须由上一环节以外的人员办理，您已办理上一环节「%s」",
			t.proc.Name(step), cmp.Or(t.proc.Name(e.Step), e.Action.Label()))
	}
	return nil
}
