package workflow

import (
	"context"
	"log/slog"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
)

// Get returns a case to someone entitled to it: the applicant, the
// department or board working it, a window serving its region, or a
// supervisor of its region.
func (s *Service) Get(ctx context.Context, r Request, id int64) (*tongban.Case, error) {
	c, err := s.Store.Case(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.read(ctx, r, c)
}

// ByNumber is Get by case number.
func (s *Service) ByNumber(ctx context.Context, r Request, number string) (*tongban.Case, error) {
	c, err := s.Store.CaseByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	return s.read(ctx, r, c)
}

// ByNumberWithEvents is ByNumber with the case's events in c.Events,
// read in the same statement: for views that show both.
func (s *Service) ByNumberWithEvents(ctx context.Context, r Request, number string) (*tongban.Case, error) {
	c, err := s.Store.CaseByNumberWithEvents(ctx, number)
	if err != nil {
		return nil, err
	}
	return s.read(ctx, r, c)
}

// read checks access and logs a read of someone else's case: a case holds
// the applicant's personal data (DESIGN: every such read is logged).
func (s *Service) read(ctx context.Context, r Request, c *tongban.Case) (*tongban.Case, error) {
	if err := s.canSee(ctx, r.Actor, c); err != nil {
		return nil, err
	}
	if r.Actor.ID != c.ApplicantID {
		log := s.Log
		if log == nil {
			log = slog.Default()
		}
		log.InfoContext(ctx, "case read", "actor", r.Actor.ID, "case", c.Number, "ip", r.IP)
	}
	return c, nil
}

// ApplicantOf returns the applicant of the case numbered number, if actor
// may see the case: the purpose that lets staff read that person
// (identity.Service.Cases).
func (s *Service) ApplicantOf(ctx context.Context, actor *tongban.User, number string) (int64, error) {
	c, err := s.Store.CaseByNumber(ctx, number)
	if err != nil {
		return 0, err
	}
	if err := s.canSee(ctx, actor, c); err != nil {
		return 0, err
	}
	return c.ApplicantID, nil
}

// History returns the case's events in order, to whoever may see the case.
func (s *Service) History(ctx context.Context, r Request, id int64) ([]*tongban.CaseEvent, error) {
	if _, err := s.Get(ctx, r, id); err != nil {
		return nil, err
	}
	return s.Store.CaseEvents(ctx, id)
}

func (s *Service) canSee(ctx context.Context, u *tongban.User, c *tongban.Case) error {
	return s.canSeeIn(ctx, s.Store, u, c, nil)
}

// canSeeIn is canSee reading orgs through st, and l is the case's listing
// version when the caller holds it (nil: it is read). An action passes its
// transaction and the listing it prepared: a read through the root store
// inside the transaction would wait for a second connection, and with as
// many actions at once as the pool has connections, every one of them
// would wait for ever.
func (s *Service) canSeeIn(ctx context.Context, st tongban.Store, u *tongban.User, c *tongban.Case, l *tongban.Listing) error {
	if u == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if u.ID == c.ApplicantID {
		return nil
	}
	authz := identity.Authorizer{Orgs: st}
	for _, target := range []int64{c.OrgID, c.BoardID} {
		if target != 0 && authz.RequireOrg(ctx, u, identity.PermCaseReview, target) == nil {
			return nil
		}
	}
	region, citywide := c.RegionCode, false
	if l == nil {
		l, _ = s.ListingVersion(ctx, c.ListingID, c.ListingVersion)
	}
	if l != nil {
		region, citywide = servedRegion(l, c.RegionCode)
	}
	for _, perm := range []identity.Permission{identity.PermCaseAccept, identity.PermCaseHandout} {
		if _, _, err := windowClerk(ctx, st, authz, u, perm, region, citywide); err == nil {
			return nil
		}
	}
	// The hall a result waits at (chosen by the applicant, maybe another
	// district's) hands it out.
	if c.Delivery.WindowID != 0 && atHallOf(ctx, st, u, c.Delivery.WindowID) {
		return nil
	}
	if authz.RequireOrg(ctx, u, identity.PermSupervise, c.OrgID) == nil {
		return nil
	}
	return tongban.Errorf(tongban.EForbidden, "无权查看该办件")
}

// List returns cases for a list page. An applicant gets their own cases
// (f.ApplicantID is forced). Staff must name what they list: a department
// (f.OrgID) or board (f.BoardID) they review for or supervise, or a region
// (f.Within) whose hall they work at or which they supervise. Applicant
// names are masked in staff lists.
func (s *Service) List(ctx context.Context, r Request, f tongban.CaseFilter) ([]*tongban.Case, error) {
	u := r.Actor
	if u == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if u.Kind != tongban.UserStaff {
		f.ApplicantID = u.ID
		return s.Store.Cases(ctx, f)
	}
	if err := s.canList(ctx, u, f); err != nil {
		return nil, err
	}
	cs, err := s.Store.Cases(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		c.ApplicantName = tongban.MaskName(c.ApplicantName)
	}
	return cs, nil
}

func (s *Service) canList(ctx context.Context, u *tongban.User, f tongban.CaseFilter) error {
	authz := identity.Authorizer{Orgs: s.Store}
	orgOK := func(id int64) error {
		if err := authz.RequireOrg(ctx, u, identity.PermCaseReview, id); err == nil {
			return nil
		}
		return authz.RequireOrg(ctx, u, identity.PermSupervise, id)
	}
	switch {
	case f.OrgID != 0:
		return orgOK(f.OrgID)
	case f.BoardID != 0:
		return orgOK(f.BoardID)
	case f.Within != "":
		for _, perm := range []identity.Permission{identity.PermCaseAccept, identity.PermCaseHandout} {
			if _, _, err := windowClerk(ctx, s.Store, authz, u, perm, f.Within, false); err == nil {
				return nil
			}
		}
		_, err := s.supervisedRegion(ctx, Request{Actor: u}, f.Within)
		return err
	}
	return tongban.FieldError("org_id", "请指定部门、审批专区或行政区划")
}

// Overdue lists the running cases past their due date at now (超期), by due
// date, for supervisors and departments. A case paused by a 特别程序 is
// judged by its clock frozen at the pause, so a pause alone never makes a
// case overdue.
func (s *Service) Overdue(ctx context.Context, r Request, f tongban.CaseFilter, now time.Time) ([]*tongban.Case, error) {
	sched, err := s.Calendar.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	f.States = []tongban.CaseState{tongban.CaseAccepted, tongban.CaseInReview}
	f.DueBefore = calendar.DateOf(now).String()
	cs, err := s.List(ctx, r, f)
	if err != nil {
		return nil, err
	}
	out := cs[:0]
	for _, c := range cs {
		if StatusAt(sched, c, now).Level == calendar.Red {
			out = append(out, c)
		}
	}
	return out, nil
}

// Denials lists rejected and denied cases, closed or not (否定备案), newest
// first, for supervisors of the region.
func (s *Service) Denials(ctx context.Context, r Request, within string, limit, offset int) ([]*tongban.Case, error) {
	region, err := s.supervisedRegion(ctx, r, within)
	if err != nil {
		return nil, err
	}
	cs, err := s.Store.Cases(ctx, tongban.CaseFilter{Within: region, Newest: true, Limit: limit, Offset: offset,
		Outcomes: []tongban.CaseState{tongban.CaseDenied, tongban.CaseRejected}})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		c.ApplicantName = tongban.MaskName(c.ApplicantName)
	}
	return cs, nil
}
