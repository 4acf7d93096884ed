package rating_test

import (
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// The rater judges the department's answer once the ticket is closed, only
// the rater, once, with one of 满意, 基本满意, 不满意; the verdict shows in
// the rater's ratings.
func TestRaterJudgesTheAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		visit := itoa(w.visit.ID)
		if _, err := w.svc.Submit(w.ctx, as(w.applicant), w.inReview.Number, rating.Input{Encounter: visit,
			Channel: tongban.RatingWindowDevice, Level: 5}); err != nil {
			t.Fatal(err)
		}
		bad, err := w.svc.Submit(w.ctx, as(w.applicant), w.closed.Number, rating.Input{Channel: tongban.RatingQR,
			Level: tongban.RatingDissatisfied, Reasons: []string{"多次跑动"}})
		if err != nil {
			t.Fatal(err)
		}
		satisfied := rating.VerdictInput{Level: tongban.RatingSatisfied, Comment: "回访及时"}
		if _, err := w.svc.Judge(w.ctx, as(w.applicant), w.closed.Number, "case", satisfied); code(err) != tongban.EConflict {
			t.Errorf("judging before the department answered: %v; want conflict", err)
		}
		if _, err := w.svc.Judge(w.ctx, as(w.applicant), w.inReview.Number, visit, satisfied); code(err) != tongban.EConflict {
			t.Errorf("judging a good rating, which has no ticket: %v; want conflict", err)
		}
		if _, err := w.svc.Respond(w.ctx, as(w.admin), bad.Ticket.ID, rating.Answer{Action: "verify", Valid: false,
			Text: "经调阅窗口记录，申请人一次提交即受理，已向申请人解释"}); err != nil {
			t.Fatal(err)
		}
		for _, x := range []struct {
			who  *tongban.User
			in   rating.VerdictInput
			code tongban.ErrorCode
		}{
			{w.admin, satisfied, tongban.EForbidden},
			{w.clerk, satisfied, tongban.EForbidden},
			{w.stranger, satisfied, tongban.EForbidden},
			{w.applicant, rating.VerdictInput{Level: tongban.RatingVerySatisfied}, tongban.EInvalid},
			{w.applicant, rating.VerdictInput{Level: tongban.RatingVeryDissatisfied}, tongban.EInvalid},
		} {
			if _, err := w.svc.Judge(w.ctx, as(x.who), w.closed.Number, "case", x.in); code(err) != x.code {
				t.Errorf("%s judging %+v: %v; want %s", x.who.Name, x.in, err, x.code)
			}
		}
		if _, err := w.st.RatingVerdictOf(w.ctx, bad.Ticket.ID); code(err) != tongban.ENotFound {
			t.Fatalf("refused verdicts stored one: %v", err)
		}
		w.clock.Advance(2 * time.Hour)
		got, err := w.svc.Judge(w.ctx, as(w.applicant), w.closed.Number, "case", satisfied)
		if err != nil || got.Verdict == nil || got.Verdict.Level != tongban.RatingSatisfied || got.Ticket.State != tongban.TicketInvalid {
			t.Fatalf("Judge = %+v, %v", got, err)
		}
		if _, err := w.svc.Judge(w.ctx, as(w.applicant), w.closed.Number, "case", rating.VerdictInput{Level: 2}); code(err) != tongban.EConflict {
			t.Errorf("judging twice: %v; want conflict", err)
		}
		mine, err := w.svc.Mine(w.ctx, as(w.applicant), w.closed.Number)
		if err != nil || len(mine) != 1 || mine[0].Verdict == nil || mine[0].Verdict.Comment != "回访及时" {
			t.Errorf("Mine = %+v, %v; want the verdict", mine, err)
		}
	})
}
