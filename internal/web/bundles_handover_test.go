package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// siteOn is the demo city on the dialect.
func siteOn(t *testing.T, d sqldb.Dialect) (*browser, *app.App) {
	t.Helper()
	return guideSiteWith(t, func(c *app.Config) {
		if d == sqldb.Postgres {
			c.DB = storetest.CreatePostgresDB(t)
		}
	})
}

// counterBundle has the clerk identify the applicant by the card shown
// (idCard), then take the bundle with form v at the counter, every paper
// ticked as seen, and returns the parent.
func counterBundle(t *testing.T, a *app.App, clerk *browser, b *tongban.Bundle, idCard string, applicantID int64, v url.Values) *tongban.BundleCase {
	t.Helper()
	clerk.get("/console/counter?id_number=" + url.QueryEscape(idCard))
	take := fmt.Sprintf("/console/counter/bundles/%d", b.ID)
	q := url.Values{"applicant": {fmt.Sprint(applicantID)}}
	for k, x := range v {
		if strings.HasPrefix(k, "answer_") {
			q[k] = x // the questions answered, the page lists the papers
		}
	}
	status, page := clerk.get(take + "?" + q.Encode())
	if status != http.StatusOK {
		t.Fatalf("counter bundle page: %d %s", status, errorOf(page))
	}
	v.Set("idempotency_key", hidden(t, page, "idempotency_key"))
	v.Set("csrf_token", clerk.csrf(page))
	v.Set("applicant", fmt.Sprint(applicantID))
	for _, m := range regexp.MustCompile(`id="got_([^"]+)"`).FindAllStringSubmatch(page, -1) {
		v.Set("got_"+m[1], "on")
	}
	status, page, loc := clerk.postFiles(take, v, nil)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/bundle-cases/") {
		t.Fatalf("counter apply: %d %s %s", status, loc, errorOf(page))
	}
	bc, err := a.Store.BundleCaseByNumber(context.Background(), strings.TrimPrefix(loc, "/console/bundle-cases/"))
	if err != nil {
		t.Fatal(err)
	}
	return bc
}

// decider walks sub-cases to their decisions through the workflow, as the
// departments' approvers do (two per department: 审核与审批分离).
type decider struct {
	a         *app.App
	clerk     *tongban.User
	approvers map[int64][]*tongban.User
}

func newDecider(t *testing.T, a *app.App) *decider {
	t.Helper()
	clerk, err := a.Store.UserByLogin(context.Background(), "clerk")
	if err != nil {
		t.Fatal(err)
	}
	return &decider{a: a, clerk: clerk, approvers: map[int64][]*tongban.User{}}
}

func (d *decider) approversOf(t *testing.T, orgID int64) []*tongban.User {
	t.Helper()
	if us, ok := d.approvers[orgID]; ok {
		return us
	}
	for i := range 2 {
		u, err := d.a.Identity.CreateStaff(context.Background(), identity.StaffAccount{Username: fmt.Sprintf("dec%d-%d", orgID, i),
			Name: fmt.Sprintf("审批%d", i), Password: demo.Password,
			Roles: []tongban.RoleGrant{{Role: tongban.RoleApprover, OrgID: orgID}}}, identity.Request{IP: "test"})
		if err != nil {
			t.Fatal(err)
		}
		d.approvers[orgID] = append(d.approvers[orgID], u)
	}
	return d.approvers[orgID]
}

// decide accepts the case at the window and takes it to its result (the
// result number resultNo) or, with approve false, to a denial.
func (d *decider) decide(t *testing.T, id int64, approve bool, resultNo string) {
	t.Helper()
	ctx := context.Background()
	wf := d.a.Workflow
	if _, err := wf.Accept(ctx, workflow.Request{Actor: d.clerk, IP: "127.0.0.1"}, id, workflow.AcceptInput{}); err != nil {
		t.Fatalf("accept %d: %v", id, err)
	}
	for range 12 {
		c, err := d.a.Store.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var last error
		try := func(f func(r workflow.Request) error) bool {
			for _, u := range d.approversOf(t, c.OrgID) {
				if last = f(workflow.Request{Actor: u, IP: "127.0.0.1"}); last == nil {
					return true
				}
			}
			return false
		}
		switch c.State {
		case tongban.CaseAccepted, tongban.CaseInReview:
			if try(func(r workflow.Request) error { _, err := wf.Review(ctx, r, id, "审查通过"); return err }) {
				continue
			}
			if approve && try(func(r workflow.Request) error { _, err := wf.Approve(ctx, r, id, "准予办理"); return err }) {
				continue
			}
			if !approve && try(func(r workflow.Request) error {
				_, err := wf.Deny(ctx, r, id, []string{"不符合设置规范"})
				return err
			}) {
				continue
			}
			t.Fatalf("%s stuck at %s: %v", c.Number, c.State, last)
		case tongban.CaseApproved:
			// A licence result: each face item the form lacks is filled in
			// as the refusal names it.
			face := map[string]string{}
			for !try(func(r workflow.Request) error { _, err := wf.IssueWithFace(ctx, r, id, resultNo, face); return err }) {
				e := tongban.AsError(last)
				_, rest, _ := strings.Cut(e.Message, "「")
				name, _, _ := strings.Cut(rest, "」")
				if !strings.HasPrefix(e.Field, "face.") || name == "" || face[name] != "" {
					t.Fatalf("issue %s: %v", c.Number, last)
				}
				face[name] = "审批人核对：" + name
			}
		default:
			return
		}
	}
	t.Fatalf("case %d never decided", id)
}

