package rating_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// ratedAt is the day before the 2026 National Day holiday (10-01 … 10-07,
// 10-10 a make-up working day), 10:00 in China.
var ratedAt = time.Date(2026, 9, 30, 2, 0, 0, 0, time.UTC)

type world struct {
	t                        *testing.T
	ctx                      context.Context
	st                       tongban.Store
	clock                    *tongban.ManualClock
	svc                      *rating.Service
	dept, other, window      *tongban.Org
	applicant, stranger      *tongban.User
	clerk, admin, otherAdmin *tongban.User
	supervisor               *tongban.User
	closed, inReview         *tongban.Case
	visit                    *tongban.CaseEvent
}

func newWorld(t *testing.T, d sqldb.Dialect) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), st: storetest.Open(t, d), clock: tongban.NewManualClock(ratedAt)}
	w.svc = rating.New(w.st, workflow.StaticCalendar{S: calendar.Default()}, w.clock, rating.Config{})
	for _, r := range []tongban.Region{{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"},
		{Code: "511602000000", Name: "广安区"}} {
		if err := w.st.CreateRegion(w.ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	w.dept = w.org(&tongban.Org{Code: "gaq-scjgj", Name: "广安市广安区市场监督管理局", Kind: tongban.OrgDepartment, RegionCode: "511602000000"})
	w.other = w.org(&tongban.Org{Code: "gaq-rsj", Name: "广安市广安区人力资源和社会保障局", Kind: tongban.OrgDepartment, RegionCode: "511602000000"})
	hall := w.org(&tongban.Org{Code: "gas-zwzx", Name: "广安市政务服务中心", Kind: tongban.OrgHall, RegionCode: "511600000000"})
	w.window = w.org(&tongban.Org{Code: "gas-zwzx-w1", Name: "综合受理1号窗口", Kind: tongban.OrgWindow, RegionCode: "511600000000", ParentID: hall.ID})
	w.applicant = w.citizen("张三", "51160219800101001X", "13800138000")
	w.stranger = w.citizen("李四", "51160219900202002X", "13900139000")
	w.clerk = w.staff("clerk", tongban.RoleClerk, w.window.ID)
	w.admin = w.staff("admin", tongban.RoleDeptAdmin, w.dept.ID)
	w.otherAdmin = w.staff("rsj-admin", tongban.RoleDeptAdmin, w.other.ID)
	w.supervisor = w.staff("supervisor", tongban.RoleSupervisor, hall.ID)
	w.closed = w.newCase("511602000000-20260901-000001", tongban.CaseClosed)
	w.inReview = w.newCase("511602000000-20260901-000002", tongban.CaseInReview)
	w.visit = &tongban.CaseEvent{CaseID: w.inReview.ID, At: ratedAt.Add(-24 * time.Hour), ActorID: w.clerk.ID,
		ActorName: "窗口人员", Role: tongban.RoleClerk, OrgID: w.window.ID, Action: tongban.ActionSubmit,
		To: tongban.CaseSubmitted, Visit: true}
	if err := w.st.AppendCaseEvent(w.ctx, w.visit); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) org(o *tongban.Org) *tongban.Org {
	if err := w.st.CreateOrg(w.ctx, o); err != nil {
		w.t.Fatal(err)
	}
	return o
}

func (w *world) citizen(name, id, phone string) *tongban.User {
	n, err := tongban.ParseIDNumber(id)
	if err != nil {
		w.t.Fatal(err)
	}
	p, err := tongban.ParsePhone(phone)
	if err != nil {
		w.t.Fatal(err)
	}
	u := &tongban.User{Kind: tongban.UserCitizen, Name: name, IDNumber: n, Phone: p, PasswordHash: "h", CreatedAt: ratedAt}
	if err := w.st.CreateUser(w.ctx, u); err != nil {
		w.t.Fatal(err)
	}
	return u
}

func (w *world) staff(username string, role tongban.Role, orgID int64) *tongban.User {
	u := &tongban.User{Kind: tongban.UserStaff, Name: "工作人员" + username, Username: username, PasswordHash: "h", CreatedAt: ratedAt}
	if err := w.st.CreateUser(w.ctx, u); err != nil {
		w.t.Fatal(err)
	}
	u.Roles = []tongban.RoleGrant{{Role: role, OrgID: orgID}}
	return u
}

func (w *world) newCase(number string, state tongban.CaseState) *tongban.Case {
	c := &tongban.Case{Number: number, ListingID: 7, ListingVersion: 1, ItemName: "食品经营许可证核发",
		ListingName: "食品经营许可证核发（新办）", OrgID: w.dept.ID, RegionCode: w.dept.RegionCode,
		ApplicantID: w.applicant.ID, ApplicantName: w.applicant.Name, Channel: tongban.ChannelOnline, State: state,
		Form: json.RawMessage(`{}`), PromisedDays: 10, CreatedAt: ratedAt.Add(-72 * time.Hour), UpdatedAt: ratedAt}
	if state == tongban.CaseClosed {
		c.Outcome, c.DecidedAt = tongban.CaseApproved, ratedAt.Add(-time.Hour)
	}
	if err := w.st.CreateCase(w.ctx, c); err != nil {
		w.t.Fatal(err)
	}
	return c
}

func as(u *tongban.User) identity.Request { return identity.Request{Actor: u, IP: "192.0.2.1"} }

func (w *world) outbox(typ string) int {
	w.t.Helper()
	var n int
	if err := w.st.(interface{ DB() *sqldb.DB }).DB().QueryRowContext(w.ctx,
		`SELECT COUNT(*) FROM outbox WHERE type = $1`, typ).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
