package rating_test

import (
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A 差评 given on 09-30 is due for 回访核实 on 10-08 (after the National
// Day holiday). Unanswered, it is overdue on 10-09 and the supervisor
// 督办-es it with two working days: 10-10 (make-up Saturday) and 10-12.
// Unanswered still, it is 黄牌 on 10-13 and 红牌 on 10-15, three working
// days past the deadline; the department's late answer keeps its 红牌.
func TestOverdueTicketNoticedAndEscalated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		tk := w.badRating(w.closed)
		in := rating.NoticeInput{Subject: tongban.NoticeTicket, Ref: itoa(tk.ID), Demand: "请立即回访核实并报告", Days: 2}

		w.clock.Set(china(2026, 10, 8, 16))
		if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in); code(err) != tongban.EInvalid || field(err) != "ref" {
			t.Errorf("督办 on the deadline day: %v; want refused, not overdue", err)
		}
		w.clock.Set(china(2026, 10, 9, 9))
		if _, err := w.svc.IssueNotice(w.ctx, as(w.admin), in); code(err) != tongban.EForbidden {
			t.Errorf("a department admin issuing 督办: %v", err)
		}
		if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), rating.NoticeInput{Subject: tongban.NoticeTicket, Ref: itoa(tk.ID)}); code(err) != tongban.EInvalid || field(err) != "demand" {
			t.Errorf("督办 without a demand: %v", err)
		}
		v, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in)
		if err != nil {
			t.Fatal(err)
		}
		n := v.Notice
		if n.Due != "2026-10-12" || n.OrgID != w.dept.ID || v.Card != tongban.CardNone {
			t.Fatalf("督办 = %+v card %q; want due 2026-10-12 on the department, no card", n, v.Card)
		}
		if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in); code(err) != tongban.EConflict {
			t.Errorf("a second open 督办 of the ticket: %v", err)
		}

		for _, step := range []struct {
			at   time.Time
			card tongban.Card
			late int
		}{
			{china(2026, 10, 12, 17), tongban.CardNone, 0},
			{china(2026, 10, 13, 9), tongban.CardYellow, 1},
			{china(2026, 10, 14, 9), tongban.CardYellow, 2},
			{china(2026, 10, 15, 9), tongban.CardRed, 3},
		} {
			w.clock.Set(step.at)
			vs, err := w.svc.Notices(w.ctx, as(w.supervisor), false)
			if err != nil || len(vs) != 1 || vs[0].Card != step.card || vs[0].DaysLate != step.late {
				t.Fatalf("at %s: %+v, %v; want card %q, %d days late", step.at, vs, err, step.card, step.late)
			}
		}
		if vs, err := w.svc.Notices(w.ctx, as(w.otherAdmin), true); err != nil || len(vs) != 0 {
			t.Errorf("another department sees %d 督办, %v", len(vs), err)
		}
		if _, err := w.svc.Notices(w.ctx, as(w.clerk), true); code(err) != tongban.EForbidden {
			t.Errorf("a clerk listing 督办: %v", err)
		}
		answer := rating.NoticeAnswer{Text: "已于10月15日回访申请人，正在整改", Version: 1}
		if _, err := w.svc.AnswerNotice(w.ctx, as(w.otherAdmin), n.ID, answer); code(err) != tongban.EForbidden {
			t.Errorf("another department answering: %v", err)
		}
		if _, err := w.svc.AnswerNotice(w.ctx, as(w.supervisor), n.ID, answer); code(err) != tongban.EForbidden {
			t.Errorf("the supervisor answering their own 督办: %v", err)
		}
		w.clock.Set(china(2026, 10, 16, 10))
		got, err := w.svc.AnswerNotice(w.ctx, as(w.admin), n.ID, answer)
		if err != nil || got.Notice.Answer != answer.Text || got.Card != tongban.CardRed || got.DaysLate != 4 {
			t.Fatalf("answered = %+v, %v; want the answer with its red card (4 days late)", got, err)
		}
		if _, err := w.svc.AnswerNotice(w.ctx, as(w.admin), n.ID, rating.NoticeAnswer{Text: "再答一次"}); code(err) != tongban.EConflict {
			t.Errorf("answering twice: %v", err)
		}
		w.clock.Set(china(2026, 10, 30, 10))
		if vs, _ := w.svc.Notices(w.ctx, as(w.admin), true); len(vs) != 1 || vs[0].Card != tongban.CardRed || vs[0].DaysLate != 4 {
			t.Errorf("the record later = %+v; want the card frozen at the answer", vs)
		}
		if open, _ := w.svc.Notices(w.ctx, as(w.admin), false); len(open) != 0 {
			t.Errorf("open 督办 after the answer = %d", len(open))
		}
		if w.audited("notice.issue") != 1 || w.audited("notice.answer") != 1 {
			t.Errorf("audit: issue %d, answer %d", w.audited("notice.issue"), w.audited("notice.answer"))
		}
		// Once the 督办 is answered, a new one may follow.
		if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in); err != nil {
			t.Errorf("a new 督办 after the answer: %v", err)
		}
	})
}

// A case may be 督办-ed when overdue or stalled on the office's side, not
// when on time and moving, nor once decided.
func TestCaseNoticeNeedsOverdueOrStalled(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	w.clock.Set(china(2026, 9, 30, 10))
	moving := w.newCase("511602000000-20260901-000010", tongban.CaseInReview)
	late := w.newCase("511602000000-20260901-000011", tongban.CaseInReview)
	late.AcceptedAt, late.DueDate = china(2026, 9, 1, 10), "2026-09-15"
	late.UpdatedAt = w.clock.Now()
	if err := w.st.UpdateCase(w.ctx, late); err != nil {
		t.Fatal(err)
	}
	in := func(c *tongban.Case) rating.NoticeInput {
		return rating.NoticeInput{Subject: tongban.NoticeCase, Ref: c.Number, Demand: "请说明超期原因并限期办结"}
	}
	if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in(moving)); code(err) != tongban.EInvalid {
		t.Errorf("督办 on a moving case: %v", err)
	}
	if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in(w.closed)); code(err) != tongban.EInvalid {
		t.Errorf("督办 on a closed case: %v", err)
	}
	v, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in(late))
	if err != nil || v.Notice.Due != "2026-10-10" || v.Notice.SubjectRef != late.Number {
		t.Errorf("督办 on an overdue case = %+v, %v; want due 2026-10-10 (3 working days: 10-08, 09, make-up 10)", v, err)
	}
	// 3 working days without an event: stalled.
	w.clock.Set(china(2026, 10, 12, 10))
	if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in(moving)); err != nil {
		t.Errorf("督办 on a stalled case: %v", err)
	}
}
