package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestUsersByIDReadsAsUserDoes: UsersByID gives each existing ID the user
// User reads (sealed data opened, grants in order), leaves out IDs with no
// account, and reads more IDs than one statement takes (usersChunk, 64)
// and repeated IDs alike.
func TestUsersByIDReadsAsUserDoes(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window := seedRegionsAndOrgs(t, st)
		applicant := citizen(t)
		if err := st.CreateUser(ctx, applicant); err != nil {
			t.Fatal(err)
		}
		ids := []int64{applicant.ID}
		for i := range 90 {
			u := &tongban.User{Kind: tongban.UserStaff, Name: fmt.Sprintf("工作人员%d", i), Username: fmt.Sprintf("staff%d", i),
				PasswordHash: "h", CreatedAt: t0}
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			grants := []tongban.RoleGrant{{Role: tongban.RoleClerk, OrgID: window.ID}, {Role: tongban.RoleApprover, OrgID: dept.ID}}
			for _, g := range grants[:i%3%2+i%3/2*2] { // none, one or two grants
				if err := st.GrantRole(ctx, u.ID, g); err != nil {
					t.Fatal(err)
				}
			}
			ids = append(ids, u.ID)
		}
		missing := ids[len(ids)-1] + 1000
		asked := append(append([]int64{missing}, ids...), ids[3], applicant.ID)
		got, err := st.UsersByID(ctx, asked)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ids) {
			t.Fatalf("UsersByID gave %d users, want %d", len(got), len(ids))
		}
		if _, ok := got[missing]; ok {
			t.Fatalf("an ID with no account was given a user")
		}
		grants := 0
		for _, id := range ids {
			want, err := st.User(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[id], want) {
				t.Fatalf("user %d:\n got %+v\nwant %+v", id, got[id], want)
			}
			grants += len(want.Roles)
		}
		if grants == 0 || got[applicant.ID].IDNumber != applicant.IDNumber {
			t.Fatalf("the fixture has no grants (%d) or the applicant's ID number was not opened", grants)
		}
		if none, err := st.UsersByID(ctx, nil); err != nil || len(none) != 0 {
			t.Fatalf("UsersByID(nil) = %v, %v", none, err)
		}
	})
}
