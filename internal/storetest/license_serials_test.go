package storetest

import (
	"context"
	"sync"
	"testing"

	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestLicenceSerialsReservedInBlocks: issues at once on two servers get
// distinct serials, reserved outside any transaction; another year counts
// on its own.
func TestLicenceSerialsReservedInBlocks(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, _ := storedLicence(t, st) // an issuer org to count for
		servers := []*license.Serials{license.NewSerials(st), license.NewSerials(st)}
		const each = 40
		got := make([][]int64, len(servers))
		var wg sync.WaitGroup
		var mu sync.Mutex
		for i, s := range servers {
			for range each {
				wg.Go(func() {
					n, err := s.Next(ctx, l.IssuerID, 2026, t0)
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
		if n, err := license.NewSerials(st).Next(ctx, l.IssuerID, 2027, t0); err != nil || n != 1 {
			t.Errorf("the next year starts at %d (%v), want 1", n, err)
		}
	})
}
