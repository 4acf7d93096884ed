package identity

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// Audit actions of the staff admin pages beside role grants.
const (
	AuditStaffDisable = "staff_disable"
	AuditStaffEnable  = "staff_enable"
)

// mayManageStaff decides whether the actor may disable or reset the
// password of target: not oneself, and every org target works in within
// the actor's staff.manage scope. An account without roles is the system
// administrator's, as nobody else's scope shows it.
func (s *Service) mayManageStaff(ctx context.Context, target *tongban.User, r Request) error {
	if r.Actor == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if err := s.Require(r.Actor, PermStaffManage); err != nil {
		return err
	}
	if target.ID == r.Actor.ID {
		return tongban.Errorf(tongban.EForbidden, "不能停用自己的账号或为自己重置密码，请由其他管理员办理")
	}
	if len(target.Roles) == 0 && !r.Actor.Has(tongban.RoleSysAdmin) {
		return tongban.Errorf(tongban.EForbidden, "该工作人员未在任何机构任职，请由系统管理员办理")
	}
	for _, held := range target.Roles {
		if err := s.RequireOrg(ctx, r.Actor, PermStaffManage, held.OrgID); err != nil {
			return tongban.Errorf(tongban.EForbidden, "该工作人员在您管理范围之外的机构（%s）任职，请由该机构的管理员办理", held.OrgName)
		}
	}
	return nil
}

// SetStaffDisabled stops (or restores) a staff member's sign-ins. Stopping
// ends every session and revokes the API tokens at once.
func (s *Service) SetStaffDisabled(ctx context.Context, userID int64, disabled bool, r Request) error {
	target, err := s.staffTarget(ctx, userID)
	if err != nil {
		return err
	}
	if err := s.mayManageStaff(ctx, target, r); err != nil {
		return err
	}
	now := s.Clock.Now()
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.SetDisabled(ctx, userID, disabled); err != nil {
			return err
		}
		action := AuditStaffEnable
		if disabled {
			action = AuditStaffDisable
			if err := tx.DeleteUserSessions(ctx, userID, ""); err != nil {
				return err
			}
			if _, err := tx.RevokeUserAPITokens(ctx, userID, now); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, r, action, userObject(userID), target.Username)
	})
	s.auth.forgetUser(userID)
	return err
}

// IssueStaffResetLink makes a one-time link with which a staff member sets
// a new password; the administrator hands it over in person. Earlier links
// stop working; the old password works until the link is used.
func (s *Service) IssueStaffResetLink(ctx context.Context, userID int64, r Request) (token string, expires time.Time, err error) {
	target, err := s.staffTarget(ctx, userID)
	if err != nil {
		return "", time.Time{}, err
	}
	if err := s.mayManageStaff(ctx, target, r); err != nil {
		return "", time.Time{}, err
	}
	return s.issueReset(ctx, userID, "管理员为工作人员签发", r)
}
