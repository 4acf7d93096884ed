package license

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/blocks"
)

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
// blocks.DefaultMax) while the last ran out within a second. A serial whose
// issue certainly stored nothing (refused, or a renewal that needs none)
// is given back and handed out next; a server that stops with serials
// unused, or a commit whose outcome is unknown, leaves a gap: serials are
// unique, never duplicated, not gapless.
type Serials struct {
	blocks blocks.Allocator[serialKey]
}

type serialKey struct {
	issuer int64
	year   int
}

// Next returns an unused serial of the issuer for the year, reserving
// through st, which must not be a transaction.
func (s *Serials) Next(ctx context.Context, st tongban.Store, issuerID int64, year int, now time.Time) (int64, error) {
	return s.blocks.Next(ctx, serialKey{issuerID, year}, now,
		func(old serialKey) bool { return old.year < year }, // last year's blocks are of no more use
		func(ctx context.Context, size int) (int64, error) {
			return st.ReserveLicenseSerials(ctx, issuerID, year, size)
		})
}

// GiveBack returns a serial no stored licence has, so the next issue
// takes it.
func (s *Serials) GiveBack(issuerID int64, year int, n int64) {
	s.blocks.GiveBack(serialKey{issuerID, year}, n)
}
