package workflow_test

import (
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
)

func TestStages(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 2, 0, 0, 0, time.UTC) }
	ev := func(a tongban.CaseAction, d int, to tongban.CaseState) *tongban.CaseEvent {
		return &tongban.CaseEvent{Action: a, At: day(d), To: to}
	}
	got := workflow.Stages(&tongban.Case{State: tongban.CaseInReview}, []*tongban.CaseEvent{
		ev(tongban.ActionSubmit, 2, tongban.CaseSubmitted), ev(tongban.ActionAccept, 3, tongban.CaseAccepted),
		ev(tongban.ActionReview, 4, tongban.CaseInReview)})
	if !got[0].Done || !got[1].At.Equal(day(3)) || !got[2].Done || !got[3].Current || got[4].Done {
		t.Errorf("in review: %+v", got)
	}
	got = workflow.Stages(&tongban.Case{State: tongban.CaseClosed}, []*tongban.CaseEvent{
		ev(tongban.ActionSubmit, 2, tongban.CaseSubmitted), ev(tongban.ActionAccept, 3, tongban.CaseAccepted),
		ev(tongban.ActionDeny, 5, tongban.CaseDenied), ev(tongban.ActionDeliver, 9, tongban.CaseClosed)})
	if got[3].Note != "不予办理" || !got[4].At.Equal(day(9)) || got[4].Current {
		t.Errorf("denied and delivered: %+v", got)
	}
	got = workflow.Stages(&tongban.Case{State: tongban.CaseRejected}, []*tongban.CaseEvent{
		ev(tongban.ActionSubmit, 2, tongban.CaseSubmitted), ev(tongban.ActionReject, 2, tongban.CaseRejected)})
	if got[1].Done || got[1].Note != "不予受理" || !got[4].Done {
		t.Errorf("rejected: %+v", got)
	}
	got = workflow.Stages(&tongban.Case{State: tongban.CaseAwaitingCorrection}, []*tongban.CaseEvent{
		ev(tongban.ActionSubmit, 2, tongban.CaseSubmitted), ev(tongban.ActionAccept, 3, tongban.CaseAccepted),
		ev(tongban.ActionRequestCorrection, 4, tongban.CaseAwaitingCorrection)})
	if !got[2].Current || got[2].Note != "待补正" {
		t.Errorf("awaiting correction in review: %+v", got)
	}
}
