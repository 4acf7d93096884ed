package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestLicenceSerialsReservedInBlocks: issues at once on two servers get
// distinct serials, reserved before any transaction; another year counts
// on its own.
func TestLicenceSerialsReservedInBlocks(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, _ := storedLicence(t, st) // an issuer org to count for
		servers := []*license.Serials{{}, {}}
		const each = 40
		got := make([][]int64, len(servers))
		var wg sync.WaitGroup
		var mu sync.Mutex
		for i, s := range servers {
			for range each {
				wg.Go(func() {
					n, err := s.Next(ctx, st, l.IssuerID, 2026, t0)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					got[i] = append(got[i], n)
					mu.Unlock()
				})
			}
		}
		wg.Wait()
		seen := map[int64]bool{}
		for _, ns := range got {
			for _, n := range ns {
				if n < 1 || seen[n] {
					t.Fatalf("serial %d handed out twice or out of range", n)
				}
				seen[n] = true
			}
		}
		if len(seen) != 2*each {
			t.Fatalf("%d distinct serials, want %d", len(seen), 2*each)
		}
		if n, err := new(license.Serials).Next(ctx, st, l.IssuerID, 2027, t0); err != nil || n != 1 {
			t.Errorf("the next year starts at %d (%v), want 1", n, err)
		}
	})
}

// TestLicenceSerialGivenBack: a serial given back (its issue stored
// nothing) is the next one handed out; the store's counter is not bumped
// for it.
func TestLicenceSerialGivenBack(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, _ := storedLicence(t, st)
		var s license.Serials
		a, err := s.Next(ctx, st, l.IssuerID, 2026, t0)
		if err != nil {
			t.Fatal(err)
		}
		s.GiveBack(l.IssuerID, 2026, a)
		if b, err := s.Next(ctx, st, l.IssuerID, 2026, t0.Add(time.Hour)); err != nil || b != a {
			t.Fatalf("after giving %d back the next is %d (%v)", a, b, err)
		}
		if n, err := st.NextLicenseSerial(ctx, l.IssuerID, 2026); err != nil || n != a+1 {
			t.Fatalf("the counter's next is %d (%v), want %d", n, err, a+1)
		}
	})
}
