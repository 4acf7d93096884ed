package workflow

import (
	"context"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// Waiting is what 统一出件 lists at a result window: results and denial
// decisions waiting to be collected (待领取), and those collected today
// (已领取) with their 签收.
type Waiting struct {
	Waiting   []*tongban.Case
	Collected []*Collected
}

// Collected is a case handed over at the window today, with its 签收.
type Collected struct {
	Case     *tongban.Case
	Handover *tongban.Handover
}

// Handout lists the window's results for staff of its hall, narrowed by q:
// a case number, the applicant's ID number (or credit code) or name. Names
// are matched in full and shown masked.
func (s *Service) Handout(ctx context.Context, r Request, windowID int64, q string, now time.Time) (*Waiting, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if !atHallOf(ctx, s.Store, r.Actor, windowID) {
		return nil, tongban.Errorf(tongban.EForbidden, "您不在该出件窗口所在大厅的窗口岗位上")
	}
	match, err := s.handoutMatch(ctx, strings.TrimSpace(q))
	if err != nil {
		return nil, err
	}
	out := &Waiting{}
	waiting, err := s.Store.Cases(ctx, tongban.CaseFilter{PickupWindowID: windowID,
		States: []tongban.CaseState{tongban.CaseResultIssued, tongban.CaseDenied}, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, c := range waiting {
		if match(c) {
			out.Waiting = append(out.Waiting, c)
		}
	}
	closed, err := s.Store.Cases(ctx, tongban.CaseFilter{PickupWindowID: windowID,
		States: []tongban.CaseState{tongban.CaseClosed}, Newest: true, Limit: 200})
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(now)
	for _, c := range closed {
		if calendar.DateOf(c.UpdatedAt) != today || !match(c) {
			continue
		}
		h, err := s.Store.Handover(ctx, c.ID)
		if tongban.IsCode(err, tongban.ENotFound) {
			continue // mailed, not collected here
		} else if err != nil {
			return nil, err
		}
		h.CollectorName = tongban.MaskName(h.CollectorName)
		out.Collected = append(out.Collected, &Collected{Case: c, Handover: h})
	}
	for _, c := range out.Waiting {
		c.ApplicantName = tongban.MaskName(c.ApplicantName)
	}
	for _, c := range out.Collected {
		c.Case.ApplicantName = tongban.MaskName(c.Case.ApplicantName)
	}
	return out, nil
}

// handoutMatch is the search of 统一出件: everything without q; else a
// case number, an ID number or credit code (its holder's cases), or a name.
func (s *Service) handoutMatch(ctx context.Context, q string) (func(*tongban.Case) bool, error) {
	if q == "" {
		return func(*tongban.Case) bool { return true }, nil
	}
	var holder int64
	if id, err := tongban.ParseIDNumber(q); err == nil {
		if u, err := s.Store.UserByIDNumber(ctx, id); err == nil {
			holder = u.ID
		} else if !tongban.IsCode(err, tongban.ENotFound) {
			return nil, err
		}
		return func(c *tongban.Case) bool { return holder != 0 && c.ApplicantID == holder }, nil
	}
	if code, err := tongban.ParseCreditCode(q); err == nil {
		if u, err := s.Store.UserByLogin(ctx, string(code)); err == nil {
			holder = u.ID
		} else if !tongban.IsCode(err, tongban.ENotFound) {
			return nil, err
		}
		return func(c *tongban.Case) bool { return holder != 0 && c.ApplicantID == holder }, nil
	}
	return func(c *tongban.Case) bool { return c.Number == q || c.ApplicantName == q }, nil
}
