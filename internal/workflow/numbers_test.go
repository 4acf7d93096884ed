package workflow

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A quiet district reserves one number at a time and so keeps its numbers
// gapless; a busy one reserves growing blocks; a restarted server (a new
// allocator) continues after everything reserved before, so no number is
// ever handed out twice.
func TestCaseNumbersFromBlocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := storetest.Open(t, d), context.Background()
		const region, day = "511602000000", "20260302"
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var a numberAllocator
		for want := 1; want <= 3; want++ {
			now = now.Add(5 * time.Second) // quiet: a submission every few seconds
			if n, err := a.next(ctx, st, now, region, day); err != nil || n != want {
				t.Fatalf("quiet submission %d got number %d, %v", want, n, err)
			}
		}

		// A burst: 40 submitters at once, within the same second.
		var mu sync.Mutex
		seen := map[int]bool{}
		var wg sync.WaitGroup
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := a.next(ctx, st, now, region, day)
				mu.Lock()
				defer mu.Unlock()
				if err != nil || seen[n] {
					t.Errorf("burst got %d (seen before: %v), %v", n, seen[n], err)
				}
				seen[n] = true
			}()
		}
		wg.Wait()
		for n := 4; n < 4+40; n++ {
			if !seen[n] {
				t.Errorf("number %d skipped within one server's burst", n)
			}
		}
		// Blocks of 2, 4, 8, 16, 32 follow the quiet 1s: 40 numbers need
		// 2+4+8+16+32 = 62 reserved, so 22 stay unused in memory.
		reserved, err := st.ReserveCaseNumbers(ctx, region, day, 1)
		if err != nil || reserved != 3+62+1 {
			t.Fatalf("counter after the burst = %d, %v; want %d", reserved, err, 3+62+1)
		}

		var restarted numberAllocator
		if n, err := restarted.next(ctx, st, now, region, day); err != nil || n != reserved+1 {
			t.Errorf("after a restart the next number is %d, %v; want %d (the unused block is a gap)", n, err, reserved+1)
		}
		// A new day starts at 1 and drops the old day's block.
		if n, err := a.next(ctx, st, now.Add(24*time.Hour), region, "20260303"); err != nil || n != 1 || a.blocks.Len() != 1 {
			t.Errorf("next day: %d, %v, %d blocks kept", n, err, a.blocks.Len())
		}
	})
}

// A number whose submission certainly stored nothing is handed out again;
// one whose commit may have happened is not.
func TestCaseNumbersGivenBack(t *testing.T) {
	st, ctx := storetest.Open(t, sqldb.SQLite), context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var a numberAllocator
	n1, _ := a.next(ctx, st, now, "511602000000", "20260302")
	a.giveBack("511602000000", "20260302", n1)
	if again, err := a.next(ctx, st, now, "511602000000", "20260302"); err != nil || again != n1 {
		t.Errorf("after giving %d back the next number is %d, %v", n1, again, err)
	}
	if n2, _ := a.next(ctx, st, now, "511602000000", "20260302"); n2 != n1+1 {
		t.Errorf("then %d, want %d", n2, n1+1)
	}
	for _, tc := range []struct {
		err  error
		back bool
	}{
		{nil, false},
		{tongban.FieldError("idempotency_key", "已被使用"), true},
		{tongban.Errorf(tongban.EConflict, "重复"), true},
		{tongban.Errorf(tongban.EForbidden, "无权"), true},
		{tongban.Errorf(tongban.EUnavailable, "数据库暂时不可用"), false},
		{errors.New("commit: connection reset"), false},
	} {
		if got := GivesNumberBack(tc.err); got != tc.back {
			t.Errorf("GivesNumberBack(%v) = %v", tc.err, got)
		}
	}
}
