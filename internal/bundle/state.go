package bundle

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// ParentState is a bundle application's state, derived from its sub-cases
// (the least advanced wins): it is never stored, so it cannot drift.
type ParentState string

const (
	ParentCorrection ParentState = "awaiting_correction" // 待补正: some department asks the applicant
	ParentSubmitted  ParentState = "submitted"           // 待受理: some sub-case not yet accepted
	ParentAccepted   ParentState = "accepted"            // 已受理: every started sub-case accepted, work going on
	ParentIssued     ParentState = "issued"              // 已出件: every result made, waiting to be handed over
	ParentClosed     ParentState = "closed"              // 已办结
)

var parentLabels = map[ParentState]string{ParentCorrection: "待补正", ParentSubmitted: "待受理",
	ParentAccepted: "已受理", ParentIssued: "已出件", ParentClosed: "已办结"}

func (p ParentState) Label() string { return parentLabels[p] }

var parentRank = map[ParentState]int{ParentCorrection: 0, ParentSubmitted: 1, ParentAccepted: 2, ParentIssued: 3, ParentClosed: 4}

// stateOf places one sub-case.
func stateOf(sc *tongban.SubCase, c *tongban.Case) ParentState {
	switch {
	case sc.Status == tongban.SubStopped:
		return ParentClosed
	case sc.Status == tongban.SubWaiting || c == nil:
		return ParentAccepted
	}
	switch c.State {
	case tongban.CaseAwaitingCorrection:
		return ParentCorrection
	case tongban.CaseDraft, tongban.CaseSubmitted:
		return ParentSubmitted
	case tongban.CaseApproved, tongban.CaseAccepted, tongban.CaseInReview:
		return ParentAccepted
	case tongban.CaseResultIssued, tongban.CaseDenied:
		return ParentIssued
	}
	return ParentClosed
}

// SubView is a sub-case with its case, once started.
type SubView struct {
	*tongban.SubCase
	Case *tongban.Case `json:"case,omitempty"`
}

// View is a bundle application as its people see it: the derived state
// and clock, the sub-cases, and the one 补正 notice.
type View struct {
	*tongban.BundleCase
	State      ParentState `json:"state"`
	StateLabel string      `json:"state_label"`
	// AcceptedAt is when the last started sub-case was accepted (the parent
	// is accepted when every one is); DueDate the latest sub-case due date.
	AcceptedAt time.Time    `json:"accepted_at,omitzero"`
	DueDate    string       `json:"due_date,omitempty"`
	Paused     bool         `json:"paused,omitempty"` // some clock stopped for a 补正
	Views      []SubView    `json:"-"`
	Notice     []NoticeLine `json:"correction_notice,omitempty"`
	// HeldBy are the departments whose sub-cases are the least advanced:
	// who holds the bundle up.
	HeldBy []string `json:"held_by,omitempty"`
}

// Derive computes the parent's state and clock from the sub-cases.
func Derive(bc *tongban.BundleCase, cases map[int64]*tongban.Case) *View {
	v := &View{BundleCase: bc, State: ParentClosed}
	allAccepted := true
	for _, sc := range bc.Subs {
		c := cases[sc.CaseID]
		v.Views = append(v.Views, SubView{SubCase: sc, Case: c})
		if st := stateOf(sc, c); parentRank[st] < parentRank[v.State] {
			v.State = st
		}
		if c == nil {
			continue
		}
		if c.AcceptedAt.IsZero() {
			if c.State.Open() {
				allAccepted = false
			}
		} else if c.AcceptedAt.After(v.AcceptedAt) {
			v.AcceptedAt = c.AcceptedAt
		}
		if c.DueDate > v.DueDate {
			v.DueDate = c.DueDate
		}
		if c.State == tongban.CaseAwaitingCorrection || !c.PausedSince.IsZero() {
			v.Paused = true
		}
	}
	if !allAccepted {
		v.AcceptedAt = time.Time{}
	}
	v.StateLabel = v.State.Label()
	if v.State != ParentClosed {
		seen := map[string]bool{}
		for _, sv := range v.Views {
			if stateOf(sv.SubCase, sv.Case) == v.State && !seen[sv.OrgName] {
				seen[sv.OrgName] = true
				v.HeldBy = append(v.HeldBy, sv.OrgName)
			}
		}
	}
	return v
}

// View reads the sub-cases' cases and derives the parent, with its notice.
func (s *Service) View(ctx context.Context, bc *tongban.BundleCase) (*View, error) {
	cases, err := s.casesOf(ctx, bc)
	if err != nil {
		return nil, err
	}
	v := Derive(bc, cases)
	if v.State == ParentCorrection {
		_, cl, err := s.pinned(ctx, s.Store, bc)
		if err != nil {
			return nil, err
		}
		v.Notice = Notice(cl, v.Views)
	}
	return v, nil
}

// CanSee reports whether u may see the parent: its applicant; staff who
// may see one of its sub-cases (the window that took it, a department
// handling a part, supervisors); staff of the lead department.
func (s *Service) CanSee(ctx context.Context, u *tongban.User, bc *tongban.BundleCase) error {
	notFound := tongban.Errorf(tongban.ENotFound, "办件 %s 不存在", bc.Number)
	if u == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if u.ID == bc.ApplicantID {
		return nil
	}
	if u.Kind != tongban.UserStaff {
		return notFound
	}
	for _, g := range u.Roles {
		if g.OrgID == bc.LeadOrgID {
			return nil
		}
	}
	for _, sc := range bc.Subs {
		if sc.CaseID == 0 {
			continue
		}
		c, err := s.Store.Case(ctx, sc.CaseID)
		if err != nil {
			return err
		}
		if s.Workflow.CanSee(ctx, u, c) == nil {
			return nil
		}
	}
	return notFound
}

// casesOf reads the cases of the started sub-cases, by id.
func (s *Service) casesOf(ctx context.Context, bc *tongban.BundleCase) (map[int64]*tongban.Case, error) {
	cases := map[int64]*tongban.Case{}
	for _, sc := range bc.Subs {
		if sc.CaseID == 0 {
			continue
		}
		c, err := s.Store.Case(ctx, sc.CaseID)
		if err != nil {
			return nil, err
		}
		cases[c.ID] = c
	}
	return cases, nil
}
