package rating_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// Ratings given before migration 00021 have no rating events. Here a good
// visit rating and a 差评 whose ticket was found unfounded on time and
// judged lose their events, as such ratings had none; the backfill gives
// them back the same counts (given, ticket, visited, closed on time,
// verdict), and a second run finds nothing to do.
func TestBackfillRatingEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		if _, err := w.svc.Submit(w.ctx, as(w.applicant), w.inReview.Number, rating.Input{Encounter: itoa(w.visit.ID),
			Channel: tongban.RatingWeb, Level: 5}); err != nil {
			t.Fatal(err)
		}
		bad, err := w.svc.Submit(w.ctx, as(w.applicant), w.closed.Number, rating.Input{Channel: tongban.RatingWeb,
			Level: tongban.RatingDissatisfied, Reasons: []string{"多次跑动"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Respond(w.ctx, as(w.admin), bad.Ticket.ID, rating.Answer{Action: "verify", Valid: false,
			Text: "经调阅窗口记录，申请人一次提交即受理，已向申请人解释"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Judge(w.ctx, as(w.applicant), w.closed.Number, "case", rating.VerdictInput{Level: tongban.RatingFair}); err != nil {
			t.Fatal(err)
		}
		dept, window := w.counts(w.dept.ID), w.counts(w.window.ID)
		if dept != (tongban.RatingRollupCounts{Rated: 1, Bad: 1, Tickets: 1, Visited: 1, Closed: 1, ClosedOnTime: 1, Verdicts: 1}) ||
			window != (tongban.RatingRollupCounts{Rated: 1, Good: 1}) {
			t.Fatalf("before: %+v %+v", dept, window)
		}
		if _, err := w.st.(interface{ DB() *sqldb.DB }).DB().ExecContext(w.ctx, `DELETE FROM rating_events`); err != nil {
			t.Fatal(err)
		}
		if c := w.counts(w.dept.ID); c.Rated != 0 {
			t.Fatalf("events left: %+v", c)
		}
		n, err := w.svc.BackfillEvents(w.ctx)
		if err != nil || n != 2 {
			t.Fatalf("backfilled %d, %v; want 2", n, err)
		}
		if got := w.counts(w.dept.ID); got != dept {
			t.Errorf("the department after the backfill: %+v; want %+v", got, dept)
		}
		if got := w.counts(w.window.ID); got != window {
			t.Errorf("the window after the backfill: %+v; want %+v", got, window)
		}
		if n, err := w.svc.BackfillEvents(w.ctx); err != nil || n != 0 {
			t.Errorf("a second backfill: %d, %v", n, err)
		}
	})
}
