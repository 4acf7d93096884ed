package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/license/licensetest"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

type licenceDetail struct {
	License struct {
		Identifier, Number, HolderCodeMasked string
	}
	Verification license.Verification
	VerifyURL    string `json:"verify_url"`
	Shares       []struct {
		ID         int64
		URL        string
		Annotation string
		Open       bool
	}
}

// TestLicenceWalletAPI, on both engines: the holder reads the licence
// (ID number masked), its face PDF (the QR link and the seal on it) and
// makes a share link that says 仅供办理…使用，有效期至… and opens until
// withdrawn; the issuer's staff read it, recorded in the holder's data-use
// record; another citizen and other departments' staff get not_found; the
// verify page of the QR link says 有效, then 已注销 once revoked.
func TestLicenceWalletAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		srv, a := siteOn(t, d)
		ctx := context.Background()
		org, err := a.Store.OrgByCode(ctx, "gas-scjgj")
		if err != nil {
			t.Fatal(err)
		}
		holder, err := a.Store.UserByLogin(ctx, demo.Citizen.IDNumber)
		if err != nil {
			t.Fatal(err)
		}
		l := licensetest.Store(t, a.Store, org, holder, "11100000MB0143028R002", 77, 5, time.Now())
		path := "/api/v1/licenses/" + l.Identifier

		me := newClient(t, srv)
		me.login(demo.Citizen.IDNumber)
		status, body := me.do("GET", path, nil)
		var got licenceDetail
		json.Unmarshal(body, &got)
		if status != http.StatusOK || got.License.Identifier != l.Identifier || got.Verification.Verdict != license.VerdictValid ||
			!got.Verification.SignatureValid || !strings.Contains(got.VerifyURL, "/v/") || strings.Contains(string(body), holder.IDNumber.Reveal()) {
			t.Fatalf("holder's licence: %d %s", status, body)
		}
		token := got.VerifyURL[strings.LastIndex(got.VerifyURL, "/v/")+3:]

		status, pdf := me.do("GET", path+"/pdf", nil)
		raw, _ := pdfText(t, pdf)
		text := strings.Join(strings.Fields(raw), "")
		for _, want := range []string{"食品经营许可证", l.Number, org.Name, "电子证照专用章", l.Identifier, holder.IDNumber.Masked()} {
			if status == http.StatusOK && text != "" && !strings.Contains(text, want) {
				t.Errorf("face PDF lacks %q:\n%s", want, text)
			}
		}
		if status != http.StatusOK || strings.Contains(text, holder.IDNumber.Reveal()) {
			t.Fatalf("face PDF: %d", status)
		}

		// Share links: bad input names the field; a good one opens.
		until := time.Now().In(calendar.Location()).AddDate(0, 0, 10).Format("2006-01-02")
		status, body = me.json("POST", path+"/shares", map[string]string{"purpose": "", "until": until})
		wantError(t, status, body, http.StatusBadRequest, "invalid", "purpose")
		status, body = me.json("POST", path+"/shares", map[string]string{"purpose": "开户", "until": "明天"})
		wantError(t, status, body, http.StatusBadRequest, "invalid", "until")
		status, body = me.json("POST", path+"/shares", map[string]string{"purpose": "食品经营许可证延续", "until": until})
		var share struct {
			ID              int64
			URL, Annotation string
			Open            bool
		}
		json.Unmarshal(body, &share)
		last, _ := time.Parse("2006-01-02", until)
		wantNote := fmt.Sprintf("仅供办理食品经营许可证延续使用，有效期至%d年%d月%d日", last.Year(), last.Month(), last.Day())
		if status != http.StatusCreated || !share.Open || share.Annotation != wantNote || !strings.Contains(share.URL, "/v/") {
			t.Fatalf("share: %d %s (want %q)", status, body, wantNote)
		}
		anon := newClient(t, srv)
		shareToken := share.URL[strings.LastIndex(share.URL, "/v/")+3:]
		if status, page := anon.do("GET", "/v/"+shareToken, nil); status != http.StatusOK || !strings.Contains(string(page), wantNote) {
			t.Fatalf("share page: %d", status)
		}
		status, body = me.do("POST", path+"/shares/"+itoa(share.ID)+"/revoke", nil)
		if status != http.StatusOK || !strings.Contains(string(body), `"open":false`) {
			t.Fatalf("withdraw: %d %s", status, body)
		}
		if status, _ := anon.do("GET", "/v/"+shareToken, nil); status != http.StatusGone {
			t.Fatalf("withdrawn share: %d", status)
		}

		// Others: nothing, not even that it exists.
		other := newClient(t, srv)
		other.login(demo.Enterprise.CreditCode)
		for _, p := range []string{path, path + "/pdf"} {
			status, body := other.do("GET", p, nil)
			wantError(t, status, body, http.StatusNotFound, "not_found", "")
		}
		status, body = other.json("POST", path+"/shares", map[string]string{"purpose": "x", "until": until})
		wantError(t, status, body, http.StatusNotFound, "not_found", "")
		stranger := newClient(t, srv)
		stranger.login("approver-rsj") // staff of another department, no case
		status, body = stranger.do("GET", path, nil)
		wantError(t, status, body, http.StatusNotFound, "not_found", "")

		// The issuer's staff read it; the holder's record says so.
		issuerStaff := newClient(t, srv)
		issuerStaff.login("approver")
		status, body = issuerStaff.do("GET", path, nil)
		if status != http.StatusOK || strings.Contains(string(body), "verify_url") || strings.Contains(string(body), holder.IDNumber.Reveal()) {
			t.Fatalf("issuer staff: %d %s", status, body)
		}
		uses, err := a.Store.DataUses(ctx, holder.ID, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(uses) == 0 || uses[0].Kind != tongban.DataUseLicenseRead || uses[0].Resource != l.Identifier || uses[0].OrgID != org.ID {
			t.Fatalf("the issuer's read is not in the holder's record: %+v", uses)
		}

		// The QR's verify page: 有效, then 已注销 once revoked.
		if status, page := anon.do("GET", "/v/"+token, nil); status != http.StatusOK || !strings.Contains(string(page), `data-verdict="valid"`) {
			t.Fatalf("verify page: %d", status)
		}
		if _, err := a.Store.DB().ExecContext(ctx, `UPDATE licenses SET status = $1 WHERE id = $2`,
			tongban.LicenseRevoked, l.ID); err != nil {
			t.Fatal(err)
		}
		status, page := anon.do("GET", "/v/"+token, nil)
		if status != http.StatusOK || !strings.Contains(string(page), `data-verdict="revoked"`) || !strings.Contains(string(page), "已注销") {
			t.Fatalf("verify page after revocation: %d", status)
		}
	})
}

