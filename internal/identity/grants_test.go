package identity_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestGrantMatrix tries every granting role × granted role × where the
// grant's org lies × whose roles change, through CreateStaff, GrantRole and
// RevokeRole (what POST /api/v1/staff and POST/DELETE
// /api/v1/users/{id}/roles call), and checks each against the rule: a
// system admin grants any role within its region; a department admin only
// clerk and approver at its own org and below; nobody changes their own
// roles. Refusals are 403 naming the role; every change is audited.
func TestGrantMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		f, ctx := newFixture(t, d), context.Background()
		cityOffice := f.sysadmin.Roles[0].OrgID
		subA := &tongban.Org{Code: "a-window", Name: "广安区市场监督管理局登记窗口", Kind: tongban.OrgWindow,
			RegionCode: "511602000000", ParentID: f.deptA.ID}
		otherCity := &tongban.Org{Code: "dz", Name: "达州市政务服务管理局", Kind: tongban.OrgDepartment, RegionCode: "511700000000"}
		if err := f.st.CreateRegion(ctx, &tongban.Region{Code: "511700000000", Name: "达州市"}); err != nil {
			t.Fatal(err)
		}
		for _, o := range []*tongban.Org{subA, otherCity} {
			if err := f.st.CreateOrg(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		// Where each granter sits: region-wide roles at the city office,
		// the others in department A.
		home := map[tongban.Role]int64{
			tongban.RoleSysAdmin: cityOffice, tongban.RoleSupervisor: cityOffice, tongban.RoleCatalogAdmin: cityOffice,
			tongban.RoleHotline:   cityOffice,
			tongban.RoleDeptAdmin: f.deptA.ID, tongban.RoleClerk: f.deptA.ID, tongban.RoleApprover: f.deptA.ID,
		}
		places := []struct {
			name string
			org  *tongban.Org
		}{{"own-suborg", subA}, {"sibling-dept", f.deptB}, {"other-city", otherCity}}
		want := func(granter, granted tongban.Role, place string, self bool) bool {
			switch {
			case self:
				return false
			case granter == tongban.RoleSysAdmin:
				return place != "other-city"
			case granter == tongban.RoleDeptAdmin:
				return place == "own-suborg" && (granted == tongban.RoleClerk || granted == tongban.RoleApprover)
			}
			return false
		}

		n, seq := 0, lastSeq(t, f.st)
		for _, granter := range tongban.Roles {
			for _, granted := range tongban.Roles {
				for _, place := range places {
					for _, self := range []bool{false, true} {
						n++
						name := fmt.Sprintf("%s grants %s at %s self=%v", granter, granted, place.name, self)
						actor := f.console(t, fmt.Sprintf("granter%d", n), tongban.RoleGrant{Role: granter, OrgID: home[granter]})
						target := actor
						if !self {
							target = f.console(t, fmt.Sprintf("target%d", n), tongban.RoleGrant{Role: tongban.RoleClerk, OrgID: place.org.ID})
						}
						seq = lastSeq(t, f.st)
						g := tongban.RoleGrant{Role: granted, OrgID: place.org.ID}
						r := identity.Request{Actor: actor, IP: "10.0.0.9"}
						ok := want(granter, granted, place.name, self)

						err := f.svc.GrantRole(ctx, target.ID, g, r)
						checkDecision(t, name+" (grant)", err, ok, granted)
						if ok {
							seq = wantAudit(t, f.st, seq, tongban.AuditRoleGrant, actor.ID, target.ID, g)
						}
						// Revoking is decided like granting: held roles only.
						if !ok {
							if err := f.svc.GrantRole(ctx, target.ID, g, identity.Request{}); err != nil {
								t.Fatal(err)
							}
							seq = lastSeq(t, f.st)
						}
						err = f.svc.RevokeRole(ctx, target.ID, g, r)
						checkDecision(t, name+" (revoke)", err, ok, granted)
						if ok {
							wantAudit(t, f.st, seq, tongban.AuditRoleRevoke, actor.ID, target.ID, g)
						} else if u, _ := f.st.User(ctx, target.ID); !holds(u, g) {
							t.Errorf("%s: a refused revoke removed the role", name)
						}
						if !self {
							_, err := f.svc.CreateStaff(ctx, identity.StaffAccount{Username: fmt.Sprintf("created%d", n), Name: "新人",
								Password: goodPassword, Roles: []tongban.RoleGrant{g}}, r)
							checkDecision(t, name+" (create)", err, ok, granted)
						}
					}
				}
			}
		}
		if n != len(tongban.Roles)*len(tongban.Roles)*3*2 {
			t.Fatalf("%d cases", n)
		}
	})
}

