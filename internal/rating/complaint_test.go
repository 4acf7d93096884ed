package rating_test

import (
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/storetest"
)

func (w *world) step(u *tongban.User, number string, st rating.Step) *rating.ComplaintView {
	w.t.Helper()
	v, err := w.svc.Advance(w.ctx, as(u), number, st)
	if err != nil {
		w.t.Fatalf("%s by %s: %v", st.Action, u.Username, err)
	}
	return v
}

// A 12345 ticket through its loop across the 2026 National Day holiday:
// taken on 09-30, due for 派单 on 10-08; dispatched on 10-08 with five
// working days to reply (10-09, 10-10 make-up Saturday, 10-12, 13, 14);
// overdue on 10-15 and 督办-ed; replied, called back and rated.
func TestHotlineComplaintLoopAcrossNationalDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		hotline := w.hotline()
		v, err := w.svc.FileComplaint(w.ctx, as(hotline), rating.ComplaintInput{Kind: tongban.ComplaintCannotDo,
			Content: "食品经营许可证延续三次到窗口都说材料不全，每次要求的材料不一样", Name: "王五", Phone: "13700137000",
			CaseNumber: w.closed.Number, ExternalRef: "12345-GA-20260930-0088"})
		if err != nil {
			t.Fatal(err)
		}
		c := v.Complaint
		if c.Source != tongban.ComplaintHotline || c.State != tongban.ComplaintReceived || c.DispatchDue != "2026-10-08" ||
			c.RegionCode != w.closed.RegionCode || c.Number != "TS20260930"+pad6(c.ID) || c.Phone.Masked() != "137****7000" {
			t.Fatalf("taken = %+v", c)
		}
		if len(v.Events) != 1 || v.Events[0].Action != tongban.ComplaintActReceive {
			t.Errorf("events after 受理 = %+v", v.Events)
		}
		if _, err := w.svc.Advance(w.ctx, as(w.admin), c.Number, rating.Step{Action: tongban.ComplaintActReply, Text: "已处理"}); code(err) != tongban.ENotFound {
			t.Errorf("the department before 派单: %v; want not found", err)
		}
		if _, err := w.svc.Advance(w.ctx, as(hotline), c.Number, rating.Step{Action: tongban.ComplaintActDispatch, OrgID: w.window.ID}); code(err) != tongban.EInvalid || field(err) != "org_id" {
			t.Errorf("派单 to a window: %v", err)
		}

		w.clock.Set(china(2026, 10, 8, 9))
		v = w.step(hotline, c.Number, rating.Step{Action: tongban.ComplaintActDispatch, OrgID: w.dept.ID, Version: 1})
		if v.Complaint.State != tongban.ComplaintAssigned || v.Complaint.ReplyDue != "2026-10-14" || v.Complaint.OrgID != w.dept.ID {
			t.Fatalf("dispatched = %+v; want reply due 2026-10-14", v.Complaint)
		}
		if _, err := w.svc.Complaint(w.ctx, as(w.otherAdmin), c.Number); code(err) != tongban.ENotFound {
			t.Errorf("another department reading: %v", err)
		}
		if _, err := w.svc.Advance(w.ctx, as(w.admin), c.Number, rating.Step{Action: tongban.ComplaintActVisit, Text: "x"}); code(err) != tongban.EConflict {
			t.Errorf("回访 before 回复: %v", err)
		}
		v = w.step(w.admin, c.Number, rating.Step{Action: tongban.ComplaintActHandle})
		if v.Complaint.Name != "王*" {
			t.Errorf("the department sees the complainant as %q; want masked", v.Complaint.Name)
		}

		w.clock.Set(china(2026, 10, 14, 17))
		notice := rating.NoticeInput{Subject: tongban.NoticeComplaint, Ref: c.Number, Demand: "请于两日内答复反映人"}
		if _, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), notice); code(err) != tongban.EInvalid {
			t.Errorf("督办 on the reply deadline: %v", err)
		}
		w.clock.Set(china(2026, 10, 15, 9))
		nv, err := w.svc.IssueNotice(w.ctx, as(w.supervisor), notice)
		if err != nil || nv.Notice.OrgID != w.dept.ID || nv.Notice.Due != "2026-10-20" {
			t.Fatalf("督办 of the overdue complaint = %+v, %v", nv, err)
		}
		if _, err := w.svc.Advance(w.ctx, as(w.admin), c.Number, rating.Step{Action: tongban.ComplaintActReply}); code(err) != tongban.EInvalid || field(err) != "text" {
			t.Errorf("a reply without text: %v", err)
		}
		w.step(w.admin, c.Number, rating.Step{Action: tongban.ComplaintActReply, Text: "已制作一次性告知材料清单，窗口统一口径"})
		if _, err := w.svc.Advance(w.ctx, as(w.admin), c.Number, rating.Step{Action: tongban.ComplaintActVisit, Text: "已回访"}); code(err) != tongban.EForbidden {
			t.Errorf("the department calling back on itself: %v", err)
		}
		w.clock.Set(china(2026, 10, 16, 10))
		w.step(hotline, c.Number, rating.Step{Action: tongban.ComplaintActVisit, Text: "电话回访，反映人确认已办成"})
		if _, err := w.svc.Advance(w.ctx, as(hotline), c.Number, rating.Step{Action: tongban.ComplaintActRate, Level: 5}); code(err) != tongban.EInvalid || field(err) != "level" {
			t.Errorf("a 评价 outside 满意/基本满意/不满意: %v", err)
		}
		v = w.step(hotline, c.Number, rating.Step{Action: tongban.ComplaintActRate, Level: tongban.RatingSatisfied})
		if v.Complaint.State != tongban.ComplaintClosed || v.Complaint.Satisfaction != tongban.RatingSatisfied || v.Complaint.ClosedAt.IsZero() {
			t.Errorf("closed = %+v", v.Complaint)
		}
		var acts []tongban.ComplaintAction
		for _, e := range v.Events {
			acts = append(acts, e.Action)
		}
		want := []tongban.ComplaintAction{"receive", "dispatch", "handle", "reply", "visit", "rate"}
		if len(acts) != len(want) {
			t.Fatalf("events = %v; want %v", acts, want)
		}
		for i := range want {
			if acts[i] != want[i] {
				t.Errorf("event %d = %s; want %s", i, acts[i], want[i])
			}
		}
		if reply := v.Events[3]; reply.Due != "2026-10-14" || reply.OrgID != w.dept.ID {
			t.Errorf("the reply event = %+v; want it to record the deadline it answered", reply)
		}
		if w.audited("complaint.receive") != 1 || w.audited("complaint.rate") != 1 {
			t.Error("the loop is not audited")
		}
		if open, _ := w.svc.Complaints(w.ctx, as(hotline), false); len(open) != 0 {
			t.Errorf("open complaints after 评价 = %d", len(open))
		}
	})
}

