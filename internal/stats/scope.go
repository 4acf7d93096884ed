package stats

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// Scope checks that u may see the measures f asks for (PermSupervise over
// the org, or a region-wide supervision grant covering the region) and fills
// in the supervised region when f names neither.
func Scope(ctx context.Context, st tongban.Store, u *tongban.User, f tongban.RollupFilter) (tongban.RollupFilter, error) {
	authz := identity.Authorizer{Orgs: st}
	if err := authz.Require(u, identity.PermSupervise); err != nil {
		return f, err
	}
	if f.OrgID != 0 {
		return f, authz.RequireOrg(ctx, u, identity.PermSupervise, f.OrgID)
	}
	sc, err := authz.Scope(ctx, u, identity.PermSupervise)
	if err != nil {
		return f, err
	}
	if f.Region == "" {
		switch {
		case len(sc.Regions) > 0:
			f.Region = sc.Regions[0]
		case len(sc.OrgIDs) > 0:
			f.OrgID = sc.OrgIDs[0]
			return f, nil
		}
	}
	for _, r := range sc.Regions {
		if tongban.RegionContains(r, f.Region) {
			return f, nil
		}
	}
	return f, tongban.Errorf(tongban.EForbidden, "您无权查看该地区的监管指标")
}
