package storetest

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/sqldb"
)

var t0 = time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.UTC)

func seedRegionsAndOrgs(t *testing.T, st tongban.Store) (dept, window *tongban.Org) {
	t.Helper()
	ctx := context.Background()
	for _, r := range []tongban.Region{
		{Code: "510000000000", Name: "四川省"},
		{Code: "511600000000", Name: "广安市"},
		{Code: "511602000000", Name: "广安区"},
		{Code: "511602001000", Name: "北辰街道"},
	} {
		r := r
		if err := st.CreateRegion(ctx, &r); err != nil {
			t.Fatalf("create region %s: %v", r.Code, err)
		}
	}
	dept = &tongban.Org{Code: "gaq-scjgj", Name: "广安市广安区市场监督管理局", Kind: tongban.OrgDepartment, RegionCode: "511602000000"}
	hall := &tongban.Org{Code: "gas-zwzx", Name: "广安市政务服务中心", Kind: tongban.OrgHall, RegionCode: "511600000000"}
	for _, o := range []*tongban.Org{dept, hall} {
		if err := st.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	window = &tongban.Org{Code: "gas-zwzx-w1", Name: "综合受理1号窗口", Kind: tongban.OrgWindow, RegionCode: "511600000000", ParentID: hall.ID}
	if err := st.CreateOrg(ctx, window); err != nil {
		t.Fatal(err)
	}
	return dept, window
}

func TestRegions(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		seedRegionsAndOrgs(t, st)
		r, err := st.Region(ctx, "511602001000")
		if err != nil || r.Name != "北辰街道" || r.Level != tongban.LevelTown || r.ParentCode != "511602000000" {
			t.Fatalf("Region = %+v, %v", r, err)
		}
		if _, err := st.Region(ctx, "511699000000"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("missing region: err = %v, want not_found", err)
		}
		within, err := st.Regions(ctx, "511600000000")
		if err != nil || len(within) != 3 {
			t.Errorf("Regions(city) = %d regions, %v; want 3", len(within), err)
		}
		dup := tongban.Region{Code: "511602000000", Name: "重复"}
		if err := st.CreateRegion(ctx, &dup); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("duplicate region: %v", err)
		}
		orphan := tongban.Region{Code: "511700000000", Name: "达州市"}
		if err := st.CreateRegion(ctx, &orphan); err != nil {
			t.Errorf("city under existing province: %v", err)
		}
		noParent := tongban.Region{Code: "520100000000", Name: "贵阳市"}
		if err := st.CreateRegion(ctx, &noParent); tongban.AsError(err).Field != "parent_code" {
			t.Errorf("region without parent: err = %v, want field parent_code", err)
		}
	})
}

func TestOrgs(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window := seedRegionsAndOrgs(t, st)
		got, err := st.Org(ctx, window.ID)
		if err != nil || got.ParentID == 0 || got.Kind != tongban.OrgWindow {
			t.Fatalf("Org = %+v, %v", got, err)
		}
		byCode, err := st.OrgByCode(ctx, dept.Code)
		if err != nil || byCode.ID != dept.ID {
			t.Fatalf("OrgByCode = %+v, %v", byCode, err)
		}
		inDistrict, _ := st.Orgs(ctx, tongban.OrgFilter{Within: "511602000000"})
		if len(inDistrict) != 1 || inDistrict[0].ID != dept.ID {
			t.Errorf("Orgs(within district) = %v", inDistrict)
		}
		named, _ := st.Orgs(ctx, tongban.OrgFilter{Name: "广安市政务服务中心"})
		if len(named) != 1 {
			t.Errorf("Orgs(name) = %v", named)
		}
		if _, err := st.Org(ctx, 999999); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("missing org: %v", err)
		}
		dup := &tongban.Org{Code: dept.Code, Name: "x", Kind: tongban.OrgDepartment, RegionCode: "511602000000"}
		if err := st.CreateOrg(ctx, dup); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("duplicate org code: %v", err)
		}
	})
}

