package identity

import (
	"context"

	"github.com/tongban/tongban"
)

// grantReach says where a granter may hand out roles.
type grantReach int

const (
	// reachRegion: any org in the region of the granter's own grant and below.
	reachRegion grantReach = iota + 1
	// reachOrg: the org of the granter's own grant and its sub-orgs.
	reachOrg
)

// grantRule is what one granting role may grant, and where.
type grantRule struct {
	roles []tongban.Role
	reach grantReach
}

// grantTable is the second table of who may do what, beside rolePermissions:
// which role may grant (and revoke) which roles, at which orgs. A role
// missing here grants nothing. Region-wide roles (supervisor, catalog admin,
// system admin) appear only under the system administrator, and a
// department admin may hand out only the roles its own counter and back
// office work in. Nobody changes their own roles (checkGrant).
var grantTable = map[tongban.Role]grantRule{
	tongban.RoleSysAdmin:  {roles: tongban.Roles, reach: reachRegion},
	tongban.RoleDeptAdmin: {roles: []tongban.Role{tongban.RoleClerk, tongban.RoleApprover}, reach: reachOrg},
}

// GrantableRoles lists the roles u may grant somewhere, in display order;
// for offering choices on the staff admin pages.
func GrantableRoles(u *tongban.User) []tongban.Role {
	var out []tongban.Role
	for _, r := range tongban.Roles {
		for _, g := range u.Roles {
			if grantTable[g.Role].allows(r) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

func (rule grantRule) allows(r tongban.Role) bool {
	for _, q := range rule.roles {
		if q == r {
			return true
		}
	}
	return false
}

// MayGrant decides whether actor may grant (or revoke) role g.Role at
// g.OrgID: some grant of the actor's must allow that role by grantTable and
// reach the org. The refusal names the role.
func (a Authorizer) MayGrant(ctx context.Context, actor *tongban.User, g tongban.RoleGrant) error {
	if actor == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	target, err := a.Orgs.Org(ctx, g.OrgID)
	if err != nil {
		return err
	}
	var chain []int64
	allowedSomewhere := false
	for _, own := range actor.Roles {
		rule, ok := grantTable[own.Role]
		if !ok || !rule.allows(g.Role) {
			continue
		}
		allowedSomewhere = true
		switch rule.reach {
		case reachRegion:
			home, err := a.Orgs.Org(ctx, own.OrgID)
			if err != nil {
				return err
			}
			if tongban.RegionContains(home.RegionCode, target.RegionCode) {
				return nil
			}
		case reachOrg:
			if chain == nil {
				if chain, err = a.ancestors(ctx, target); err != nil {
					return err
				}
			}
			for _, id := range chain {
				if id == own.OrgID {
					return nil
				}
			}
		}
	}
	if !allowedSomewhere {
		return &tongban.Error{Code: tongban.EForbidden, Field: "role",
			Message: "您无权授予或收回「" + g.Role.Label() + "」角色"}
	}
	return &tongban.Error{Code: tongban.EForbidden, Field: "org_id",
		Message: "您无权在「" + target.Name + "」授予或收回「" + g.Role.Label() + "」角色"}
}
