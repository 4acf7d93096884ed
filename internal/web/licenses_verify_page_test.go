package web

import (
	"net/http/httptest"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

// The kept verify page is what the template writes, byte for byte and
// header for header, for every visitor, in both languages and for each
// verdict; and an anonymous visitor's page mints no CSRF token (so sets
// no cookie), kept or rendered.
func TestVerifyPageMemoIsTheTemplate(t *testing.T) {
	t.Parallel()
	w, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	link := &tongban.LicenseLink{ID: 7, Kind: tongban.LinkFace, Token: "abcdefghijklmnopqrstuvwxyz"}
	valid := license.Verification{Identifier: "11100000MB0143028R00210000001X", Verdict: license.VerdictValid, Label: "有效",
		TypeName: "食品经营许可证", Number: "JY15116000001", IssuerName: "市场监督管理局", IssuerCode: "11100000MB0143028R",
		Holder: "张*", IssuedOn: "2026-01-02", ValidTo: "长期", Version: 1, SignatureValid: true, KeyID: "k1", Algorithm: "SM2-SM3"}
	revoked := valid
	revoked.Verdict, revoked.Label = license.VerdictRevoked, "已注销"
	minted := 0
	for _, lang := range []Lang{ZH, EN} {
		for _, v := range []license.Verification{valid, revoked, valid} { // the third visit of each is a hit
			for _, csrf := range []string{"0123456789abcdef", "fedcba9876543210ff", "not a <token>"} {
				page := func() *licenseVerifyPage {
					v := v
					return &licenseVerifyPage{Base: Base{Lang: lang, Title: lang.T("电子证照核验"), Path: "/v/" + link.Token,
						csrf: &pageToken{mint: func() string { minted++; return csrf }}},
						Visit: &license.Visit{Link: link, Verification: &v}, V: &v}
				}
				want := httptest.NewRecorder()
				p := page()
				if p.Facts, err = w.verifyFacts.html(w, p.Lang, p.V); err != nil {
					t.Fatal(err)
				}
				if err := w.render(want, httptest.NewRequest("GET", "/v/x", nil), 200, "licenses_verify", p); err != nil {
					t.Fatal(err)
				}
				got := httptest.NewRecorder()
				kept, err := w.verifyPages.write(w, got, page())
				if err != nil {
					t.Fatal(err)
				}
				if !kept { // as the handler does: the template's way
					q := page()
					if q.Facts, err = w.verifyFacts.html(w, q.Lang, q.V); err != nil {
						t.Fatal(err)
					}
					if err := w.render(got, httptest.NewRequest("GET", "/v/x", nil), 200, "licenses_verify", q); err != nil {
						t.Fatal(err)
					}
				}
				if got.Code != want.Code || got.Body.String() != want.Body.String() {
					t.Fatalf("%s %s %q: kept page differs from the template:\n%d %s\nwant %d %s", lang, v.Verdict, csrf,
						got.Code, got.Body, want.Code, want.Body)
				}
				for _, h := range []string{"Content-Type", "Content-Security-Policy", "Content-Length"} {
					if got.Header().Get(h) != want.Header().Get(h) {
						t.Errorf("%s: %q, want %q", h, got.Header().Get(h), want.Header().Get(h))
					}
				}
			}
		}
	}
	if minted != 0 {
		t.Errorf("an anonymous verify page minted %d CSRF tokens, want none", minted)
	}
	if n := len(w.verifyPages.m); n != 4 {
		t.Errorf("%d pages kept, want 4 (2 languages × 2 verdicts)", n)
	}
}