// A department admin may not change the roles of someone who also works
// somewhere outside its reach, even at its own org.
func TestGrantNeedsTheWholeAccountInReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		f, ctx := newFixture(t, d), context.Background()
		adminA := f.staff(t, "admina", tongban.RoleDeptAdmin, f.deptA)
		clerkB := f.staff(t, "clerkb", tongban.RoleClerk, f.deptB)
		err := f.svc.GrantRole(ctx, clerkB.ID, tongban.RoleGrant{Role: tongban.RoleClerk, OrgID: f.deptA.ID}, identity.Request{Actor: adminA})
		checkDecision(t, "dept admin taking another department's clerk", err, false, tongban.RoleClerk)
		roles := identity.GrantableRoles(adminA)
		if len(roles) != 2 || roles[0] != tongban.RoleClerk || roles[1] != tongban.RoleApprover {
			t.Errorf("grantable roles of a dept admin: %v", roles)
		}
		if got := identity.GrantableRoles(f.sysadmin); len(got) != len(tongban.Roles) {
			t.Errorf("grantable roles of a sys admin: %v", got)
		}
	})
}

func checkDecision(t *testing.T, name string, err error, ok bool, role tongban.Role) {
	t.Helper()
	if ok {
		if err != nil {
			t.Errorf("%s: refused: %v", name, err)
		}
		return
	}
	e := tongban.AsError(err)
	if err == nil || e.Code != tongban.EForbidden || tongban.HTTPStatus(err) != 403 {
		t.Errorf("%s: %v, want 403", name, err)
		return
	}
	if !strings.Contains(e.Message, role.Label()) {
		t.Errorf("%s: refusal %q does not name the role %s", name, e.Message, role.Label())
	}
}

// console creates a staff account from the command line (no actor).
func (f *fixture) console(t *testing.T, username string, g tongban.RoleGrant) *tongban.User {
	t.Helper()
	u, err := f.svc.CreateStaff(context.Background(), identity.StaffAccount{Username: username, Name: "工作人员",
		Password: goodPassword, Roles: []tongban.RoleGrant{g}}, identity.Request{})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func holds(u *tongban.User, g tongban.RoleGrant) bool {
	for _, h := range u.Roles {
		if h.Role == g.Role && h.OrgID == g.OrgID {
			return true
		}
	}
	return false
}

func lastSeq(t *testing.T, st tongban.Store) int64 {
	t.Helper()
	if _, err := audit.Seal(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	seq, _, err := st.AuditHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// wantAudit checks that exactly one entry after seq records the change,
// and returns the new head.
func wantAudit(t *testing.T, st tongban.Store, after int64, action string, actorID, userID int64, g tongban.RoleGrant) int64 {
	t.Helper()
	entries, err := audit.Entries(context.Background(), st, after, 100)
	if err != nil {
		t.Fatal(err)
	}
	detail := fmt.Sprintf("%s@org:%d", g.Role, g.OrgID)
	found := 0
	for _, e := range entries {
		if e.Action == action && e.ActorID == actorID && e.Object == fmt.Sprintf("user:%d", userID) && e.Detail == detail {
			found++
		}
	}
	if found != 1 {
		t.Errorf("%s of %s by %d to %d: %d audit entries, want 1", action, detail, actorID, userID, found)
	}
	if len(entries) == 0 {
		return after
	}
	return entries[len(entries)-1].Seq
}
