package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/license/licensetest"
)

var verifyLink = regexp.MustCompile(`href="(https?://[^"]+/v/([a-z2-7]{26}))" class="license-verify-link"`)

// TestWalletVerifyPageAndShares: the holder's wallet lists the licence
// with its status, QR image, PDF and verification link; the verify page
// needs no sign-in, sets no cookie, masks the holder and says the
// signature verifies; a share link says 仅供办理…使用，有效期至…, opens
// until withdrawn, then is refused; every visit shows in 用证记录; others
// see none of it.
func TestWalletVerifyPageAndShares(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	org, err := s.app.Store.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	holder := s.user(demo.Citizen.IDNumber)
	l := licensetest.Store(t, s.app.Store, org, holder, "11100000MB0143028R002", 901, 5, s.clock.Now())

	me := s.as(demo.Citizen.IDNumber)
	status, page := me.get("/account/licenses")
	mustContain(t, "wallet", page, "食品经营许可证", l.Number, l.Identifier, "有效", "/account/licenses/"+l.Identifier+"/pdf",
		"/account/licenses/"+l.Identifier+"/qr.png", holder.IDNumber.Masked())
	if status != http.StatusOK || strings.Contains(page, holder.IDNumber.Reveal()) {
		t.Fatalf("wallet: %d, or it shows the full ID number", status)
	}
	m := verifyLink.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no verification link in the wallet:\n%s", page)
	}
	token := m[2]
	if status, b := me.get("/account/licenses/" + l.Identifier + "/pdf"); status != http.StatusOK || !strings.HasPrefix(b, "%PDF-") {
		t.Fatalf("face PDF: %d", status)
	}
	if status, b := me.get("/account/licenses/" + l.Identifier + "/qr.png"); status != http.StatusOK || !strings.HasPrefix(b, "\x89PNG") {
		t.Fatalf("QR: %d", status)
	}
	// The signed form the wallet links to answers the signed-in holder.
	if status, b := me.get("/api/v1/licenses/" + l.Identifier + "/signed"); status != http.StatusOK || !strings.Contains(b, `"signer_id":"1234567812345678"`) {
		t.Fatalf("signed form from the wallet: %d %s", status, b)
	}

	// Anyone, signed in or not, verifies by the token.
	anon := &browser{t: t, base: s.base, c: &http.Client{}}
	status, page = anon.get("/v/" + token)
	mustContain(t, "verify page", page, `data-verdict="valid"`, "有效", `data-valid="true"`, "核验通过", org.Name,
		string(org.CreditCode), l.Number, l.Identifier, "张*")
	if status != http.StatusOK || strings.Contains(page, holder.Name) || strings.Contains(page, holder.IDNumber.Reveal()) {
		t.Fatalf("verify page: %d, or it shows the holder unmasked", status)
	}
	// A token nobody made: a clear 404 page, not an error.
	for _, bad := range []string{"aaaaaaaaaaaaaaaaaaaaaaaaaa", "x", token[:20]} {
		status, page = anon.get("/v/" + bad)
		if status != http.StatusNotFound || !strings.Contains(page, "未找到该核验码") {
			t.Errorf("unknown token %q: %d", bad, status)
		}
	}

	// A share link: wrong input names the field, and makes nothing.
	from := "/account/licenses"
	status, page, _ = me.post(from, "/account/licenses/"+l.Identifier+"/shares", url.Values{"purpose": {""}, "until": {"2026-03-31"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "请填写加注件的用途") {
		t.Fatalf("share without a purpose: %d %s", status, errorOf(page))
	}
	status, page, _ = me.post(from, "/account/licenses/"+l.Identifier+"/shares", url.Values{"purpose": {"开户"}, "until": {"2026-02-01"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "有效期至不能早于今天") {
		t.Fatalf("share in the past: %d", status)
	}
	status, _, loc := me.post(from, "/account/licenses/"+l.Identifier+"/shares", url.Values{"purpose": {"食品经营许可证延续"}, "until": {"2026-03-31"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/account/licenses#share-") {
		t.Fatalf("share: %d %s", status, loc)
	}
	_, page = me.get("/account/licenses")
	mustContain(t, "wallet with a share", page, "仅供办理食品经营许可证延续使用，有效期至2026年3月31日")
	sm := regexp.MustCompile(`href="https?://[^"]+/v/([a-z2-7]{26})" class="share-link"`).FindStringSubmatch(page)
	if sm == nil {
		t.Fatal("no share link in the wallet")
	}
	share := sm[1]
	status, page = anon.get("/v/" + share)
	mustContain(t, "share page", page, "仅供办理食品经营许可证延续使用，有效期至2026年3月31日", "有效", "经营者名称", "/v/"+share+"/pdf")
	if status != http.StatusOK {
		t.Fatalf("share page: %d", status)
	}
	if status, b := anon.get("/v/" + share + "/pdf"); status != http.StatusOK || !strings.HasPrefix(b, "%PDF-") {
		t.Fatalf("share PDF: %d", status)
	}
	// The face link gives no file: it only verifies.
	if status, _ := anon.get("/v/" + token + "/pdf"); status != http.StatusNotFound {
		t.Fatalf("face link PDF: %d", status)
	}
	// Someone else can neither download nor share the licence.
	other := s.as(demo.Enterprise.CreditCode)
	if status, _ := other.get("/account/licenses/" + l.Identifier + "/pdf"); status != http.StatusNotFound {
		t.Fatalf("someone else's PDF: %d", status)
	}
	if status, _, _ := other.post("/account/licenses", "/account/licenses/"+l.Identifier+"/shares", url.Values{"purpose": {"x"}, "until": {"2026-03-31"}}); status != http.StatusNotFound {
		t.Fatalf("someone else's share: %d", status)
	}
	if _, page = other.get("/account/licenses"); strings.Contains(page, l.Identifier) {
		t.Fatal("another account's wallet lists the licence")
	}

	// Withdrawn, the share is refused; after its last day too.
	_, page = me.get("/account/licenses")
	rm := regexp.MustCompile(`action="(/account/licenses/[^"]+/shares/\d+/revoke)"`).FindStringSubmatch(page)
	if rm == nil {
		t.Fatal("no withdraw button")
	}
	if status, _, _ := me.post(from, rm[1], nil); status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", status)
	}
	status, page = anon.get("/v/" + share)
	if status != http.StatusGone || !strings.Contains(page, "已被持证人撤销") || strings.Contains(page, "经营者名称") {
		t.Fatalf("withdrawn share: %d", status)
	}
	if status, _ := anon.get("/v/" + share + "/pdf"); status != http.StatusNotFound {
		t.Fatalf("withdrawn share's PDF: %d", status)
	}

	// The face link's page is kept per verification (verifyPages): 注销ed,
	// the licence's next visit says 已注销 at once, and a new visitor's token
	// is its own.
	if status, page = anon.get("/v/" + token); status != http.StatusOK || !strings.Contains(page, `data-verdict="valid"`) {
		t.Fatalf("verify page again: %d", status)
	}
	if err := s.app.Store.SetLicenseStatus(ctx, l.ID, tongban.LicenseRevoked, "持证人申请注销", s.clock.Now()); err != nil {
		t.Fatal(err)
	}
	status, page = anon.get("/v/" + token)
	mustContain(t, "revoked licence's page", page, `data-verdict="revoked"`, "已注销", `data-valid="true"`, l.Number, "张*")
	if status != http.StatusOK || strings.Contains(page, `data-verdict="valid"`) {
		t.Fatalf("revoked licence's page: %d", status)
	}
	// The page has no form: another visitor gets the same page, and no
	// cookie — not even a CSRF token's — is set on someone scanning a QR.
	resp, err := http.Get(s.base + "/v/" + token)
	if err != nil {
		t.Fatal(err)
	}
	page2, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(page2) != page || len(resp.Header.Values("Set-Cookie")) != 0 || strings.Contains(page, "csrf") {
		t.Fatalf("another visitor's page differs from the first, or sets %q, or carries a CSRF token", resp.Header.Values("Set-Cookie"))
	}

	// 用证记录 lists each visit with what it showed, once the visit log
	// wrote them (a page answers once its visit is queued).
	if err := s.app.FlushLicenseVisits(ctx); err != nil {
		t.Fatal(err)
	}
	_, page = me.get("/account/licenses")
	mustContain(t, "用证记录", page, "扫描证照二维码，显示“有效”", "打开加注件，显示“有效”", "打开加注件，加注件已撤销，已拒绝", "扫描证照二维码，显示“已注销”")
	// English pages keep half-width punctuation in their own words.
	for _, p := range []string{"/v/" + token + "?lang=en", "/account/licenses?lang=en", "/v/" + share + "?lang=en"} {
		_, page := me.get(p)
		for _, bad := range chromePunctuation(page) {
			t.Errorf("%s (English) has full-width punctuation in %q", p, bad)
		}
	}
}

// TestLicenceUseOnTheApplyPage: applying for 食品经营许可证核发, the
// enterprise is offered its valid 营业执照 for the material; without the
// consent ticked the material must be provided; with it the case
// references the licence (identifier and version), the consent is
// recorded with its 用证事由, the clerk's page shows the licence face and
// 签名核验通过, and the wallet's 用证记录 names the case.
func TestLicenceUseOnTheApplyPage(t *testing.T) {
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
	ent := s.user(demo.Enterprise.CreditCode)
	lic := licensetest.Store(t, st, org, ent, sm.LicenseType, 31, 0, s.clock.Now())
	l := s.foodListing()
	key := keyOf(t, l, "BZ0301")

	b := s.as(demo.Enterprise.CreditCode)
	path := "/apply/" + itoa(l.ID)
	_, page := b.get(path)
	mustContain(t, "apply page", page, `id="licence-offer-`+key+`"`, lic.Number, `value="`+lic.Identifier+`"`, `name="license_consent_`+key+`"`)
	apply := func(v url.Values) (int, string, string) {
		_, page := b.get(path)
		v.Set("csrf_token", b.csrf(page))
		v.Set("idempotency_key", hidden(t, page, "idempotency_key"))
		v.Set("listing_version", itoa(int64(l.Version)))
		v.Set("contact", "王经理")
		v.Set("phone", "13800138000")
		v.Set("delivery", "pickup")
		v.Set("situation_s1", "a2")
		v.Set("situation_s3", "a2")
		v.Set("situation_s4", "a1")
		files := map[string]string{}
		for _, m := range l.Materials {
			if m.Key != key && m.Required == tongban.MaterialRequired {
				files["file_"+m.Key] = tinyPDF + "%" + m.Key
			}
		}
		return b.postFiles(path, v, files)
	}
	// The licence chosen but no consent given: the material is missing.
	status, page, _ := apply(url.Values{"license_" + key: {lic.Identifier}})
	if status == http.StatusSeeOther {
		t.Fatal("applied without consent or the material")
	}
	if cs, _ := st.LicenseConsents(ctx, lic.ID); len(cs) != 0 {
		t.Fatalf("a refused application recorded %d consents", len(cs))
	}
	status, page, loc := apply(url.Values{"license_" + key: {lic.Identifier}, "license_consent_" + key: {"1"},
		"license_reason_" + key: {"申请食品经营许可，证明主体资格"}})
	if status != http.StatusSeeOther {
		t.Fatalf("apply with the licence: %d %s", status, errorsOf(page))
	}
	number := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cases/")
	c := s.caseNow(number)
	if m, _ := c.Material(key); m.Status != tongban.MaterialELicense || m.Ref == nil || m.Ref.ID != lic.Identifier || m.Ref.Version != 1 || !m.Spared() {
		t.Fatalf("material %s = %+v", key, m)
	}
	cs, err := st.LicenseConsents(ctx, lic.ID)
	if err != nil || len(cs) != 1 || cs[0].CaseNumber != number || cs[0].Reason != "申请食品经营许可，证明主体资格" || cs[0].GivenBy != ent.ID {
		t.Fatalf("consent: %+v, %v", cs, err)
	}
	clerk := s.as("clerk")
	_, page = clerk.get("/console/cases/" + number)
	mustContain(t, "clerk's case page", page, `class="case-licence" data-identifier="`+lic.Identifier+`"`, `data-verdict="valid"`,
		"签名核验通过", "营业执照", lic.Number)
	_, page = b.get("/account/licenses")
	mustContain(t, "wallet", page, "授权办件", number, "申请食品经营许可，证明主体资格", "电子证照使用")
}
