package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

// TestLicenceChangeConsole: the issuing department's admin changes a
// licence from the console — the face items as they stand, a required one
// cannot be emptied (the field is named, nothing changes), a reason is
// required — and saving makes version 2, the old one 已变更; an item holding
// an ID number is shown masked and kept when left empty, and opening the
// form is in the holder's data-use record.
func TestLicenceChangeConsole(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	admin := s.as("deptadmin")
	o, err := s.app.Store.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	org := strconv.FormatInt(o.ID, 10)
	_, page := admin.get("/console/licenses")
	food := regexp1(t, page, `data-identifier="([^"]+)"><td>食品经营许可证 JY25116000001236`)
	mustContain(t, "licences page", page, `/console/licenses/change?org=`+org+`&amp;identifier=`+food)

	form := "/console/licenses/change?org=" + org + "&identifier=" + url.QueryEscape(food)
	status, page := admin.get(form)
	if status != http.StatusOK {
		t.Fatalf("change form: %d %s", status, errorOf(page))
	}
	mustContain(t, "change form", page, "变更电子证照", "JY25116000001236", `name="face.经营项目" value="热食类食品制售；冷食类食品制售"`,
		`name="valid_to" value="2027-01-09"`, "变更原因")

	values := func(change map[string]string) url.Values {
		v := url.Values{"identifier": {food}, "reason": {"增加经营项目"}, "valid_to": {"2027-01-09"}}
		for _, k := range []string{"经营者名称", "社会信用代码（身份证号码）", "法定代表人（负责人）", "住所", "经营场所", "主体业态"} {
			v.Set("face."+k, regexp1(t, page, `name="face.`+k+`" value="([^"]*)"`))
		}
		v.Set("face.经营项目", "热食类食品制售；冷食类食品制售")
		for k, x := range change {
			v.Set(k, x)
		}
		return v
	}
	status, got, _ := admin.post(form, "/console/licenses/change?org="+org, values(map[string]string{"face.经营场所": ""}))
	if status != http.StatusBadRequest || !strings.Contains(got, "经营场所") || !strings.Contains(got, "不能清空") {
		t.Fatalf("emptying a required item: %d %s", status, errorOf(got))
	}
	status, got, _ = admin.post(form, "/console/licenses/change?org="+org, values(map[string]string{"reason": ""}))
	if status != http.StatusBadRequest || !strings.Contains(got, "原因") {
		t.Fatalf("no reason: %d %s", status, errorOf(got))
	}
	if l, _ := s.app.Store.LicenseByIdentifier(ctx, food); l.Status != tongban.LicenseValid {
		t.Fatalf("a refused change moved the licence to %s", l.Status)
	}

	status, _, loc := admin.post(form, "/console/licenses/change?org="+org, values(map[string]string{"face.经营项目": "热食类食品制售；冷食类食品制售；自制饮品制售"}))
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/licenses") {
		t.Fatalf("change: %d %s", status, loc)
	}
	old, err := s.app.Store.LicenseByIdentifier(ctx, food)
	if err != nil || old.Status != tongban.LicenseChanged || old.StatusReason != "增加经营项目" {
		t.Fatalf("old version: %+v, %v", old, err)
	}
	mine, err := s.app.Store.LicensesOfHolder(ctx, old.HolderID)
	if err != nil {
		t.Fatal(err)
	}
	var next *tongban.License
	for _, l := range mine {
		if l.Replaces == food {
			next = l
		}
	}
	if next == nil || next.Version != 2 || next.Number != old.Number || next.Face["经营项目"] != "热食类食品制售；冷食类食品制售；自制饮品制售" ||
		next.Face["经营场所"] != old.Face["经营场所"] || next.ValidTo.Format("2006-01-02") != "2027-01-09" {
		t.Fatalf("new version: %+v", next)
	}
	if v, err := license.Verify(ctx, s.app.Store, next.Identifier, s.app.Workflow.Clock.Now()); err != nil || v.Verdict != license.VerdictValid || !v.SignatureValid {
		t.Fatalf("the new version verifies as %+v, %v", v, err)
	}
	if status, _ := admin.get(form); status != http.StatusConflict {
		t.Fatalf("changing a changed licence: %d, want 409", status)
	}

	// A person's licence whose face holds the ID number: masked on the
	// form, kept when left empty, and opening the form is recorded.
	header := "证照类型代码,证照编号,持证主体,持证主体代码,发证日期,有效期至,姓名,社会保障号码\n"
	row := "11100000000013127D001,BZ5116000999001,张三,511602199003071232,2020-01-02,2030-01-01,张三,511602199003071232\n"
	_, page = admin.get("/console/licenses")
	if status, _, _ := admin.postFiles("/console/licenses/import?org="+org, url.Values{"csrf_token": {admin.csrf(page)}},
		map[string]string{"file": header + row}); status != http.StatusSeeOther {
		t.Fatalf("import: %d", status)
	}
	_, page = admin.get("/console/licenses")
	card := regexp1(t, page, `data-identifier="([^"]+)"><td>社会保障卡 BZ5116000999001`)
	cardForm := "/console/licenses/change?org=" + org + "&identifier=" + url.QueryEscape(card)
	_, page = admin.get(cardForm)
	if strings.Contains(page, "511602199003071232") {
		t.Fatal("the change form shows the full ID number")
	}
	mustContain(t, "card form", page, `name="face.社会保障号码" value="" placeholder="5116**********1232"`)
	holder, err := s.app.Store.LicenseByIdentifier(ctx, card)
	if err != nil {
		t.Fatal(err)
	}
	uses, err := s.app.Store.DataUses(ctx, holder.HolderID, 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	recorded := false
	for _, u := range uses {
		recorded = recorded || (u.Kind == tongban.DataUseLicenseRead && u.Resource == card && u.OrgID == o.ID)
	}
	if !recorded {
		t.Fatalf("opening the change form is not in the holder's data-use record: %+v", uses)
	}
	status, _, _ = admin.post(cardForm, "/console/licenses/change?org="+org, url.Values{"identifier": {card}, "reason": {"补换卡"},
		"valid_to": {"2030-01-01"}, "face.姓名": {"张三"}, "face.社会保障号码": {""}})
	if status != http.StatusSeeOther {
		t.Fatalf("card change: %d", status)
	}
	mine, _ = s.app.Store.LicensesOfHolder(ctx, holder.HolderID)
	for _, l := range mine {
		if l.Replaces == card && l.Face["社会保障号码"] != "511602199003071232" {
			t.Fatalf("an ID number left empty was not kept: %v", l.Face)
		}
	}
}
