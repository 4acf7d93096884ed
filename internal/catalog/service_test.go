package catalog

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// world is a small city for service tests: the city and two districts, a
// market regulator in each, a city-wide catalog admin and a district
// department admin.
type world struct {
	st                  tongban.Store
	svc                 *Service
	clock               *tongban.ManualClock
	city, gaq, qfq      *tongban.Org
	catalogAdmin        identity.Request // 事项管理员 at the city's service bureau
	deptAdmin, otherDep identity.Request // 部门管理员 of 广安区 and of 前锋区 market regulators
}

func newWorld(t *testing.T, d sqldb.Dialect) *world {
	t.Helper()
	st, ctx := storetest.Open(t, d), context.Background()
	for _, r := range []tongban.Region{
		{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"},
		{Code: "511602000000", Name: "广安区"}, {Code: "511603000000", Name: "前锋区"},
	} {
		if err := st.CreateRegion(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	w := &world{st: st, clock: tongban.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}
	w.svc = &Service{Store: st, Clock: w.clock}
	org := func(code, name, short, region string) *tongban.Org {
		o := &tongban.Org{Code: code, Name: name, ShortName: short, Kind: tongban.OrgDepartment, RegionCode: region,
			Phone: "0826-1", Address: name + "大厅"}
		if err := st.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	w.city = org("gas-scjgj", "广安市市场监督管理局", "市市场监管局", "511600000000")
	bureau := org("gas-zwfwj", "广安市政务服务管理局", "市政务服务局", "511600000000")
	w.gaq = org("gaq-zwfwj", "广安区行政审批局", "区行政审批局", "511602000000")
	w.qfq = org("qfq-scjgj", "前锋区市场监督管理局", "前锋区市监局", "511603000000")
	w.catalogAdmin = w.staff(t, "catalog", tongban.RoleCatalogAdmin, bureau)
	w.deptAdmin = w.staff(t, "deptadmin", tongban.RoleDeptAdmin, w.gaq)
	w.otherDep = w.staff(t, "qfqadmin", tongban.RoleDeptAdmin, w.qfq)
	return w
}

// staff stores a staff member holding role at o, as a request of theirs.
func (w *world) staff(t *testing.T, name string, role tongban.Role, o *tongban.Org) identity.Request {
	t.Helper()
	ctx := context.Background()
	u := &tongban.User{Kind: tongban.UserStaff, Name: name, Username: name, PasswordHash: "x", CreatedAt: w.clock.Now()}
	if err := w.st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	g := tongban.RoleGrant{Role: role, OrgID: o.ID, OrgName: o.Name}
	if err := w.st.GrantRole(ctx, u.ID, g); err != nil {
		t.Fatal(err)
	}
	u.Roles = []tongban.RoleGrant{g}
	return identity.Request{Actor: u, IP: "test"}
}

// item stores the fixture's item and returns it.
func (w *world) item(t *testing.T) tongban.Item {
	t.Helper()
	it := sampleItem()
	it.ID = 0
	if err := w.st.CreateItem(context.Background(), &it); err != nil {
		t.Fatal(err)
	}
	return it
}

// complete fills a claimed draft with the fixture's publishable content.
func complete(l *tongban.Listing) tongban.Listing {
	full := sampleListing()
	full.ID, full.Version, full.ItemID, full.ItemCode = l.ID, l.Version, l.ItemID, l.ItemCode
	full.OrgID, full.OrgName, full.RegionCode, full.Code, full.Status = l.OrgID, l.OrgName, l.RegionCode, l.Code, l.Status
	return full
}

func TestServiceClaimSavePublish(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w, ctx := newWorld(t, d), context.Background()
		it := w.item(t)

		// 事项认领: a department claims the item and gets a seeded draft.
		res, err := w.svc.ClaimItem(ctx, w.deptAdmin, it.Code, w.gaq.ID)
		if err != nil {
			t.Fatal(err)
		}
		l := res.Listing
		if l.Status != tongban.ListingDraft || l.Version != 1 || l.OrgID != w.gaq.ID || l.PromisedDays != 10 ||
			l.Phone != w.gaq.Phone || res.Report.Publishable() {
			t.Errorf("claimed draft = %+v, publishable %v", l, res.Report.Publishable())
		}
		if _, err := w.svc.ClaimItem(ctx, w.deptAdmin, it.Code, w.gaq.ID); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("second claim: %v, want conflict", err)
		}
		if _, err := w.svc.ClaimItem(ctx, w.deptAdmin, it.Code, w.qfq.ID); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("claim for another department: %v, want forbidden", err)
		}

		// Publishing the bare draft is refused, naming the errors.
		_, err = w.svc.Publish(ctx, w.catalogAdmin, l.ID, 0, "")
		var qe *QualityError
		if !tongban.IsCode(err, tongban.EInvalid) || !errors.As(err, &qe) || qe.Report.Errors() == 0 {
			t.Fatalf("publishing an incomplete draft: %v", err)
		}
		if len(qe.Report.ByRule(RuleContact)) == 0 || len(qe.Report.ByRule(RuleMaterialsMissing)) == 0 {
			t.Errorf("refusal does not name the missing parts: %+v", qe.Report.Issues)
		}

		// Saving writes a new version with who and why; the check comes back.
		w.clock.Advance(time.Hour)
		full := complete(l)
		saved, err := w.svc.SaveListing(ctx, w.deptAdmin, full, "补全材料和流程")
		if err != nil {
			t.Fatal(err)
		}
		if saved.Listing.Version != 2 || !saved.Report.Publishable() || !saved.Listing.UpdatedAt.Equal(w.clock.Now()) {
			t.Fatalf("saved: version %d, report %+v", saved.Listing.Version, saved.Report.Issues)
		}
		if _, err := w.svc.SaveListing(ctx, w.deptAdmin, full, "stale"); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("save from a stale version: %v, want conflict", err)
		}
		other := complete(saved.Listing)
		if _, err := w.svc.SaveListing(ctx, w.otherDep, other, "越权"); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("another department's admin saving: %v, want forbidden", err)
		}
		bad := complete(saved.Listing)
		bad.PromisedDays = -1
		if _, err := w.svc.SaveListing(ctx, w.deptAdmin, bad, ""); !tongban.IsCode(err, tongban.EInvalid) ||
			tongban.AsError(err).Field != "promised_days" {
			t.Errorf("structurally invalid save: %v", err)
		}
		// The identity of a listing does not move by saving.
		moved := complete(saved.Listing)
		moved.OrgID, moved.Code, moved.Status = w.qfq.ID, "other", tongban.ListingPublished
		moved.Phone = "0826-2340000" // and a change, so that the save makes a version
		if _, err := w.svc.SaveListing(ctx, w.deptAdmin, moved, "改部门"); err != nil {
			t.Fatal(err)
		}
		cur, _ := w.st.Listing(ctx, l.ID)
		if cur.OrgID != w.gaq.ID || cur.Code != l.Code || cur.Status != tongban.ListingDraft || cur.Version != 3 {
			t.Errorf("save moved the listing: %+v", cur)
		}
		// Saving what is stored makes no version.
		same, err := w.svc.SaveListing(ctx, w.deptAdmin, *cur, "没改")
		if err != nil || same.Listing.Version != 3 {
			t.Errorf("unchanged save: %v, %+v", err, same)
		}
		if vs, _ := w.st.ListingVersions(ctx, l.ID); len(vs) != 3 {
			t.Errorf("unchanged save: %d versions, want 3", len(vs))
		}

		// A department admin may edit but not publish.
		if _, err := w.svc.Publish(ctx, w.deptAdmin, l.ID, 0, ""); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("department admin publishing: %v, want forbidden", err)
		}
		if _, err := w.svc.Publish(ctx, w.catalogAdmin, l.ID, 2, ""); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("publishing a version that is no longer current: %v", err)
		}
		pub, err := w.svc.Publish(ctx, w.catalogAdmin, l.ID, 3, "审核通过")
		if err != nil {
			t.Fatal(err)
		}
		if pub.Listing.Status != tongban.ListingPublished || pub.Listing.Version != 4 || pub.Listing.PublishedAt.IsZero() {
			t.Errorf("published: %+v", pub.Listing)
		}

		// A published listing changes only through the gate and by a publisher.
		live := complete(pub.Listing)
		live.PromisedDays = 4
		if _, err := w.svc.SaveListing(ctx, w.deptAdmin, live, "缩短时限"); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("department admin editing a published listing: %v", err)
		}
		live.Steps = live.Steps[:1]
		live.Steps[0].Days = 1
		live.Materials[0].ReviewCriteria = ""
		if _, err := w.svc.SaveListing(ctx, w.catalogAdmin, live, "去掉审核准则"); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("breaking a published listing: %v", err)
		}
		live.Materials[0].ReviewCriteria = "填写完整"
		if r, err := w.svc.SaveListing(ctx, w.catalogAdmin, live, "缩短时限"); err != nil || r.Listing.Status != tongban.ListingPublished {
			t.Fatalf("publisher editing a published listing: %+v, %v", r, err)
		}

		// History: every version, newest first, with who and why; old
		// versions still read as they were (cases keep theirs).
		hist, err := w.svc.History(ctx, w.deptAdmin, l.ID)
		if err != nil || len(hist) != 5 {
			t.Fatalf("History: %d versions, %v", len(hist), err)
		}
		if hist[0].Reason != "缩短时限" || hist[0].ChangedBy != w.catalogAdmin.Actor.ID || hist[3].Reason != "补全材料和流程" ||
			hist[4].Reason != "认领事项，生成草稿" || hist[3].ChangedBy != w.deptAdmin.Actor.ID {
			t.Errorf("history: %+v", hist)
		}
		if _, err := w.svc.History(ctx, w.otherDep, l.ID); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("another department reading history: %v", err)
		}
		v2, err := w.st.ListingVersion(ctx, l.ID, 2)
		if err != nil || v2.PromisedDays != 10 || v2.Status != tongban.ListingDraft {
			t.Errorf("version 2 = %+v, %v", v2, err)
		}

		// Suspend and withdraw need a reason and the publish permission.
		if _, err := w.svc.Suspend(ctx, w.catalogAdmin, l.ID, 0, ""); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("suspend without reason: %v", err)
		}
		if _, err := w.svc.Suspend(ctx, w.deptAdmin, l.ID, 0, "系统升级"); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("department admin suspending: %v", err)
		}
		if s, err := w.svc.Suspend(ctx, w.catalogAdmin, l.ID, 0, "系统升级"); err != nil || s.Status != tongban.ListingSuspended {
			t.Fatalf("Suspend: %+v, %v", s, err)
		}
		if _, err := w.svc.Suspend(ctx, w.catalogAdmin, l.ID, 0, "again"); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("suspending a suspended listing: %v", err)
		}
		if x, err := w.svc.Withdraw(ctx, w.catalogAdmin, l.ID, 0, "事项取消"); err != nil || x.Status != tongban.ListingWithdrawn {
			t.Fatalf("Withdraw: %+v, %v", x, err)
		}

		// Every change is in the audit chain.
		entries, err := audit.Entries(ctx, w.st, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			count[e.Action]++
		}
		if count[AuditClaim] != 1 || count[AuditSave] != 3 || count[AuditPublish] != 1 || count[AuditSuspend] != 1 || count[AuditWithdraw] != 1 {
			t.Errorf("audit actions: %v", count)
		}
	})
}