func citizen(t *testing.T) *tongban.User {
	id, err := tongban.ParseIDNumber("11010519491231002X")
	if err != nil {
		t.Fatal(err)
	}
	phone, err := tongban.ParsePhone("13800138000")
	if err != nil {
		t.Fatal(err)
	}
	return &tongban.User{Kind: tongban.UserCitizen, Name: "张三", IDNumber: id, Phone: phone, PasswordHash: "h", CreatedAt: t0}
}

func TestUsersKeepPersonalDataSealed(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		// The database holds no plain ID number or phone anywhere in the row.
		var row string
		if err := st.DB().QueryRowContext(ctx, `SELECT id_number_sealed || '|' || COALESCE(id_number_index,'') || '|' ||
			id_number_masked || '|' || phone_sealed || '|' || phone_masked FROM users WHERE id = $1`, u.ID).Scan(&row); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(row, "11010519491231002X") || strings.Contains(row, "13800138000") {
			t.Fatalf("plain personal data stored: %s", row)
		}
		if !strings.Contains(row, "1101**********002X") {
			t.Errorf("masked ID not stored: %s", row)
		}
		// A phone signs in only once verified.
		if _, err := st.UserByLogin(ctx, "13800138000"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("unverified phone signed in: %v", err)
		}
		if err := st.MarkPhoneVerified(ctx, u.ID, u.Phone, t0); err != nil {
			t.Fatal(err)
		}
		for _, login := range []string{"11010519491231002x", "11010519491231002X", "13800138000"} {
			got, err := st.UserByLogin(ctx, login)
			if err != nil || got.ID != u.ID || got.IDNumber.Reveal() != "11010519491231002X" || got.Phone.Reveal() != "13800138000" {
				t.Errorf("UserByLogin(%q) = %+v, %v", login, got, err)
			}
		}
		if !got(st.User(ctx, u.ID)).CreatedAt.Equal(t0.Truncate(time.Microsecond)) {
			t.Errorf("created_at did not round-trip")
		}
		again := citizen(t)
		err := st.CreateUser(ctx, again)
		if e := tongban.AsError(err); e.Code != tongban.EConflict || e.Field != "id_number" {
			t.Errorf("duplicate registration: %v, want conflict on id_number", err)
		}
		if _, err := st.UserByLogin(ctx, "nobody"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("unknown login: %v", err)
		}

		staff := &tongban.User{Kind: tongban.UserStaff, Name: "李四", Username: "lisi", PasswordHash: "h", CreatedAt: t0}
		if err := st.CreateUser(ctx, staff); err != nil {
			t.Fatal(err)
		}
		grant := tongban.RoleGrant{Role: tongban.RoleApprover, OrgID: dept.ID}
		if err := st.GrantRole(ctx, staff.ID, grant); err != nil {
			t.Fatal(err)
		}
		if err := st.GrantRole(ctx, staff.ID, grant); err != nil {
			t.Errorf("granting twice should be a no-op: %v", err)
		}
		s2, _ := st.UserByLogin(ctx, "lisi")
		if len(s2.Roles) != 1 || s2.Roles[0].OrgName != dept.Name {
			t.Errorf("roles = %+v", s2.Roles)
		}
		inDept, _ := st.Users(ctx, tongban.UserFilter{OrgIDs: []int64{dept.ID}})
		if len(inDept) != 1 || inDept[0].ID != staff.ID {
			t.Errorf("Users(org) = %v", inDept)
		}
		if err := st.RevokeRole(ctx, staff.ID, grant); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeRole(ctx, staff.ID, grant); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("revoking a missing role: %v", err)
		}
		if err := st.SetPassword(ctx, staff.ID, "new"); err != nil || got(st.User(ctx, staff.ID)).PasswordHash != "new" {
			t.Errorf("SetPassword: %v", err)
		}
		if err := st.SetDisabled(ctx, staff.ID, true); err != nil || !got(st.User(ctx, staff.ID)).Disabled {
			t.Errorf("SetDisabled(true): %v", err)
		}
		if err := st.SetDisabled(ctx, staff.ID, false); err != nil || got(st.User(ctx, staff.ID)).Disabled {
			t.Errorf("SetDisabled(false): %v", err)
		}
		if err := st.SetDisabled(ctx, 1<<40, true); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("SetDisabled of no user: %v", err)
		}
	})
}

