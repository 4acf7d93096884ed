package rating

import (
	"context"

	"github.com/tongban/tongban"
)

// BackfillEvents gives each rating stored before migration 00021 (which
// has no rating event) the events the measures fold, from what is stored:
// given (at its first giving), ticket, visited (回访核实 done), closed
// (with whether on time) and the rater's verdict, each in the China day the
// rating was first given like any other. A change before 00021 is not
// known, so the rating counts under its level and channel now. It runs at
// start and finds nothing once done; each rating is backfilled in its own
// transaction, so a crash leaves none half-written. It returns how many.
func (s *Service) BackfillEvents(ctx context.Context) (int, error) {
	n := 0
	for {
		rts, err := s.Store.RatingsWithoutEvents(ctx, 100)
		if err != nil || len(rts) == 0 {
			return n, err
		}
		for _, rt := range rts {
			if err := s.Store.Transact(ctx, func(tx tongban.Store) error { return backfill(ctx, tx, rt) }); err != nil {
				return n, err
			}
			n++
		}
	}
}

func backfill(ctx context.Context, tx tongban.Store, rt *tongban.Rating) error {
	if err := record(ctx, tx, tongban.RatingGiven, rt, rt.CreatedAt, nil); err != nil {
		return err
	}
	t, err := tx.TicketOfRating(ctx, rt.ID)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := record(ctx, tx, tongban.RatingTicketed, rt, t.CreatedAt, nil); err != nil {
		return err
	}
	if !t.VerifiedAt.IsZero() {
		if err := record(ctx, tx, tongban.RatingVisited, rt, t.VerifiedAt, nil); err != nil {
			return err
		}
	}
	due := ""
	switch t.State {
	case tongban.TicketRectified:
		due = t.RectifyDue
	case tongban.TicketInvalid:
		due = t.VerifyDue
	}
	if due != "" && !t.ClosedAt.IsZero() {
		closed := t.ClosedAt
		if err := record(ctx, tx, tongban.RatingClosed, rt, closed, func(e *tongban.RatingEvent) { e.OnTime = chinaDay(closed) <= due }); err != nil {
			return err
		}
	}
	v, err := tx.RatingVerdictOf(ctx, t.ID)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return record(ctx, tx, tongban.RatingJudged, rt, v.CreatedAt, func(e *tongban.RatingEvent) { e.Level = v.Level })
}
