package exchange_test

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/storetest"
)

// The standard-material cache serves a code from memory; a save through
// Standards (the console and the API) is seen at once; a change written
// past it (another server on the same database) within StandardTTL; an
// unknown code is not remembered.
func TestStandardCacheForgetsOnSaveAndExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, cache := w.ctx, w.ex.Standards.Cache
		if cache == nil {
			t.Fatal("exchange.New built Standards without the cache resolvers read")
		}
		get := func() *tongban.StandardMaterial {
			t.Helper()
			m, err := cache.Get(ctx, "BZ0307")
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		first := get()
		if first.LicenseType == "" {
			t.Fatalf("BZ0307 = %+v; want the seeded licence type", first)
		}

		// Saved through Standards: the next read sees the new licence type.
		m := *first
		m.LicenseType, m.Note = "11100000MB0143028R099", "换用新证照类型"
		if _, err := w.ex.Standards.Save(ctx, w.req(w.catalogAdmin), m); err != nil {
			t.Fatal(err)
		}
		if got := get(); got.LicenseType != m.LicenseType {
			t.Errorf("after a save, licence type = %s; want %s", got.LicenseType, m.LicenseType)
		}

		// Written past the cache (as another server would): still the
		// remembered row until StandardTTL has passed, then the new one.
		other := m
		other.LicenseType = first.LicenseType
		if err := w.st.SaveStandardMaterial(ctx, &other); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(exchange.StandardTTL / 2)
		if got := get(); got.LicenseType != m.LicenseType {
			t.Errorf("within the TTL, licence type = %s; want the remembered %s", got.LicenseType, m.LicenseType)
		}
		w.clock.Advance(exchange.StandardTTL / 2)
		if got := get(); got.LicenseType != first.LicenseType {
			t.Errorf("after the TTL, licence type = %s; want the stored %s", got.LicenseType, first.LicenseType)
		}

		// Not found is not remembered: a code added later is found.
		if _, err := cache.Get(ctx, "BZ0999"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Fatalf("unknown code: %v, want not found", err)
		}
		added := tongban.StandardMaterial{Code: "BZ0999", Name: "压测用新证明", Category: "其他", Issuer: "有关部门"}
		if err := w.st.SaveStandardMaterial(ctx, &added); err != nil {
			t.Fatal(err)
		}
		if got, err := cache.Get(ctx, "BZ0999"); err != nil || got.Name != added.Name {
			t.Errorf("a code added after a miss = %+v, %v", got, err)
		}
	})
}

// Inside a transaction a miss is read through the transaction's store and
// not kept: on a pool of one connection, held by the transaction, it is
// answered (through the root store it would wait for ever), and a change
// written past the cache afterwards is seen at once.
func TestStandardCacheMissInATransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		cache := w.ex.Standards.Cache
		w.st.(*store.Store).DB().SetMaxOpenConns(1)
		ctx, cancel := context.WithTimeout(w.ctx, 20*time.Second)
		defer cancel()
		var inTx *tongban.StandardMaterial
		err := w.st.Transact(ctx, func(tx tongban.Store) error {
			var err error
			inTx, err = cache.GetIn(ctx, tx, "BZ0307")
			return err
		})
		if err != nil {
			t.Fatalf("a miss inside a transaction on one connection: %v", err)
		}
		if inTx.LicenseType == "" {
			t.Fatalf("BZ0307 = %+v; want the seeded licence type", inTx)
		}
		changed := *inTx
		changed.LicenseType = "11100000MB0143028R099"
		if err := w.st.SaveStandardMaterial(ctx, &changed); err != nil {
			t.Fatal(err)
		}
		if got, err := cache.Get(ctx, "BZ0307"); err != nil || got.LicenseType != changed.LicenseType {
			t.Errorf("after the transaction's miss = %+v, %v; want the stored %s (the miss kept nothing)", got, err, changed.LicenseType)
		}
	})
}
