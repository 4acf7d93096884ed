package license

import (
	"context"
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// serialBlockMax bounds how many serials one server reserves at once, and
// so how many a restart can leave unused.
const serialBlockMax = 32

// Serials hands out licence serials from blocks reserved in the store,
// outside the issuing transaction. Taking the serial inside it (one
// counter row per issuer and year) locked that row until the issue
// committed — signing, the face and the outbox event included — so every
// issue of a department waited for the one before it. As with case
// numbers, a quiet issuer reserves one serial at a time and so keeps its
// serials gapless; under load each reservation doubles the block (up to
// serialBlockMax) while the last ran out within a second. A failed or
// retried issue leaves a gap: serials are unique, not gapless.
type Serials struct {
	st     tongban.Store
	mu     sync.Mutex
	blocks map[serialKey]*serialBlock
}

type serialKey struct {
	issuer int64
	year   int
}

type serialBlock struct {
	next, last int64
	size       int
	reserved   time.Time
}

// NewSerials hands out serials reserved through st (not a transaction).
func NewSerials(st tongban.Store) *Serials {
	return &Serials{st: st, blocks: map[serialKey]*serialBlock{}}
}

// Next returns an unused serial of the issuer for the year.
func (s *Serials) Next(ctx context.Context, issuerID int64, year int, now time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := serialKey{issuerID, year}
	b := s.blocks[k]
	if b == nil {
		b = &serialBlock{}
		s.blocks[k] = b
	}
	if b.next > b.last || b.size == 0 {
		size := 1
		if b.size > 0 && now.Sub(b.reserved) < time.Second {
			size = min(2*b.size, serialBlockMax)
		}
		last, err := s.st.ReserveLicenseSerials(ctx, issuerID, year, size)
		if err != nil {
			return 0, err
		}
		b.next, b.last, b.size, b.reserved = last-int64(size)+1, last, size, now
	}
	n := b.next
	b.next++
	return n, nil
}
