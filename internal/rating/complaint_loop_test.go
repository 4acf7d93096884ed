package rating_test

import (
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A complaint misdispatched to 人社 is returned (退单) with its reason and
// dispatched again to 市场监管 on a new deadline; its first reply is rated
// 不满意 on the call-back, which sends it back (重办) with a new reply
// deadline in working days; the second 不满意 closes it. Each step is an
// outbox event, without the complainant's name, phone or words; the
// measures count the 退单 and the 重办 by department.
func TestComplaintReturnAndReopen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		hotline := w.hotline()
		v, err := w.svc.FileComplaint(w.ctx, as(hotline), rating.ComplaintInput{Kind: tongban.ComplaintGeneral,
			Content: "营业执照变更登记窗口要求重复提交材料", Name: "王五", Phone: "13700137000", ExternalRef: "12345-GA-0930-0101"})
		if err != nil {
			t.Fatal(err)
		}
		n := v.Complaint.Number
		w.clock.Set(china(2026, 10, 8, 9))
		w.step(hotline, n, rating.Step{Action: tongban.ComplaintActDispatch, OrgID: w.other.ID})

		// 退单: only the department it was sent to, with a reason.
		ret := rating.Step{Action: tongban.ComplaintActReturn, Text: "属市场监管部门职责，请改派"}
		if _, err := w.svc.Advance(w.ctx, as(w.admin), n, ret); code(err) != tongban.ENotFound {
			t.Errorf("another department returning it: %v", err)
		}
		if _, err := w.svc.Advance(w.ctx, as(hotline), n, ret); code(err) != tongban.EForbidden {
			t.Errorf("the hotline returning it: %v", err)
		}
		if _, err := w.svc.Advance(w.ctx, as(w.otherAdmin), n, rating.Step{Action: tongban.ComplaintActReturn}); code(err) != tongban.EInvalid || field(err) != "text" {
			t.Errorf("退单 without a reason: %v", err)
		}
		v = w.step(w.otherAdmin, n, ret)
		if c := v.Complaint; c.State != tongban.ComplaintReceived || c.OrgID != 0 || c.ReplyDue != "" || c.DispatchDue != "2026-10-09" {
			t.Fatalf("returned = %+v; want 已受理, no department, 派单 due 2026-10-09", c)
		}
		if last := v.Events[len(v.Events)-1]; last.Action != tongban.ComplaintActReturn || last.OrgID != w.other.ID || last.Note != ret.Text {
			t.Errorf("the 退单 event = %+v; want it to name 人社 and the reason", last)
		}
		if _, err := w.svc.Complaint(w.ctx, as(w.otherAdmin), n); code(err) != tongban.ENotFound {
			t.Errorf("人社 still reads it after 退单: %v", err)
		}
		if _, err := w.svc.Advance(w.ctx, as(w.otherAdmin), n, ret); code(err) != tongban.ENotFound {
			t.Errorf("a second 退单: %v", err)
		}
		// 督办 is addressed to a department; an undispatched complaint has
		// none, so it is refused, saying to dispatch it first.
		_, err = w.svc.IssueNotice(w.ctx, as(w.supervisor), rating.NoticeInput{Subject: tongban.NoticeComplaint, Ref: n, Demand: "请尽快派单"})
		if code(err) != tongban.EInvalid || field(err) != "ref" || !strings.Contains(err.Error(), "尚未派单") {
			t.Errorf("督办 of an undispatched complaint: %v", err)
		}

		// Dispatched again on 10-09: five working days are 10-10 (the
		// make-up Saturday), 12, 13, 14 and 15.
		w.clock.Set(china(2026, 10, 9, 9))
		v = w.step(hotline, n, rating.Step{Action: tongban.ComplaintActDispatch, OrgID: w.dept.ID})
		if v.Complaint.ReplyDue != "2026-10-15" {
			t.Fatalf("re-dispatched: reply due %s; want 2026-10-15", v.Complaint.ReplyDue)
		}
		w.clock.Set(china(2026, 10, 12, 9))
		w.step(w.admin, n, rating.Step{Action: tongban.ComplaintActReply, Text: "已核实，窗口将一次性告知"})
		w.step(hotline, n, rating.Step{Action: tongban.ComplaintActVisit, Text: "反映人表示问题未解决"})
		v = w.step(hotline, n, rating.Step{Action: tongban.ComplaintActRate, Level: tongban.RatingDissatisfied})
		// 重办 from 10-12: 13, 14, 15, 16, 19.
		if c := v.Complaint; c.State != tongban.ComplaintAssigned || c.OrgID != w.dept.ID || c.ReplyDue != "2026-10-19" || c.Reply != "" || c.Satisfaction != 0 {
			t.Fatalf("after 不满意 = %+v; want 已派单 back to 市场监管, reply due 2026-10-19", c)
		}
		last := v.Events[len(v.Events)-1]
		if last.Action != tongban.ComplaintActReopen || last.Due != "2026-10-19" || !strings.Contains(last.Note, "已核实，窗口将一次性告知") {
			t.Errorf("the 重办 event = %+v; want the new deadline and the first answer", last)
		}
		if rated := v.Events[len(v.Events)-2]; rated.Action != tongban.ComplaintActRate || rated.Level != tongban.RatingDissatisfied {
			t.Errorf("the 评价 before 重办 = %+v", rated)
		}
		w.step(w.admin, n, rating.Step{Action: tongban.ComplaintActReply, Text: "已当场办结变更登记"})
		w.step(hotline, n, rating.Step{Action: tongban.ComplaintActVisit, Text: "反映人仍不满意"})
		v = w.step(hotline, n, rating.Step{Action: tongban.ComplaintActRate, Level: tongban.RatingDissatisfied})
		if c := v.Complaint; c.State != tongban.ComplaintClosed || c.Satisfaction != tongban.RatingDissatisfied {
			t.Errorf("the second 不满意 = %+v; want closed, 不满意", c)
		}

		w.foldComplaints()
		m, err := w.svc.MeasureComplaints(w.ctx, as(w.supervisor), "", china(2026, 9, 1, 0), china(2026, 11, 1, 0))
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]tongban.ComplaintCounts{}
		for _, dm := range m.Depts {
			got[dm.OrgID] = dm.ComplaintCounts
		}
		if got[w.other.ID] != (tongban.ComplaintCounts{Dispatched: 1, Returned: 1}) ||
			got[w.dept.ID] != (tongban.ComplaintCounts{Dispatched: 1, Replied: 2, RepliedOnTime: 2, Rated: 2, Reopened: 1}) {
			t.Errorf("measures = %+v", got)
		}

		// The outbox heard every step, and nothing personal.
		for typ, want := range map[string]int{"complaint.receive": 1, "complaint.dispatch": 2, "complaint.return": 1,
			"complaint.reply": 2, "complaint.visit": 2, "complaint.rate": 2, "complaint.reopen": 1} {
			if got := w.outbox(typ); got != want {
				t.Errorf("outbox %s: %d; want %d", typ, got, want)
			}
		}
		var payloads []string
		rows, err := w.st.(interface{ DB() *sqldb.DB }).DB().QueryContext(w.ctx, `SELECT payload FROM outbox WHERE type LIKE 'complaint.%'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var p []byte
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			payloads = append(payloads, string(p))
		}
		all := strings.Join(payloads, "\n")
		for _, secret := range []string{"王五", "13700137000", "营业执照变更登记窗口"} {
			if strings.Contains(all, secret) {
				t.Errorf("an outbox payload carries %q:\n%s", secret, all)
			}
		}
		if !strings.Contains(all, `"external_ref":"12345-GA-0930-0101"`) || !strings.Contains(all, `"number":"`+n+`"`) {
			t.Errorf("the payloads do not name the ticket:\n%s", all)
		}
	})
}
