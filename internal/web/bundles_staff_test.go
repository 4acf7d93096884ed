package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
)

// At the comprehensive window a clerk takes 开办餐饮店 for the enterprise,
// ticking the papers seen; the lead department (市场监管) lists it and sees
// it whole, its own sub-case saying which fields came from the one form and
// which papers are shared; a supervisor sees the bundle's measures and who
// holds the open application up; a department with no part does not see it.
func TestBundleAtCounterAndStaffViews(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	ctx := context.Background()
	restaurant := demoBundle(t, a, "YJS-KBCYD")
	firm, err := a.Store.UserByLogin(ctx, demo.Enterprise.CreditCode)
	if err != nil {
		t.Fatal(err)
	}
	clerk := b.another()
	clerk.signIn("clerk")
	_, page := clerk.get("/console/counter?id_number=" + demo.Enterprise.CreditCode)
	take := fmt.Sprintf("/console/counter/bundles/%d?applicant=%d", restaurant.ID, firm.ID)
	mustContain(t, "counter", page, `id="counter-bundles"`, strings.ReplaceAll(take, "&", "&amp;"))
	status, page := clerk.get(take)
	if status != http.StatusOK {
		t.Fatalf("counter bundle page: %d %s", status, errorOf(page))
	}
	mustContain(t, "counter form", page, `id="counter-applicant"`, `name="applicant" value="`+fmt.Sprint(firm.ID)+`"`)
	_, cl, err := a.Bundles.Checklist(ctx, restaurant.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	v := restaurantForm(hidden(t, page, "idempotency_key"))
	v.Set("csrf_token", clerk.csrf(page))
	v.Set("applicant", fmt.Sprint(firm.ID))
	for _, n := range cl.Materials {
		mustContain(t, "counter form", page, `id="got_`+n.Key+`"`)
		v.Set("got_"+n.Key, "on")
	}
	// A paper not seen is named.
	v.Del("got_" + cl.Materials[0].Key)
	status, page, _ = clerk.postFiles(fmt.Sprintf("/console/counter/bundles/%d", restaurant.ID), v, nil)
	if status != http.StatusBadRequest {
		t.Fatalf("a paper missing: %d %s", status, errorOf(page))
	}
	mustContain(t, "a paper missing", page, "请上传「"+cl.Materials[0].Name+"」")
	v.Set("got_"+cl.Materials[0].Key, "on")
	v.Set("csrf_token", clerk.csrf(page))
	status, page, loc := clerk.postFiles(fmt.Sprintf("/console/counter/bundles/%d", restaurant.ID), v, nil)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/bundle-cases/") {
		t.Fatalf("counter apply: %d %s %s", status, loc, errorOf(page))
	}
	bc, err := a.Store.BundleCaseByNumber(ctx, strings.TrimPrefix(loc, "/console/bundle-cases/"))
	if err != nil {
		t.Fatal(err)
	}
	if bc.Channel != tongban.ChannelCounter || bc.ApplicantID != firm.ID {
		t.Errorf("taken at the counter: channel %s applicant %d", bc.Channel, bc.ApplicantID)
	}
	status, page = clerk.get(loc)
	if status != http.StatusOK {
		t.Fatalf("clerk's view of the parent: %d %s", status, errorOf(page))
	}
	if n := strings.Count(page, `class="subcase"`); n != len(restaurant.Components) {
		t.Errorf("clerk sees %d sub-cases, want %d", n, len(restaurant.Components))
	}

	// The lead department: the list, the whole bundle, its own sub-case.
	lead := b.another()
	lead.signIn("approver")
	_, page = lead.get("/console")
	mustContain(t, "console links", page, `href="/console/bundles"`)
	_, page = lead.get("/console/bundles")
	mustContain(t, "lead list", page, `href="`+loc+`"`, restaurant.Name)
	status, page = lead.get(loc)
	if status != http.StatusOK {
		t.Fatalf("lead's view of the parent: %d", status)
	}
	for _, sc := range bc.Subs {
		mustContain(t, "lead's view", page, sc.Name, sc.OrgName)
	}
	company := bc.Subs[0]
	status, page = lead.get("/console/cases/" + company.Number)
	if status != http.StatusOK {
		t.Fatalf("the registration: %d %s", status, errorOf(page))
	}
	mustContain(t, "sub-case page", page, `id="case-bundle"`, restaurant.Name, `href="`+loc+`"`, "本部门为牵头部门",
		"企业名称", `id="case-bundle-shared"`)
	shared := regexp.MustCompile(`(?s)id="case-bundle-shared">(.*?)</p>`).FindStringSubmatch(page)
	for _, n := range cl.Materials {
		if _, mine := n.ByListing["company"]; mine && len(n.Components) > 1 {
			if shared == nil || !strings.Contains(shared[1], n.Name) {
				t.Errorf("shared material %s not shown on the registration", n.Name)
			}
		}
	}

	// The supervisor: measures, the open application and who holds it up.
	sup := b.another()
	sup.signIn("supervisor")
	status, page = sup.get("/console/bundles")
	if status != http.StatusOK {
		t.Fatalf("supervisor: %d %s", status, errorOf(page))
	}
	supervisor, err := a.Store.UserByLogin(ctx, "supervisor")
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.Bundles.Measure(ctx, supervisor, a.Calendar, restaurant.ID)
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(fmt.Sprintf(`(?s)id="measure-%d">(.*?)</tr>`, restaurant.ID)).FindStringSubmatch(page)
	if row == nil || !strings.Contains(row[1], fmt.Sprintf("<td>%d</td>", m.Cases)) ||
		!strings.Contains(row[1], fmt.Sprintf("%d / %d", m.MaterialsAsked, m.MaterialsSeparately)) {
		t.Errorf("measures row %v, want %+v", row, m)
	}
	open := page[strings.Index(page, `id="bundle-open"`):]
	mustContain(t, "open applications", open, bc.Number, company.OrgName)

	// A department with no part in it.
	other := b.another()
	other.signIn("approver-rsj")
	if status, _ := other.get(loc); status != http.StatusNotFound {
		t.Errorf("人社 reads the restaurant bundle: %d", status)
	}
	_, page = other.get("/console/bundles")
	if strings.Contains(page, bc.Number) {
		t.Error("人社 lists a bundle it does not lead")
	}
	// English, half-width marks.
	for who, p := range map[*browser]string{lead: "/console/cases/" + company.Number, sup: "/console/bundles", clerk: take} {
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		_, page := who.get(p + sep + "lang=en")
		for _, bad := range chromePunctuation(page) {
			t.Errorf("%s (English) has full-width punctuation in %q", p, bad)
		}
	}
}
