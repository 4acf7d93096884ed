package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestClaimedLicenceIsNeverStale: ReadClaims keeps licences claimed by
// identifier in memory between submissions, yet every read gives what
// LicenseByIdentifier reads from the database — after a caller changed
// what it got, inside a transaction (its own uncommitted 注销) and after
// it rolled back, a status reason written by another process, a 注销. A
// column its stamp does not read is written once, with the row: changed
// behind the store's back, the kept licence shows the old value until a
// stamped column changes, which is how this test knows the reads come
// from memory.
func TestClaimedLicenceIsNeverStale(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, _ := storedLicence(t, st)
		key := tongban.ClaimKey{License: l.Identifier}
		now := time.Date(2026, 3, 5, 2, 0, 0, 0, time.UTC)
		claim := func(step string, st tongban.Store) *tongban.License {
			t.Helper()
			rows, err := st.ReadClaims(ctx, []tongban.ClaimKey{key})
			if err != nil || rows[key].Err != nil {
				t.Fatalf("%s: %v, %v", step, err, rows[key].Err)
			}
			return rows[key].License
		}
		// same claims the licence twice (the first may fill the cache, the
		// second read from it) and checks each against the uncached read.
		same := func(step string) *tongban.License {
			t.Helper()
			var got *tongban.License
			for range 2 {
				got = claim(step, st)
				want, err := st.LicenseByIdentifier(ctx, l.Identifier)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: claimed %+v;\nwant %+v", step, got, want)
				}
			}
			return got
		}
		got := same("first claim")
		got.Face["经营者名称"] = "改过的"
		got.Signature[0] ^= 0xff
		got.Status = tongban.LicenseRevoked
		same("after the caller changed what it got")

		errRollback := errors.New("roll back")
		err := st.Transact(ctx, func(tx tongban.Store) error {
			if err := tx.SetLicenseStatus(ctx, l.ID, tongban.LicenseRevoked, "测试", now); err != nil {
				return err
			}
			if got := claim("inside the transaction", tx); got.Status != tongban.LicenseRevoked {
				t.Errorf("inside the transaction: %s", got.Status)
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatal(err)
		}
		if got := same("after a rollback"); got.Status != tongban.LicenseValid {
			t.Fatalf("rolled-back 注销 seen: %s", got.Status)
		}

		// Another process's writes: a stamped column is seen at once.
		pool := st.DB().Pool()
		if _, err := pool.ExecContext(ctx, `UPDATE licenses SET status_reason = $1 WHERE id = $2`, "另一进程写入", l.ID); err != nil {
			t.Fatal(err)
		}
		if got := same("status reason written elsewhere"); got.StatusReason != "另一进程写入" {
			t.Fatalf("status reason %q", got.StatusReason)
		}
		// An unstamped column, written once by the store, changed behind
		// its back: the kept licence still shows the old holder name...
		if _, err := pool.ExecContext(ctx, `UPDATE licenses SET holder_name = $1 WHERE id = $2`, "李四", l.ID); err != nil {
			t.Fatal(err)
		}
		if kept := claim("holder name written elsewhere", st); kept.HolderName != "张三" {
			t.Fatalf("the kept licence was not read from memory: %q", kept.HolderName)
		}
		// ...until a stamped column changes.
		if err := st.SetLicenseStatus(ctx, l.ID, tongban.LicenseRevoked, "营业执照已注销", now); err != nil {
			t.Fatal(err)
		}
		if got := same("注销"); got.Status != tongban.LicenseRevoked || got.HolderName != "李四" {
			t.Fatalf("after 注销: %s, %q", got.Status, got.HolderName)
		}
	})
}
