package rating_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// Every 督办 is announced in the outbox with its change: one notice.issued
// when issued, one notice.escalated per card it reaches (黄牌, then 红牌),
// however often the escalations are swept, and one notice.answered that
// keeps the card of the answer. A refused 督办 announces nothing.
// The dates are those of TestOverdueTicketNoticedAndEscalated.
func TestNoticeEventsWrittenWithTheChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		tk := w.badRating(w.closed)
		in := rating.NoticeInput{Subject: tongban.NoticeTicket, Ref: itoa(tk.ID), Demand: "请立即回访核实并报告", Days: 2}

		w.clock.Set(china(2026, 10, 8, 16))
		if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in); err == nil {
			t.Fatal("督办 of a ticket not yet overdue was issued")
		}
		if n := w.outbox("notice.issued"); n != 0 {
			t.Errorf("a refused 督办 wrote %d notice.issued events", n)
		}
		w.clock.Set(china(2026, 10, 9, 9))
		v, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in)
		if err != nil {
			t.Fatal(err)
		}
		issued := w.noticeEvents("notice.issued")
		if len(issued) != 1 || issued[0].ID != v.Notice.ID || issued[0].Due != "2026-10-12" ||
			issued[0].OrgID != w.dept.ID || issued[0].Subject != tongban.NoticeTicket || issued[0].SubjectRef != itoa(tk.ID) {
			t.Fatalf("notice.issued events = %+v; want one for 督办 %d due 2026-10-12 on the department", issued, v.Notice.ID)
		}

		for _, step := range []struct {
			at        time.Time
			announced int
		}{
			{china(2026, 10, 12, 17), 0}, // the deadline day: no card
			{china(2026, 10, 13, 9), 1},  // 黄牌
			{china(2026, 10, 13, 15), 0}, // swept again the same day
			{china(2026, 10, 14, 9), 0},  // still 黄牌
			{china(2026, 10, 15, 9), 1},  // 红牌
			{china(2026, 10, 15, 11), 0},
		} {
			w.clock.Set(step.at)
			n, err := w.svc.AnnounceEscalations(w.ctx)
			if err != nil || n != step.announced {
				t.Fatalf("sweep at %s announced %d, %v; want %d", step.at, n, err, step.announced)
			}
		}
		esc := w.noticeEvents("notice.escalated")
		if len(esc) != 2 || esc[0].Card != tongban.CardYellow || esc[0].DaysLate != 1 ||
			esc[1].Card != tongban.CardRed || esc[1].DaysLate != 3 {
			t.Fatalf("notice.escalated events = %+v; want 黄牌 1 day late, then 红牌 3 days late", esc)
		}

		w.clock.Set(china(2026, 10, 16, 10))
		if _, err := w.svc.AnswerNotice(w.ctx, as(w.admin), v.Notice.ID, rating.NoticeAnswer{Text: "已回访，正在整改", Version: 1}); err != nil {
			t.Fatal(err)
		}
		ans := w.noticeEvents("notice.answered")
		if len(ans) != 1 || ans[0].ID != v.Notice.ID || ans[0].Card != tongban.CardRed || ans[0].DaysLate != 4 {
			t.Fatalf("notice.answered events = %+v; want one, with the 红牌 it was answered under", ans)
		}
		w.clock.Set(china(2026, 10, 20, 10))
		if n, err := w.svc.AnnounceEscalations(w.ctx); err != nil || n != 0 {
			t.Errorf("sweeping an answered 督办 announced %d, %v", n, err)
		}
	})
}

// An unanswered 督办 nobody swept while it went 黄牌 is announced once, as 红牌.
func TestNoticeEscalationAnnouncedOnceWhenSweptLate(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	tk := w.badRating(w.closed)
	w.clock.Set(china(2026, 10, 9, 9))
	if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), rating.NoticeInput{Subject: tongban.NoticeTicket,
		Ref: itoa(tk.ID), Demand: "请立即回访核实并报告", Days: 2}); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(china(2026, 10, 20, 9))
	if n, err := w.svc.AnnounceEscalations(w.ctx); err != nil || n != 1 {
		t.Fatalf("late sweep announced %d, %v; want 1", n, err)
	}
	if n, _ := w.svc.AnnounceEscalations(w.ctx); n != 0 {
		t.Errorf("a second sweep announced %d", n)
	}
	if esc := w.noticeEvents("notice.escalated"); len(esc) != 1 || esc[0].Card != tongban.CardRed {
		t.Errorf("escalations = %+v; want one 红牌", esc)
	}
}

type noticeEvent struct {
	ID         int64                 `json:"id"`
	Subject    tongban.NoticeSubject `json:"subject"`
	SubjectRef string                `json:"subject_ref"`
	OrgID      int64                 `json:"org_id"`
	Due        string                `json:"due"`
	Card       tongban.Card          `json:"card"`
	DaysLate   int                   `json:"days_late"`
}

// noticeEvents decodes the outbox events of typ, oldest first, checking
// their subject names the 督办.
func (w *world) noticeEvents(typ string) []noticeEvent {
	w.t.Helper()
	rows, err := w.st.(interface{ DB() *sqldb.DB }).DB().QueryContext(w.ctx,
		`SELECT subject, org_id, payload FROM outbox WHERE type = $1 ORDER BY id`, typ)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out []noticeEvent
	for rows.Next() {
		var subject string
		var org int64
		var payload []byte
		if err := rows.Scan(&subject, &org, &payload); err != nil {
			w.t.Fatal(err)
		}
		var e noticeEvent
		if err := json.Unmarshal(payload, &e); err != nil {
			w.t.Fatal(err)
		}
		if subject != "notice:"+itoa(e.ID) || org != e.OrgID {
			w.t.Errorf("%s event subject %q org %d; want notice:%d on org %d", typ, subject, org, e.ID, e.OrgID)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		w.t.Fatal(err)
	}
	return out
}
