package rating_test

import (
	"math"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
)

// counts folds every rating event, as the rating rollups do, for one
// department.
func (w *world) counts(orgID int64) tongban.RatingRollupCounts {
	w.t.Helper()
	es, err := w.st.RatingEvents(w.ctx, 0, math.MaxInt64, 100000)
	if err != nil {
		w.t.Fatal(err)
	}
	var c tongban.RatingRollupCounts
	for k, v := range stats.FoldRatings(es) {
		if k.OrgID == orgID {
			c.Add(v)
		}
	}
	return c
}

// foldComplaints folds the complaint events into their rollups, as the
// app's aggregator does every few seconds.
func (w *world) foldComplaints() {
	w.t.Helper()
	if err := stats.NewAggregator(w.st, nil).Refresh(w.ctx); err != nil {
		w.t.Fatal(err)
	}
}

// china is a wall-clock time in China, for setting the clock.
func china(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// hotline is the city's 12345 operator (region-wide at the city hall).
func (w *world) hotline() *tongban.User {
	return w.staff("hotline", tongban.RoleHotline, w.window.ParentID)
}

// audited counts the audit entries of an action, queued or chained.
func (w *world) audited(action string) int {
	w.t.Helper()
	var n int
	if err := w.st.(interface{ DB() *sqldb.DB }).DB().QueryRowContext(w.ctx, `SELECT
		(SELECT COUNT(*) FROM audit_queue WHERE action = $1) + (SELECT COUNT(*) FROM audit_log WHERE action = $1)`,
		action).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// badRating rates a closed case of the applicant 不满意 and returns its ticket.
func (w *world) badRating(c *tongban.Case) *tongban.RatingTicket {
	w.t.Helper()
	got, err := w.svc.Submit(w.ctx, as(w.applicant), c.Number, rating.Input{Channel: tongban.RatingWeb,
		Level: tongban.RatingDissatisfied, Reasons: []string{"服务态度差"}})
	if err != nil {
		w.t.Fatal(err)
	}
	return got.Ticket
}
