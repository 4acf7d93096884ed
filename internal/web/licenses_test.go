package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/license/licensetest"
)

var verifyLink = regexp.MustCompile(`href="(https?://[^"]+/v/([a-z2-7]{26}))" class="license-verify-link"`)

// TestWalletVerifyPageAndShares: the holder's wallet lists the licence
// with its status, QR image, PDF and verification link; the verify page
// needs no sign-in, masks the holder and says the signature verifies; a
// share link says 仅供办理…使用，有效期至…, opens until withdrawn, then is
// refused; every visit shows in 用证记录; others see none of it.
func TestWalletVerifyPageAndShares(t *testing.T) {
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

	// 用证记录 lists each visit with what it showed.
	_, page = me.get("/account/licenses")
	mustContain(t, "用证记录", page, "扫描证照二维码，显示“有效”", "打开加注件，显示“有效”", "打开加注件，加注件已撤销，已拒绝")
	// English pages keep half-width punctuation in their own words.
	for _, p := range []string{"/v/" + token + "?lang=en", "/account/licenses?lang=en", "/v/" + share + "?lang=en"} {
		_, page := me.get(p)
		for _, bad := range chromePunctuation(page) {
			t.Errorf("%s (English) has full-width punctuation in %q", p, bad)
		}
	}
}
