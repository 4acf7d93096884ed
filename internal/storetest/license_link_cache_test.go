package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestVerifyLinkReadIsNeverStale: LicenseLinkWithMisses keeps links and
// their licences in memory between visits, yet every read gives what the
// database holds — the address's misses, a withdrawn share, a licence
// 注销ed, a status reason written by another process, after a caller
// changed what it got, inside a transaction (its own uncommitted change)
// and after that transaction rolled back. A column its stamp does not
// read is written once, with the row: changed behind the store's back,
// the kept licence shows the old value until a stamped column changes,
// which is how this test knows the reads come from memory.
func TestVerifyLinkReadIsNeverStale(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, u := storedLicence(t, st)
		face, err := license.FaceLinkOf(ctx, st, l, t0)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 5, 2, 0, 0, 0, time.UTC)
		share, err := license.Share(ctx, st, u, l, license.ShareRequest{Purpose: "银行开户", Until: "2026-03-31"}, now)
		if err != nil {
			t.Fatal(err)
		}
		const key = "verify:10.9.8.7"
		since := t0.Add(-time.Hour)
		// same reads token twice (the first may fill the cache, the second
		// read from it) and checks each against the uncached reads.
		same := func(step, token string) (*tongban.LicenseLink, *tongban.License) {
			t.Helper()
			var k *tongban.LicenseLink
			var got *tongban.License
			for range 2 {
				var misses int
				var err error
				if misses, k, got, err = st.LicenseLinkWithMisses(ctx, token, key, since); err != nil {
					t.Fatalf("%s: %v", step, err)
				}
				wantK, wantL, err := st.LicenseLinkWithLicense(ctx, token)
				if err != nil {
					t.Fatal(err)
				}
				wantMisses, err := st.Failures(ctx, key, since)
				if err != nil {
					t.Fatal(err)
				}
				if misses != wantMisses || !reflect.DeepEqual(k, wantK) || !reflect.DeepEqual(got, wantL) {
					t.Fatalf("%s: %d misses, link %+v, licence %+v;\nwant %d, %+v, %+v", step, misses, k, got, wantMisses, wantK, wantL)
				}
			}
			return k, got
		}
		same("first visit", face.Token)
		same("first share visit", share.Token)

		if err := st.RecordFailure(ctx, key, t0); err != nil {
			t.Fatal(err)
		}
		k, got := same("a miss counted", face.Token)

		got.Face["经营者名称"] = "改过的"
		got.Signature[0] ^= 0xff
		got.Status, k.RevokedAt = tongban.LicenseRevoked, now
		same("after the caller changed what it got", face.Token)

		errRollback := errors.New("roll back")
		err = st.Transact(ctx, func(tx tongban.Store) error {
			if err := tx.SetLicenseStatus(ctx, l.ID, tongban.LicenseRevoked, "测试", now); err != nil {
				return err
			}
			_, inTx, err := tx.LicenseLinkWithLicense(ctx, face.Token)
			if err != nil {
				return err
			}
			_, withMisses, err := func() (int, *tongban.License, error) {
				m, _, l, err := tx.LicenseLinkWithMisses(ctx, face.Token, key, since)
				return m, l, err
			}()
			if err != nil {
				return err
			}
			if inTx.Status != tongban.LicenseRevoked || withMisses.Status != tongban.LicenseRevoked {
				t.Errorf("inside the transaction: %s, %s", inTx.Status, withMisses.Status)
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatal(err)
		}
		if _, got := same("after a rollback", face.Token); got.Status != tongban.LicenseValid {
			t.Fatalf("rolled-back 注销 seen: %s", got.Status)
		}

		if err := st.RevokeShareLink(ctx, l.ID, share.ID, now); err != nil {
			t.Fatal(err)
		}
		if k, _ := same("share withdrawn", share.Token); k.RevokedAt.IsZero() {
			t.Fatal("withdrawn share read as open")
		}

		// Another process's writes: a stamped column is seen at once.
		pool := st.DB().Pool()
		if _, err := pool.ExecContext(ctx, `UPDATE licenses SET status_reason = $1 WHERE id = $2`, "另一进程写入", l.ID); err != nil {
			t.Fatal(err)
		}
		if _, got := same("status reason written elsewhere", face.Token); got.StatusReason != "另一进程写入" {
			t.Fatalf("status reason %q", got.StatusReason)
		}
		// An unstamped column, written once by the store, changed behind
		// its back: the kept licence still shows the old holder name...
		if _, err := pool.ExecContext(ctx, `UPDATE licenses SET holder_name = $1 WHERE id = $2`, "李四", l.ID); err != nil {
			t.Fatal(err)
		}
		_, _, kept, err := st.LicenseLinkWithMisses(ctx, face.Token, key, since)
		if err != nil || kept.HolderName != "张三" {
			t.Fatalf("the kept licence was not read from memory: %q, %v", kept.HolderName, err)
		}
		// ...until a stamped column changes.
		if err := st.SetLicenseStatus(ctx, l.ID, tongban.LicenseRevoked, "营业执照已注销", now); err != nil {
			t.Fatal(err)
		}
		if _, got := same("注销", face.Token); got.Status != tongban.LicenseRevoked || got.HolderName != "李四" {
			t.Fatalf("after 注销: %s, %q", got.Status, got.HolderName)
		}
	})
}
