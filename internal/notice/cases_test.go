package notice

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// fakeStore holds the orgs, items and one listing a notice reads.
type fakeStore struct {
	orgs    map[int64]*tongban.Org
	items   map[int64]*tongban.Item
	listing *tongban.Listing
}

func (s *fakeStore) Org(_ context.Context, id int64) (*tongban.Org, error) {
	if o, ok := s.orgs[id]; ok {
		return o, nil
	}
	return nil, tongban.Errorf(tongban.ENotFound, "no org %d", id)
}

func (s *fakeStore) Item(_ context.Context, id int64) (*tongban.Item, error) {
	if it, ok := s.items[id]; ok {
		return it, nil
	}
	return nil, tongban.Errorf(tongban.ENotFound, "no item %d", id)
}

func (s *fakeStore) ListingVersion(context.Context, int64, int) (*tongban.Listing, error) {
	return s.listing, nil
}

func newStore() *fakeStore {
	return &fakeStore{
		orgs: map[int64]*tongban.Org{
			1: {ID: 1, Name: "广安市市场监督管理局", ReviewBody: "广安市人民政府", Court: "广安市广安区人民法院",
				Address: "广安市广安区金安大道一段166号", Phone: "0826-2301001"},
			2: {ID: 2, Name: "广安市政务服务中心", Address: "广安市广安区金安大道一段166号", Phone: "0826-12345"},
			3: {ID: 3, Name: "统一出件窗口", ParentID: 2},
			4: {ID: 4, Name: "综合受理一号窗口", ParentID: 2},
		},
		items: map[int64]*tongban.Item{7: {ID: 7, Type: tongban.ItemLicensing}},
		listing: &tongban.Listing{ID: 5, Version: 1, ItemID: 7, Name: "食品经营许可证核发",
			Result: tongban.Result{Name: "食品经营许可证"},
			Materials: []tongban.Material{
				{Key: "m4", Name: "经营布局说明"},
				{Key: "m5", Name: "食品安全管理制度"},
			}},
	}
}

// at is 2026-03-0d 09:00 China time.
func at(d int) time.Time { return time.Date(2026, 3, d, 1, 0, 0, 0, time.UTC) }

func ev(action tongban.CaseAction, day int) *tongban.CaseEvent {
	return &tongban.CaseEvent{Action: action, At: at(day)}
}

type holder struct{ s *calendar.Schedule }

func (h holder) Schedule(context.Context) (*calendar.Schedule, error) { return h.s, nil }

