package exchange_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/sqldb"
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
