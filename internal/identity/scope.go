package identity

import (
	"context"

	"github.com/tongban/tongban"
)

// Scope returns where u holds perm, in the terms RequireOrg decides by:
// the whole region of a region-wide role's org, and otherwise the org of the
// grant with its sub-orgs. Lists use it to filter in the database what
// RequireOrg would allow one by one.
func (a Authorizer) Scope(ctx context.Context, u *tongban.User, perm Permission) (tongban.OrgScope, error) {
	var sc tongban.OrgScope
	if u == nil {
		return sc, nil
	}
	seen := map[int64]bool{}
	for _, g := range u.Roles {
		if !roleHas(g.Role, perm) {
			continue
		}
		home, err := a.Orgs.Org(ctx, g.OrgID)
		if err != nil {
			return sc, err
		}
		if regionWide[g.Role] {
			sc.Regions = append(sc.Regions, home.RegionCode)
			continue
		}
		// Sub-orgs lie in the home org's region or below (directory enforces
		// it), so one listing of that region finds them all.
		orgs, err := a.Orgs.Orgs(ctx, tongban.OrgFilter{Within: home.RegionCode})
		if err != nil {
			return sc, err
		}
		children := map[int64][]int64{}
		for _, o := range orgs {
			children[o.ParentID] = append(children[o.ParentID], o.ID)
		}
		for queue := []int64{home.ID}; len(queue) > 0; queue = queue[1:] {
			id := queue[0]
			if seen[id] {
				continue
			}
			seen[id] = true
			sc.OrgIDs = append(sc.OrgIDs, id)
			queue = append(queue, children[id]...)
		}
	}
	return sc, nil
}
