package workflow

import (
	"context"
	"slices"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// actor is who takes an action, in which role and from which org; it is
// what the case event records.
type actor struct {
	user   *tongban.User
	role   tongban.Role
	orgID  int64
	window bool // acting at a comprehensive window (前台综合受理)
}

// name is how the event shows the actor: staff with their sign-in name, a
// citizen masked (the history is shown to staff too).
func (a *actor) name() string {
	switch {
	case a.role == tongban.ActorApplicant && a.user.Kind == tongban.UserCitizen:
		return tongban.MaskName(a.user.Name)
	case a.user.Username != "":
		return a.user.Name + "(" + a.user.Username + ")"
	}
	return a.user.Name
}

func holds(r tongban.Role, p identity.Permission) bool {
	return slices.Contains(identity.PermissionsOf(r), p)
}

// applicant allows only the case's applicant.
func (t *txn) applicant() (*actor, error) {
	if t.r.Actor.ID != t.c.ApplicantID {
		return nil, tongban.Errorf(tongban.EForbidden, "只有申请人本人可以办理此项操作")
	}
	return &actor{user: t.r.Actor, role: tongban.ActorApplicant}, nil
}

// windowClerk finds a comprehensive window at which u holds perm and whose
// hall's region contains region (前台综合受理: any item, at any window of a
// hall serving the place), or, citywide, lies anywhere inside it (全市通办).
// The window of the nearest such hall wins.
func windowClerk(ctx context.Context, tx tongban.Store, authz identity.Authorizer, u *tongban.User,
	perm identity.Permission, region string, citywide bool) (*actor, *tongban.Org, error) {
	var best *actor
	var bestWindow *tongban.Org
	bestLevel := tongban.RegionLevel(0)
	for _, g := range u.Roles {
		if !holds(g.Role, perm) {
			continue
		}
		w, err := tx.Org(ctx, g.OrgID)
		if err != nil {
			return nil, nil, err
		}
		if w.Kind != tongban.OrgWindow {
			continue
		}
		serves := w.RegionCode
		if w.ParentID != 0 {
			hall, err := tx.Org(ctx, w.ParentID)
			if err != nil {
				return nil, nil, err
			}
			if hall.Kind == tongban.OrgHall {
				serves = hall.RegionCode
			}
		}
		if !tongban.RegionContains(serves, region) && !(citywide && tongban.RegionContains(region, serves)) ||
			tongban.RegionCodeLevel(serves) <= bestLevel {
			continue
		}
		if err := authz.RequireOrg(ctx, u, perm, w.ID); err != nil {
			continue
		}
		best, bestWindow, bestLevel = &actor{user: u, role: g.Role, orgID: w.ID, window: true}, w, tongban.RegionCodeLevel(serves)
	}
	if best == nil {
		return nil, nil, tongban.Errorf(tongban.EForbidden, "您不在可办理该办件的综合窗口：须为办件属地所在政务服务大厅的窗口人员")
	}
	return best, bestWindow, nil
}

// inOrg finds a grant through which u holds perm over one of the orgs.
func (t *txn) inOrg(perm identity.Permission, orgIDs ...int64) (*actor, bool) {
	u := t.r.Actor
	for _, target := range orgIDs {
		if target == 0 {
			continue
		}
		for _, g := range u.Roles {
			if !holds(g.Role, perm) {
				continue
			}
			one := *u
			one.Roles = []tongban.RoleGrant{g}
			if t.authz.RequireOrg(t.ctx, &one, perm, target) == nil {
				return &actor{user: u, role: g.Role, orgID: g.OrgID}, true
			}
		}
	}
	return nil, false
}

// backOffice allows the approvers of the case's department or of the board
// it was routed to (后台分类审批).
func (t *txn) backOffice() (*actor, error) {
	if a, ok := t.inOrg(identity.PermCaseReview, t.c.OrgID, t.c.BoardID); ok {
		return a, nil
	}
	return nil, tongban.Errorf(tongban.EForbidden, "您不是该办件承办部门或其后台审批专区的审批人员")
}

// window allows staff holding perm at a window serving the case's region,
// or, for a listing flagged 全市通办 (跨域通办), at any hall of the city.
func (t *txn) window(perm identity.Permission) (*actor, *tongban.Org, error) {
	return listingWindowClerk(t.ctx, t.tx, t.authz, t.r.Actor, perm, t.listing, t.c.RegionCode)
}

// listingWindowClerk is windowClerk for a case of listing l in region. A
// clerk of another district's hall is told why, in words a window can
// repeat to the applicant: the listing is not 全市通办 and where it is taken.
func listingWindowClerk(ctx context.Context, tx tongban.Store, authz identity.Authorizer, u *tongban.User,
	perm identity.Permission, l *tongban.Listing, region string) (*actor, *tongban.Org, error) {
	served, citywide := servedRegion(l, region)
	a, w, err := windowClerk(ctx, tx, authz, u, perm, served, citywide)
	if err == nil || citywide || l == nil || !tongban.IsCode(err, tongban.EForbidden) {
		return a, w, err
	}
	place := region
	if r, rerr := tx.Region(ctx, region); rerr == nil {
		place = r.Name
	}
	return nil, nil, tongban.Errorf(tongban.EForbidden, "“%s”未开通全市通办（跨域通办），只能在%s的政务服务大厅综合窗口办理", l.Name, place)
}

// servedRegion is the region whose halls take applications for the listing
// in region: the region itself, or for a listing flagged 全市通办 (跨域通办)
// the whole city, whose every hall accepts it (就近办).
func servedRegion(l *tongban.Listing, region string) (string, bool) {
	if l == nil || !l.Flags.CrossRegion || tongban.RegionCodeLevel(region) <= tongban.LevelCity {
		return region, false
	}
	return region[:4] + "00000000", true
}

// frontDesk is who accepts, rejects or asks for correction before
// acceptance: a clerk at a comprehensive window serving the case's region;
// for applications that did not come through a window (online, mobile,
// kiosk), also the department itself, since those go straight to its queue.
func (t *txn) frontDesk() (*actor, *tongban.Org, error) {
	a, w, err := t.window(identity.PermCaseAccept)
	if err == nil || t.c.Channel.AtWindow() {
		return a, w, err
	}
	if a, ok := t.inOrg(identity.PermCaseAccept, t.c.OrgID); ok {
		return a, nil, nil
	}
	if a, ok := t.inOrg(identity.PermCaseReview, t.c.OrgID); ok {
		return a, nil, nil
	}
	return nil, nil, err
}

// firstOf returns the first actor any of the checks allows, or the first
// check's error.
func firstOf(checks ...func() (*actor, error)) (*actor, error) {
	var first error
	for _, check := range checks {
		a, err := check()
		if err == nil {
			return a, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

func (t *txn) handout() (*actor, error) {
	a, _, err := t.window(identity.PermCaseHandout)
	return a, err
}

func (t *txn) supervisor() (*actor, error) {
	if a, ok := t.inOrg(identity.PermSupervise, t.c.OrgID); ok {
		return a, nil
	}
	return nil, tongban.Errorf(tongban.EForbidden, "您不负责监察该办件所属地区")
}