func got(u *tongban.User, err error) *tongban.User {
	if err != nil {
		panic(err)
	}
	return u
}

func TestSessionsTokensAndThrottle(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		sess := &tongban.Session{TokenHash: "abc", UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := st.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if s, err := st.SessionByTokenHash(ctx, "abc", t0.Add(time.Minute)); err != nil || s.UserID != u.ID {
			t.Errorf("live session: %+v, %v", s, err)
		}
		if _, err := st.SessionByTokenHash(ctx, "abc", t0.Add(2*time.Hour)); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("expired session still found: %v", err)
		}
		other := &tongban.Session{TokenHash: "def", UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		st.CreateSession(ctx, other)
		if err := st.DeleteUserSessions(ctx, u.ID, "abc"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionByTokenHash(ctx, "def", t0); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("other session survived DeleteUserSessions: %v", err)
		}
		if _, err := st.SessionByTokenHash(ctx, "abc", t0); err != nil {
			t.Errorf("kept session was deleted: %v", err)
		}

		tok := &tongban.APIToken{UserID: u.ID, Name: "部门系统", Hash: "h1", CreatedAt: t0}
		if err := st.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeAPIToken(ctx, u.ID, tok.ID, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.APITokenByHash(ctx, "h1"); got.RevokedAt == nil {
			t.Error("token not marked revoked")
		}
		if err := st.RevokeAPIToken(ctx, u.ID, tok.ID, t0); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("revoking twice: %v", err)
		}

		for i := 0; i < 3; i++ {
			st.RecordFailure(ctx, "acct:1", t0.Add(time.Duration(i)*time.Minute))
		}
		if n, _ := st.Failures(ctx, "acct:1", t0.Add(30*time.Second)); n != 2 {
			t.Errorf("failures since t0+30s = %d, want 2", n)
		}
		if n, err := st.PurgeExpired(ctx, t0.Add(2*time.Hour), t0.Add(90*time.Second)); err != nil || n != 3 {
			t.Errorf("PurgeExpired = %d, %v; want the live session and two old failures purged", n, err)
		}
		if n, _ := st.Failures(ctx, "acct:1", t0.Add(-time.Hour)); n != 1 {
			t.Errorf("failures after purge = %d, want 1", n)
		}
		st.ClearFailures(ctx, "acct:1")
		if n, _ := st.Failures(ctx, "acct:1", t0.Add(-time.Hour)); n != 0 {
			t.Errorf("failures after clear = %d", n)
		}
	})
}

func TestTransactRollsBackOnError(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		err := st.Transact(ctx, func(tx tongban.Store) error {
			r := tongban.Region{Code: "510000000000", Name: "四川省"}
			if err := tx.CreateRegion(ctx, &r); err != nil {
				return err
			}
			return tongban.Errorf(tongban.EInvalid, "abort")
		})
		if !tongban.IsCode(err, tongban.EInvalid) {
			t.Fatalf("Transact err = %v", err)
		}
		if _, err := st.Region(ctx, "510000000000"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("rolled-back region is visible: %v", err)
		}
	})
}

