package stats

import (
	"context"
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// Dashboards serves computed dashboards, recomputing one for a filter at
// most once per TTL. The rollups it reads move only when an aggregator
// folds (every RefreshEvery), so a supervisor's page loaded by many at once,
// or refreshed, costs one computation rather than one per request; figures
// are at most TTL older than the rollups.
type Dashboards struct {
	Store tongban.Store
	Clock tongban.Clock
	TTL   time.Duration // RefreshEvery if zero

	mu      sync.Mutex
	entries map[tongban.RollupFilter]*dashboardEntry
}

type dashboardEntry struct {
	once sync.Once // concurrent first requests compute once
	d    *Dashboard
	err  error
	at   time.Time
}

// dashboardsMax bounds the filters remembered; past it the memory starts afresh.
const dashboardsMax = 1024

// Get returns the dashboard for f. Callers must not modify it.
func (c *Dashboards) Get(ctx context.Context, f tongban.RollupFilter) (*Dashboard, error) {
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
	if e == nil || now.Sub(e.at) >= ttl {
		e = &dashboardEntry{at: now}
		c.entries[f] = e
	}
	c.mu.Unlock()

	e.once.Do(func() { e.d, e.err = Compute(ctx, c.Store, f) })
	if e.err != nil {
		// A failure (the database away, the request cancelled) is not kept.
		c.mu.Lock()
		if c.entries[f] == e {
			delete(c.entries, f)
		}
		c.mu.Unlock()
	}
	return e.d, e.err
}