// decideBundle decides every sub-case of the parent, prerequisites first
// (their results start the rest), denying the components in deny.
func (d *decider) decideBundle(t *testing.T, number string, deny ...string) *tongban.BundleCase {
	t.Helper()
	done := map[string]bool{}
	for range 6 {
		bc, err := d.a.Store.BundleCaseByNumber(context.Background(), number)
		if err != nil {
			t.Fatal(err)
		}
		progressed := false
		for _, sc := range bc.Subs {
			if sc.CaseID == 0 || done[sc.Component] {
				continue
			}
			denied := false
			for _, k := range deny {
				denied = denied || k == sc.Component
			}
			d.decide(t, sc.CaseID, !denied, "R-"+sc.Component+"-"+number[len(number)-4:])
			done[sc.Component], progressed = true, true
		}
		if !progressed {
			return bc
		}
	}
	t.Fatal("the bundle never settled")
	return nil
}

// The lead clerk hands every result of 开办餐饮店 over at once on the
// parent's console page: the results listed with their numbers, a pickup
// without the ID checked refused naming the field and delivering nothing,
// an express parcel without its tracking number refused likewise, an
// approver (no 出件 permission) refused, and one pickup closing every
// sub-case as one trip. Both engines.
func TestBundleHandoverPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		b, a := siteOn(t, d)
		ctx := context.Background()
		restaurant := demoBundle(t, a, "YJS-KBCYD")
		firm, err := a.Store.UserByLogin(ctx, demo.Enterprise.CreditCode)
		if err != nil {
			t.Fatal(err)
		}
		clerk := b.another()
		clerk.signIn("clerk")
		bc := counterBundle(t, a, clerk, restaurant, string(firm.CreditCode), firm.ID, restaurantForm(""))
		path := "/console/bundle-cases/" + bc.Number

		// Before the results: the panel says they are handed over together, no form.
		_, page := clerk.get(path)
		mustContain(t, "before", page, `id="bundle-handover"`, `id="bundle-handover-wait"`)
		if strings.Contains(page, `id="bundle-handover-form"`) {
			t.Error("the handover form is offered before the results are in")
		}

		dec := newDecider(t, a)
		bc = dec.decideBundle(t, bc.Number)
		results := map[string]string{}
		for _, sc := range bc.Subs {
			c, err := a.Store.Case(ctx, sc.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			if c.State != tongban.CaseResultIssued || c.ResultNo == "" {
				t.Fatalf("%s is %s (%q) before the handover", sc.Name, c.State, c.ResultNo)
			}
			results[sc.Number] = c.ResultNo
		}
		if len(results) != len(restaurant.Components) {
			t.Fatalf("%d results for %d components", len(results), len(restaurant.Components))
		}

		status, page := clerk.get(path)
		if status != http.StatusOK {
			t.Fatalf("the parent: %d %s", status, errorOf(page))
		}
		mustContain(t, "ready", page, `id="bundle-handover-form"`, `action="`+path+`/handover"`, string(firm.CreditCode))
		for number, no := range results {
			row := regexp.MustCompile(`(?s)class="bundle-result" data-number="` + regexp.QuoteMeta(number) + `">(.*?)</tr>`).FindStringSubmatch(page)
			if row == nil || !strings.Contains(row[1], `<td class="result-no">`+no+`</td>`) {
				t.Errorf("result %s: row %v, want number %s", number, row, no)
			}
		}

		_, en := clerk.get(path + "?lang=en")
		for _, bad := range chromePunctuation(en) {
			t.Errorf("the parent (English) has full-width punctuation in %q", bad)
		}

		closed := func() int {
			n := 0
			for _, sc := range bc.Subs {
				if c, _ := a.Store.Case(ctx, sc.CaseID); c.State == tongban.CaseClosed {
					n++
				}
			}
			return n
		}
		// The ID not checked: refused on its field, nothing delivered.
		status, page, _ = clerk.post(path, path+"/handover", url.Values{"method": {"pickup"}, "collector": {"self"}})
		if status != http.StatusBadRequest || !strings.Contains(page, `id="handover-error-identity_checked"`) {
			t.Errorf("no ID check: %d %s", status, errorOf(page))
		}
		// Express without a tracking number: refused naming it.
		status, page, _ = clerk.post(path, path+"/handover", url.Values{"method": {"express"}})
		if status != http.StatusBadRequest || !strings.Contains(page, `id="handover-error-tracking_no"`) ||
			!strings.Contains(page, "运单号") || !strings.Contains(page, `id="handover-express" checked`) {
			t.Errorf("express without a number: %d %s", status, errorOf(page))
		}
		// Someone without the 出件 permission.
		approver := b.another()
		approver.signIn("approver")
		_, apage := approver.get(path)
		if strings.Contains(apage, `id="bundle-handover-form"`) {
			t.Error("an approver is offered the handover")
		}
		if status, _, _ := approver.post(path, path+"/handover", url.Values{"method": {"pickup"}, "collector": {"self"},
			"identity_checked": {"on"}}); status != http.StatusForbidden {
			t.Errorf("an approver handed over: %d", status)
		}
		if n := closed(); n != 0 {
			t.Fatalf("refused handovers closed %d sub-cases", n)
		}

		// One pickup: every sub-case closed, one visit among their deliveries.
		status, _, loc := clerk.post(path, path+"/handover", url.Values{"method": {"pickup"}, "collector": {"self"},
			"identity_checked": {"on"}})
		if status != http.StatusSeeOther || loc != path {
			t.Fatalf("handover: %d %s", status, loc)
		}
		if n := closed(); n != len(bc.Subs) {
			t.Errorf("the handover closed %d of %d sub-cases", n, len(bc.Subs))
		}
		visits := 0
		for _, sc := range bc.Subs {
			evs, err := a.Store.CaseEvents(ctx, sc.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				if e.Action == tongban.ActionDeliver && e.Visit {
					visits++
				}
			}
		}
		if visits != 1 {
			t.Errorf("the handover counted %d visits; want 1", visits)
		}
		_, page = clerk.get(path)
		mustContain(t, "after", page, "已办结")
		if strings.Contains(page, `id="bundle-handover"`) {
			t.Error("the handover panel is still offered once closed")
		}

		// An applicant who asked for the results one by one: the clerk is
		// sent to 统一出件, and the handover is refused.
		one := restaurantForm("")
		one.Set("separate", "on")
		sep := counterBundle(t, a, clerk, restaurant, string(firm.CreditCode), firm.ID, one)
		spath := "/console/bundle-cases/" + sep.Number
		_, page = clerk.get(spath)
		mustContain(t, "separate", page, `id="bundle-handover-separate"`, `href="/console/handout"`)
		status, page, _ = clerk.post(spath, spath+"/handover", url.Values{"method": {"pickup"}, "collector": {"self"},
			"identity_checked": {"on"}})
		if status != http.StatusConflict || !strings.Contains(page, "分别领取") {
			t.Errorf("handover of a separate application: %d %s", status, errorOf(page))
		}

		// The supervisor's measures on /console/bundles, counted by hand:
		// two applications, one finished (its promise 6 working days, the
		// longest path: the registration, then the longest of the three
		// that wait on it), and two trips —
		// the first application's counter visit and its one pickup on the
		// same day are one, the second's counter visit another.
		sup := b.another()
		sup.signIn("supervisor")
		_, page = sup.get("/console/bundles")
		row := regexp.MustCompile(fmt.Sprintf(`(?s)id="measure-%d">(.*?)</tr>`, restaurant.ID)).FindStringSubmatch(page)
		if row == nil {
			t.Fatal("no measures row for 开办餐饮店")
		}
		var cells []string
		for _, m := range regexp.MustCompile(`<td>(.*?)</td>`).FindAllStringSubmatch(row[1], -1) {
			cells = append(cells, m[1])
		}
		if len(cells) != 6 || cells[1] != "2" || cells[2] != "1" || !strings.HasPrefix(cells[3], "6 / ") || cells[4] != "2" {
			t.Errorf("measures row %q; want 2 applications, 1 finished, promised 6, 2 trips", cells)
		}
		_, cl, err := a.Bundles.Checklist(ctx, restaurant.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("%d / %d", 2*len(cl.Materials), 2*cl.Separately); len(cells) == 6 && cells[5] != want {
			t.Errorf("materials %q; want %s (each application asks the merged list once)", cells[5], want)
		}
	})
}
