package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/license/licensetest"
)

// bundleSub is the sub-case of a component of the parent numbered number.
func (s *caseSite) bundleSub(number, component string) *tongban.Case {
	s.t.Helper()
	bc, err := s.app.Store.BundleCaseByNumber(context.Background(), number)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, sc := range bc.Subs {
		if sc.Component == component && sc.CaseID != 0 {
			c, err := s.app.Store.Case(context.Background(), sc.CaseID)
			if err != nil {
				s.t.Fatal(err)
			}
			return c
		}
	}
	s.t.Fatalf("bundle case %s has no started sub-case %s", number, component)
	return nil
}

// Applying online for 企业信息变更 the enterprise is offered, for the one
// 营业执照 of the bundle, its valid e-licence (用证) and its 企业登记信息
// record, as on a single listing's form. With neither taken the paper is
// asked for; with the licence chosen and the use authorised, the
// component that takes it is spared by the licence, and the consent is
// recorded for that sub-case.
func TestBundleApplyOffersLicenceAndSharedData(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	st := s.app.Store
	sm, err := st.StandardMaterial(ctx, "BZ0301")
	if err != nil {
		t.Fatal(err)
	}
	sm.LicenseType = "11100000MB0143028R001" // 营业执照
	if err := st.SaveStandardMaterial(ctx, sm); err != nil {
		t.Fatal(err)
	}
	org, err := st.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	lic := licensetest.Store(t, st, org, s.user(demo.Enterprise.CreditCode), sm.LicenseType, 41, 0, s.clock.Now())
	change := demoBundle(t, s.app, "YJS-QYXXBG")
	_, cl, err := s.app.Bundles.Checklist(ctx, change.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	firm := s.as(demo.Enterprise.CreditCode)
	path := "/bundles/" + itoa(change.ID) + "/apply"
	status, page := firm.get(path)
	if status != http.StatusOK {
		t.Fatalf("bundle apply page: %d %s", status, errorOf(page))
	}
	mustContain(t, "bundle apply page", page, `id="licence-offer-BZ0301"`, `value="`+lic.Identifier+`"`, `name="license_consent_BZ0301"`,
		`id="shared-offer-BZ0301"`, "企业登记信息", `name="share_BZ0301"`)
	apply := func(v url.Values) (int, string, string) {
		_, page := firm.get(path)
		v.Set("csrf_token", firm.csrf(page))
		v.Set("idempotency_key", hidden(t, page, "idempotency_key"))
		v.Set("field_name", "广安市蜀味餐饮管理有限公司")
		v.Set("field_new_address", "广安市广安区建设路88号")
		v.Set("field_phone", "13800138000")
		files := map[string]string{}
		for _, n := range cl.Materials {
			if n.Key != "BZ0301" {
				files["file_"+n.Key] = tinyPDF + "%" + n.Key
			}
		}
		return firm.postFiles(path, v, files)
	}
	// The licence chosen, no consent, the record not taken: the paper is due.
	status, page, _ = apply(url.Values{"license_BZ0301": {lic.Identifier}})
	if status != http.StatusBadRequest {
		t.Fatalf("neither reference taken: %d %s", status, errorOf(page))
	}
	mustContain(t, "neither reference taken", page, "请上传「营业执照」")
	if cs, _ := st.LicenseConsents(ctx, lic.ID); len(cs) != 0 {
		t.Fatalf("a refused application recorded %d licence consents", len(cs))
	}

	status, page, loc := apply(url.Values{"license_BZ0301": {lic.Identifier}, "license_consent_BZ0301": {"1"},
		"license_reason_BZ0301": {"企业信息变更，证明主体资格"}})
	if status != http.StatusSeeOther {
		t.Fatalf("apply with the licence: %d %s", status, errorOf(page))
	}
	number := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cases/")
	sub := s.bundleSub(number, "change")
	m, _ := sub.Material(cl.Materials[1].ByListing["change"])
	if m.Status != tongban.MaterialELicense || m.Ref == nil || m.Ref.Kind != tongban.RefLicense || m.Ref.ID != lic.Identifier || !m.Spared() || m.BlobHash != "" {
		t.Fatalf("营业执照 of 公司变更登记 = %+v", m)
	}
	cs, err := st.LicenseConsents(ctx, lic.ID)
	if err != nil || len(cs) != 1 || cs[0].CaseNumber != sub.Number || cs[0].Reason != "企业信息变更，证明主体资格" {
		t.Fatalf("licence consents = %+v, %v", cs, err)
	}
}

// At the window a clerk takes 退休 for 张三: the bundle form offers the
// 居民身份证 confirmed earlier in his material library and his 社会保险参保信息
// (masked: the clerk sees what the applicant would). Taken, the entry
// spares the ID card for 退休 and for 医保 and 公积金 waiting on it (their
// reference kept for their start); the record spares 退休's 社会保险缴费记录;
// the clerk's look and the case's read are in 张三's data record.
func TestBundleCounterOffersLibraryAndSharedData(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	zhang := s.user(demo.Citizen.IDNumber)
	entry := s.confirmedIDCard()
	retire := demoBundle(t, s.app, "YJS-TX")
	answers := map[string]string{"fund": "yes"}
	_, cl, err := s.app.Bundles.Checklist(ctx, retire.ID, answers)
	if err != nil {
		t.Fatal(err)
	}
	clerk := s.as("clerk")
	clerk.get("/console/counter?id_number=" + demo.Citizen.IDNumber) // the clerk checks the ID card shown
	path := "/console/counter/bundles/" + itoa(retire.ID)
	status, page := clerk.get(path + "?applicant=" + itoa(zhang.ID) + "&answer_fund=yes")
	if status != http.StatusOK {
		t.Fatalf("counter bundle page: %d %s", status, errorOf(page))
	}
	mustContain(t, "counter bundle page", page, `id="library-offer-BZ0101"`, `value="`+itoa(entry.ID)+`"`, "于 "+entry.CaseNumber+" 号办件中确认",
		`id="shared-offer-BZ0503"`, "社会保险参保信息", `name="share_BZ0503"`)
	if strings.Contains(page, demo.Citizen.IDNumber) {
		t.Error("the bundle form shows the shared record unmasked")
	}
	before, err := s.app.Store.DataUses(ctx, zhang.ID, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{"csrf_token": {clerk.csrf(page)}, "idempotency_key": {hidden(t, page, "idempotency_key")},
		"applicant": {itoa(zhang.ID)}, "answer_fund": {"yes"}, "share_BZ0503": {"1"}, "reuse_BZ0101": {itoa(entry.ID)},
		"field_name": {"张三"}, "field_id": {demo.Citizen.IDNumber}, "field_employer": {"广安市蜀味餐饮管理有限公司"},
		"field_phone": {"13800138000"}, "field_bank_account": {"6217000000000000000"}}
	for _, n := range cl.Materials {
		if n.Key != "BZ0503" && n.Key != "BZ0101" {
			v.Set("got_"+n.Key, "on")
		}
	}
	status, page, loc := clerk.postFiles(path, v, nil)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/bundle-cases/") {
		t.Fatalf("counter apply: %d %s %s", status, loc, errorOf(page))
	}
	number := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/console/bundle-cases/")
	sub := s.bundleSub(number, "retire")
	m, _ := sub.Material("m3")
	if m.Status != tongban.MaterialShared || m.Ref == nil || m.Ref.Kind != tongban.RefShared || !strings.HasPrefix(m.Ref.ID, "RS-SBCB:") || !m.Spared() {
		t.Fatalf("社会保险缴费记录 of 退休 = %+v", m)
	}
	// The 居民身份证 from the library: 退休 holds the entry's file now; 医保
	// and 公积金, waiting for 退休, keep the same reference for their start.
	if m, _ := sub.Material("m2"); m.Status != tongban.MaterialReused || m.Ref == nil || m.Ref.ID != itoa(entry.ID) || m.BlobHash != entry.BlobHash {
		t.Fatalf("居民身份证 of 退休 = %+v", m)
	}
	bc, err := s.app.Store.BundleCaseByNumber(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range bc.Subs[1:] {
		if sc.Status != tongban.SubWaiting || len(sc.Spared) != 1 || sc.Spared[0].Ref == nil || sc.Spared[0].Ref.ID != itoa(entry.ID) {
			t.Errorf("waiting %s keeps %+v", sc.Name, sc.Spared)
		}
	}
	after, err := s.app.Store.DataUses(ctx, zhang.ID, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	var looked, read bool
	for _, u := range after[:len(after)-len(before)] {
		looked = looked || u.Kind == tongban.DataUseSharedLookup && u.CaseNumber == "" && strings.Contains(u.Resource, "RS-SBCB")
		read = read || u.Kind == tongban.DataUseSharedLookup && u.CaseNumber == sub.Number && u.Resource == "RS-SBCB"
	}
	if !looked || !read {
		t.Fatalf("张三's data record lacks the clerk's look (%v) or the case's read (%v): %+v", looked, read, after)
	}
}

// confirmedIDCard puts 张三's 居民身份证 into his material library the way
// it gets there: uploaded with an application, confirmed by the clerk
// accepting it (审核通过).
func (s *caseSite) confirmedIDCard() *tongban.LibraryEntry {
	t := s.t
	l := s.cityListing("就业创业证申领")
	key := keyOf(t, l, "BZ0101")
	citizen := s.as(demo.Citizen.IDNumber)
	path := "/apply/" + itoa(l.ID)
	_, page := citizen.get(path)
	v := url.Values{"csrf_token": {citizen.csrf(page)}, "idempotency_key": {hidden(t, page, "idempotency_key")},
		"listing_version": {itoa(int64(l.Version))}, "contact": {"张三"}, "phone": {"13800138000"}, "delivery": {"pickup"}}
	status, _, loc := citizen.postFiles(path, v, map[string]string{"file_" + key: tinyPDF + "%idcard"})
	if status != http.StatusSeeOther {
		t.Fatalf("first application: %d", status)
	}
	number := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cases/")
	status, _, _ = s.as("clerk").post("/console/cases/"+number, "/console/cases/"+number+"/accept",
		url.Values{"version": {itoa(int64(s.caseNow(number).Version))}, "confirm_" + key: {"on"}, "valid_until_" + key: {"2036-05-01"}})
	if status != http.StatusSeeOther {
		t.Fatalf("accept with confirmation: %d", status)
	}
	entries, err := s.app.Exchange.Library.Entries(context.Background(), s.user(demo.Citizen.IDNumber))
	if err != nil || len(entries) != 1 {
		t.Fatalf("library = %+v, %v", entries, err)
	}
	return entries[0]
}