// TestLicenceUseThroughTheAPI: the API lists the enterprise's valid
// 营业执照 for the food listing's material; a claim without consent is
// refused naming the material; with consent the case references the
// licence and the consent is recorded; the approver of that case may then
// read the licence (recorded), staff of another department may not.
func TestLicenceUseThroughTheAPI(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	ctx := context.Background()
	sm, err := a.Store.StandardMaterial(ctx, "BZ0301")
	if err != nil {
		t.Fatal(err)
	}
	sm.LicenseType = "11100000MB0143028R001"
	if err := a.Store.SaveStandardMaterial(ctx, sm); err != nil {
		t.Fatal(err)
	}
	org, err := a.Store.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	ent, err := a.Store.UserByLogin(ctx, demo.Enterprise.CreditCode)
	if err != nil {
		t.Fatal(err)
	}
	lic := licensetest.Store(t, a.Store, org, ent, sm.LicenseType, 41, 0, a.Workflow.Clock.Now())
	l := demoFoodListing(t, a)

	c := newClient(t, srv)
	c.login(demo.Enterprise.CreditCode)
	status, body := c.do("GET", "/api/v1/licenses/usable?listing_id="+itoa(l.ID), nil)
	var offers []struct {
		Key      string
		Licenses []struct{ Identifier string }
	}
	json.Unmarshal(body, &offers)
	// The demo enterprise also holds its imported 营业执照: both are offered.
	offered := false
	for _, o := range offers {
		for _, x := range o.Licenses {
			offered = offered || o.Key == "m2" && x.Identifier == lic.Identifier
		}
	}
	if status != http.StatusOK || len(offers) != 1 || !offered {
		t.Fatalf("usable licences: %d %s", status, body)
	}
	status, body = c.do("GET", "/api/v1/licenses/usable", nil)
	wantError(t, status, body, http.StatusBadRequest, "invalid", "listing_id")

	submit := func(tag string, m2 map[string]any) (int, []byte) {
		app := application(l, c.mustUpload(pdfFile(tag+"申请书")), "", c.mustUpload(pdfFile(tag+"身份证明")),
			c.mustUpload(pngFile(tag+"布局")), c.mustUpload(jpegFile(tag+"制度")))
		ms := app["materials"].([]map[string]string)
		out := []map[string]any{}
		for _, m := range ms {
			if m["key"] == "m2" {
				out = append(out, m2)
			} else {
				out = append(out, map[string]any{"key": m["key"], "blob_hash": m["blob_hash"]})
			}
		}
		app["materials"] = out
		b, _ := json.Marshal(app)
		status, _, body := c.send("POST", "/api/v1/cases", b, "Idempotency-Key", "licence-"+tag)
		return status, body
	}
	status, body = submit("a", map[string]any{"key": "m2", "status": "e_license", "ref": lic.Identifier})
	wantError(t, status, body, http.StatusBadRequest, "invalid", "materials[1].status")
	if !strings.Contains(string(body), "授权") {
		t.Fatalf("refusal does not say consent is missing: %s", body)
	}
	status, body = submit("b", map[string]any{"key": "m2", "status": "e_license", "ref": lic.Identifier, "consent": true, "reason": "证明主体资格"})
	cs := decodeCase(t, status, body, http.StatusCreated)
	consents, err := a.Store.LicenseConsents(ctx, lic.ID)
	if err != nil || len(consents) != 1 || consents[0].CaseNumber != cs.Number || consents[0].Reason != "证明主体资格" {
		t.Fatalf("consent: %+v, %v", consents, err)
	}
	if !strings.Contains(string(body), lic.Identifier) {
		t.Fatalf("the case does not reference the licence: %s", body)
	}

	// Staff of a case the holder authorised read the licence; others not.
	approverRsj := newClient(t, srv)
	approverRsj.login("approver-rsj")
	status, body = approverRsj.do("GET", "/api/v1/licenses/"+lic.Identifier, nil)
	wantError(t, status, body, http.StatusNotFound, "not_found", "")
	clerk := newClient(t, srv)
	clerk.login("clerk") // the window that takes the case, not the issuer
	status, body = clerk.do("GET", "/api/v1/licenses/"+lic.Identifier, nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"verdict":"valid"`) {
		t.Fatalf("the case's clerk reads the licence: %d %s", status, body)
	}
	uses, _ := a.Store.DataUses(ctx, ent.ID, 10, 0)
	if len(uses) == 0 || uses[0].Kind != tongban.DataUseLicenseRead || uses[0].CaseNumber != cs.Number {
		t.Fatalf("the clerk's read is not recorded: %+v", uses)
	}
}
