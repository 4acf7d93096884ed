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

// Serials hands out licence serials from blocks reserved in the store
// BEFORE the issue transaction (see Issuer.ReserveLicenseSerial), as case
// numbers are. Taking the serial inside it (one counter row per issuer and
// year) kept that row locked until the issue committed — signing, the face
// and the outbox event included — so every issue of a department waited
// for the one before it. Reserving through the root store from inside the
// transaction is no way out either: on SQLite it waits for the one writer
// the transaction itself is (ff32f88).
//
// A quiet issuer reserves one serial at a time and so keeps its serials
// gapless; under load each reservation doubles the block (up to
// serialBlockMax) while the last ran out within a second. A serial whose
// issue certainly stored nothing (refused, or a renewal that needs none)
// is given back and handed out next; a server that stops with serials
// unused, or a commit whose outcome is unknown, leaves a gap: serials are
// unique, never duplicated, not gapless.
type Serials struct {
	mu     sync.Mutex
	blocks map[serialKey]*serialBlock
}

type serialKey struct {
	issuer int64
	year   int
}

type serialBlock struct {
	next, last int64 // serials next..last are unused; next > last when empty
	size       int
	reserved   time.Time
	returned   []int64 // given back, handed out first
}

// Next returns an unused serial of the issuer for the year, reserving
// through st, which must not be a transaction.
func (s *Serials) Next(ctx context.Context, st tongban.Store, issuerID int64, year int, now time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocks == nil {
		s.blocks = map[serialKey]*serialBlock{}
	}
	k := serialKey{issuerID, year}
	b := s.blocks[k]
	if b == nil {
		for old := range s.blocks {
			if old.year < year { // last year's blocks are of no more use
				delete(s.blocks, old)
			}
		}
		b = &serialBlock{}
		s.blocks[k] = b
	}
	if n := len(b.returned); n > 0 {
		seq := b.returned[n-1]
		b.returned = b.returned[:n-1]
		return seq, nil
	}
	if b.next > b.last || b.size == 0 {
		size := 1
		if b.size > 0 && now.Sub(b.reserved) < time.Second {
			size = min(2*b.size, serialBlockMax)
		}
		// Held under s.mu: concurrent issuers of this server wait for one
		// short statement rather than each reserving a block of its own.
		last, err := st.ReserveLicenseSerials(ctx, issuerID, year, size)
		if err != nil {
			return 0, err
		}
		b.next, b.last, b.size, b.reserved = last-int64(size)+1, last, size, now
	}
	n := b.next
	b.next++
	return n, nil
}

// GiveBack returns a serial no stored licence has, so the next issue
// takes it.
func (s *Serials) GiveBack(issuerID int64, year int, n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.blocks[serialKey{issuerID, year}]; b != nil {
		b.returned = append(b.returned, n)
	}
}
