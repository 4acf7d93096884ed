package workflow

import (
	"context"
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// numberBlockMax bounds how many case numbers one server reserves at once,
// and so how many a restart can leave unused.
const numberBlockMax = 32

// numberAllocator hands out case numbers from blocks reserved in the store.
//
// The day's counter of a region is one row. Bumping it inside the
// submission's transaction (as an earlier version did) kept the row locked
// until that transaction committed, so every submission in a district
// waited for the one before it. Here the counter is bumped in a statement
// of its own and numbers are handed out from memory: a quiet district
// reserves one number at a time and so keeps its numbers gapless; under
// load each reservation doubles the block (up to numberBlockMax) as long as
// the last block ran out within a second. A submission refused after taking
// its number gives it back for the next one; a server that stops with
// numbers unused, or a commit whose outcome is unknown, leaves a gap:
// numbers are unique, not gapless.
type numberAllocator struct {
	mu     sync.Mutex
	blocks map[numberKey]*numberBlock
}

type numberKey struct{ region, day string }

type numberBlock struct {
	next, last int       // numbers next..last are unused; next > last when empty
	size       int       // the size of the last reservation
	reserved   time.Time // when it was made
	returned   []int     // numbers given back, handed out first
}

// next returns an unused number for the region and day (YYYYMMDD).
func (a *numberAllocator) next(ctx context.Context, st tongban.Store, now time.Time, region, day string) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.blocks == nil {
		a.blocks = map[numberKey]*numberBlock{}
	}
	k := numberKey{region, day}
	b := a.blocks[k]
	if b == nil {
		for old := range a.blocks {
			if old.day != day { // yesterday's blocks are of no more use
				delete(a.blocks, old)
			}
		}
		b = &numberBlock{}
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
			size = min(2*b.size, numberBlockMax)
		}
		// Held under a.mu: concurrent submitters of this server wait for one
		// short statement rather than each reserving a block of its own.
		last, err := st.ReserveCaseNumbers(ctx, region, day, size)
		if err != nil {
			return 0, err
		}
		b.next, b.last, b.size, b.reserved = last-size+1, last, size, now
	}
	n := b.next
	b.next++
	return n, nil
}

// giveBack returns a number whose case was certainly not stored, so the
// next submission uses it. Numbers of a day already dropped are not kept.
func (a *numberAllocator) giveBack(region, day string, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if b := a.blocks[numberKey{region, day}]; b != nil {
		b.returned = append(b.returned, n)
	}
}

// GivesNumberBack reports whether a submission that failed with err
// certainly stored nothing: it was refused by a rule or lost a race on a
// unique key inside its transaction. A failure to reach the database or to
// commit may hide a stored case, so its number is not reused.
func GivesNumberBack(err error) bool {
	if err == nil {
		return false
	}
	switch tongban.AsError(err).Code {
	case tongban.EInvalid, tongban.EConflict, tongban.EForbidden, tongban.ENotFound, tongban.EUnauthorized:
		return true
	}
	return false
}
