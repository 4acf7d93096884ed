package rating_test

import (
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

func code(err error) tongban.ErrorCode { return tongban.ErrorCodeOf(err) }

func field(err error) string {
	if e := tongban.AsError(err); e != nil {
		return e.Field
	}
	return ""
}

// Only the applicant rates, only a decided case, each encounter once; a
// good rating opens no ticket and is announced without its rater.
func TestOneRatingPerEncounterByTheApplicantOnly(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	good := rating.Input{Encounter: "case", Channel: tongban.RatingWeb, Level: tongban.RatingVerySatisfied,
		Indicators: map[string]tongban.RatingLevel{"办事效率": 5, "平台操作": 4}}
	if _, err := w.svc.Submit(w.ctx, as(w.clerk), w.closed.Number, good); code(err) != tongban.EForbidden {
		t.Errorf("a clerk rating for the applicant: %v; want forbidden", err)
	}
	if _, err := w.svc.Submit(w.ctx, as(w.admin), w.closed.Number, good); code(err) != tongban.EForbidden {
		t.Errorf("a department admin rating: %v; want forbidden", err)
	}
	if _, err := w.svc.Submit(w.ctx, as(w.stranger), w.closed.Number, good); code(err) != tongban.EForbidden {
		t.Errorf("someone else rating the case: %v; want forbidden", err)
	}
	if _, err := w.svc.Submit(w.ctx, as(w.applicant), w.inReview.Number, good); code(err) != tongban.EInvalid || field(err) != "encounter" {
		t.Errorf("rating a case with no decision: %v; want invalid encounter", err)
	}
	got, err := w.svc.Submit(w.ctx, as(w.applicant), w.closed.Number, good)
	if err != nil {
		t.Fatal(err)
	}
	if got.Ticket != nil || got.Rating.OrgID != w.dept.ID || got.Rating.IndicatorVersion != 1 || got.Rating.RaterID != w.applicant.ID {
		t.Errorf("good rating = %+v, ticket %+v", got.Rating, got.Ticket)
	}
	again := good
	again.Channel = tongban.RatingSMS
	if _, err := w.svc.Submit(w.ctx, as(w.applicant), w.closed.Number, again); code(err) != tongban.EConflict {
		t.Errorf("rating the encounter again through another channel: %v; want conflict", err)
	}
	mine, err := w.svc.Mine(w.ctx, as(w.applicant), w.closed.Number)
	if err != nil || len(mine) != 1 || mine[0].Rating.Level != tongban.RatingVerySatisfied || mine[0].Rating.Indicators["平台操作"] != 4 {
		t.Fatalf("Mine = %+v, %v", mine, err)
	}
	if _, err := w.svc.Mine(w.ctx, as(w.clerk), w.closed.Number); code(err) != tongban.EForbidden {
		t.Errorf("staff reading the applicant's ratings: %v", err)
	}
	if n := w.outbox("rating.submitted"); n != 1 {
		t.Errorf("rating.submitted events = %d; want 1", n)
	}
}

// 一次一评: a counter visit is rated before any decision, through the
// window's device with the counter's indicators, and its ticket goes to the
// org that received the visit.
func TestVisitRatedOnceWithCounterIndicators(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	enc := itoa(w.visit.ID)
	in := rating.Input{Encounter: enc, Channel: tongban.RatingWindowDevice, Level: tongban.RatingDissatisfied,
		Indicators: map[string]tongban.RatingLevel{"办事效率": 2}, Reasons: []string{"服务态度差"}}
	if _, err := w.svc.Submit(w.ctx, as(w.applicant), w.inReview.Number, in); code(err) != tongban.EInvalid || field(err) != "indicators" {
		t.Errorf("an online indicator on the window device: %v; want invalid indicators", err)
	}
	in.Indicators = map[string]tongban.RatingLevel{"服务态度": 1}
	if _, err := w.svc.Submit(w.ctx, as(w.applicant), w.inReview.Number, rating.Input{Encounter: "999999",
		Channel: tongban.RatingWindowDevice, Level: 5}); code(err) != tongban.EInvalid || field(err) != "encounter" {
		t.Errorf("a visit the case never had: %v", err)
	}
	got, err := w.svc.Submit(w.ctx, as(w.applicant), w.inReview.Number, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rating.Encounter != enc || got.Ticket == nil || got.Ticket.OrgID != w.window.ID {
		t.Errorf("visit rating %+v ticket %+v; want a ticket on the window's org", got.Rating, got.Ticket)
	}
}

// A 差评 needs a reason from the standard list or written; bad input
// leaves nothing stored.
func TestBadRatingNeedsAReason(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	for _, tc := range []struct {
		in    rating.Input
		field string
	}{
		{rating.Input{Channel: tongban.RatingWeb, Level: tongban.RatingVeryDissatisfied}, "reasons"},
		{rating.Input{Channel: tongban.RatingWeb, Level: tongban.RatingDissatisfied, Reasons: []string{"不喜欢"}}, "reasons"},
		{rating.Input{Channel: tongban.RatingWeb, Level: tongban.RatingDissatisfied, Reasons: []string{"其他"}}, "comment"},
		{rating.Input{Channel: tongban.RatingWeb, Level: tongban.RatingSatisfied, Reasons: []string{"办理时间过长"}}, "reasons"},
		{rating.Input{Channel: tongban.RatingWeb, Level: 6}, "level"},
		{rating.Input{Channel: "fax", Level: 5}, "channel"},
	} {
		if _, err := w.svc.Submit(w.ctx, as(w.applicant), w.closed.Number, tc.in); code(err) != tongban.EInvalid || field(err) != tc.field {
			t.Errorf("%+v: %v; want invalid %s", tc.in, err, tc.field)
		}
	}
	if rs, _ := w.st.CaseRatings(w.ctx, w.closed.ID); len(rs) != 0 {
		t.Errorf("refused ratings left %d rows", len(rs))
	}
	written := rating.Input{Channel: tongban.RatingQR, Level: tongban.RatingDissatisfied, Comment: "窗口让我第二天再来"}
	if _, err := w.svc.Submit(w.ctx, as(w.applicant), w.closed.Number, written); err != nil {
		t.Errorf("a written reason alone: %v", err)
	}
}

// The rater may change the rating within the window, not after; a change
// to a 差评 opens its ticket then.
func TestChangeWithinTheWindow(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	if _, err := w.svc.Submit(w.ctx, as(w.applicant), w.closed.Number, rating.Input{Channel: tongban.RatingMobile, Level: 3}); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(24 * time.Hour)
	bad := rating.Input{Level: tongban.RatingDissatisfied, Reasons: []string{"办理时间过长"}}
	if _, err := w.svc.Change(w.ctx, as(w.clerk), w.closed.Number, "case", bad); code(err) != tongban.EForbidden {
		t.Errorf("staff changing the rating: %v", err)
	}
	got, err := w.svc.Change(w.ctx, as(w.applicant), w.closed.Number, "case", bad)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rating.Level != tongban.RatingDissatisfied || got.Rating.Channel != tongban.RatingMobile || got.Ticket == nil {
		t.Errorf("changed = %+v ticket %+v", got.Rating, got.Ticket)
	}
	w.clock.Advance(7 * 24 * time.Hour)
	if _, err := w.svc.Change(w.ctx, as(w.applicant), w.closed.Number, "case", rating.Input{Level: 5}); code(err) != tongban.EConflict {
		t.Errorf("a change after 7 days: %v; want conflict", err)
	}
	if n := w.outbox("rating.changed"); n != 1 {
		t.Errorf("rating.changed events = %d; want 1", n)
	}
}

// The whole ticket loop across the 2026 National Day holiday: rated on
// 09-30, 回访核实 due on the first working day after the holiday (10-08),
// 整改 on the tenth (10-08, 09, 10 make-up Saturday, 12…16, 19, 20).
func TestTicketLoopAcrossNationalDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		got, err := w.svc.Submit(w.ctx, as(w.applicant), w.closed.Number, rating.Input{Channel: tongban.RatingQR,
			Level: tongban.RatingVeryDissatisfied, Reasons: []string{"多次跑动", "其他"}, Comment: "补正通知没写清楚"})
		if err != nil {
			t.Fatal(err)
		}
		tk := got.Ticket
		if tk == nil || tk.State != tongban.TicketVerifying || tk.VerifyDue != "2026-10-08" || tk.RectifyDue != "2026-10-20" || tk.OrgID != w.dept.ID {
			t.Fatalf("ticket = %+v; want 待核实 due 2026-10-08 / 2026-10-20 on the department", tk)
		}
		if _, err := w.svc.Tickets(w.ctx, as(w.clerk), false); code(err) != tongban.EForbidden {
			t.Errorf("the rated clerk listing tickets: %v; want forbidden", err)
		}
		if ts, err := w.svc.Tickets(w.ctx, as(w.otherAdmin), false); err != nil || len(ts) != 0 {
			t.Errorf("another department sees %d tickets, %v", len(ts), err)
		}
		ts, err := w.svc.Tickets(w.ctx, as(w.admin), false)
		if err != nil || len(ts) != 1 || ts[0].Comment != "补正通知没写清楚" || ts[0].Level != tongban.RatingVeryDissatisfied {
			t.Fatalf("department's tickets = %+v, %v", ts, err)
		}
		if ts, err := w.svc.Tickets(w.ctx, as(w.supervisor), false); err != nil || len(ts) != 1 {
			t.Errorf("supervisor sees %d tickets, %v", len(ts), err)
		}
		verify := rating.Answer{Action: "verify", Valid: true, Text: "已电话回访申请人，情况属实"}
		if _, err := w.svc.Respond(w.ctx, as(w.otherAdmin), tk.ID, verify); code(err) != tongban.EForbidden {
			t.Errorf("another department answering: %v", err)
		}
		if _, err := w.svc.Respond(w.ctx, as(w.supervisor), tk.ID, verify); code(err) != tongban.EForbidden {
			t.Errorf("a supervisor answering for the department: %v", err)
		}
		if _, err := w.svc.Respond(w.ctx, as(w.admin), tk.ID, rating.Answer{Action: "rectify", Text: "已整改"}); code(err) != tongban.EConflict {
			t.Errorf("rectifying before verifying: %v", err)
		}
		if _, err := w.svc.Respond(w.ctx, as(w.admin), tk.ID, rating.Answer{Action: "verify", Valid: true}); code(err) != tongban.EInvalid {
			t.Errorf("an answer without text: %v", err)
		}
		w.clock.Set(time.Date(2026, 10, 8, 1, 0, 0, 0, time.UTC))
		v, err := w.svc.Respond(w.ctx, as(w.admin), tk.ID, verify)
		if err != nil || v.Ticket.State != tongban.TicketRectifying || v.Ticket.Finding != verify.Text || v.Ticket.HandlerID != w.admin.ID {
			t.Fatalf("verified = %+v, %v", v, err)
		}
		if _, err := w.svc.Respond(w.ctx, as(w.admin), tk.ID, rating.Answer{Action: "rectify", Text: "修订补正告知模板", Version: 1}); code(err) != tongban.EConflict {
			t.Errorf("answering a stale version: %v", err)
		}
		r, err := w.svc.Respond(w.ctx, as(w.admin), tk.ID, rating.Answer{Action: "rectify", Text: "修订补正告知模板", Version: 2})
		if err != nil || r.Ticket.State != tongban.TicketRectified || r.Ticket.ClosedAt.IsZero() {
			t.Fatalf("rectified = %+v, %v", r, err)
		}
		if open, _ := w.svc.Tickets(w.ctx, as(w.admin), false); len(open) != 0 {
			t.Errorf("open tickets after 整改 = %d", len(open))
		}
		mine, err := w.svc.Mine(w.ctx, as(w.applicant), w.closed.Number)
		if err != nil || len(mine) != 1 || mine[0].Ticket == nil || mine[0].Ticket.Answer != "修订补正告知模板" {
			t.Errorf("the rater sees %+v, %v; want the 整改 answer", mine, err)
		}
	})
}

