package identity

import (
	"context"
	"regexp"
	"strings"

	"github.com/tongban/tongban"
)

// StaffAccount is what an administrator gives to create a staff member.
type StaffAccount struct {
	Username string              `json:"username"`
	Name     string              `json:"name"`
	Phone    string              `json:"phone"`
	Password string              `json:"password"`
	Roles    []tongban.RoleGrant `json:"roles"`
}

var usernamePattern = regexp.MustCompile(`^[a-z][a-z0-9_.-]{2,31}$`)

// CreateStaff creates a staff account with its roles. A nil actor is the
// command line (a system administrator at the console); otherwise the grant
// table must allow the actor every role at its org (checkGrant).
func (s *Service) CreateStaff(ctx context.Context, in StaffAccount, r Request) (*tongban.User, error) {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	if !usernamePattern.MatchString(in.Username) {
		return nil, tongban.FieldError("username", "用户名应为3至32位小写字母、数字或 _ . -，以字母开头")
	}
	name, err := trimName("name", in.Name)
	if err != nil {
		return nil, err
	}
	var phone tongban.Phone
	if in.Phone != "" {
		if phone, err = tongban.ParsePhone(in.Phone); err != nil {
			return nil, err
		}
	}
	if err := ValidatePassword("password", in.Password, phone.Reveal()); err != nil {
		return nil, err
	}
	if len(in.Roles) == 0 {
		return nil, tongban.FieldError("roles", "至少授予一个角色")
	}
	for i, g := range in.Roles {
		if err := s.checkGrant(ctx, g, nil, r); err != nil {
			if e := tongban.AsError(err); e.Field == "" || e.Field == "role" || e.Field == "org_id" {
				e.Field = "roles[" + itoa(i) + "]" + suffix(e.Field)
			}
			return nil, err
		}
	}
	u := &tongban.User{Kind: tongban.UserStaff, Username: in.Username, Name: name, Phone: phone}
	hash, err := HashPassword(in.Password, s.Argon2)
	if err != nil {
		return nil, err
	}
	u.PasswordHash, u.CreatedAt = hash, s.Clock.Now()
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, r, tongban.AuditUserCreate, userObject(u.ID), u.Username); err != nil {
			return err
		}
		for _, g := range in.Roles {
			if err := tx.GrantRole(ctx, u.ID, g); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, r, tongban.AuditRoleGrant, userObject(u.ID), string(g.Role)+"@org:"+itoa64(g.OrgID)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Store.User(ctx, u.ID)
}

// checkGrant validates a role grant and, for a signed-in actor (nil is the
// command line, a system administrator at the console), decides it by the
// grant table (grants.go). target is the account whose roles change, nil
// for one being created: nobody changes their own roles, and an account
// holding a role outside the actor's reach is not the actor's to change.
func (s *Service) checkGrant(ctx context.Context, g tongban.RoleGrant, target *tongban.User, r Request) error {
	if !g.Role.Valid() {
		return tongban.FieldError("role", "未知角色 %q", g.Role)
	}
	if _, err := s.Store.Org(ctx, g.OrgID); err != nil {
		return &tongban.Error{Code: tongban.EInvalid, Field: "org_id", Message: "机构不存在"}
	}
	if r.Actor == nil {
		return nil
	}
	if target != nil && target.ID == r.Actor.ID {
		return &tongban.Error{Code: tongban.EForbidden, Field: "role",
			Message: "不能变更自己的角色「" + g.Role.Label() + "」，请由其他管理员办理"}
	}
	if err := s.MayGrant(ctx, r.Actor, g); err != nil {
		return err
	}
	if target == nil {
		return nil
	}
	for _, held := range target.Roles {
		if err := s.RequireOrg(ctx, r.Actor, PermStaffManage, held.OrgID); err != nil {
			return &tongban.Error{Code: tongban.EForbidden, Field: "role",
				Message: "该工作人员在您管理范围之外的机构任职，无权变更其「" + g.Role.Label() + "」角色"}
		}
	}
	return nil
}

// staffTarget loads the account whose roles change; only staff hold roles.
func (s *Service) staffTarget(ctx context.Context, userID int64) (*tongban.User, error) {
	target, err := s.Store.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	if target.Kind != tongban.UserStaff {
		return nil, tongban.Errorf(tongban.EInvalid, "只能为工作人员授予或收回角色")
	}
	return target, nil
}

// GrantRole gives a staff member another role.
func (s *Service) GrantRole(ctx context.Context, userID int64, g tongban.RoleGrant, r Request) error {
	target, err := s.staffTarget(ctx, userID)
	if err != nil {
		return err
	}
	if err := s.checkGrant(ctx, g, target, r); err != nil {
		return err
	}
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.GrantRole(ctx, userID, g); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, tongban.AuditRoleGrant, userObject(userID), string(g.Role)+"@org:"+itoa64(g.OrgID))
	})
	s.auth.forgetUser(userID)
	return err
}

// RevokeRole removes a role from a staff member; who may revoke a role is
// who may grant it.
func (s *Service) RevokeRole(ctx context.Context, userID int64, g tongban.RoleGrant, r Request) error {
	target, err := s.staffTarget(ctx, userID)
	if err != nil {
		return err
	}
	if err := s.checkGrant(ctx, g, target, r); err != nil {
		return err
	}
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.RevokeRole(ctx, userID, g); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, tongban.AuditRoleRevoke, userObject(userID), string(g.Role)+"@org:"+itoa64(g.OrgID))
	})
	s.auth.forgetUser(userID)
	return err
}

func suffix(field string) string {
	if field == "" {
		return ""
	}
	return "." + field
}
