package stats

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/jsontext"
)

// countingDashboards stands in for Compute: each dashboard's total counts
// the computation that made it.
type countingDashboards struct {
	n atomic.Int64
	// gate, when set, is called inside each computation before it returns.
	gate func(n int64)
}

func (b *countingDashboards) compute(context.Context, tongban.Store, tongban.RollupFilter) (*Dashboard, error) {
	n := b.n.Add(1)
	if b.gate != nil {
		b.gate(n)
	}
	return &Dashboard{Total: Row{Cases: CaseMeasures{RollupCounts: tongban.RollupCounts{Submitted: n}}}}, nil
}

func submitted(d *Dashboard) int64 { return d.Total.Cases.Submitted }

// In the last fifth of its TTL a dashboard is renewed by one request, while
// the others are answered from it without waiting; once it expires, the
// requests wait for the renewal under way rather than start another.
func TestDashboardsRenewBeforeExpiry(t *testing.T) {
	ctx, clock := context.Background(), tongban.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	b := &countingDashboards{}
	c := &Dashboards{Clock: clock, TTL: 5 * time.Second, compute: b.compute}
	f := tongban.RollupFilter{From: "2026-03-01", To: "2026-03-31"}
	if d, err := c.Get(ctx, f); err != nil || submitted(d) != 1 {
		t.Fatalf("first: %+v, %v", d, err)
	}
	clock.Advance(4*time.Second - time.Nanosecond)
	if d, _ := c.Get(ctx, f); submitted(d) != 1 || b.n.Load() != 1 {
		t.Fatalf("before the renewal: computed %d times", b.n.Load())
	}

	// At 4 s: one request renews, held inside its computation.
	clock.Advance(time.Nanosecond)
	entered, release := make(chan struct{}), make(chan struct{})
	b.gate = func(int64) { entered <- struct{}{}; <-release }
	renewed := make(chan *Dashboard)
	go func() { d, _ := c.Get(ctx, f); renewed <- d }()
	<-entered
	if d, _ := c.Get(ctx, f); submitted(d) != 1 {
		t.Errorf("during the renewal: got computation %d, want the current one", submitted(d))
	}
	close(release)
	if d := <-renewed; submitted(d) != 2 {
		t.Errorf("the renewing request got computation %d, want 2", submitted(d))
	}
	if d, _ := c.Get(ctx, f); submitted(d) != 2 {
		t.Errorf("after the renewal: got computation %d, want 2", submitted(d))
	}

	// At 8 s the second is renewed; at 9 s it expires while the renewal
	// still runs, and a request waits for that renewal.
	clock.Advance(4 * time.Second)
	entered, release = make(chan struct{}), make(chan struct{})
	go func() { d, _ := c.Get(ctx, f); renewed <- d }()
	<-entered
	clock.Advance(time.Second)
	waited := make(chan *Dashboard)
	go func() { d, _ := c.Get(ctx, f); waited <- d }()
	close(release)
	if d := <-renewed; submitted(d) != 3 {
		t.Errorf("the renewing request got computation %d, want 3", submitted(d))
	}
	if d := <-waited; submitted(d) != 3 || b.n.Load() != 3 {
		t.Errorf("after expiry: got computation %d of %d, want the renewal (3 of 3)", submitted(d), b.n.Load())
	}
}

// Without a request in the renewal window, an expired dashboard is computed
// afresh by the next request.
func TestDashboardsComputeAfterExpiry(t *testing.T) {
	ctx, clock := context.Background(), tongban.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	b := &countingDashboards{}
	c := &Dashboards{Clock: clock, TTL: 5 * time.Second, compute: b.compute}
	f := tongban.RollupFilter{From: "2026-03-01", To: "2026-03-31"}
	c.Get(ctx, f)
	clock.Advance(5 * time.Second)
	if d, _ := c.Get(ctx, f); submitted(d) != 2 {
		t.Errorf("after the TTL: computation %d, want 2", submitted(d))
	}
	if d, _ := c.Get(ctx, f); submitted(d) != 2 || b.n.Load() != 2 {
		t.Errorf("the fresh dashboard is not kept (%d computations)", b.n.Load())
	}
}

// The answer's JSON is encoded once per dashboard kept: every request until
// the renewal gets the same bytes, which are the dashboard's answer as
// writeJSON writes it; a renewed dashboard is encoded afresh.
func TestDashboardsEncodeEachOnce(t *testing.T) {
	ctx, clock := context.Background(), tongban.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	b := &countingDashboards{}
	c := &Dashboards{Clock: clock, TTL: 5 * time.Second, compute: b.compute}
	f := tongban.RollupFilter{From: "2026-03-01", To: "2026-03-31"}
	first, err := c.Encoded(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := c.Get(ctx, f)
	if want, _ := jsontext.Answer(d); !bytes.Equal(first, want) || submitted(d) != 1 {
		t.Fatalf("encoded %s, want the dashboard's answer %s", first, want)
	}
	again, _ := c.Encoded(ctx, f)
	if &again[0] != &first[0] || b.n.Load() != 1 {
		t.Errorf("a second request encoded again or computed again (%d computations)", b.n.Load())
	}

	clock.Advance(4 * time.Second) // renewed by this request
	renewed, _ := c.Encoded(ctx, f)
	d, _ = c.Get(ctx, f)
	if want, _ := jsontext.Answer(d); submitted(d) != 2 || !bytes.Equal(renewed, want) || bytes.Equal(renewed, first) {
		t.Errorf("after the renewal: encoded %s, want computation 2's answer %s", renewed, want)
	}
}
