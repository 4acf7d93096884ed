package storetest

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestUserReadsGrantsInOneStatement: User reads the user and every grant
// in one statement — none for an applicant, each of a staff member's
// grants once, in org then role order, with the user's sealed data opened
// — as UserByLogin (user, then grants) does.
func TestUserReadsGrantsInOneStatement(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		got, err := st.User(ctx, u.ID)
		if err != nil || got.ID != u.ID || got.IDNumber != u.IDNumber || got.Phone != u.Phone || len(got.Roles) != 0 {
			t.Fatalf("applicant = %+v, %v", got, err)
		}
		staff := &tongban.User{Kind: tongban.UserStaff, Name: "李四", Username: "lisi", PasswordHash: "h", CreatedAt: t0}
		if err := st.CreateUser(ctx, staff); err != nil {
			t.Fatal(err)
		}
		for _, g := range []tongban.RoleGrant{{Role: tongban.RoleClerk, OrgID: window.ID}, {Role: tongban.RoleApprover, OrgID: dept.ID},
			{Role: tongban.RoleClerk, OrgID: dept.ID}} {
			if err := st.GrantRole(ctx, staff.ID, g); err != nil {
				t.Fatal(err)
			}
		}
		byLogin, err := st.UserByLogin(ctx, "lisi")
		if err != nil {
			t.Fatal(err)
		}
		got, err = st.User(ctx, staff.ID)
		if err != nil || got.Name != "李四" || got.PasswordHash != "h" || len(got.Roles) != 3 {
			t.Fatalf("staff = %+v, %v", got, err)
		}
		for i, g := range byLogin.Roles {
			if got.Roles[i] != g {
				t.Fatalf("grant %d = %+v, want %+v", i, got.Roles[i], g)
			}
		}
		if got.Roles[0].OrgName == "" {
			t.Fatalf("grant without its org's name: %+v", got.Roles[0])
		}
		if _, err := st.User(ctx, staff.ID+1000); !tongban.IsCode(err, tongban.ENotFound) {
			t.Fatalf("unknown user: %v", err)
		}
	})
}
