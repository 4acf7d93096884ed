package stats

import (
	"context"
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// PublicCache keeps the public 成绩单 of each month in memory and builds
// it again at most once per TTL. The page is public and busy, and its
// figures move only when the aggregator folds new rating events into the
// rollups (every RefreshEvery), so reading the rollups with every request
// buys nothing but load.
//
// Staleness: a board is built from the rollups as they stand at its AsOf,
// which the page prints. Once the TTL has passed, the next request builds
// a fresh board and is answered from it; requests arriving while that
// build runs are answered from the previous board, so they are not held up
// behind it (and at most TTL plus one build's time old). Only one build
// per month runs at a time.
type PublicCache struct {
	Store tongban.Store
	Clock tongban.Clock
	TTL   time.Duration // RefreshEvery if zero

	// build computes a board; Public unless a test replaces it.
	build func(ctx context.Context, st tongban.Store, first, now time.Time) (*PublicRatings, error)

	mu     sync.Mutex
	boards map[string]*publicBoard // by month, YYYY-MM
}

// publicBoard is one month's board: being built first (ready open), then
// served until it is older than the TTL.
type publicBoard struct {
	ready      chan struct{} // closed once p or err is set
	p          *PublicRatings
	err        error
	rebuilding bool // a fresh board is being built to replace this one
}

// publicBoardsMax bounds the months remembered; past it the memory starts
// afresh (a client walking through every month cannot grow it further).
const publicBoardsMax = 240

// Get returns the 成绩单 of the month starting at first. Callers must not
// modify it.
func (c *PublicCache) Get(ctx context.Context, first time.Time) (*PublicRatings, error) {
	month, now := first.Format("2006-01"), c.Clock.Now()
	c.mu.Lock()
	if c.boards == nil || len(c.boards) >= publicBoardsMax {
		c.boards = map[string]*publicBoard{}
	}
	b := c.boards[month]
	if b == nil {
		b = &publicBoard{ready: make(chan struct{})}
		c.boards[month] = b
		c.mu.Unlock()
		b.p, b.err = c.compute(ctx, first, now)
		close(b.ready)
		if b.err != nil { // a failure (the database away) is not kept
			c.forget(month, b)
		}
		return b.p, b.err
	}
	select {
	case <-b.ready:
	default: // the month's first build is under way: wait for it
		c.mu.Unlock()
		select {
		case <-b.ready:
			return b.p, b.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if b.err != nil { // failed, and about to be forgotten
		c.mu.Unlock()
		return nil, b.err
	}
	if now.Sub(b.p.AsOf) < c.ttl() || b.rebuilding {
		c.mu.Unlock()
		return b.p, nil
	}
	b.rebuilding = true
	c.mu.Unlock()
	p, err := c.compute(ctx, first, now)
	c.mu.Lock()
	defer c.mu.Unlock()
	b.rebuilding = false
	if err != nil {
		return nil, err
	}
	fresh := &publicBoard{ready: make(chan struct{}), p: p}
	close(fresh.ready)
	if c.boards[month] == b {
		c.boards[month] = fresh
	}
	return p, nil
}

func (c *PublicCache) ttl() time.Duration {
	if c.TTL == 0 {
		return RefreshEvery
	}
	return c.TTL
}

// compute builds a board apart from the request that asked for it, so a
// client hanging up does not fail the others waiting on the same build.
func (c *PublicCache) compute(ctx context.Context, first, now time.Time) (*PublicRatings, error) {
	build := c.build
	if build == nil {
		build = Public
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	return build(ctx, c.Store, first, now)
}

func (c *PublicCache) forget(month string, b *publicBoard) {
	c.mu.Lock()
	if c.boards[month] == b {
		delete(c.boards, month)
	}
	c.mu.Unlock()
}
