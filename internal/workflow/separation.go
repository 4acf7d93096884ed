package workflow

import "github.com/tongban/tongban"

// takesStep lists the actions that complete a step of the process: the
// actor of the step before the current one is whoever took the latest of
// these at an earlier step.
var takesStep = map[tongban.CaseAction]bool{
	tongban.ActionAccept: true, tongban.ActionReview: true, tongban.ActionApprove: true, tongban.ActionDeny: true,
}

// otherActor refuses a taking step when the listing says the step must be
// taken by someone other than the previous step's actor (审核与审批分离)
// and a is that actor.
func (t *txn) otherActor(a *actor, step int) error {
	if step < 0 || step >= len(t.proc.Steps) || !t.proc.Steps[step].OtherActor {
		return nil
	}
	evs, err := t.events()
	if err != nil {
		return err
	}
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		if !takesStep[e.Action] || e.Step >= step {
			continue
		}
		if e.ActorID == a.user.ID {
			return tongban.Errorf(tongban.EForbidden, "「%s」环节须由上一环节以外的人员办理，您已办理上一环节「%s」",
				t.proc.Name(step), e.Action.Label())
		}
		return nil
	}
	return nil
}
