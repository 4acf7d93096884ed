package workflow_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// world is a district service centre: 广安区 with its hall, windows and
// boards, the city hall above it, a neighbouring district, departments,
// staff and applicants, and two published listings in the catalog store.
type world struct {
	t     *testing.T
	ctx   context.Context
	st    tongban.Store
	clock *tongban.ManualClock
	wf    *workflow.Service

	dept, rsj, cityHall, hall, w1, w4, board, cityBoard, qfqWindow, cityOffice *tongban.Org
	// staff
	clerk, clerk2, handout, reviewer, decider, boardApprover, rsjApprover, qfqClerk, supervisor *tongban.User
	// applicants
	zhang, li, wang *tongban.User

	food, card *tongban.Listing
}

var cst = calendar.Location()

// at is a China time.
func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, cst) }

func newWorld(t *testing.T, d sqldb.Dialect) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), st: storetest.Open(t, d),
		clock: tongban.NewManualClock(at(2025, 9, 25, 10, 0))}
	for _, r := range []tongban.Region{
		{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"},
		{Code: "511602000000", Name: "广安区"}, {Code: "511603000000", Name: "前锋区"},
	} {
		w.must(w.st.CreateRegion(w.ctx, &r))
	}
	org := func(code, name string, kind tongban.OrgKind, region string, parent *tongban.Org, sector string) *tongban.Org {
		o := &tongban.Org{Code: code, Name: name, Kind: kind, RegionCode: region, Sector: sector}
		if parent != nil {
			o.ParentID = parent.ID
		}
		w.must(w.st.CreateOrg(w.ctx, o))
		return o
	}
	w.dept = org("gaq-scjgj", "广安区市场监督管理局", tongban.OrgDepartment, "511602000000", nil, "")
	w.rsj = org("gaq-rsj", "广安区人力资源和社会保障局", tongban.OrgDepartment, "511602000000", nil, "")
	w.cityOffice = org("gas-zwfwj", "广安市政务服务管理局", tongban.OrgDepartment, "511600000000", nil, "")
	w.cityHall = org("gas-zwzx", "广安市政务服务中心", tongban.OrgHall, "511600000000", nil, "")
	w.cityBoard = org("gas-zwzx-b2", "市场准入类后台审批专区", tongban.OrgBoard, "511600000000", w.cityHall, "市场准入")
	w.hall = org("gaq-zwzx", "广安区政务服务中心", tongban.OrgHall, "511602000000", nil, "")
	w.w1 = org("gaq-zwzx-w1", "综合受理一号窗口", tongban.OrgWindow, "511602000000", w.hall, "")
	// The hall designates its result window; the name says nothing.
	w.w4 = org("gaq-zwzx-w4", "四号窗口", tongban.OrgWindow, "511602000000", w.hall, "")
	w.must(w.st.SetResultWindow(w.ctx, w.hall.ID, w.w4.ID))
	org("gaq-zwzx-b1", "投资建设类后台审批专区", tongban.OrgBoard, "511602000000", w.hall, "投资建设")
	w.board = org("gaq-zwzx-b2", "市场准入类后台审批专区", tongban.OrgBoard, "511602000000", w.hall, "市场准入")
	qfqHall := org("qfq-zwzx", "前锋区政务服务中心", tongban.OrgHall, "511603000000", nil, "")
	w.qfqWindow = org("qfq-zwzx-w1", "综合受理一号窗口", tongban.OrgWindow, "511603000000", qfqHall, "")

	staff := func(username, name string, role tongban.Role, o *tongban.Org) *tongban.User {
		u := &tongban.User{Kind: tongban.UserStaff, Name: name, Username: username, PasswordHash: "x", CreatedAt: w.clock.Now()}
		w.must(w.st.CreateUser(w.ctx, u))
		w.must(w.st.GrantRole(w.ctx, u.ID, tongban.RoleGrant{Role: role, OrgID: o.ID}))
		u, err := w.st.User(w.ctx, u.ID)
		w.must(err)
		return u
	}
	w.clerk = staff("gaq-w1-liumin", "刘敏", tongban.RoleClerk, w.w1)
	w.clerk2 = staff("gaq-w1-heli", "何丽", tongban.RoleClerk, w.w1)
	w.handout = staff("gaq-w4-sunyu", "孙宇", tongban.RoleClerk, w.w4)
	w.reviewer = staff("gaq-scjgj-chen", "陈静", tongban.RoleApprover, w.dept)
	w.decider = staff("gaq-scjgj-zhou", "周伟", tongban.RoleApprover, w.dept)
	w.boardApprover = staff("gaq-b2-wu", "吴芳", tongban.RoleApprover, w.board)
	w.rsjApprover = staff("gaq-rsj-zheng", "郑强", tongban.RoleApprover, w.rsj)
	w.qfqClerk = staff("qfq-w1-tang", "唐雪", tongban.RoleClerk, w.qfqWindow)
	w.supervisor = staff("gas-jc-ma", "马骏", tongban.RoleSupervisor, w.cityOffice)

	citizen := func(name string) *tongban.User {
		u := &tongban.User{Kind: tongban.UserCitizen, Name: name, PasswordHash: "x", CreatedAt: w.clock.Now()}
		w.must(w.st.CreateUser(w.ctx, u))
		return u
	}
	w.zhang, w.li, w.wang = citizen("张三丰"), citizen("李四"), citizen("王五")

	foodItem := &tongban.Item{Code: "11510000MB1234567X4000111001", Name: "食品经营许可", Type: tongban.ItemLicensing,
		StatutoryDays: 20, Sector: "市场准入", UpdatedAt: w.clock.Now()}
	cardItem := &tongban.Item{Code: "11510000MB0000000X3000222001", Name: "社会保障卡补换", Type: tongban.ItemPublicService,
		Sector: "社会事务", UpdatedAt: w.clock.Now()}
	w.must(w.st.CreateItem(w.ctx, foodItem))
	w.must(w.st.CreateItem(w.ctx, cardItem))
	w.food = &tongban.Listing{ItemID: foodItem.ID, ItemCode: foodItem.Code, Code: "11511602MB1592736X4000111001",
		OrgID: w.dept.ID, OrgName: w.dept.Name, RegionCode: "511602000000", Version: 2, Status: tongban.ListingPublished,
		Name: "食品经营许可证核发（新办）", PromisedDays: 10, CaseType: tongban.CasePromised, OnlineDepth: tongban.DepthFullyOnline,
		Steps: []tongban.Step{
			{Name: "受理", Role: tongban.StepAccept, Days: 1, CountsTowardLimit: true},
			{Name: "审查", Role: tongban.StepReview, Days: 3, CountsTowardLimit: true},
			{Name: "现场核查", Role: tongban.StepReview, Days: 3, CountsTowardLimit: true, Post: "承办人"},
			{Name: "决定", Role: tongban.StepDecide, Days: 3, CountsTowardLimit: true, Post: "分管负责人", OtherActor: true},
		},
		Flags: tongban.Flags{MostOneTrip: true, TolerantAcceptance: true, Commitment: true, Express: true},
		Materials: []tongban.Material{
			{Key: "m1", Name: "食品经营许可申请书", Required: tongban.MaterialRequired, Type: tongban.MaterialApplicationForm, Copies: 1},
			{Key: "m2", Name: "营业执照", Required: tongban.MaterialRequired, Type: tongban.MaterialLicense, Source: tongban.SourceELicense},
			{Key: "m3", Name: "法定代表人（负责人）身份证明", Required: tongban.MaterialRequired, Type: tongban.MaterialLicense},
			{Key: "m4", Name: "食品安全管理制度文本", Required: tongban.MaterialRequired, Type: tongban.MaterialOther, Tolerant: true},
			{Key: "m5", Name: "从业人员健康证明", Required: tongban.MaterialRequired, Type: tongban.MaterialCertificate},
			{Key: "m6", Name: "经营场所和设备布局、操作流程平面图", Required: tongban.MaterialRequired, Type: tongban.MaterialOther, Tolerant: true},
			{Key: "m7", Name: "授权委托书", Required: tongban.MaterialConditional, Type: tongban.MaterialOther},
		},
	}
	w.card = &tongban.Listing{ItemID: cardItem.ID, ItemCode: cardItem.Code, Code: "11511602MB1593001X4000222001",
		OrgID: w.rsj.ID, OrgName: w.rsj.Name, RegionCode: "511602000000", Version: 1, Status: tongban.ListingPublished,
		Name: "社会保障卡补换", PromisedDays: 0, CaseType: tongban.CaseInstant, OnlineDepth: tongban.DepthFullyOnline,
		Steps: []tongban.Step{{Name: "受理", Role: tongban.StepAccept, CountsTowardLimit: true}},
		Flags: tongban.Flags{MostOneTrip: true},
		Materials: []tongban.Material{
			{Key: "c1", Name: "居民身份证", Required: tongban.MaterialRequired, Type: tongban.MaterialLicense},
			{Key: "c2", Name: "社会保障卡补换申请表", Required: tongban.MaterialRequired, Type: tongban.MaterialApplicationForm},
		},
	}
	for _, l := range []*tongban.Listing{w.food, w.card} {
		l.PublishedAt, l.UpdatedAt = w.clock.Now(), w.clock.Now()
		w.must(w.st.CreateListing(w.ctx, l))
		v := tongban.NewListingVersion(*l, 0, w.clock.Now(), "发布")
		w.must(w.st.InsertListingVersion(w.ctx, &v))
	}
	w.wf = workflow.New(w.st, nil, workflow.StaticCalendar{S: calendar.Default()}, w.clock)
	// One connection: a read through the root store inside an action's
	// transaction waits for a second one, and under load (as many actions
	// at once as the pool has connections) every action waits for ever.
	// With one, such a read hangs the test that makes it.
	w.st.(*store.Store).DB().SetMaxOpenConns(1)
	w.wf.Resolvers = map[tongban.MaterialStatus]workflow.MaterialResolver{tongban.MaterialELicense: heldLicences{}}
	return w
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func as(u *tongban.User) workflow.Request { return workflow.Request{Actor: u, IP: "10.0.0.8"} }

// step runs one action at a China time and fails the test on error.
func (w *world) step(when time.Time, what string, fn func() (*tongban.Case, error)) *tongban.Case {
	w.t.Helper()
	w.clock.Set(when)
	c, err := fn()
	if err != nil {
		w.t.Fatalf("%s at %s: %v", what, when.Format("2006-01-02 15:04"), err)
	}
	w.checkCarriedEvents(what, c)
	return c
}

// checkCarriedEvents: events the workflow hands back with a case are the
// stored ones, all of them.
func (w *world) checkCarriedEvents(what string, c *tongban.Case) {
	w.t.Helper()
	if c.Events == nil {
		return
	}
	stored, err := w.st.CaseEvents(w.ctx, c.ID)
	w.must(err)
	if len(stored) != len(c.Events) {
		w.t.Fatalf("%s: %d events carried, %d stored", what, len(c.Events), len(stored))
	}
	for i, e := range stored {
		got := c.Events[i]
		if got.ID != e.ID || got.Seq != e.Seq || got.Action != e.Action || got.To != e.To || !got.At.Equal(e.At) || got.ActorID != e.ActorID {
			w.t.Errorf("%s: event %d carried as %+v, stored %+v", what, i, got, e)
		}
	}
}

// refuse runs an action that must fail with code, and with a message
// containing each of words.
func (w *world) refuse(what string, code tongban.ErrorCode, fn func() (*tongban.Case, error), words ...string) {
	w.t.Helper()
	_, err := fn()
	if !tongban.IsCode(err, code) {
		w.t.Errorf("%s: err = %v, want %s", what, err, code)
		return
	}
	for _, s := range words {
		if !strings.Contains(tongban.AsError(err).Message, s) {
			w.t.Errorf("%s: message %q lacks %q", what, tongban.AsError(err).Message, s)
		}
	}
}

// ev is the expected shape of one event.
type ev struct {
	action   tongban.CaseAction
	from, to tongban.CaseState
	actor    *tongban.User
	org      *tongban.Org // nil: none (the applicant)
	step     int
	visit    bool
	reason   string // a substring
}

func (w *world) checkEvents(c *tongban.Case, want []ev) []*tongban.CaseEvent {
	w.t.Helper()
	got, err := w.st.CaseEvents(w.ctx, c.ID)
	w.must(err)
	if len(got) != len(want) {
		for _, e := range got {
			w.t.Logf("  %d %s %s→%s", e.Seq, e.Action, e.From, e.To)
		}
		w.t.Fatalf("case %s has %d events, want %d", c.Number, len(got), len(want))
	}
	for i, e := range got {
		x := want[i]
		orgID := int64(0)
		if x.org != nil {
			orgID = x.org.ID
		}
		if e.Seq != i+1 || e.Action != x.action || e.From != x.from || e.To != x.to || e.ActorID != x.actor.ID ||
			e.OrgID != orgID || e.Step != x.step || e.Visit != x.visit || !strings.Contains(e.Reason, x.reason) {
			w.t.Errorf("event %d = {%s %s→%s actor %d org %d step %d visit %v %q}\n want {%s %s→%s actor %d org %d step %d visit %v ~%q}",
				e.Seq, e.Action, e.From, e.To, e.ActorID, e.OrgID, e.Step, e.Visit, e.Reason,
				x.action, x.from, x.to, x.actor.ID, orgID, x.step, x.visit, x.reason)
		}
		wantRole := tongban.ActorApplicant
		if x.actor.Kind == tongban.UserStaff {
			wantRole = x.actor.Roles[0].Role
		}
		if e.Role != wantRole {
			w.t.Errorf("event %d (%s) role %s, want %s", e.Seq, e.Action, e.Role, wantRole)
		}
	}
	if n := workflow.CountVisits(got); n != c.Visits {
		w.t.Errorf("case.Visits = %d but the events count %d", c.Visits, n)
	}
	return got
}

// checkAudit verifies every event left an audit entry naming the case.
func (w *world) checkAudit(c *tongban.Case, events []*tongban.CaseEvent) {
	w.t.Helper()
	entries, err := audit.Entries(w.ctx, w.st, 0, 10000)
	w.must(err)
	var actions []string
	for _, e := range entries {
		if e.Object == "case:"+c.Number {
			actions = append(actions, e.Action)
		}
	}
	var want []string
	for _, e := range events {
		want = append(want, "case_"+string(e.Action))
	}
	if fmt.Sprint(actions) != fmt.Sprint(want) {
		w.t.Errorf("audit of %s: %v, want %v", c.Number, actions, want)
	}
}

func form(kv ...string) json.RawMessage {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	b, _ := json.Marshal(m)
	return b
}

func provided(keys ...string) []tongban.CaseMaterial {
	var out []tongban.CaseMaterial
	for _, k := range keys {
		out = append(out, tongban.CaseMaterial{Key: k, BlobHash: "sm3:" + k, Status: tongban.MaterialProvided})
	}
	return out
}

func (w *world) timeStatus(c *tongban.Case) workflow.TimeStatus {
	w.t.Helper()
	ts, err := w.wf.TimeStatus(w.ctx, c, w.clock.Now())
	w.must(err)
	return ts
}

// heldLicences resolves an e-licence claim "licence-of:{applicant id}": a
// stand-in for internal/license, which the workflow does not import.
type heldLicences struct{}

func (heldLicences) ResolveMaterial(ctx context.Context, tx tongban.Store, q workflow.MaterialClaim) (*tongban.MaterialRef, error) {
	if q.Claimed.Claim != licenceOf(q.Applicant) {
		return nil, tongban.Errorf(tongban.EInvalid, "未找到申请人的有效证照 %s", q.Claimed.Claim)
	}
	return &tongban.MaterialRef{Kind: tongban.RefLicense, ID: q.Claimed.Claim, Version: 1}, nil
}

func licenceOf(u *tongban.User) string { return fmt.Sprintf("licence-of:%d", u.ID) }

// eLicence claims the applicant's licence for the material.
func eLicence(key string, holder *tongban.User) tongban.CaseMaterial {
	return tongban.CaseMaterial{Key: key, Status: tongban.MaterialELicense, Claim: licenceOf(holder)}
}
