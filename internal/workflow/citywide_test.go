package workflow_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// 全市通办: a listing flagged 跨域通办 is taken at any hall of the city — here
// 前锋区's for a 广安区 department —, worked by that department, and
// collected at the hall the applicant chose (the city's), not elsewhere.
func TestCitywideListing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		cityWindow := &tongban.Org{Code: "gas-zwzx-w5", Name: "五号窗口", Kind: tongban.OrgWindow, RegionCode: "511600000000", ParentID: w.cityHall.ID}
		w.must(w.st.CreateOrg(ctx, cityWindow))
		w.must(w.st.SetResultWindow(ctx, w.cityHall.ID, cityWindow.ID))
		cityClerk := &tongban.User{Kind: tongban.UserStaff, Name: "钱多", Username: "gas-w5-qian", PasswordHash: "x", CreatedAt: w.clock.Now()}
		w.must(w.st.CreateUser(ctx, cityClerk))
		w.must(w.st.GrantRole(ctx, cityClerk.ID, tongban.RoleGrant{Role: tongban.RoleClerk, OrgID: cityWindow.ID}))
		cityClerk, _ = w.st.User(ctx, cityClerk.ID)

		item := &tongban.Item{Code: "11510000MB0000000X3000333001", Name: "失业保险金申领", Type: tongban.ItemPublicService,
			Sector: "社会事务", UpdatedAt: w.clock.Now()}
		w.must(w.st.CreateItem(ctx, item))
		l := &tongban.Listing{ItemID: item.ID, ItemCode: item.Code, Code: "11511602MB1593001X3000333001",
			OrgID: w.rsj.ID, OrgName: w.rsj.Name, RegionCode: "511602000000", Version: 1, Status: tongban.ListingPublished,
			Name: "失业保险金申领", PromisedDays: 5, CaseType: tongban.CasePromised, OnlineDepth: tongban.DepthFullyOnline,
			Steps: []tongban.Step{{Name: "受理", Role: tongban.StepAccept, CountsTowardLimit: true},
				{Name: "审核", Role: tongban.StepDecide, Days: 5, CountsTowardLimit: true}},
			Flags:     tongban.Flags{CrossRegion: true, Express: true},
			Materials: []tongban.Material{{Key: "u1", Name: "居民身份证", Required: tongban.MaterialRequired, Type: tongban.MaterialLicense}},
			UpdatedAt: w.clock.Now(), PublishedAt: w.clock.Now()}
		w.must(w.st.CreateListing(ctx, l))
		v := tongban.NewListingVersion(*l, 0, w.clock.Now(), "发布")
		w.must(w.st.InsertListingVersion(ctx, &v))

		app := workflow.Application{ListingID: l.ID, ListingVersion: 1, ApplicantID: w.li.ID, Channel: tongban.ChannelCounter,
			Materials: provided("u1"), PickupHallID: w.qfqWindow.ID}
		w.refuse("a window is no hall", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.qfqClerk), app)
		}, "领取大厅")
		app.PickupHallID = w.cityHall.ID
		c := w.step(at(2026, 3, 2, 9, 0), "taken at 前锋区 for 广安区", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.qfqClerk), app)
		})
		if c.OrgID != w.rsj.ID || c.RegionCode != "511602000000" || c.Delivery.WindowID != cityWindow.ID || c.Visits != 1 {
			t.Fatalf("citywide case: %+v", c)
		}
		c = w.step(at(2026, 3, 2, 9, 10), "accepted at 前锋区", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.qfqClerk), c.ID, workflow.AcceptInput{})
		})
		if c.Delivery.WindowID != cityWindow.ID {
			t.Errorf("routing replaced the chosen hall: window %d", c.Delivery.WindowID)
		}
		c = w.step(at(2026, 3, 3, 9, 0), "approved by the department", func() (*tongban.Case, error) {
			return wf.Approve(ctx, as(w.rsjApprover), c.ID, "符合条件")
		})
		c = w.step(at(2026, 3, 3, 10, 0), "issued", func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.rsjApprover), c.ID, "")
		})
		w.refuse("handed out at 广安区's hall", tongban.EForbidden, func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.handout), c.ID, workflow.DeliverInput{Collector: tongban.CollectorSelf, IdentityChecked: true})
		}, "五号窗口")
		if _, err := wf.Get(ctx, as(cityClerk), c.ID); err != nil {
			t.Errorf("the collecting hall sees the case: %v", err)
		}
		c = w.step(at(2026, 3, 4, 15, 0), "collected at the city hall", func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(cityClerk), c.ID, workflow.DeliverInput{Collector: tongban.CollectorSelf, IdentityChecked: true})
		})
		if c.State != tongban.CaseClosed || c.Visits != 2 {
			t.Errorf("collected: %+v", c)
		}

		// An ordinary listing stays with the halls serving its region, and
		// the clerk of another district learns why and where it is taken.
		w.refuse("ordinary listing at another district", tongban.EForbidden, func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.qfqClerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				ApplicantID: w.li.ID, Channel: tongban.ChannelCounter})
		}, "“"+w.food.Name+"”未开通全市通办", "只能在广安区的政务服务大厅")
		w.refuse("choosing another district's hall for an ordinary listing", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				ApplicantID: w.li.ID, Channel: tongban.ChannelCounter, PickupHallID: w.qfqWindow.ParentID})
		}, "不能在")
	})
}