func weekdays(t *testing.T) Calendar {
	s, err := calendar.NewSchedule(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return holder{s}
}

func TestAvailable(t *testing.T) {
	accepted := at(2)
	for _, tc := range []struct {
		name string
		c    tongban.Case
		evs  []*tongban.CaseEvent
		want []Kind
	}{
		{"submitted", tongban.Case{State: tongban.CaseSubmitted},
			[]*tongban.CaseEvent{ev(tongban.ActionSubmit, 2)}, nil},
		{"accepted", tongban.Case{State: tongban.CaseAccepted, AcceptedAt: accepted},
			[]*tongban.CaseEvent{ev(tongban.ActionSubmit, 2), ev(tongban.ActionAccept, 2)}, []Kind{Acceptance}},
		{"corrected at the counter, then accepted", tongban.Case{State: tongban.CaseAccepted, AcceptedAt: accepted,
			Corrections: []tongban.Deficiency{{Key: "m4"}}},
			[]*tongban.CaseEvent{ev(tongban.ActionSubmit, 2), ev(tongban.ActionRequestCorrection, 2),
				ev(tongban.ActionSupplement, 2), ev(tongban.ActionAccept, 2)},
			[]Kind{Correction, Acceptance}},
		{"corrected in review", tongban.Case{State: tongban.CaseAwaitingCorrection, AcceptedAt: accepted,
			Corrections: []tongban.Deficiency{{Key: "m4"}}},
			[]*tongban.CaseEvent{ev(tongban.ActionSubmit, 2), ev(tongban.ActionAccept, 2), ev(tongban.ActionRequestCorrection, 3)},
			[]Kind{Acceptance, Correction}},
		{"rejected after a correction keeps the correction notice",
			tongban.Case{State: tongban.CaseRejected, Outcome: tongban.CaseRejected},
			[]*tongban.CaseEvent{ev(tongban.ActionSubmit, 2), ev(tongban.ActionRequestCorrection, 2), ev(tongban.ActionReject, 3)},
			[]Kind{Correction, Rejection}},
		{"approved, result not issued", tongban.Case{State: tongban.CaseApproved, Outcome: tongban.CaseApproved, AcceptedAt: accepted},
			[]*tongban.CaseEvent{ev(tongban.ActionAccept, 2), ev(tongban.ActionApprove, 3)}, []Kind{Acceptance}},
		{"closed after pickup", tongban.Case{State: tongban.CaseClosed, Outcome: tongban.CaseApproved, AcceptedAt: accepted},
			[]*tongban.CaseEvent{ev(tongban.ActionAccept, 2), ev(tongban.ActionApprove, 3), ev(tongban.ActionIssue, 3),
				ev(tongban.ActionDeliver, 4)}, []Kind{Acceptance, Completion}},
		{"denied", tongban.Case{State: tongban.CaseDenied, Outcome: tongban.CaseDenied, AcceptedAt: accepted},
			[]*tongban.CaseEvent{ev(tongban.ActionAccept, 2), ev(tongban.ActionDeny, 3)}, []Kind{Acceptance, Denial}},
		{"denial delivered", tongban.Case{State: tongban.CaseClosed, Outcome: tongban.CaseDenied, AcceptedAt: accepted},
			[]*tongban.CaseEvent{ev(tongban.ActionAccept, 2), ev(tongban.ActionDeny, 3), ev(tongban.ActionDeliver, 4)},
			[]Kind{Acceptance, Denial}},
		{"withdrawn", tongban.Case{State: tongban.CaseWithdrawn, AcceptedAt: accepted},
			[]*tongban.CaseEvent{ev(tongban.ActionAccept, 2), ev(tongban.ActionWithdraw, 3)}, []Kind{Acceptance}},
	} {
		if got := Available(&tc.c, tc.evs); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if Has(&tc.c, tc.evs, Rejection) != slices.Contains(tc.want, Rejection) {
			t.Errorf("%s: Has(rejection) disagrees with Available", tc.name)
		}
	}
}

func TestFactsFor(t *testing.T) {
	ctx := context.Background()
	st, cal := newStore(), weekdays(t)
	base := "https://gov.example"
	c := &tongban.Case{Number: "511600000000-20260302-000017", ListingID: 5, ListingVersion: 1, ListingName: "食品经营许可证核发",
		ItemName: "食品经营许可证核发", OrgID: 1, ApplicantName: "张三", PromisedDays: 3, AcceptedAt: at(2),
		State: tongban.CaseClosed, Outcome: tongban.CaseApproved, ResultNo: "JY15116000000001",
		Delivery: tongban.Delivery{Method: tongban.DeliveryPickup, WindowID: 3}, CreatedAt: at(1)}
	evs := []*tongban.CaseEvent{ev(tongban.ActionSubmit, 2), ev(tongban.ActionAccept, 2), ev(tongban.ActionApprove, 3),
		ev(tongban.ActionIssue, 4), ev(tongban.ActionDeliver, 5)}

	f, err := FactsFor(ctx, st, cal, c, evs, Acceptance, base)
	if err != nil {
		t.Fatal(err)
	}
	want := Facts{OrgName: "广安市市场监督管理局", CaseNumber: c.Number, NoticeNo: c.Number + "-SL01", ApplicantName: "张三",
		ItemName: "食品经营许可证核发", SubmittedOn: "2026-03-02", IssuedOn: "2026-03-02", PromisedDays: 3, DueDate: "2026-03-05",
		Licensing: true, ReviewBody: "广安市人民政府", Court: "广安市广安区人民法院",
		StatusURL: base + "/progress?number=" + c.Number, Complaint: "12345"}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("acceptance facts:\n%+v\nwant\n%+v", f, want)
	}

	f, err = FactsFor(ctx, st, cal, c, evs, Completion, base)
	if err != nil {
		t.Fatal(err)
	}
	if f.IssuedOn != "2026-03-04" || f.Decision != "准予许可" || f.ResultName != "食品经营许可证（编号 JY15116000000001）" ||
		f.Delivery != "窗口领取（广安市政务服务中心 统一出件窗口）" {
		t.Errorf("completion facts: %+v", f)
	}

	// A notice the case has not produced is refused, naming the state.
	_, err = FactsFor(ctx, st, cal, c, evs, Rejection, base)
	if tongban.ErrorCodeOf(err) != tongban.EConflict || !strings.Contains(err.Error(), "已办结") {
		t.Errorf("rejection of an approved case: %v", err)
	}

	// Express, a non-licensing item, no result name.
	st2 := newStore()
	st2.items[7].Type = tongban.ItemType("public_service")
	st2.listing.Result.Name, st2.listing.ComplaintPhone = "", "0826-2345678"
	c2 := *c
	c2.Delivery = tongban.Delivery{Method: tongban.DeliveryExpress, TrackingNo: "SF1234567890"}
	f, err = FactsFor(ctx, st2, cal, &c2, evs, Completion, base)
	if err != nil {
		t.Fatal(err)
	}
	if f.Decision != "准予办理" || f.ResultName != "编号 JY15116000000001" || f.Delivery != "快递邮寄（运单号 SF1234567890）" ||
		f.Complaint != "0826-2345678" {
		t.Errorf("express completion facts: %+v", f)
	}
}

