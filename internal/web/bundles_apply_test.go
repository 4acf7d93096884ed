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
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/workflow"
)

// restaurantForm is the merged form of 开办餐饮店 as the enterprise fills it.
func restaurantForm(key string) url.Values {
	return url.Values{"idempotency_key": {key},
		"field_company_name": {"广安市蜀味餐饮管理有限公司"}, "field_legal_rep": {"李明"},
		"field_legal_rep_id": {"511602199003071232"}, "field_address": {"广安市广安区建设路18号"},
		"field_capital": {"50"}, "field_area": {"120"}, "field_sign_area": {"12"}, "field_phone": {"13800138000"}}
}

var keptBlob = regexp.MustCompile(`name="blob_([^"]+)" value="([^"]+)"`)

// Applying online for 开办餐饮店 as the demo enterprise: one form, one file
// per merged material; a missing file and a value one department refuses
// come back on their fields, keeping what was typed and uploaded, writing
// nothing; the accepted form makes the parent whose page shows each
// department's sub-case; the same form posted again files nothing new.
func TestBundleApplyOnline(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	ctx := context.Background()
	restaurant := demoBundle(t, a, "YJS-KBCYD")
	b.signIn(demo.Enterprise.CreditCode)
	firm, err := a.Store.UserByLogin(ctx, demo.Enterprise.CreditCode)
	if err != nil {
		t.Fatal(err)
	}
	apply := fmt.Sprintf("/bundles/%d/apply", restaurant.ID)
	status, page := b.get(apply)
	if status != http.StatusOK {
		t.Fatalf("apply page: %d %s", status, errorOf(page))
	}
	_, cl, err := a.Bundles.Checklist(ctx, restaurant.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range restaurant.Fields {
		mustContain(t, "apply form", page, `id="field_`+f.Key+`"`)
	}
	for _, n := range cl.Materials {
		mustContain(t, "apply form", page, `id="file_`+n.Key+`"`)
	}
	key := hidden(t, page, "idempotency_key")
	mine := func() []*tongban.BundleCase {
		bcs, err := a.Store.BundleCases(ctx, tongban.BundleCaseFilter{ApplicantID: firm.ID})
		if err != nil {
			t.Fatal(err)
		}
		return bcs
	}

	// Every file but the last: that line is named, the others are kept.
	v := restaurantForm(key)
	v.Set("csrf_token", b.csrf(page))
	files := map[string]string{}
	for _, n := range cl.Materials[:len(cl.Materials)-1] {
		files["file_"+n.Key] = tinyPDF
	}
	last := cl.Materials[len(cl.Materials)-1]
	status, page, _ = b.postFiles(apply, v, files)
	if status != http.StatusBadRequest {
		t.Fatalf("missing file: %d %s", status, errorOf(page))
	}
	mustContain(t, "missing file", page, "请上传「"+last.Name+"」", `value="广安市广安区建设路18号"`)
	kept := keptBlob.FindAllStringSubmatch(page, -1)
	if len(kept) != len(cl.Materials)-1 {
		t.Errorf("%d files kept, want %d", len(kept), len(cl.Materials)-1)
	}
	if n := len(mine()); n != 0 {
		t.Fatalf("a refused form wrote %d applications", n)
	}

	// The files kept, the last one sent; a 招牌 too big for 城管's rule.
	v = restaurantForm(key)
	v.Set("csrf_token", b.csrf(page))
	for _, m := range kept {
		v.Set("blob_"+m[1], m[2])
	}
	v.Set("field_sign_area", "30")
	status, page, _ = b.postFiles(apply, v, map[string]string{"file_" + last.Key: tinyPDF})
	if status != http.StatusBadRequest {
		t.Fatalf("sign too big: %d %s", status, errorOf(page))
	}
	sign, _ := restaurant.Component("sign")
	mustContain(t, "sign too big", page, "「"+sign.Name+"」", "不能大于20", `id="field_sign_area" type="number" value="30" step="any" aria-invalid="true"`)
	if n := len(mine()); n != 0 {
		t.Fatalf("a refused form wrote %d applications", n)
	}
	kept = keptBlob.FindAllStringSubmatch(page, -1)
	if len(kept) != len(cl.Materials) {
		t.Fatalf("%d files kept, want all %d", len(kept), len(cl.Materials))
	}

	// Right: the parent, and its page.
	v = restaurantForm(key)
	v.Set("csrf_token", b.csrf(page))
	for _, m := range kept {
		v.Set("blob_"+m[1], m[2])
	}
	status, page, loc := b.postFiles(apply, v, nil)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("apply: %d %s %s", status, loc, errorOf(page))
	}
	bcs := mine()
	if len(bcs) != 1 || "/cases/"+bcs[0].Number != loc {
		t.Fatalf("applications %v, redirected to %s", bcs, loc)
	}
	bc := bcs[0]
	status, page = b.get(loc)
	if status != http.StatusOK {
		t.Fatalf("parent page: %d %s", status, errorOf(page))
	}
	mustContain(t, "parent page", page, `id="bundle-subcases"`, restaurant.Name, "统一出件")
	for _, sc := range bc.Subs {
		mustContain(t, "parent page", page, sc.Name, sc.OrgName, sc.Number)
	}
	if n := strings.Count(page, `class="subcase"`); n != len(restaurant.Components) {
		t.Errorf("%d sub-cases shown, want %d", n, len(restaurant.Components))
	}
	// A started sub-case links to its own page; waiting ones wait for 设立登记.
	company, _ := restaurant.Component("company")
	mustContain(t, "parent page", page, `href="/cases/`+bc.Subs[0].Number+`"`, company.Name, "等待前置事项")

	// The same form again (a double submit): the same application.
	v.Set("csrf_token", b.csrf(page))
	status, _, loc2 := b.postFiles(apply, v, nil)
	if status != http.StatusSeeOther || loc2 != loc {
		t.Errorf("resubmit: %d %s, want the first application %s", status, loc2, loc)
	}
	if n := len(mine()); n != 1 {
		t.Errorf("resubmit made %d applications", n)
	}
	// A 补正 from 市场监管 on the registration: ONE notice on the parent,
	// supplemented once there.
	clerk, err := a.Store.UserByLogin(ctx, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	var asked []tongban.Deficiency
	for _, n := range cl.Materials {
		if k, ok := n.ByListing["company"]; ok && len(asked) < 2 {
			asked = append(asked, tongban.Deficiency{Key: k, Reason: "复印件不清晰"})
		}
	}
	if _, err := a.Workflow.RequestCorrection(ctx, workflow.Request{Actor: clerk, IP: "127.0.0.1"}, bc.Subs[0].CaseID, asked); err != nil {
		t.Fatal(err)
	}
	_, page = b.get(loc)
	mustContain(t, "notice", page, `id="bundle-notice"`, `id="bundle-supplement-form"`, "复印件不清晰", "待补正")
	lines := regexp.MustCompile(`<li id="notice-([^"]+)">`).FindAllStringSubmatch(page, -1)
	if len(lines) != len(asked) {
		t.Fatalf("%d notice lines, want %d", len(lines), len(asked))
	}
	sup := url.Values{"csrf_token": {b.csrf(page)}}
	status, page, _ = b.postFiles(loc+"/bundle-supplement", sup, map[string]string{"file_" + lines[0][1]: tinyPDF})
	if status != http.StatusBadRequest {
		t.Fatalf("half a supplement: %d %s", status, errorOf(page))
	}
	mustContain(t, "half a supplement", page, `id="uploaded-`+lines[0][1]+`"`)
	kept = keptBlob.FindAllStringSubmatch(page, -1)
	sup = url.Values{"csrf_token": {b.csrf(page)}}
	for _, m := range kept {
		sup.Set("blob_"+m[1], m[2])
	}
	status, page, _ = b.postFiles(loc+"/bundle-supplement", sup, map[string]string{"file_" + lines[1][1]: tinyPDF})
	if status != http.StatusSeeOther {
		t.Fatalf("supplement: %d %s", status, errorOf(page))
	}
	if c, err := a.Store.Case(ctx, bc.Subs[0].CaseID); err != nil || c.State != tongban.CaseSubmitted {
		t.Errorf("after the supplement the registration is %v (%v)", c.State, err)
	}
	_, page = b.get(loc)
	if strings.Contains(page, `id="bundle-notice"`) {
		t.Error("the notice stays after the supplement")
	}

	// In English, half-width marks in the pages' own words.
	for _, p := range []string{apply, loc} {
		_, page := b.get(p + "?lang=en")
		for _, bad := range chromePunctuation(page) {
			t.Errorf("%s (English) has full-width punctuation in %q", p, bad)
		}
	}
	// Another applicant does not see it.
	other := b.another()
	other.signIn(demo.Citizen.IDNumber)
	if status, _ := other.get(loc); status != http.StatusNotFound {
		t.Errorf("another applicant reads the parent: %d", status)
	}
	// A person is pointed to an enterprise account for an enterprise's bundle.
	status, page = other.get(apply)
	if status != http.StatusForbidden || !strings.Contains(page, "请使用法人账号申请") {
		t.Errorf("a person applying for 开办餐饮店: %d %s", status, errorOf(page))
	}
}
