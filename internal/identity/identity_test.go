package identity_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// fixture is a store with two departments in a district and a service
// using cheap password hashing.
type fixture struct {
	st           tongban.Store
	svc          *identity.Service
	clock        *tongban.ManualClock
	deptA, deptB *tongban.Org
	sysadmin     *tongban.User
}

const goodPassword = "Tongban#2026"

func newFixture(t *testing.T, d sqldb.Dialect) *fixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, d)
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	svc := identity.New(st, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.Argon2 = identity.Argon2Params{Memory: 64, Time: 1, Threads: 1}
	for _, r := range []tongban.Region{{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"}, {Code: "511602000000", Name: "广安区"}} {
		r := r
		if err := st.CreateRegion(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{st: st, svc: svc, clock: clock}
	f.deptA = &tongban.Org{Code: "a", Name: "广安区市场监督管理局", Kind: tongban.OrgDepartment, RegionCode: "511602000000"}
	f.deptB = &tongban.Org{Code: "b", Name: "广安区人力资源和社会保障局", Kind: tongban.OrgDepartment, RegionCode: "511602000000"}
	cityOffice := &tongban.Org{Code: "c", Name: "广安市政务服务管理局", Kind: tongban.OrgDepartment, RegionCode: "511600000000"}
	for _, o := range []*tongban.Org{f.deptA, f.deptB, cityOffice} {
		if err := st.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	f.sysadmin, err = svc.CreateStaff(ctx, identity.StaffAccount{Username: "admin", Name: "管理员", Password: goodPassword,
		Roles: []tongban.RoleGrant{{Role: tongban.RoleSysAdmin, OrgID: cityOffice.ID}}}, identity.Request{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) staff(t *testing.T, username string, role tongban.Role, org *tongban.Org) *tongban.User {
	t.Helper()
	u, err := f.svc.CreateStaff(context.Background(), identity.StaffAccount{Username: username, Name: "工作人员" + username,
		Password: goodPassword, Roles: []tongban.RoleGrant{{Role: role, OrgID: org.ID}}}, identity.Request{Actor: f.sysadmin})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func wantField(t *testing.T, err error, code tongban.ErrorCode, field string) {
	t.Helper()
	e := tongban.AsError(err)
	if err == nil || e.Code != code || e.Field != field {
		t.Fatalf("err = %v; want %s on field %q", err, code, field)
	}
	if e.Message == "" || !hasHan(e.Message) {
		t.Errorf("message %q is not a Chinese explanation", e.Message)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		f, ctx := newFixture(t, d), context.Background()
		in := identity.CitizenRegistration{Name: "王小明", IDNumber: "11010519491231002X", Phone: "13800138000", Password: goodPassword}
		u, err := f.svc.RegisterCitizen(ctx, in, identity.Request{IP: "10.0.0.1"})
		if err != nil || u.ID == 0 || u.Kind != tongban.UserCitizen {
			t.Fatalf("register: %+v, %v", u, err)
		}
		dup := in
		_, err = f.svc.RegisterCitizen(ctx, dup, identity.Request{})
		wantField(t, err, tongban.EConflict, "id_number")

		bad := in
		bad.IDNumber = "110105194912310021" // wrong check digit
		_, err = f.svc.RegisterCitizen(ctx, bad, identity.Request{})
		wantField(t, err, tongban.EInvalid, "id_number")

		weak := in
		weak.IDNumber, weak.Password = "110105194912310037", "12345678"
		_, err = f.svc.RegisterCitizen(ctx, weak, identity.Request{})
		if e := tongban.AsError(err); e.Field != "id_number" && e.Field != "password" {
			t.Fatalf("weak password or id: %v", err)
		}

		ent := identity.EnterpriseRegistration{Name: "广安市示例科技有限公司", CreditCode: "91511602MA62X7XX0X",
			LegalRepName: "王小明", LegalRepID: "11010519491231002X", Phone: "0826-2345678", Password: goodPassword}
		_, err = f.svc.RegisterEnterprise(ctx, ent, identity.Request{})
		wantField(t, err, tongban.EInvalid, "credit_code")

		ent.CreditCode = "91350100M000100Y43" // valid check character
		e, err := f.svc.RegisterEnterprise(ctx, ent, identity.Request{})
		if err != nil || e.CreditCode != "91350100M000100Y43" || e.LegalRepID.Reveal() != "11010519491231002X" {
			t.Fatalf("enterprise: %+v, %v", e, err)
		}
		ent.LegalRepID = "110105194912310021"
		ent.CreditCode = "91110000100006485K"
		_, err = f.svc.RegisterEnterprise(ctx, ent, identity.Request{})
		wantField(t, err, tongban.EInvalid, "legal_rep_id_number")
	})
}

func TestSessionsAndPasswordChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		f, ctx := newFixture(t, d), context.Background()
		req := identity.Request{IP: "10.0.0.2"}
		if _, err := f.svc.RegisterCitizen(ctx, identity.CitizenRegistration{Name: "李四", IDNumber: "11010519491231002X",
			Phone: "13800138000", Password: goodPassword}, req); err != nil {
			t.Fatal(err)
		}
		u, token, err := f.svc.Login(ctx, "11010519491231002x", goodPassword, req)
		if err != nil || token == "" {
			t.Fatalf("login: %v", err)
		}
		if got, err := f.svc.Authenticate(ctx, token); err != nil || got.ID != u.ID {
			t.Fatalf("authenticate: %v", err)
		}
		// A second session survives only if it is the one changing the password.
		_, other, _ := f.svc.Login(ctx, "11010519491231002X", goodPassword, req)
		if err := f.svc.ChangePassword(ctx, u, "nope-nope-1", "Another#2026", token, req); tongban.AsError(err).Field != "old_password" {
			t.Fatalf("wrong old password: %v", err)
		}
		if err := f.svc.ChangePassword(ctx, u, goodPassword, "Another#2026", token, req); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, other); !tongban.IsCode(err, tongban.EUnauthorized) {
			t.Errorf("other session survived the password change: %v", err)
		}
		if _, err := f.svc.Authenticate(ctx, token); err != nil {
			t.Errorf("own session ended by the password change: %v", err)
		}
		if err := f.svc.Logout(ctx, token, identity.Request{Actor: u}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, token); !tongban.IsCode(err, tongban.EUnauthorized) {
			t.Errorf("session alive after logout: %v", err)
		}
		if _, err := audit.Seal(ctx, f.st); err != nil {
			t.Fatal(err)
		}
		rep, err := audit.Verify(ctx, f.st)
		if err != nil || !rep.OK() || rep.Entries < 8 {
			t.Errorf("audit after sign-ins: %+v, %v", rep, err)
		}
	})
}

func TestIPThrottleAcrossAccounts(t *testing.T) {
	f, ctx := newFixture(t, sqldb.SQLite), context.Background()
	req := identity.Request{IP: "203.0.113.9"}
	for i := 0; i < identity.IPFailures; i++ {
		f.svc.Login(ctx, "nosuchuser"+strings.Repeat("x", i%3), "whatever-1", req)
	}
	if _, _, err := f.svc.Login(ctx, "admin", goodPassword, req); !tongban.IsCode(err, tongban.ETooManyTries) {
		t.Fatalf("IP with %d failures: %v", identity.IPFailures, err)
	}
	if _, _, err := f.svc.Login(ctx, "admin", goodPassword, identity.Request{IP: "203.0.113.10"}); err != nil {
		t.Fatalf("another IP: %v", err)
	}
}

func TestScopes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		f, ctx := newFixture(t, d), context.Background()
		adminA := f.staff(t, "admina", tongban.RoleDeptAdmin, f.deptA)
		approverA := f.staff(t, "approvera", tongban.RoleApprover, f.deptA)
		approverB := f.staff(t, "approverb", tongban.RoleApprover, f.deptB)
		supervisor := f.staff(t, "super", tongban.RoleSupervisor, f.deptA)

		if _, err := f.svc.ReadUser(ctx, approverA.ID, false, identity.Purpose{}, identity.Request{Actor: adminA}); err != nil {
			t.Errorf("dept admin reading own department's staff: %v", err)
		}
		if _, err := f.svc.ReadUser(ctx, approverB.ID, false, identity.Purpose{}, identity.Request{Actor: adminA}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("dept admin reading another department's staff: %v, want forbidden", err)
		}
		if _, err := f.svc.ReadUser(ctx, approverB.ID, false, identity.Purpose{}, identity.Request{Actor: approverA}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("approver reading staff: %v, want forbidden", err)
		}
		if _, err := f.svc.ReadUser(ctx, approverB.ID, false, identity.Purpose{}, identity.Request{Actor: supervisor}); err != nil {
			t.Errorf("district supervisor reading a department in the district: %v", err)
		}
		// A department admin can grant roles in the own department only, never sys_admin.
		if err := f.svc.GrantRole(ctx, approverA.ID, tongban.RoleGrant{Role: tongban.RoleClerk, OrgID: f.deptB.ID}, identity.Request{Actor: adminA}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("granting in another department: %v", err)
		}
		if err := f.svc.GrantRole(ctx, approverA.ID, tongban.RoleGrant{Role: tongban.RoleSysAdmin, OrgID: f.deptA.ID}, identity.Request{Actor: adminA}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("dept admin granting sys_admin: %v", err)
		}
		if err := f.svc.GrantRole(ctx, approverA.ID, tongban.RoleGrant{Role: tongban.RoleClerk, OrgID: f.deptA.ID}, identity.Request{Actor: adminA}); err != nil {
			t.Errorf("granting in own department: %v", err)
		}
	})
}

