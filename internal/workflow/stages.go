package workflow

import (
	"time"

	"github.com/tongban/tongban"
)

// Stage is one step of the bar an applicant follows a case by:
// 申请 → 受理 → 审查 → 决定 → 办结.
type Stage struct {
	Name    string    `json:"name"`
	At      time.Time `json:"at,omitzero"` // when it was reached; zero if not yet
	Done    bool      `json:"done"`
	Current bool      `json:"current"` // the case is in this stage now
	Note    string    `json:"note,omitempty"`
}

// Stages places a case on the bar from its events: each stage's date is the
// event that reached it. A case refused (不予受理) or withdrawn ends early,
// noted at the stage where it stopped.
func Stages(c *tongban.Case, evs []*tongban.CaseEvent) []Stage {
	st := []Stage{{Name: "申请"}, {Name: "受理"}, {Name: "审查"}, {Name: "决定"}, {Name: "办结"}}
	reach := func(i int, at time.Time) {
		if !st[i].Done {
			st[i].Done, st[i].At = true, at
		}
	}
	for _, e := range evs {
		switch e.Action {
		case tongban.ActionSubmit:
			reach(0, e.At)
		case tongban.ActionAccept:
			reach(1, e.At)
		case tongban.ActionReview, tongban.ActionSpecialStart, tongban.ActionSpecialEnd:
			reach(2, e.At)
		case tongban.ActionApprove, tongban.ActionDeny:
			reach(2, e.At)
			reach(3, e.At)
			st[3].Note = e.To.Label()
		case tongban.ActionReject:
			st[1].Note = "不予受理"
			reach(4, e.At)
		case tongban.ActionWithdraw:
			st[4].Note = "已撤回"
			reach(4, e.At)
		case tongban.ActionDeliver, tongban.ActionClose:
			reach(4, e.At)
		}
	}
	if !c.State.Final() {
		for i := range st {
			if !st[i].Done {
				st[i].Current = i > 0 && c.State != tongban.CaseDraft
				if st[i].Current && i == 2 && c.State == tongban.CaseAwaitingCorrection {
					st[i].Note = "待补正"
				}
				break
			}
		}
	}
	return st
}
