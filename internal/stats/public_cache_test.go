package stats

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban"
)

// countingBuilds stands in for Public: each build is numbered, and the
// board's total counts the build that made it.
type countingBuilds struct {
	n atomic.Int64
	// gate, when set, is called inside each build before it returns.
	gate func(n int64)
}

func (b *countingBuilds) build(_ context.Context, _ tongban.Store, first, now time.Time) (*PublicRatings, error) {
	n := b.n.Add(1)
	if b.gate != nil {
		b.gate(n)
	}
	return &PublicRatings{Month: first.Format("2006-01"), AsOf: now, Total: PublicRatingRow{Rated: n}}, nil
}

var march = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// A month's board is built once and served until the TTL has passed; the
// first request after it is answered from a fresh build, stamped with the
// clock's time then.
func TestPublicCacheRebuildsAfterTheTTL(t *testing.T) {
	ctx, clock := context.Background(), tongban.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	b := &countingBuilds{}
	c := &PublicCache{Clock: clock, TTL: 5 * time.Second, build: b.build}
	first, err := c.Get(ctx, march)
	if err != nil || first.Total.Rated != 1 || !first.AsOf.Equal(clock.Now()) {
		t.Fatalf("first: %+v, %v", first, err)
	}
	clock.Advance(5*time.Second - time.Nanosecond)
	if again, _ := c.Get(ctx, march); again != first || b.n.Load() != 1 {
		t.Errorf("within the TTL: built %d times", b.n.Load())
	}
	if other, _ := c.Get(ctx, march.AddDate(0, -1, 0)); other.Month != "2026-02" || other.Total.Rated != 2 {
		t.Errorf("another month shares the board: %+v", other)
	}
	clock.Advance(time.Nanosecond)
	later, err := c.Get(ctx, march)
	if err != nil || later.Total.Rated != 3 || !later.AsOf.Equal(clock.Now()) {
		t.Fatalf("after the TTL: %+v, %v; want a fresh board", later, err)
	}
	if again, _ := c.Get(ctx, march); again != later {
		t.Error("the fresh board is not kept")
	}
}

// Requests arriving together for a month nobody has asked for yet all
// wait for one build.
func TestPublicCacheConcurrentRequestsBuildOnce(t *testing.T) {
	const requests = 16
	var started atomic.Int64
	b := &countingBuilds{gate: func(int64) {
		for started.Load() < requests { // hold the build until every request has been made
			runtime.Gosched()
		}
	}}
	c := &PublicCache{Clock: tongban.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), build: b.build}
	got := make([]*PublicRatings, requests)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			started.Add(1)
			got[i], _ = c.Get(context.Background(), march)
		})
	}
	wg.Wait()
	if n := b.n.Load(); n != 1 {
		t.Fatalf("%d requests built %d boards, want 1", requests, n)
	}
	for i := range got {
		if got[i] == nil || got[i] != got[0] {
			t.Fatalf("request %d got %+v, not the one board", i, got[i])
		}
	}
}

// Once the TTL has passed, one request rebuilds; others arriving while it
// builds are answered at once from the previous board.
func TestPublicCacheServesThePreviousBoardWhileRebuilding(t *testing.T) {
	ctx, clock := context.Background(), tongban.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	entered, release := make(chan struct{}), make(chan struct{})
	b := &countingBuilds{gate: func(n int64) {
		if n == 2 {
			close(entered)
			<-release
		}
	}}
	c := &PublicCache{Clock: clock, build: b.build}
	old, _ := c.Get(ctx, march)
	clock.Advance(RefreshEvery)
	rebuilt := make(chan *PublicRatings)
	go func() {
		p, _ := c.Get(ctx, march)
		rebuilt <- p
	}()
	<-entered
	if during, _ := c.Get(ctx, march); during != old {
		t.Errorf("during the rebuild: %+v, want the previous board", during)
	}
	close(release)
	fresh := <-rebuilt
	if fresh == nil || fresh.Total.Rated != 2 || b.n.Load() != 2 {
		t.Fatalf("the rebuilding request got %+v after %d builds", fresh, b.n.Load())
	}
	if after, _ := c.Get(ctx, march); after != fresh {
		t.Errorf("after the rebuild: %+v", after)
	}
}

// A failed build is not kept: the next request builds again.
func TestPublicCacheForgetsAFailure(t *testing.T) {
	ctx := context.Background()
	fail := errors.New("database away")
	calls := 0
	c := &PublicCache{Clock: tongban.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)),
		build: func(_ context.Context, _ tongban.Store, first, now time.Time) (*PublicRatings, error) {
			if calls++; calls == 1 {
				return nil, fail
			}
			return &PublicRatings{Month: first.Format("2006-01"), AsOf: now}, nil
		}}
	if _, err := c.Get(ctx, march); !errors.Is(err, fail) {
		t.Fatalf("first: %v, want the failure", err)
	}
	if p, err := c.Get(ctx, march); err != nil || p == nil || p.Month != "2026-03" {
		t.Fatalf("second: %+v, %v; want a board", p, err)
	}
}
