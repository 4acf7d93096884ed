// Package blocks hands out sequence numbers (case numbers, licence
// serials) from blocks reserved in the store, outside the transaction that
// uses them.
//
// A counter kept in one row and bumped inside the using transaction stays
// locked until that transaction commits, so every user of the counter
// waits for the one before it. Here the counter is bumped in a statement
// of its own and numbers are handed out from memory: a quiet counter
// reserves one number at a time and so stays gapless; under load each
// reservation doubles the block (up to Max) as long as the last block ran
// out within a second. A number whose use certainly stored nothing is given
// back and handed out next; a server that stops with numbers unused, or a
// commit whose outcome is unknown, leaves a gap: numbers are unique, not
// gapless.
package blocks

import (
	"context"
	"sync"
	"time"
)

// DefaultMax bounds how many numbers one reservation takes, and so how
// many a restart can leave unused, unless Allocator.Max says otherwise.
const DefaultMax = 32

// Allocator hands out numbers per counter key K. The zero value is ready.
type Allocator[K comparable] struct {
	// Max, when set before first use, replaces DefaultMax.
	Max int

	mu     sync.Mutex
	blocks map[K]*block
}

type block struct {
	next, last int64 // numbers next..last are unused; next > last when empty
	size       int   // the size of the last reservation
	reserved   time.Time
	returned   []int64 // given back, handed out first
}

// Reserve reserves size more numbers of a counter in the store (committed
// at once, never inside the using transaction) and returns the last.
type Reserve func(ctx context.Context, size int) (last int64, err error)

// Next returns an unused number of counter k. When k is new, the blocks of
// the keys outdated reports are dropped (yesterday's, last year's).
// Reservations are made under the allocator's lock: concurrent users of
// this server wait for one short statement rather than each reserving a
// block of its own.
func (a *Allocator[K]) Next(ctx context.Context, k K, now time.Time, outdated func(K) bool, reserve Reserve) (int64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.blocks == nil {
		a.blocks = map[K]*block{}
	}
	b := a.blocks[k]
	if b == nil {
		for old := range a.blocks {
			if outdated(old) {
				delete(a.blocks, old)
			}
		}
		b = &block{}
		a.blocks[k] = b
	}
	if n := len(b.returned); n > 0 {
		seq := b.returned[n-1]
		b.returned = b.returned[:n-1]
		return seq, nil
	}
	if b.next > b.last || b.size == 0 {
		size := 1
		if b.size > 0 && now.Sub(b.reserved) < time.Second {
			limit := a.Max
			if limit <= 0 {
				limit = DefaultMax
			}
			size = min(2*b.size, limit)
		}
		last, err := reserve(ctx, size)
		if err != nil {
			return 0, err
		}
		b.next, b.last, b.size, b.reserved = last-int64(size)+1, last, size, now
	}
	n := b.next
	b.next++
	return n, nil
}

// GiveBack returns number n of counter k, certainly unused, so the next
// Next hands it out. Numbers of a dropped key are not kept.
func (a *Allocator[K]) GiveBack(k K, n int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if b := a.blocks[k]; b != nil {
		b.returned = append(b.returned, n)
	}
}

// Len is how many counters the allocator holds blocks of.
func (a *Allocator[K]) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.blocks)
}
