package identity

import (
	"context"

	"github.com/tongban/tongban"
)

// Authorizer decides whether a user may do something, optionally to an org's
// data. It is the one place scopes are computed.
type Authorizer struct {
	Orgs tongban.OrgStore
}

// Require checks that u holds perm in some org, regardless of scope.
func (a Authorizer) Require(u *tongban.User, perm Permission) error {
	if u == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	for _, g := range u.Roles {
		if roleHas(g.Role, perm) {
			return nil
		}
	}
	return tongban.Errorf(tongban.EForbidden, "您没有此项操作的权限")
}

// RequireOrg checks that u holds perm with a scope covering the target org:
// the org of the grant or one of its sub-orgs, or, for region-wide roles, any
// org in the grant's region and below.
func (a Authorizer) RequireOrg(ctx context.Context, u *tongban.User, perm Permission, targetOrgID int64) error {
	if err := a.Require(u, perm); err != nil {
		return err
	}
	target, err := a.Orgs.Org(ctx, targetOrgID)
	if err != nil {
		return err
	}
	chain, err := a.ancestors(ctx, target)
	if err != nil {
		return err
	}
	for _, g := range u.Roles {
		if !roleHas(g.Role, perm) {
			continue
		}
		if regionWide[g.Role] {
			home, err := a.Orgs.Org(ctx, g.OrgID)
			if err != nil {
				return err
			}
			if tongban.RegionContains(home.RegionCode, target.RegionCode) {
				return nil
			}
			continue
		}
		for _, id := range chain {
			if id == g.OrgID {
				return nil
			}
		}
	}
	return tongban.Errorf(tongban.EForbidden, "无权访问其他部门的数据")
}

// ancestors returns the org and every parent up to the root.
func (a Authorizer) ancestors(ctx context.Context, o *tongban.Org) ([]int64, error) {
	chain := []int64{o.ID}
	for depth := 0; o.ParentID != 0 && depth < 16; depth++ {
		parent, err := a.Orgs.Org(ctx, o.ParentID)
		if err != nil {
			return nil, err
		}
		chain = append(chain, parent.ID)
		o = parent
	}
	return chain, nil
}

// Can reports whether u holds perm anywhere; for showing or hiding UI.
func (a Authorizer) Can(u *tongban.User, perm Permission) bool { return a.Require(u, perm) == nil }
