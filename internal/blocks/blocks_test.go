package blocks

import (
	"context"
	"sync"
	"testing"
	"time"
)

// counter is a store's counter row: reserve adds size and returns the last.
type counter struct {
	mu    sync.Mutex
	last  int64
	calls int
}

func (c *counter) reserve(_ context.Context, size int) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last += int64(size)
	c.calls++
	return c.last, nil
}

// TestConcurrentNumbersAreDistinct: many users of one allocator at once get
// distinct numbers, from fewer reservations than numbers; a number given
// back is handed out next; a new key drops the outdated ones.
func TestConcurrentNumbersAreDistinct(t *testing.T) {
	var a Allocator[string]
	var c counter
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	never := func(string) bool { return false }
	const users, each = 8, 50
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for range users {
		wg.Go(func() {
			for range each {
				n, err := a.Next(context.Background(), "day1", now, never, c.reserve)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[n] {
					t.Errorf("number %d handed out twice", n)
				}
				seen[n] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != users*each || c.calls >= users*each {
		t.Errorf("%d distinct numbers from %d reservations; want %d from fewer", len(seen), c.calls, users*each)
	}
	a.GiveBack("day1", 7)
	if n, _ := a.Next(context.Background(), "day1", now, never, c.reserve); n != 7 {
		t.Errorf("after giving 7 back the next number is %d", n)
	}
	if _, err := a.Next(context.Background(), "day2", now, func(k string) bool { return k == "day1" }, c.reserve); err != nil || a.Len() != 1 {
		t.Errorf("a new day kept %d counters (%v), want 1", a.Len(), err)
	}
}
