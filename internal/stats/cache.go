package stats

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/jsontext"
)

// Dashboards serves computed dashboards, recomputing one for a filter at
// most once per renewal period (the TTL less RenewAhead of it). The rollups
// it reads move only when an aggregator folds (every RefreshEvery), so a
// supervisor's page loaded by many at once, or refreshed, costs one
// computation rather than one per request; figures are at most TTL older
// than the rollups.
//
// A dashboard is renewed before it expires: the first request in the last
// RenewAhead of its TTL computes the next one, while the others are still
// answered from the current one, which is within its TTL. Without that,
// every request arriving while the expired dashboard was being recomputed
// waited for it: once per TTL all clients stopped at once, which made the
// 64-client tail (docs/benchmarks.md).
type Dashboards struct {
	Store tongban.Store
	Clock tongban.Clock
	TTL   time.Duration // RefreshEvery if zero

	// compute computes a dashboard; Compute unless a test replaces it.
	compute func(ctx context.Context, st tongban.Store, f tongban.RollupFilter) (*Dashboard, error)

	mu      sync.Mutex
	entries map[tongban.RollupFilter]*dashboardEntry
}

// RenewAhead is the part of the TTL before its end in which a dashboard is
// renewed.
const RenewAhead = 5 // a fifth

type dashboardEntry struct {
	once sync.Once // concurrent first requests compute once
	d    *Dashboard
	err  error
	at   time.Time
	done atomic.Bool     // once has run: d or err is set
	next *dashboardEntry // the renewal under way, if any; guarded by Dashboards.mu

	encodeOnce sync.Once // the first request for the answer's JSON encodes it
	encoded    []byte
	encodeErr  error
}

// dashboardsMax bounds the filters remembered; past it the memory starts afresh.
const dashboardsMax = 1024

// Get returns the dashboard for f. Callers must not modify it.
func (c *Dashboards) Get(ctx context.Context, f tongban.RollupFilter) (*Dashboard, error) {
	e, err := c.entry(ctx, f)
	if err != nil {
		return nil, err
	}
	return e.d, nil
}

// Encoded returns the dashboard for f as the API answers with it
// (jsontext.Answer). It is encoded once per dashboard kept, and the same
// bytes serve every request until the dashboard is renewed: encoding 54
// departments' rows by reflection was two thirds of each request's CPU
// (docs/benchmarks.md, "The dashboard's answer encoded once"). Callers
// must not modify it.
func (c *Dashboards) Encoded(ctx context.Context, f tongban.RollupFilter) ([]byte, error) {
	e, err := c.entry(ctx, f)
	if err != nil {
		return nil, err
	}
	e.encodeOnce.Do(func() { e.encoded, e.encodeErr = jsontext.Answer(e.d) })
	return e.encoded, e.encodeErr
}

// entry is the kept (or renewed, or newly computed) entry for f, its
// dashboard set.
func (c *Dashboards) entry(ctx context.Context, f tongban.RollupFilter) (*dashboardEntry, error) {
	ttl := c.TTL
	if ttl == 0 {
		ttl = RefreshEvery
	}
	now := c.Clock.Now()
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= dashboardsMax {
		c.entries = map[tongban.RollupFilter]*dashboardEntry{}
	}
	e := c.entries[f]
	if e != nil && now.Sub(e.at) >= ttl {
		// Expired: the renewal under way, if any and fresh, takes its place.
		if e = e.next; e != nil && now.Sub(e.at) >= ttl {
			e = nil
		}
		if e != nil {
			c.entries[f] = e
		}
	}
	if e == nil {
		e = &dashboardEntry{at: now}
		c.entries[f] = e
	}
	var renewal *dashboardEntry
	if e.next == nil && e.done.Load() && e.err == nil && now.Sub(e.at) >= ttl-ttl/RenewAhead {
		renewal = &dashboardEntry{at: now}
		e.next = renewal
	}
	c.mu.Unlock()

	if renewal != nil {
		c.fill(ctx, f, renewal)
		c.mu.Lock()
		if renewal.err == nil && c.entries[f] == e {
			c.entries[f] = renewal
		}
		if renewal.err != nil && e.next == renewal {
			e.next = nil // a later request tries again
		}
		c.mu.Unlock()
		return renewal, renewal.err
	}

	c.fill(ctx, f, e)
	if e.err != nil {
		// A failure (the database away, the request cancelled) is not kept.
		c.mu.Lock()
		if c.entries[f] == e {
			delete(c.entries, f)
		}
		c.mu.Unlock()
	}
	return e, e.err
}

// fill computes e once, however many requests ask.
func (c *Dashboards) fill(ctx context.Context, f tongban.RollupFilter, e *dashboardEntry) {
	e.once.Do(func() {
		compute := c.compute
		if compute == nil {
			compute = Compute
		}
		e.d, e.err = compute(ctx, c.Store, f)
		e.done.Store(true)
	})
}
