package rating_test

import (
	"strconv"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/storetest"
)

// A department appeals two 差评; the supervisor upholds one and rejects
// the other. Both records stay; only the upheld rating leaves 好评率 and
// 差评率 (counted apart as excluded), and its open ticket closes.
func TestAppealUpheldLeavesTheMeasure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		second := w.newCase("511602000000-20260901-000003", tongban.CaseClosed)
		third := w.newCase("511602000000-20260901-000004", tongban.CaseClosed)
		malicious, mistaken := w.badRating(w.closed), w.badRating(second)
		if _, err := w.svc.Submit(w.ctx, as(w.applicant), third.Number, rating.Input{Channel: tongban.RatingWeb, Level: 5}); err != nil {
			t.Fatal(err)
		}
		before := w.counts(w.dept.ID)
		if before.Rated != 3 || before.Good != 1 || before.Bad != 2 || before.Tickets != 2 {
			t.Fatalf("counts before = %+v", before)
		}

		in := rating.AppealInput{Ground: tongban.AppealMalicious, Reason: "申请人因个人纠纷连续给出差评，与办理服务无关"}
		if _, err := w.svc.Appeal(w.ctx, as(w.otherAdmin), malicious.ID, in); code(err) != tongban.EForbidden {
			t.Errorf("another department appealing: %v", err)
		}
		if _, err := w.svc.Appeal(w.ctx, as(w.clerk), malicious.ID, in); code(err) != tongban.EForbidden {
			t.Errorf("the rated clerk appealing: %v", err)
		}
		if _, err := w.svc.Appeal(w.ctx, as(w.admin), malicious.ID, rating.AppealInput{Ground: "angry", Reason: "x"}); code(err) != tongban.EInvalid || field(err) != "ground" {
			t.Errorf("an unknown ground: %v", err)
		}
		if _, err := w.svc.Appeal(w.ctx, as(w.admin), malicious.ID, rating.AppealInput{Ground: tongban.AppealMistaken}); code(err) != tongban.EInvalid || field(err) != "reason" {
			t.Errorf("an appeal without reasons: %v", err)
		}
		up, err := w.svc.Appeal(w.ctx, as(w.admin), malicious.ID, in)
		if err != nil || up.State != tongban.AppealPending || up.OrgID != w.dept.ID {
			t.Fatalf("appeal = %+v, %v", up, err)
		}
		if _, err := w.svc.Appeal(w.ctx, as(w.admin), malicious.ID, in); code(err) != tongban.EConflict {
			t.Errorf("a second appeal of the rating: %v", err)
		}
		down, err := w.svc.Appeal(w.ctx, as(w.admin), mistaken.ID, rating.AppealInput{Ground: tongban.AppealMistaken, Reason: "申请人评价的是另一部门的服务"})
		if err != nil {
			t.Fatal(err)
		}
		// Filing changes no figure: only a decision does.
		if now := w.counts(w.dept.ID); now != before {
			t.Errorf("counts after filing = %+v", now)
		}

		uphold := rating.AppealDecision{Upheld: true, Text: "经调取录像，窗口服务规范，差评与服务无关", Version: 1}
		if _, err := w.svc.DecideAppeal(w.ctx, as(w.admin), up.ID, uphold); code(err) != tongban.EForbidden {
			t.Errorf("the department deciding its own appeal: %v", err)
		}
		if _, err := w.svc.DecideAppeal(w.ctx, as(w.supervisor), up.ID, rating.AppealDecision{Upheld: true}); code(err) != tongban.EInvalid || field(err) != "text" {
			t.Errorf("a ruling without reasons: %v", err)
		}
		got, err := w.svc.DecideAppeal(w.ctx, as(w.supervisor), up.ID, uphold)
		if err != nil || got.State != tongban.AppealUpheld || got.DecidedBy != w.supervisor.ID || got.DecidedAt.IsZero() {
			t.Fatalf("upheld = %+v, %v", got, err)
		}
		if _, err := w.svc.DecideAppeal(w.ctx, as(w.supervisor), up.ID, rating.AppealDecision{Text: "改判"}); code(err) != tongban.EConflict {
			t.Errorf("deciding a decided appeal: %v", err)
		}
		if _, err := w.svc.DecideAppeal(w.ctx, as(w.supervisor), down.ID, rating.AppealDecision{Upheld: false, Text: "申请人所评即本部门的服务"}); err != nil {
			t.Fatal(err)
		}

		after := w.counts(w.dept.ID)
		if after.Rated != 2 || after.Good != 1 || after.Bad != 1 || after.Tickets != 2 || after.Closed != 1 || after.Excluded != 1 {
			t.Errorf("counts after the rulings = %+v; want the upheld one out of 好评率 and 差评率 and counted apart, its ticket closed, the rejected one in", after)
		}
		// The stored rollups, folded by the aggregator, count it apart too,
		// and so does the measures page's row beside 好评率.
		if err := stats.NewAggregator(w.st, nil).Refresh(w.ctx); err != nil {
			t.Fatal(err)
		}
		sums, err := w.st.SumRatingRollups(w.ctx, tongban.RatingRollupFilter{OrgID: w.dept.ID}, tongban.ByRatingOrg)
		if got := sums[strconv.FormatInt(w.dept.ID, 10)]; err != nil || got != after {
			t.Errorf("stored rollups = %+v, %v; want %+v", got, err, after)
		}
		day := calendar.DateOf(w.clock.Now()).String()
		dash, err := stats.Compute(w.ctx, w.st, tongban.RollupFilter{From: "2026-01-01", To: day, OrgID: w.dept.ID})
		if err != nil || dash.Total.Cases.Rated != 2 || dash.Total.Cases.RatingsExcluded != 1 {
			t.Errorf("the measures' total = %+v, %v; want 2 rated and 1 excluded", dash.Total.Cases, err)
		}
		tk, _ := w.st.RatingTicket(w.ctx, malicious.ID)
		if tk.State != tongban.TicketInvalid || tk.Answer == "" {
			t.Errorf("the upheld rating's ticket = %+v; want closed 核实无效 with the ruling", tk)
		}
		if tk, _ := w.st.RatingTicket(w.ctx, mistaken.ID); tk.State != tongban.TicketVerifying {
			t.Errorf("the rejected appeal's ticket is %s; want still 待核实", tk.State)
		}
		all, err := w.svc.Appeals(w.ctx, as(w.supervisor), true)
		if err != nil || len(all) != 2 || all[0].State != tongban.AppealUpheld || all[1].State != tongban.AppealRejected {
			t.Errorf("the record = %+v, %v", all, err)
		}
		if pending, _ := w.svc.Appeals(w.ctx, as(w.admin), false); len(pending) != 0 {
			t.Errorf("pending appeals = %d", len(pending))
		}
		if v, err := w.svc.Ticket(w.ctx, as(w.admin), malicious.ID); err != nil || v.Appeal == nil || v.Appeal.State != tongban.AppealUpheld {
			t.Errorf("the ticket view's appeal = %+v, %v", v, err)
		}
		if n := w.audited("rating.appeal"); n != 2 {
			t.Errorf("appeal audit entries = %d", n)
		}
		if n := w.audited("rating.appeal.decide"); n != 2 {
			t.Errorf("decision audit entries = %d", n)
		}
	})
}
