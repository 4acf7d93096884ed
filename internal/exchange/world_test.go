package exchange_test

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// world is a small city for exchange tests: departments, staff and
// applicants, with the standard materials seeded.
type world struct {
	t     *testing.T
	ctx   context.Context
	st    tongban.Store
	clock *tongban.ManualClock
	ex    *exchange.Exchange

	bureau, mz, ga, scjg                  *tongban.Org
	catalogAdmin, clerk, mzAdmin, gaAdmin *tongban.User
	zhang, li, firm                       *tongban.User
}

func newWorld(t *testing.T, d sqldb.Dialect) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), st: storetest.Open(t, d),
		clock: tongban.NewManualClock(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))}
	for _, r := range []tongban.Region{{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"}} {
		w.must(w.st.CreateRegion(w.ctx, &r))
	}
	org := func(code, name string) *tongban.Org {
		o := &tongban.Org{Code: code, Name: name, Kind: tongban.OrgDepartment, RegionCode: "511600000000"}
		w.must(w.st.CreateOrg(w.ctx, o))
		return o
	}
	w.bureau = org("gas-zwfwj", "广安市政务服务管理局")
	w.mz = org("gas-mzj", "广安市民政局")
	w.ga = org("gas-gaj", "广安市公安局")
	w.scjg = org("gas-scjgj", "广安市市场监督管理局")
	staff := func(username, name string, role tongban.Role, o *tongban.Org) *tongban.User {
		u := &tongban.User{Kind: tongban.UserStaff, Name: name, Username: username, PasswordHash: "x", CreatedAt: w.clock.Now()}
		w.must(w.st.CreateUser(w.ctx, u))
		w.must(w.st.GrantRole(w.ctx, u.ID, tongban.RoleGrant{Role: role, OrgID: o.ID}))
		u, err := w.st.User(w.ctx, u.ID)
		w.must(err)
		return u
	}
	w.catalogAdmin = staff("catalog", "吴清单", tongban.RoleCatalogAdmin, w.bureau)
	w.clerk = staff("clerk", "陈窗口", tongban.RoleClerk, w.bureau)
	w.mzAdmin = staff("mz-system", "民政婚姻登记系统", tongban.RoleDeptAdmin, w.mz)
	w.gaAdmin = staff("ga-system", "公安人口信息系统", tongban.RoleDeptAdmin, w.ga)
	citizen := func(name, id, phone string) *tongban.User {
		u := &tongban.User{Kind: tongban.UserCitizen, Name: name, IDNumber: tongban.IDNumber(id), Phone: tongban.Phone(phone),
			PasswordHash: "x", CreatedAt: w.clock.Now()}
		w.must(w.st.CreateUser(w.ctx, u))
		return u
	}
	w.zhang = citizen("张三", "511602199003071232", "13800138000")
	w.li = citizen("李四", "11010519491231002X", "13900139000")
	w.firm = &tongban.User{Kind: tongban.UserEnterprise, Name: "广安市蜀味餐饮管理有限公司", CreditCode: "91511602MA6AB1C2DE",
		LegalRepName: "张三", LegalRepID: "511602199003071232", PasswordHash: "x", CreatedAt: w.clock.Now()}
	w.must(w.st.CreateUser(w.ctx, w.firm))
	w.ex = exchange.New(w.st, w.clock)
	if _, err := exchange.SeedStandards(w.ctx, w.st, w.clock); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) req(u *tongban.User) identity.Request { return identity.Request{Actor: u, IP: "test"} }