func TestAuditChainUnderConcurrentAppends(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs <- audit.Append(ctx, st, &tongban.AuditEntry{At: t0, Actor: "系统", Action: tongban.AuditLogin, Object: "user:" + itoa(i)})
			}(i)
		}
		// Two sealers race each other and the appenders, as two servers do.
		sealed := make(chan int, 2)
		for i := 0; i < 2; i++ {
			go func() {
				n := 0
				for k := 0; k < 20; k++ {
					m, err := audit.Seal(ctx, st)
					if err != nil {
						errs <- err
					}
					n += m
				}
				sealed <- n
			}()
		}
		wg.Wait()
		n := <-sealed + <-sealed
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		m, err := audit.Seal(ctx, st)
		if err != nil || n+m != 40 {
			t.Fatalf("sealers linked %d entries, then %d (%v); want 40 in all, each once", n, m, err)
		}
		rep, err := audit.Verify(ctx, st)
		if err != nil || !rep.OK() || rep.Entries != 40 {
			t.Fatalf("Verify = %+v, %v; want 40 intact entries", rep, err)
		}

		// Alter entry 17 by hand: verification names it.
		if _, err := st.DB().ExecContext(ctx, `UPDATE audit_log SET detail = 'tampered' WHERE seq = 17`); err != nil {
			t.Fatal(err)
		}
		rep, _ = audit.Verify(ctx, st)
		if rep.BrokenAt != 17 {
			t.Fatalf("after altering 17: %+v", rep)
		}
		st.DB().ExecContext(ctx, `UPDATE audit_log SET detail = '' WHERE seq = 17`)
		if rep, _ := audit.Verify(ctx, st); !rep.OK() {
			t.Fatalf("restored row should verify: %+v", rep)
		}
		// Remove a middle row, then the tail.
		st.DB().ExecContext(ctx, `DELETE FROM audit_log WHERE seq = 9`)
		if rep, _ := audit.Verify(ctx, st); rep.BrokenAt != 9 {
			t.Errorf("after deleting 9: %+v", rep)
		}
	})
}

func TestAuditTailRemovalDetected(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		for i := 0; i < 3; i++ {
			if err := audit.Append(ctx, st, &tongban.AuditEntry{At: t0, Actor: "a", Action: "x", Object: "o"}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := audit.Seal(ctx, st); n != 3 || err != nil {
			t.Fatalf("Seal = %d, %v; want 3", n, err)
		}
		st.DB().ExecContext(ctx, `DELETE FROM audit_log WHERE seq = 3`)
		if rep, _ := audit.Verify(ctx, st); rep.BrokenAt != 3 {
			t.Errorf("after deleting the tail: %+v", rep)
		}
	})
}

// An entry whose transaction commits after a later entry was sealed (its
// queue id is lower) still gets chained, by the next seal, and nothing is
// dropped. SQLite has one writer, so only PostgreSQL can interleave so.
func TestAuditSealsEntriesThatCommitLate(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		if d != sqldb.Postgres {
			t.Skip("one writer at a time: queue ids follow commit order")
		}
		st, ctx := Open(t, d), context.Background()
		queued, release := make(chan struct{}), make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- st.Transact(ctx, func(tx tongban.Store) error {
				if err := audit.Append(ctx, tx, &tongban.AuditEntry{At: t0, Actor: "慢", Action: "x", Object: "slow"}); err != nil {
					return err
				}
				close(queued)
				<-release
				return nil
			})
		}()
		<-queued
		if err := audit.Append(ctx, st, &tongban.AuditEntry{At: t0, Actor: "快", Action: "x", Object: "fast"}); err != nil {
			t.Fatal(err)
		}
		if n, err := audit.Seal(ctx, st); n != 1 || err != nil {
			t.Fatalf("first seal = %d, %v; want the committed entry only", n, err)
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		entries, err := audit.Entries(ctx, st, 0, 10)
		if err != nil || len(entries) != 2 || entries[0].Object != "fast" || entries[1].Object != "slow" {
			t.Fatalf("chain after the late commit: %d entries, %v", len(entries), err)
		}
		if rep, err := audit.Verify(ctx, st); err != nil || !rep.OK() || rep.Entries != 2 {
			t.Fatalf("Verify = %+v, %v", rep, err)
		}
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