func TestServiceVisibility(t *testing.T) {
	t.Parallel()
	w, ctx := newWorld(t, sqldb.SQLite), context.Background()
	it := w.item(t)
	res, err := w.svc.ClaimItem(ctx, w.catalogAdmin, it.Code, w.gaq.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := res.Listing.ID
	if _, err := w.svc.Listing(ctx, nil, id); !tongban.IsCode(err, tongban.ENotFound) {
		t.Errorf("public reading a draft: %v, want not found", err)
	}
	if _, err := w.svc.Listing(ctx, w.otherDep.Actor, id); !tongban.IsCode(err, tongban.ENotFound) {
		t.Errorf("another department reading a draft: %v", err)
	}
	if _, err := w.svc.Listing(ctx, w.deptAdmin.Actor, id); err != nil {
		t.Errorf("own department reading its draft: %v", err)
	}
	if ls, n, err := w.svc.Listings(ctx, nil, tongban.ListingFilter{Status: tongban.ListingDraft}); err != nil || len(ls) != 0 || n != 0 {
		t.Errorf("public listing drafts: %d, %v", len(ls), err)
	}
	for _, c := range []struct {
		who  identity.Request
		want int
	}{{w.deptAdmin, 1}, {w.catalogAdmin, 1}, {w.otherDep, 0}} {
		ls, n, err := w.svc.Listings(ctx, c.who.Actor, tongban.ListingFilter{Status: tongban.ListingDraft})
		if err != nil || len(ls) != c.want || n != c.want {
			t.Errorf("%s listing drafts: %d (total %d), %v; want %d", c.who.Actor.Name, len(ls), n, err, c.want)
		}
	}
	saved, err := w.svc.SaveListing(ctx, w.catalogAdmin, complete(res.Listing), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Publish(ctx, w.catalogAdmin, id, saved.Listing.Version, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Listing(ctx, nil, id); err != nil {
		t.Errorf("public reading a published listing: %v", err)
	}
	// 一次性告知: the checklist tailored to the answers.
	cl, err := w.svc.Checklist(ctx, nil, id, 0, map[string]string{"s1": "a2", "s2": "是", "s3": "a1"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range cl.Materials {
		names = append(names, m.Key)
	}
	if got := len(cl.Materials); got != 4 || names[2] != "m3" || names[3] != "m5" || len(cl.Conditions) != 3 {
		t.Errorf("checklist = %v, conditions %v", names, cl.Conditions)
	}
	if _, err := w.svc.Checklist(ctx, nil, id, 0, map[string]string{"s1": "a1"}); !tongban.IsCode(err, tongban.EInvalid) {
		t.Errorf("unanswered situation: %v", err)
	}
	// The version a case applied under still tailors as it was.
	if cl, err := w.svc.Checklist(ctx, nil, id, 1, nil); err != nil || len(cl.Materials) != 0 || cl.Version != 1 {
		t.Errorf("checklist of version 1: %+v, %v", cl, err)
	}
}

func TestServiceReports(t *testing.T) {
	t.Parallel()
	w, ctx := newWorld(t, sqldb.SQLite), context.Background()
	it := w.item(t)
	// The city standard and two districts: 广安区 aligned, 前锋区 not.
	publish := func(org *tongban.Org, edit func(*tongban.Listing)) {
		res, err := w.svc.ClaimItem(ctx, w.catalogAdmin, it.Code, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		l := complete(res.Listing)
		if edit != nil {
			edit(&l)
		}
		saved, err := w.svc.SaveListing(ctx, w.catalogAdmin, l, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Publish(ctx, w.catalogAdmin, l.ID, saved.Listing.Version, ""); err != nil {
			t.Fatal(err)
		}
	}
	publish(w.city, nil)
	publish(w.gaq, nil)
	publish(w.qfq, func(l *tongban.Listing) {
		l.Conditions = l.Conditions[:1]
		l.Materials[1].Copies = 2
	})
	reps, err := w.svc.ConsistencyReport(ctx, w.catalogAdmin, "", "")
	if err != nil || len(reps) != 1 {
		t.Fatalf("ConsistencyReport: %+v, %v", reps, err)
	}
	r := reps[0]
	if r.Standard == nil || r.Standard.OrgName != w.city.Name || len(r.Listings) != 2 || r.Aligned != 1 {
		t.Fatalf("consistency: %+v", r)
	}
	aspects := map[Aspect]bool{}
	for _, d := range r.Differences {
		if r.Listings[d.Index].OrgName != w.qfq.Name {
			t.Errorf("difference attributed to %s: %+v", r.Listings[d.Index].OrgName, d)
		}
		aspects[d.Aspect] = true
	}
	if !aspects[AspectConditions] || !aspects[AspectMaterials] || len(r.Differences) != 2 {
		t.Errorf("differences: %+v", r.Differences)
	}
	if _, err := w.svc.ConsistencyReport(ctx, w.catalogAdmin, "nope", ""); !tongban.IsCode(err, tongban.ENotFound) {
		t.Errorf("unknown item: %v", err)
	}

	// 清单质检: one draft with issues among three clean listings.
	other := &tongban.Item{Code: "E-000004-001", Name: "社会保障卡申领", Type: tongban.ItemPublicService}
	w.st.CreateItem(ctx, other)
	if _, err := w.svc.ClaimItem(ctx, w.deptAdmin, other.Code, w.gaq.ID); err != nil {
		t.Fatal(err)
	}
	q, err := w.svc.CheckReport(ctx, w.catalogAdmin, ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if q.Listings != 4 || q.WithErrors != 1 || q.Publishable != 3 || len(q.Entries) != 1 || q.ByRule[RuleContact] != 1 ||
		q.ByRule[RuleMaterialsMissing] != 1 {
		t.Errorf("quality report: %+v", q)
	}
	// A department admin sees its own department's listings only.
	q, err = w.svc.CheckReport(ctx, w.deptAdmin, ReportFilter{})
	if err != nil || q.Listings != 2 {
		t.Errorf("department quality report: %d listings, %v", q.Listings, err)
	}
	if _, err := w.svc.CheckReport(ctx, identity.Request{Actor: &tongban.User{Kind: tongban.UserCitizen}}, ReportFilter{}); !tongban.IsCode(err, tongban.EForbidden) {
		t.Errorf("citizen asking for the quality report: %v", err)
	}
}
