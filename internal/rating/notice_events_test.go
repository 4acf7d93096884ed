package rating_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/notify"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// Every 督办 is announced in the outbox with its change: one
// supervision.issued when issued, one supervision.escalated per card it
// reaches (黄牌, then 红牌), however often the escalations are swept, and one
// supervision.answered that keeps the card of the answer. A refused 督办
// announces nothing. Issued and escalated ones name the department's
// administrators, whom notifications then reach.
// The dates are those of TestOverdueTicketNoticedAndEscalated.
func TestNoticeEventsWrittenWithTheChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		// The fixture keeps staff roles in memory; notifications look the
		// department's administrators up in the store.
		for _, u := range []*tongban.User{w.admin, w.otherAdmin, w.supervisor} {
			if err := w.st.GrantRole(w.ctx, u.ID, u.Roles[0]); err != nil {
				t.Fatal(err)
			}
		}
		tk := w.badRating(w.closed)
		in := rating.NoticeInput{Subject: tongban.NoticeTicket, Ref: itoa(tk.ID), Demand: "请立即回访核实并报告", Days: 2}

		w.clock.Set(china(2026, 10, 8, 16))
		if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in); err == nil {
			t.Fatal("督办 of a ticket not yet overdue was issued")
		}
		if n := w.outbox("supervision.issued"); n != 0 {
			t.Errorf("a refused 督办 wrote %d supervision.issued events", n)
		}
		w.clock.Set(china(2026, 10, 9, 9))
		v, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), in)
		if err != nil {
			t.Fatal(err)
		}
		issued := w.noticeEvents("supervision.issued")
		if len(issued) != 1 || issued[0].ID != v.Notice.ID || issued[0].Due != "2026-10-12" ||
			issued[0].OrgID != w.dept.ID || issued[0].Subject != tongban.NoticeTicket || issued[0].SubjectRef != itoa(tk.ID) {
			t.Fatalf("supervision.issued events = %+v; want one for 督办 %d due 2026-10-12 on the department", issued, v.Notice.ID)
		}
		// Notifications bring it to the department's administrator, and
		// to nobody else (the other department's admin, the supervisor).
		if e := issued[0]; len(e.UserIDs) != 1 || e.UserIDs[0] != w.admin.ID || e.Deadline != "2026-10-12" ||
			e.Title != "差评整改工单督办 "+itoa(tk.ID) {
			t.Errorf("supervision.issued for notifications = %+v; want the department admin %d, the deadline and a title", e, w.admin.ID)
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
		esc := w.noticeEvents("supervision.escalated")
		if len(esc) != 2 || esc[0].Card != tongban.CardYellow || esc[0].DaysLate != 1 ||
			esc[1].Card != tongban.CardRed || esc[1].DaysLate != 3 {
			t.Fatalf("supervision.escalated events = %+v; want 黄牌 1 day late, then 红牌 3 days late", esc)
		}
		if esc[0].Level != "黄牌" || esc[1].Level != "红牌" || len(esc[1].UserIDs) != 1 || esc[1].UserIDs[0] != w.admin.ID {
			t.Errorf("escalations for notifications = %+v; want 黄牌 then 红牌 to the department admin", esc)
		}

		w.clock.Set(china(2026, 10, 16, 10))
		if _, err := w.svc.AnswerNotice(w.ctx, as(w.admin), v.Notice.ID, rating.NoticeAnswer{Text: "已回访，正在整改", Version: 1}); err != nil {
			t.Fatal(err)
		}
		ans := w.noticeEvents("supervision.answered")
		if len(ans) != 1 || ans[0].ID != v.Notice.ID || ans[0].Card != tongban.CardRed || ans[0].DaysLate != 4 {
			t.Fatalf("supervision.answered events = %+v; want one, with the 红牌 it was answered under", ans)
		}
		if len(ans[0].UserIDs) != 0 {
			t.Errorf("the answer is sent to %v as if it were a 督办", ans[0].UserIDs)
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
	if esc := w.noticeEvents("supervision.escalated"); len(esc) != 1 || esc[0].Card != tongban.CardRed {
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
	Title      string                `json:"title"`
	Deadline   string                `json:"deadline"`
	Level      string                `json:"level"`
	UserIDs    []int64               `json:"user_ids"`
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

// The department's administrator finds an issued 督办 in the inbox: the
// notifications consumer reads the event as it is written.
func TestIssuedNoticeReachesTheDepartmentInbox(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	if err := w.st.GrantRole(w.ctx, w.admin.ID, w.admin.Roles[0]); err != nil {
		t.Fatal(err)
	}
	tk := w.badRating(w.closed)
	w.clock.Set(china(2026, 10, 9, 9))
	if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), rating.NoticeInput{Subject: tongban.NoticeTicket,
		Ref: itoa(tk.ID), Demand: "请立即回访核实并报告", Days: 2}); err != nil {
		t.Fatal(err)
	}
	events, err := w.st.OutboxEvents(w.ctx, 0, 1<<62, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := &notify.Service{Store: w.st, Clock: w.clock}
	if err := outbox.Consume(w.ctx, w.st, n, events); err != nil {
		t.Fatal(err)
	}
	inbox, err := w.st.Notifications(w.ctx, w.admin.ID, false, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range inbox {
		found = found || strings.Contains(x.Body, "收到督办") && strings.Contains(x.Body, "2026-10-12")
	}
	if !found {
		t.Errorf("the department admin's inbox = %+v; want the 督办 with its deadline", inbox)
	}
	if other, _ := w.st.Notifications(w.ctx, w.otherAdmin.ID, false, 10, 0); len(other) != 0 {
		t.Errorf("another department's admin got %d notes", len(other))
	}
}
