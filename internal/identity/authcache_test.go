package identity_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A server trusts a token it has checked for AuthCacheTTL. Changes made
// through the same server take effect at once; changes made through another
// server (a second Service on the same database) within the TTL.
func TestAuthCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		f, ctx := newFixture(t, d), context.Background()
		clerk := f.staff(t, "clerk1", tongban.RoleClerk, f.deptA)
		f.staff(t, "approver1", tongban.RoleApprover, f.deptB)
		other := identity.New(f.st, f.clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
		ra := identity.Request{Actor: f.sysadmin}

		_, session, err := f.svc.Login(ctx, "clerk1", goodPassword, identity.Request{})
		if err != nil {
			t.Fatal(err)
		}
		u, err := f.svc.Authenticate(ctx, session)
		if err != nil || u.ID != clerk.ID || len(u.Roles) != 1 {
			t.Fatalf("first check: %+v, %v", u, err)
		}
		// What a caller does to its copy does not reach the next request.
		u.Roles = append(u.Roles[:0], tongban.RoleGrant{Role: tongban.RoleSysAdmin})
		u.Name = "改过"
		if again, _ := f.svc.Authenticate(ctx, session); again.Name == "改过" || again.Roles[0].Role != tongban.RoleClerk {
			t.Errorf("a caller's edit leaked into the cache: %+v", again)
		}

		// A role granted through this server shows on the next request.
		if err := f.svc.GrantRole(ctx, clerk.ID, tongban.RoleGrant{Role: tongban.RoleApprover, OrgID: f.deptA.ID}, ra); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.svc.Authenticate(ctx, session); len(u.Roles) != 2 {
			t.Errorf("granted role not seen at once: %+v", u.Roles)
		}

		// Revoked through another server: trusted here until the TTL ends.
		if err := other.RevokeRole(ctx, clerk.ID, tongban.RoleGrant{Role: tongban.RoleApprover, OrgID: f.deptA.ID}, ra); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.svc.Authenticate(ctx, session); len(u.Roles) != 2 {
			t.Errorf("within the TTL the cached roles stand: %+v", u.Roles)
		}
		if u, _ := other.Authenticate(ctx, session); len(u.Roles) != 1 {
			t.Errorf("the other server sees its own change: %+v", u.Roles)
		}
		f.clock.Advance(identity.AuthCacheTTL)
		if u, _ := f.svc.Authenticate(ctx, session); len(u.Roles) != 1 {
			t.Errorf("after the TTL the revoked role is gone: %+v", u.Roles)
		}

		// Signed out through another server: refused here after the TTL.
		if err := other.Logout(ctx, session, identity.Request{Actor: clerk}); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Authenticate(ctx, session); !tongban.IsCode(err, tongban.EUnauthorized) {
			t.Errorf("signed-out session accepted by the server that ended it: %v", err)
		}
		f.clock.Advance(identity.AuthCacheTTL)
		if _, err := f.svc.Authenticate(ctx, session); !tongban.IsCode(err, tongban.EUnauthorized) {
			t.Errorf("signed-out session accepted after the TTL: %v", err)
		}

		// Signed out through this server: refused at once.
		_, session, err = f.svc.Login(ctx, "clerk1", goodPassword, identity.Request{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, session); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Logout(ctx, session, identity.Request{Actor: clerk}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, session); !tongban.IsCode(err, tongban.EUnauthorized) {
			t.Errorf("signed-out session accepted: %v", err)
		}
	})
}
