package workflow_test

import (
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/workflow"
)

func TestCaseNumbers(t *testing.T) {
	n := workflow.FormatNumber("511602000000", calendar.NewDate(2026, 3, 2), 17)
	if n != "511602000000-20260302-000017" {
		t.Fatalf("FormatNumber = %s", n)
	}
	for _, s := range []string{n, "51160200000020260302000017"} {
		region, day, seq, ok := workflow.ParseNumber(s)
		if !ok || region != "511602000000" || day != calendar.NewDate(2026, 3, 2) || seq != 17 {
			t.Errorf("ParseNumber(%s) = %s %s %d %v", s, region, day, seq, ok)
		}
	}
	for _, bad := range []string{"", "511602-20260302-1", "5116020000AA-20260302-000017", "511602000000-20261302-000017", "511602000000-20260302-000000"} {
		if _, _, _, ok := workflow.ParseNumber(bad); ok {
			t.Errorf("ParseNumber(%q) accepted", bad)
		}
	}
}

func TestProcess(t *testing.T) {
	four := &tongban.Listing{Steps: []tongban.Step{
		{Name: "受理", Role: tongban.StepAccept}, {Name: "审查", Role: tongban.StepReview},
		{Name: "决定", Role: tongban.StepDecide}, {Name: "办结", Role: tongban.StepConclude},
	}}
	p := workflow.ProcessOf(four)
	if p.First() != 1 || p.Last() != 2 || p.IsLast(1) || !p.IsLast(2) {
		t.Errorf("受理/审查/决定/办结: first %d last %d", p.First(), p.Last())
	}
	if next, ok := p.Next(1); !ok || next != 2 {
		t.Errorf("Next(1) = %d, %v", next, ok)
	}
	if _, ok := p.Next(2); ok {
		t.Error("a step after the deciding one")
	}
	if i, ok := p.Conclusion(); !ok || i != 3 {
		t.Errorf("Conclusion = %d, %v", i, ok)
	}
	// 特别程序 steps are never waited at.
	special := &tongban.Listing{Steps: []tongban.Step{
		{Name: "受理", Role: tongban.StepAccept}, {Name: "审查", Role: tongban.StepReview},
		{Name: "专家评审", Role: tongban.StepSpecial}, {Name: "决定", Role: tongban.StepDecide},
	}}
	if p := workflow.ProcessOf(special); p.First() != 1 || p.Last() != 3 {
		t.Errorf("with a special step: first %d last %d", p.First(), p.Last())
	}
	// Listings without a decision step get one after acceptance.
	for _, l := range []*tongban.Listing{{}, {Steps: []tongban.Step{{Name: "受理", Role: tongban.StepAccept}, {Name: "办结", Role: tongban.StepConclude}}}} {
		p := workflow.ProcessOf(l)
		if p.First() != p.Last() || p.Name(p.Last()) != "审查决定" || len(l.Steps) > 0 && l.Steps[1].Name != "办结" {
			t.Errorf("synthesised decision step for %v: %+v", l.Steps, p.Steps)
		}
	}
}

func TestTransitionTable(t *testing.T) {
	for _, tc := range []struct {
		a    tongban.CaseAction
		s    tongban.CaseState
		want bool
	}{
		{tongban.ActionAccept, tongban.CaseSubmitted, true},
		{tongban.ActionAccept, tongban.CaseAwaitingCorrection, false},
		{tongban.ActionWithdraw, tongban.CaseInReview, true},
		{tongban.ActionWithdraw, tongban.CaseApproved, false},
		{tongban.ActionClose, tongban.CaseDenied, false},
		{tongban.ActionDeliver, tongban.CaseDenied, true},
		{tongban.ActionClose, tongban.CaseApproved, false},
		{tongban.ActionDeliver, tongban.CaseResultIssued, true},
		{tongban.ActionSupplement, tongban.CaseAwaitingCorrection, true},
	} {
		if got := workflow.Allowed(tc.a, tc.s); got != tc.want {
			t.Errorf("Allowed(%s, %s) = %v", tc.a, tc.s, got)
		}
	}
	// Every open state can be withdrawn and nothing final can move.
	for _, s := range tongban.CaseStates {
		if s.Open() != workflow.Allowed(tongban.ActionWithdraw, s) {
			t.Errorf("withdraw from %s: allowed %v, open %v", s, workflow.Allowed(tongban.ActionWithdraw, s), s.Open())
		}
		if s.Final() {
			for _, a := range []tongban.CaseAction{tongban.ActionAccept, tongban.ActionApprove, tongban.ActionDeny,
				tongban.ActionIssue, tongban.ActionDeliver, tongban.ActionClose, tongban.ActionWithdraw, tongban.ActionReview} {
				if workflow.Allowed(a, s) {
					t.Errorf("%s allowed from final state %s", a, s)
				}
			}
		}
	}
}