// A denial decision states the reasons, the 复议机关 and court of the
// department, and how the decision reaches the applicant.
func TestFactsForDenial(t *testing.T) {
	c := &tongban.Case{Number: "N1", ListingID: 5, ListingVersion: 1, OrgID: 1, AcceptedAt: at(2),
		State: tongban.CaseDenied, Outcome: tongban.CaseDenied, Reasons: []string{"距离不足25米", "布局不合理"},
		Delivery: tongban.Delivery{Method: tongban.DeliveryPickup, WindowID: 3}}
	evs := []*tongban.CaseEvent{ev(tongban.ActionAccept, 2), ev(tongban.ActionDeny, 6)}
	f, err := FactsFor(context.Background(), newStore(), weekdays(t), c, evs, Denial, "http://h")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.Reasons, c.Reasons) || !f.Licensing || f.ReviewBody != "广安市人民政府" || f.Court != "广安市广安区人民法院" ||
		f.Delivery != "窗口领取（广安市政务服务中心 统一出件窗口）" || f.IssuedOn != "2026-03-06" || f.NoticeNo != "N1-BY01" {
		t.Errorf("denial facts: %+v", f)
	}
	if _, err := FactsFor(context.Background(), newStore(), weekdays(t), c, evs, Completion, "http://h"); tongban.ErrorCodeOf(err) != tongban.EConflict {
		t.Errorf("a denied case has no 办结通知书: %v", err)
	}
}

// A 容缺 acceptance's notice lists the owed materials with their date.
func TestFactsForTolerantAcceptance(t *testing.T) {
	c := &tongban.Case{Number: "N3", ListingID: 5, ListingVersion: 1, OrgID: 1, AcceptedAt: at(2), PromisedDays: 3,
		State: tongban.CaseAccepted, OwedDue: "2026-03-05"}
	acc := ev(tongban.ActionAccept, 2)
	acc.Materials = []string{"m4", "m5"}
	f, err := FactsFor(context.Background(), newStore(), weekdays(t), c, []*tongban.CaseEvent{acc}, Acceptance, "http://h")
	if err != nil {
		t.Fatal(err)
	}
	want := []Owed{{Name: "经营布局说明", Due: "2026-03-05"}, {Name: "食品安全管理制度", Due: "2026-03-05"}}
	if !slices.Equal(f.Owed, want) {
		t.Errorf("owed %+v, want %+v", f.Owed, want)
	}
}

// The correction notice lists the case's corrections, and after a
// rejection cleared them, the lines its event kept, even where a reason
// itself contains "；".
func TestFactsForCorrection(t *testing.T) {
	ctx := context.Background()
	c := &tongban.Case{Number: "N2", ListingID: 5, ListingVersion: 1, OrgID: 1, State: tongban.CaseAwaitingCorrection,
		Corrections: []tongban.Deficiency{{Key: "m4", Name: "经营布局说明", Reason: "未提交布局图"},
			{Key: "m5", Name: "食品安全管理制度", Reason: "缺少健康管理制度；缺少进货查验制度"}}}
	e := ev(tongban.ActionRequestCorrection, 3)
	e.Materials, e.From, e.OrgID = []string{"m4", "m5"}, tongban.CaseSubmitted, 4
	e.Reason = "经营布局说明：未提交布局图；食品安全管理制度：缺少健康管理制度；缺少进货查验制度"
	evs := []*tongban.CaseEvent{ev(tongban.ActionSubmit, 2), e}
	want := []string{"经营布局说明：未提交布局图", "食品安全管理制度：缺少健康管理制度；缺少进货查验制度"}

	f, err := FactsFor(ctx, newStore(), weekdays(t), c, evs, Correction, "http://h")
	if err != nil || !slices.Equal(f.Reasons, want) || f.IssuedOn != "2026-03-03" || f.Accepted ||
		f.CorrectionDue != "2026-03-17" || f.WindowName != "广安市政务服务中心综合受理一号窗口" ||
		f.WindowAddress != "广安市广安区金安大道一段166号" || f.WindowPhone != "0826-12345" || f.NoticeNo != "N2-BZ01" {
		t.Errorf("correction facts: %+v %v", f, err)
	}
	c.State, c.Outcome, c.Corrections = tongban.CaseRejected, tongban.CaseRejected, nil
	c.Reasons = []string{"逾期未补正"}
	evs = append(evs, ev(tongban.ActionReject, 9))
	f, err = FactsFor(ctx, newStore(), weekdays(t), c, evs, Correction, "http://h")
	if err != nil || !slices.Equal(f.Reasons, want) {
		t.Errorf("correction facts after rejection: %q %v", f.Reasons, err)
	}
	f, err = FactsFor(ctx, newStore(), weekdays(t), c, evs, Rejection, "http://h")
	if err != nil || !slices.Equal(f.Reasons, []string{"逾期未补正"}) || f.IssuedOn != "2026-03-09" {
		t.Errorf("rejection facts: %+v %v", f, err)
	}
}

func TestProgressURL(t *testing.T) {
	if got := ProgressURL("https://gov.example/", "511600000000-20260302-000017"); got != "https://gov.example/progress?number=511600000000-20260302-000017" {
		t.Errorf("progress URL %q", got)
	}
	if got := ProgressURL("http://h", "a/b&c"); got != "http://h/progress?number=a%2Fb%26c" {
		t.Errorf("progress URL not escaped: %q", got)
	}
}
