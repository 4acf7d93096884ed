package workflow

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/blocks"
)

// numberAllocator hands out case numbers from blocks reserved in the store,
// one counter per region and day (see package blocks: numbers are unique,
// not gapless; at most blocks.DefaultMax reserved at once). Bumping the day's counter inside the submission's
// transaction, as an earlier version did, made every submission in a
// district wait for the one before it.
type numberAllocator struct {
	blocks blocks.Allocator[numberKey]
}

type numberKey struct{ region, day string }

// next returns an unused number for the region and day (YYYYMMDD).
func (a *numberAllocator) next(ctx context.Context, st tongban.Store, now time.Time, region, day string) (int, error) {
	n, err := a.blocks.Next(ctx, numberKey{region, day}, now,
		func(old numberKey) bool { return old.day != day }, // yesterday's blocks are of no more use
		func(ctx context.Context, size int) (int64, error) {
			last, err := st.ReserveCaseNumbers(ctx, region, day, size)
			return int64(last), err
		})
	return int(n), err
}

// giveBack returns a number whose case was certainly not stored, so the
// next submission uses it. Numbers of a day already dropped are not kept.
func (a *numberAllocator) giveBack(region, day string, n int) {
	a.blocks.GiveBack(numberKey{region, day}, int64(n))
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