func TestTimeStatusLevels(t *testing.T) {
	sched := calendar.Default()
	accepted := at(2026, 3, 2, 10, 0) // Monday; 10 working days end 03-16
	c := &tongban.Case{State: tongban.CaseInReview, PromisedDays: 10, AcceptedAt: accepted, DueDate: "2026-03-16"}
	for _, tc := range []struct {
		now   time.Time
		left  int
		level calendar.Level
	}{
		{at(2026, 3, 2, 16, 0), 10, calendar.OK},
		{at(2026, 3, 11, 9, 0), 3, calendar.OK},
		{at(2026, 3, 12, 9, 0), 2, calendar.Yellow}, // 20% of 10 days
		{at(2026, 3, 16, 18, 0), 0, calendar.Yellow},
		{at(2026, 3, 17, 9, 0), -1, calendar.Red},
	} {
		ts := workflow.StatusAt(sched, c, tc.now)
		if !ts.Running || ts.DaysLeft != tc.left || ts.Level != tc.level {
			t.Errorf("at %s: %+v, want %d days %s", tc.now.Format("01-02"), ts, tc.left, tc.level)
		}
	}
	// A due date in a year with no holiday notice is provisional.
	late := &tongban.Case{State: tongban.CaseAccepted, PromisedDays: 20, AcceptedAt: at(2026, 12, 21, 9, 0)}
	res := sched.Due(late.AcceptedAt, late.PromisedDays, nil)
	late.DueDate, late.Provisional = res.Due.String(), res.Provisional
	if ts := workflow.StatusAt(sched, late, at(2026, 12, 22, 9, 0)); !ts.Provisional {
		t.Errorf("due %s into 2027 not provisional: %+v", late.DueDate, ts)
	}
	if ts := workflow.StatusAt(sched, &tongban.Case{State: tongban.CaseSubmitted}, accepted); ts != (workflow.TimeStatus{}) {
		t.Errorf("unaccepted case has a clock: %+v", ts)
	}
}

func TestPausesFromEvents(t *testing.T) {
	e := func(a tongban.CaseAction, from tongban.CaseState, when time.Time) *tongban.CaseEvent {
		return &tongban.CaseEvent{Action: a, From: from, At: when}
	}
	evs := []*tongban.CaseEvent{
		e(tongban.ActionSubmit, "", at(2025, 9, 20, 9, 0)),
		e(tongban.ActionRequestCorrection, tongban.CaseSubmitted, at(2025, 9, 22, 9, 0)), // before acceptance: no pause
		e(tongban.ActionSupplement, tongban.CaseAwaitingCorrection, at(2025, 9, 23, 9, 0)),
		e(tongban.ActionAccept, tongban.CaseSubmitted, at(2025, 9, 24, 9, 0)),
		e(tongban.ActionRequestCorrection, tongban.CaseInReview, at(2025, 9, 25, 9, 0)),
		e(tongban.ActionSupplement, tongban.CaseAwaitingCorrection, at(2025, 9, 26, 9, 0)),
		e(tongban.ActionSpecialStart, tongban.CaseInReview, at(2025, 9, 29, 9, 0)),
	}
	ps := workflow.Pauses(evs)
	if len(ps) != 2 || !ps[0].From.Equal(at(2025, 9, 25, 9, 0)) || !ps[0].To.Equal(at(2025, 9, 26, 9, 0)) ||
		!ps[1].From.Equal(at(2025, 9, 29, 9, 0)) || !ps[1].To.IsZero() {
		t.Errorf("pauses: %+v", ps)
	}
}