func countAction(t *testing.T, st tongban.Store, action string) int {
	t.Helper()
	entries, err := audit.Entries(context.Background(), st, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

func TestAPITokens(t *testing.T) {
	f, ctx := newFixture(t, sqldb.SQLite), context.Background()
	plain, tok, err := f.svc.CreateAPIToken(ctx, "不动产登记系统", identity.Request{Actor: f.sysadmin})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tok.Hash, plain) || tok.Hash == plain {
		t.Fatal("token stored in the clear")
	}
	if u, err := f.svc.AuthenticateToken(ctx, plain); err != nil || u.ID != f.sysadmin.ID {
		t.Fatalf("authenticate token: %v", err)
	}
	if err := f.svc.RevokeAPIToken(ctx, tok.ID, identity.Request{Actor: f.sysadmin}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateToken(ctx, plain); !tongban.IsCode(err, tongban.EUnauthorized) {
		t.Fatalf("revoked token still works: %v", err)
	}
}

func TestPasswordHashing(t *testing.T) {
	p := identity.Argon2Params{Memory: 64, Time: 1, Threads: 1}
	h, err := identity.HashPassword("Tongban#2026", p)
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash = %q, %v", h, err)
	}
	if !identity.CheckPassword(h, "Tongban#2026") || identity.CheckPassword(h, "tongban#2026") {
		t.Error("password check wrong")
	}
	if identity.CheckPassword("$argon2id$garbage", "x") {
		t.Error("garbage hash accepted")
	}
	for _, pw := range []string{"short1", "abcdefghij", "1234567890", "Short#123"} {
		if identity.ValidatePassword("password", pw) == nil {
			t.Errorf("weak password %q accepted", pw)
		}
	}
}