func pad6(n int64) string {
	s := itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

// Bad input is refused naming the field, and nothing is stored.
func TestComplaintRefusals(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	other := &tongban.Case{Number: "511602000000-20260901-000020", ListingID: 7, ListingVersion: 1, ItemName: "食品经营许可证核发",
		ListingName: "食品经营许可证核发（新办）", OrgID: w.dept.ID, RegionCode: w.dept.RegionCode, ApplicantID: w.stranger.ID,
		ApplicantName: w.stranger.Name, Channel: tongban.ChannelOnline, State: tongban.CaseInReview, Form: []byte(`{}`),
		PromisedDays: 10, CreatedAt: ratedAt, UpdatedAt: ratedAt}
	if err := w.st.CreateCase(w.ctx, other); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		u     *tongban.User
		in    rating.ComplaintInput
		field string
	}{
		{w.applicant, rating.ComplaintInput{Kind: "praise", Content: "窗口服务很好很好"}, "kind"},
		{w.applicant, rating.ComplaintInput{Kind: tongban.ComplaintGeneral, Content: "不好"}, "content"},
		{w.applicant, rating.ComplaintInput{Kind: tongban.ComplaintGeneral, Content: "窗口让我跑了三次", CaseNumber: other.Number}, "case_number"},
		{w.applicant, rating.ComplaintInput{Kind: tongban.ComplaintGeneral, Content: "窗口让我跑了三次"}, "region_code"},
		{w.applicant, rating.ComplaintInput{Kind: tongban.ComplaintGeneral, Content: "窗口让我跑了三次", RegionCode: "511602000000", ExternalRef: "X1"}, "external_ref"},
		{w.clerk, rating.ComplaintInput{Kind: tongban.ComplaintCannotDo, Content: "办不成：缺少无犯罪证明开具渠道"}, "name"},
		{w.clerk, rating.ComplaintInput{Kind: tongban.ComplaintCannotDo, Content: "办不成：缺少无犯罪证明开具渠道", Name: "赵六", Phone: "12345"}, "phone"},
	} {
		if _, err := w.svc.FileComplaint(w.ctx, as(tc.u), tc.in); code(err) != tongban.EInvalid || field(err) != tc.field {
			t.Errorf("%+v: %v; want invalid %s", tc.in, err, tc.field)
		}
	}
	if _, err := w.svc.FileComplaint(w.ctx, as(w.admin), rating.ComplaintInput{Kind: tongban.ComplaintGeneral, Content: "部门管理员代为投诉", Name: "x", Phone: "13700137000"}); code(err) != tongban.EForbidden {
		t.Errorf("a department admin taking complaints: %v", err)
	}
	if cs, _ := w.st.Complaints(w.ctx, tongban.ComplaintFilter{}); len(cs) != 0 {
		t.Errorf("refusals stored %d complaints", len(cs))
	}
	// The citizen's own complaint about their case, seen by them unmasked.
	v, err := w.svc.FileComplaint(w.ctx, as(w.applicant), rating.ComplaintInput{Kind: tongban.ComplaintGeneral,
		Content: "许可证办结后一直未寄出", CaseNumber: w.closed.Number})
	if err != nil || v.Complaint.Source != tongban.ComplaintWeb || v.Complaint.Name != w.applicant.Name {
		t.Fatalf("web complaint = %+v, %v", v, err)
	}
	if _, err := w.svc.Complaint(w.ctx, as(w.stranger), v.Complaint.Number); code(err) != tongban.ENotFound {
		t.Errorf("someone else reading it: %v", err)
	}
	if _, err := w.svc.Advance(w.ctx, as(w.applicant), v.Complaint.Number, rating.Step{Action: tongban.ComplaintActDispatch, OrgID: w.dept.ID}); code(err) != tongban.EForbidden {
		t.Errorf("the complainant dispatching: %v", err)
	}
}

