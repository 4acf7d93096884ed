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
// command line (a system administrator at the console); otherwise the actor
// needs staff.manage over every org a role is granted in.
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
	if err := ValidatePassword("password", in.Password); err != nil {
		return nil, err
	}
	if len(in.Roles) == 0 {
		return nil, tongban.FieldError("roles", "至少授予一个角色")
	}
	for i, g := range in.Roles {
		if err := s.checkGrant(ctx, g, r); err != nil {
			if e := tongban.AsError(err); e.Field == "" {
				e.Field = "roles[" + itoa(i) + "]"
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

// checkGrant validates a role grant and, for a signed-in actor, that the
// actor manages staff in that org. Only a system administrator may grant the
// system administrator role.
func (s *Service) checkGrant(ctx context.Context, g tongban.RoleGrant, r Request) error {
	if !g.Role.Valid() {
		return tongban.FieldError("role", "未知角色 %q", g.Role)
	}
	if _, err := s.Store.Org(ctx, g.OrgID); err != nil {
		return &tongban.Error{Code: tongban.EInvalid, Field: "org_id", Message: "机构不存在"}
	}
	if r.Actor == nil {
		return nil
	}
	if g.Role == tongban.RoleSysAdmin && !r.Actor.Has(tongban.RoleSysAdmin) {
		return tongban.Errorf(tongban.EForbidden, "只有系统管理员可以授予系统管理员角色")
	}
	return s.RequireOrg(ctx, r.Actor, PermStaffManage, g.OrgID)
}

// GrantRole gives a staff member another role.
func (s *Service) GrantRole(ctx context.Context, userID int64, g tongban.RoleGrant, r Request) error {
	if err := s.checkGrant(ctx, g, r); err != nil {
		return err
	}
	target, err := s.Store.User(ctx, userID)
	if err != nil {
		return err
	}
	if target.Kind != tongban.UserStaff {
		return tongban.Errorf(tongban.EInvalid, "只能为工作人员授予角色")
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

// RevokeRole removes a role from a staff member.
func (s *Service) RevokeRole(ctx context.Context, userID int64, g tongban.RoleGrant, r Request) error {
	if err := s.checkGrant(ctx, g, r); err != nil {
		return err
	}
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.RevokeRole(ctx, userID, g); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, tongban.AuditRoleRevoke, userObject(userID), string(g.Role)+"@org:"+itoa64(g.OrgID))
	})
	s.auth.forgetUser(userID)
	return err
}
