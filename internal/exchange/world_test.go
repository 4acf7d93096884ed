package exchange_test

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
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
	gaApprover, mzApprover                *tongban.User
	zhang, li, firm                       *tongban.User

	wf *workflow.Service
	// move (公安, 户口迁移) and marry (民政, 结婚登记) both ask 居民身份证 and
	// 居民户口簿, under different keys and names.
	move, marry *tongban.Listing
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
	w.gaApprover = staff("ga-huji", "户政民警", tongban.RoleApprover, w.ga)
	w.mzApprover = staff("mz-hydj", "婚姻登记员", tongban.RoleApprover, w.mz)
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
	w.move = w.listing(w.ga, "户口迁移（迁入）", []tongban.Material{
		{Key: "m1", Name: "迁移人员居民身份证", Standard: "BZ0101"},
		{Key: "m2", Name: "居民户口簿", Standard: "BZ0102"},
		{Key: "m3", Name: "户口迁移申请表"},
	})
	w.marry = w.listing(w.mz, "内地居民结婚登记", []tongban.Material{
		{Key: "h1", Name: "本人居民身份证", Standard: "BZ0101"},
		{Key: "h2", Name: "本人户口簿", Standard: "BZ0102"},
		{Key: "h3", Name: "申请结婚登记声明书"},
	})
	w.wf = workflow.New(w.st, nil, workflow.StaticCalendar{S: calendar.Default()}, w.clock)
	w.wf.Keeper = w.ex.Library
	w.wf.Resolvers = map[tongban.MaterialStatus]workflow.MaterialResolver{tongban.MaterialReused: w.ex.Library,
		tongban.MaterialShared: w.ex.Data}
	return w
}

// listing stores a published online listing of org with the materials,
// all required.
func (w *world) listing(org *tongban.Org, name string, ms []tongban.Material) *tongban.Listing {
	w.t.Helper()
	it := &tongban.Item{Code: "ITEM-" + org.Code, Name: name, Type: tongban.ItemPublicService, UpdatedAt: w.clock.Now()}
	w.must(w.st.CreateItem(w.ctx, it))
	for i := range ms {
		ms[i].Required, ms[i].Copies, ms[i].Type = tongban.MaterialRequired, 1, tongban.MaterialCertificate
	}
	l := &tongban.Listing{ItemID: it.ID, ItemCode: it.Code, Code: "L-" + org.Code, OrgID: org.ID, OrgName: org.Name,
		RegionCode: org.RegionCode, Version: 1, Status: tongban.ListingPublished, Name: name, PromisedDays: 5,
		CaseType: tongban.CasePromised, OnlineDepth: tongban.DepthFullyOnline, Materials: ms,
		Steps: []tongban.Step{{Name: "受理", Role: tongban.StepAccept, Days: 1, CountsTowardLimit: true},
			{Name: "决定", Role: tongban.StepDecide, Days: 4, CountsTowardLimit: true}},
		PublishedAt: w.clock.Now(), UpdatedAt: w.clock.Now()}
	w.must(w.st.CreateListing(w.ctx, l))
	v := tongban.NewListingVersion(*l, 0, w.clock.Now(), "发布")
	w.must(w.st.InsertListingVersion(w.ctx, &v))
	return l
}

func as(u *tongban.User) workflow.Request { return workflow.Request{Actor: u, IP: "10.0.0.8"} }

// apply files an online application of l by u.
func (w *world) apply(u *tongban.User, l *tongban.Listing, ms ...tongban.CaseMaterial) (*tongban.Case, error) {
	return w.wf.Submit(w.ctx, as(u), workflow.Application{ListingID: l.ID, ListingVersion: l.Version,
		Channel: tongban.ChannelOnline, Materials: ms})
}

func upload(key, tag string) tongban.CaseMaterial {
	return tongban.CaseMaterial{Key: key, BlobHash: "sha256:" + tag, Status: tongban.MaterialProvided}
}

func reuse(key, claim string) tongban.CaseMaterial {
	return tongban.CaseMaterial{Key: key, Status: tongban.MaterialReused, Claim: claim}
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) req(u *tongban.User) identity.Request { return identity.Request{Actor: u, IP: "test"} }