// A 差评 forwarded as a 12345 ticket goes straight to the rated
// department, once, with the rater as complainant; forwarded on 09-30,
// the reply is due five working days later, on 10-13.
func TestForwardBadRating(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	tk := w.badRating(w.closed)
	if _, err := w.svc.ForwardRating(w.ctx, as(w.admin), tk.ID); code(err) != tongban.EForbidden {
		t.Errorf("the department forwarding its own 差评: %v", err)
	}
	v, err := w.svc.ForwardRating(w.ctx, as(w.supervisor), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := v.Complaint
	if c.Source != tongban.ComplaintRating || c.State != tongban.ComplaintAssigned || c.OrgID != w.dept.ID ||
		c.CaseNumber != w.closed.Number || c.RatingID != tk.RatingID || c.ComplainantID != w.applicant.ID || c.ReplyDue != "2026-10-13" {
		t.Errorf("forwarded = %+v", c)
	}
	if _, err := w.svc.ForwardRating(w.ctx, as(w.supervisor), tk.ID); code(err) != tongban.EConflict {
		t.Errorf("forwarding twice: %v", err)
	}
	mine, err := w.svc.Complaints(w.ctx, as(w.applicant), true)
	if err != nil || len(mine) != 1 || mine[0].Number != c.Number {
		t.Errorf("the rater's complaints = %+v, %v", mine, err)
	}
}

// The complaint measures, counted by hand: four complaints taken on
// 09-30; three dispatched on 10-08 (reply due 10-14), replied on 10-14
// (on time), 10-15 (late) and 10-09 (on time); rated 满意, 不满意 and
// 基本满意 (the 不满意 sends b back to its department: 重办); one never
// dispatched.
func TestComplaintMeasuresHandCounted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		hotline := w.hotline()
		file := func(u *tongban.User, in rating.ComplaintInput) string {
			v, err := w.svc.FileComplaint(w.ctx, as(u), in)
			if err != nil {
				t.Fatal(err)
			}
			return v.Complaint.Number
		}
		a := file(hotline, rating.ComplaintInput{Kind: tongban.ComplaintGeneral, Content: "窗口人员态度生硬", Name: "甲", Phone: "13700137001"})
		b := file(w.clerk, rating.ComplaintInput{Kind: tongban.ComplaintCannotDo, Content: "个体户变更跑了三趟", Name: "乙", Phone: "13700137002"})
		c := file(w.applicant, rating.ComplaintInput{Kind: tongban.ComplaintGeneral, Content: "社保转移迟迟未办", CaseNumber: w.closed.Number})
		file(hotline, rating.ComplaintInput{Kind: tongban.ComplaintGeneral, Content: "咨询类诉求误转投诉", Name: "丁", Phone: "13700137004"})

		w.clock.Set(china(2026, 10, 8, 9))
		w.step(hotline, a, rating.Step{Action: tongban.ComplaintActDispatch, OrgID: w.dept.ID})
		w.step(w.supervisor, b, rating.Step{Action: tongban.ComplaintActDispatch, OrgID: w.dept.ID})
		w.step(hotline, c, rating.Step{Action: tongban.ComplaintActDispatch, OrgID: w.other.ID})
		w.clock.Set(china(2026, 10, 9, 9))
		w.step(w.otherAdmin, c, rating.Step{Action: tongban.ComplaintActReply, Text: "已办结并电话告知"})
		w.step(w.applicant, c, rating.Step{Action: tongban.ComplaintActRate, Level: tongban.RatingFair})
		w.clock.Set(china(2026, 10, 14, 16))
		w.step(w.admin, a, rating.Step{Action: tongban.ComplaintActReply, Text: "已约谈窗口人员"})
		w.clock.Set(china(2026, 10, 15, 9))
		w.step(w.admin, b, rating.Step{Action: tongban.ComplaintActReply, Text: "已并联办理"})
		for _, n := range []string{a, b} {
			w.step(hotline, n, rating.Step{Action: tongban.ComplaintActVisit, Text: "已回访"})
		}
		w.step(hotline, a, rating.Step{Action: tongban.ComplaintActRate, Level: tongban.RatingSatisfied})
		w.step(hotline, b, rating.Step{Action: tongban.ComplaintActRate, Level: tongban.RatingDissatisfied})

		// The measures read the complaint rollups: nothing until the
		// aggregator folds the events in, then the hand count.
		if m, err := w.svc.MeasureComplaints(w.ctx, as(w.supervisor), "", china(2026, 9, 1, 0), china(2026, 11, 1, 0)); err != nil || m.Total.Received != 0 {
			t.Fatalf("before the fold: %+v, %v", m, err)
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
		want := map[int64]tongban.ComplaintCounts{
			0:          {Received: 4},
			w.dept.ID:  {Dispatched: 2, Replied: 2, RepliedOnTime: 1, Rated: 2, Satisfied: 1, Reopened: 1},
			w.other.ID: {Dispatched: 1, Replied: 1, RepliedOnTime: 1, Rated: 1},
		}
		if len(got) != len(want) {
			t.Errorf("departments = %+v; want %+v", got, want)
		}
		for id, c := range want {
			if got[id] != c {
				t.Errorf("org %d: %+v; want %+v", id, got[id], c)
			}
		}
		if m.Total.ComplaintCounts != (tongban.ComplaintCounts{Received: 4, Dispatched: 3, Replied: 3, RepliedOnTime: 2, Rated: 3, Satisfied: 1, Reopened: 1}) {
			t.Errorf("total = %+v", m.Total.ComplaintCounts)
		}
		if m.Total.OnTimeRate == nil || *m.Total.OnTimeRate != 2.0/3 || m.Total.SatisfiedRate == nil || *m.Total.SatisfiedRate != 1.0/3 {
			t.Errorf("rates = %v, %v; want 2/3 and 1/3", m.Total.OnTimeRate, m.Total.SatisfiedRate)
		}
		// Rebuilt from the events, the rollups give the same figures.
		if err := stats.NewAggregator(w.st, nil).Rebuild(w.ctx); err != nil {
			t.Fatal(err)
		}
		if again, err := w.svc.MeasureComplaints(w.ctx, as(w.supervisor), "", china(2026, 9, 1, 0), china(2026, 11, 1, 0)); err != nil || again.Total.ComplaintCounts != m.Total.ComplaintCounts {
			t.Errorf("rebuilt total = %+v, %v; want %+v", again.Total.ComplaintCounts, err, m.Total.ComplaintCounts)
		}
		// October alone: nothing was taken in it.
		oct, err := w.svc.MeasureComplaints(w.ctx, as(w.supervisor), "", china(2026, 10, 1, 0), china(2026, 11, 1, 0))
		if err != nil || oct.Total.Received != 0 || oct.Total.Replied != 3 {
			t.Errorf("October = %+v, %v", oct.Total, err)
		}
		if _, err := w.svc.MeasureComplaints(w.ctx, as(w.admin), "", time.Time{}, time.Time{}); code(err) != tongban.EForbidden {
			t.Errorf("a department admin reading the measures: %v", err)
		}
	})
}
