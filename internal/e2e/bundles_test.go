package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// 开办餐饮店“一件事” on a phone: the demo enterprise finds it by what it
// says (开餐馆), applies online with one form and one file per merged
// material; a clerk takes the same bundle at the counter with the papers
// seen; the lead department (市场监管) sees the whole bundle and its own
// registration's part; once the registration is issued, 综合行政执法局 sees
// its 招牌 sub-case with the fields the one form fed it; once every part
// has its result, the clerk hands them all over at once.
func TestRestaurantBundleOnlineAndAtCounter(t *testing.T) {
	storetest.Each(t, restaurantBundleOnlineAndAtCounter)
}

func restaurantBundleOnlineAndAtCounter(t *testing.T, d sqldb.Dialect) {
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 9, 30, 0, 0, calendar.Location()))
	site := StartSite(t, d, clock)
	st := site.App.Store
	bg := context.Background()
	b, err := st.BundleByCode(bg, "YJS-KBCYD")
	if err != nil {
		t.Fatal(err)
	}
	_, cl, err := site.App.Bundles.Checklist(bg, b.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := Browser(t)
	run := runner(t, ctx, string(d))
	byID := func(id string) string { return `[id="` + id + `"]` } // keys hold a slash

	// Online, as the enterprise: search, the guide, one form, one set.
	dir := t.TempDir()
	fill := chromedp.Tasks{}
	for k, v := range map[string]string{"company_name": "广安市蜀味餐饮管理有限公司", "legal_rep": "张三",
		"legal_rep_id": demo.Citizen.IDNumber, "address": "广安市广安区建设路18号", "capital": "50", "area": "120",
		"sign_area": "12", "phone": "13800138000"} {
		fill = append(fill, chromedp.SetValue(byID("field_"+k), v, chromedp.ByQuery))
	}
	for i, n := range cl.Materials {
		f := filepath.Join(dir, fmt.Sprintf("m%d.pdf", i))
		if err := os.WriteFile(f, []byte(scanPDF+"%"+n.Key+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		fill = append(fill, chromedp.SetUploadFiles(byID("file_"+n.Key), []string{f}, chromedp.ByQuery))
	}
	var where string
	run("the enterprise applies online",
		signIn(site, demo.Enterprise.CreditCode),
		chromedp.Navigate(site.URL+"/search?q=开餐馆"),
		chromedp.WaitVisible("#bundle-results", chromedp.ByID),
		chromedp.Click(`#bundle-results a.result-title`, chromedp.ByQuery),
		chromedp.WaitVisible("#bundle-materials", chromedp.ByID),
		chromedp.ActionFunc(func(ctx context.Context) error { Screenshot(t, ctx, string(d)+"-bundle-guide"); return nil }),
		chromedp.Click("#bundle-apply", chromedp.ByID),
		chromedp.WaitVisible("#bundle-apply-form", chromedp.ByID),
		fill,
		chromedp.Click("#bundle-apply-submit", chromedp.ByID),
		chromedp.WaitVisible("#bundle-subcases", chromedp.ByID),
		chromedp.Location(&where),
	)
	Screenshot(t, ctx, string(d)+"-bundle-parent")
	online, err := st.BundleCaseByNumber(bg, caseNumberIn(where))
	if err != nil {
		t.Fatalf("online application at %s: %v", where, err)
	}
	if len(online.Subs) != len(b.Components) || online.Subs[0].CaseID == 0 {
		t.Fatalf("online application: %+v", online.Subs)
	}

	// At the counter, the clerk ticks the papers seen.
	ticks := chromedp.Tasks{}
	for _, n := range cl.Materials {
		ticks = append(ticks, chromedp.Click(byID("got_"+n.Key), chromedp.ByQuery))
	}
	run("a clerk takes it at the counter",
		signOut(),
		signIn(site, "clerk"),
		chromedp.Navigate(site.URL+"/console/counter?id_number="+demo.Enterprise.CreditCode),
		chromedp.WaitVisible("#counter-bundles", chromedp.ByID),
		chromedp.Click(fmt.Sprintf(`#counter-bundles a[href^="/console/counter/bundles/%d?"]`, b.ID), chromedp.ByQuery),
		chromedp.WaitVisible("#bundle-apply-form", chromedp.ByID),
		fill[:8], // the fields; the papers are ticked, not uploaded
		ticks,
		chromedp.Click("#bundle-apply-submit", chromedp.ByID),
		chromedp.WaitVisible("#bundle-subcases", chromedp.ByID),
		chromedp.Location(&where),
	)
	counter, err := st.BundleCaseByNumber(bg, caseNumberIn(where))
	if err != nil || counter.Channel != tongban.ChannelCounter || counter.ID == online.ID {
		t.Fatalf("counter application at %s: %+v %v", where, counter, err)
	}

	// The lead department sees both, whole, and its own part.
	company := online.Subs[0]
	var led, part string
	run("the lead department sees the bundle and its part",
		signOut(),
		signIn(site, "approver"),
		chromedp.Navigate(site.URL+"/console/bundles"),
		chromedp.WaitVisible("#led-bundles", chromedp.ByID),
		chromedp.Text("#led-bundles", &led, chromedp.ByID),
		chromedp.Navigate(site.URL+"/console/cases/"+company.Number),
		chromedp.WaitVisible("#case-bundle", chromedp.ByID),
		chromedp.Text("#case-bundle", &part, chromedp.ByID),
	)
	for _, want := range []string{online.Number, counter.Number} {
		if !strings.Contains(led, want) {
			t.Errorf("lead list lacks %s:\n%s", want, led)
		}
	}
	for _, want := range []string{b.Name, "本部门为牵头部门", "企业名称", "住所（经营场所）使用证明"} {
		if !strings.Contains(part, want) {
			t.Errorf("the registration's bundle panel lacks %q:\n%s", want, part)
		}
	}

	// The registration decided and issued (its department's work), the
	// 招牌 starts at 综合行政执法局, which sees its part.
	issueRegistration(t, site, company.CaseID)
	online, err = st.BundleCase(bg, online.ID)
	if err != nil {
		t.Fatal(err)
	}
	sign, _ := online.Sub("sign")
	if sign.CaseID == 0 {
		t.Fatalf("the sign did not start: %+v", sign)
	}
	org, err := st.OrgByCode(bg, "gas-zhzfj")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.App.Identity.CreateStaff(bg, identity.StaffAccount{Username: "zhzfj", Name: "赵执法", Password: demo.Password,
		Roles: []tongban.RoleGrant{{Role: tongban.RoleApprover, OrgID: org.ID}}}, identity.Request{IP: "test"}); err != nil {
		t.Fatal(err)
	}
	run("综合行政执法局 sees its part",
		signOut(),
		signIn(site, "zhzfj"),
		chromedp.Navigate(site.URL+"/console/cases/"+sign.Number),
		chromedp.WaitVisible("#case-bundle", chromedp.ByID),
		chromedp.Text("#case-bundle", &part, chromedp.ByID),
	)
	for _, want := range []string{b.Name, online.Number, "招牌面积（平方米）", "设置单位", "企业名称"} {
		if !strings.Contains(part, want) {
			t.Errorf("the sign's bundle panel lacks %q:\n%s", want, part)
		}
	}
	if strings.Contains(part, "本部门为牵头部门") {
		t.Error("综合行政执法局 is told it leads")
	}

	// The three departments decide their parts; the clerk hands every
	// result over at once on the parent's page (一次领取).
	approvers := func(orgCode string, n int) []workflow.Request {
		org, err := st.OrgByCode(bg, orgCode)
		if err != nil {
			t.Fatal(err)
		}
		var out []workflow.Request
		for i := range n {
			u, err := site.App.Identity.CreateStaff(bg, identity.StaffAccount{Username: fmt.Sprintf("%s-%d", orgCode, i),
				Name: "审批" + fmt.Sprint(i), Password: demo.Password,
				Roles: []tongban.RoleGrant{{Role: tongban.RoleApprover, OrgID: org.ID}}}, identity.Request{IP: "test"})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, workflow.Request{Actor: u, IP: "127.0.0.1"})
		}
		return out
	}
	zhzfj, err := st.UserByLogin(bg, "zhzfj")
	if err != nil {
		t.Fatal(err)
	}
	for key, staff := range map[string][]workflow.Request{"food": staffOf(t, site, "approver", "approver-lead"),
		"sign": append(approvers("gas-zhzfj", 1), workflow.Request{Actor: zhzfj, IP: "127.0.0.1"}), "fire": approvers("gas-xfzd", 2)} {
		sc, _ := online.Sub(key)
		issueCase(t, site, sc.CaseID, "R-"+key, staff)
	}
	var state string
	run("the clerk hands every result over at once",
		signOut(),
		signIn(site, "clerk"),
		chromedp.Navigate(site.URL+"/console/bundle-cases/"+online.Number),
		chromedp.WaitVisible("#bundle-handover-form", chromedp.ByID),
		chromedp.Click("#handover-identity-checked", chromedp.ByID),
		chromedp.Click("#bundle-handover-submit", chromedp.ByID),
		chromedp.WaitNotPresent("#bundle-handover-form", chromedp.ByID),
		chromedp.Text("#bundle-case-state", &state, chromedp.ByID),
	)
	if !strings.Contains(state, "已办结") {
		t.Errorf("after the handover the bundle is %q", state)
	}
}

// staffOf signs workflow requests for existing staff logins.
func staffOf(t *testing.T, site *Site, logins ...string) []workflow.Request {
	t.Helper()
	var out []workflow.Request
	for _, l := range logins {
		u, err := site.App.Store.UserByLogin(context.Background(), l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, workflow.Request{Actor: u, IP: "127.0.0.1"})
	}
	return out
}

// issueRegistration has the window accept the registration and 市场监管's
// two approvers review, approve and issue it, filling each licence face
// item the refusal names.
func issueRegistration(t *testing.T, site *Site, id int64) {
	t.Helper()
	issueCase(t, site, id, "91511602MA6CYD0001", staffOf(t, site, "approver", "approver-lead"))
}

// issueCase has the window accept the case and the department's staff
// review, approve and issue it with the result number.
func issueCase(t *testing.T, site *Site, id int64, resultNo string, staff []workflow.Request) {
	t.Helper()
	ctx := context.Background()
	wf := site.App.Workflow
	if _, err := wf.Accept(ctx, staffOf(t, site, "clerk")[0], id, workflow.AcceptInput{}); err != nil {
		t.Fatalf("accept: %v", err)
	}
	face := map[string]string{}
	for range 12 {
		c, err := site.App.Store.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var last error
		try := func(f func(r workflow.Request) error) bool {
			for _, r := range staff {
				if last = f(r); last == nil {
					return true
				}
			}
			return false
		}
		switch c.State {
		case tongban.CaseAccepted, tongban.CaseInReview:
			if !try(func(r workflow.Request) error { _, err := wf.Review(ctx, r, id, "审查通过"); return err }) &&
				!try(func(r workflow.Request) error { _, err := wf.Approve(ctx, r, id, "准予登记"); return err }) {
				t.Fatalf("case %d stuck at %s: %v", id, c.State, last)
			}
		case tongban.CaseApproved:
			if !try(func(r workflow.Request) error {
				_, err := wf.IssueWithFace(ctx, r, id, resultNo, face)
				return err
			}) {
				e := tongban.AsError(last)
				_, rest, _ := strings.Cut(e.Message, "「")
				name, _, _ := strings.Cut(rest, "」")
				if !strings.HasPrefix(e.Field, "face.") || name == "" || face[name] != "" {
					t.Fatalf("issue: %v", last)
				}
				face[name] = "核对：" + name
			}
		default:
			return
		}
	}
	t.Fatalf("case %d never issued", id)
}
