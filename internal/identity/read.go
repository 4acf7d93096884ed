package identity

import (
	"context"
	"strconv"

	"github.com/tongban/tongban"
)

func itoa(i int) string     { return strconv.Itoa(i) }
func itoa64(i int64) string { return strconv.FormatInt(i, 10) }

// ReadUser returns another person's account as the actor may see it.
// Staff accounts are visible to those with staff.read over one of the
// account's orgs; applicants to those with applicant.read. Personal fields
// stay masked unless full is asked for, the actor holds applicant.read_pii,
// and then the read is audited.
func (s *Service) ReadUser(ctx context.Context, userID int64, full bool, r Request) (*tongban.User, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	u, err := s.Store.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.ID == r.Actor.ID {
		return u, nil
	}
	switch u.Kind {
	case tongban.UserStaff:
		if err := s.requireAnyOrg(ctx, r.Actor, PermStaffRead, u.Roles); err != nil {
			return nil, err
		}
	default:
		if err := s.Require(r.Actor, PermApplicantRead); err != nil {
			return nil, err
		}
	}
	// Every read of another person's data is logged; a full read is also audited.
	s.Log.Info("personal data read", "actor", r.actorID(), "user", u.ID, "full", full, "ip", r.IP)
	if !full {
		return u, nil
	}
	if err := s.Require(r.Actor, PermApplicantFull); err != nil {
		return nil, err
	}
	if err := s.audit(ctx, s.Store, r, tongban.AuditPIIRead, userObject(u.ID), "id_number,phone"); err != nil {
		return nil, err
	}
	return u, nil
}

// requireAnyOrg passes if the actor's perm covers any of the grants' orgs.
func (s *Service) requireAnyOrg(ctx context.Context, actor *tongban.User, perm Permission, grants []tongban.RoleGrant) error {
	err := s.Require(actor, perm)
	if err != nil {
		return err
	}
	err = tongban.Errorf(tongban.EForbidden, "无权访问其他部门的人员信息")
	for _, g := range grants {
		if err = s.RequireOrg(ctx, actor, perm, g.OrgID); err == nil {
			return nil
		}
	}
	return err
}

// StaffOf lists staff of the orgs the actor may read: its scope's orgs.
func (s *Service) StaffOf(ctx context.Context, orgID int64, r Request) ([]*tongban.User, error) {
	if err := s.RequireOrg(ctx, r.Actor, PermStaffRead, orgID); err != nil {
		return nil, err
	}
	return s.Store.Users(ctx, tongban.UserFilter{Kind: tongban.UserStaff, OrgIDs: []int64{orgID}})
}