// An unfounded 差评 closes as 核实无效 only with a written explanation.
func TestUnfoundedTicketNeedsAnExplanation(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	got, err := w.svc.Submit(w.ctx, as(w.applicant), w.closed.Number, rating.Input{Channel: tongban.RatingWeb,
		Level: tongban.RatingDissatisfied, Reasons: []string{"收费不合理"}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := w.svc.Respond(w.ctx, as(w.admin), got.Ticket.ID, rating.Answer{Action: "verify", Valid: false,
		Text: "该事项依法不收费，经回访系误解"})
	if err != nil || v.Ticket.State != tongban.TicketInvalid || v.Ticket.Answer == "" || v.Ticket.ClosedAt.IsZero() {
		t.Fatalf("invalid = %+v, %v", v, err)
	}
	if _, err := w.svc.Respond(w.ctx, as(w.admin), got.Ticket.ID, rating.Answer{Action: "rectify", Text: "x"}); code(err) != tongban.EConflict {
		t.Errorf("rectifying an invalid ticket: %v", err)
	}
}

// Deadlines follow the city's configuration.
func TestDeadlinesConfigurable(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	w.svc.Config = rating.Config{VerifyDays: 2, RectifyDays: 5}.WithDefaults()
	got, err := w.svc.Submit(w.ctx, as(w.applicant), w.closed.Number, rating.Input{Channel: tongban.RatingSMS,
		Level: tongban.RatingDissatisfied, Reasons: []string{"办理时间过长"}})
	if err != nil {
		t.Fatal(err)
	}
	// 10-08 (1), 10-09 (2), 10-10 make-up (3), 10-12 (4), 10-13 (5).
	if got.Ticket.VerifyDue != "2026-10-09" || got.Ticket.RectifyDue != "2026-10-13" {
		t.Errorf("deadlines %s / %s; want 2026-10-09 / 2026-10-13", got.Ticket.VerifyDue, got.Ticket.RectifyDue)
	}
}
