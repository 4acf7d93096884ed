package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestIndividualVendorGetsTheFoodLicenceOverAPI: 张三 applies for a
// 食品经营许可证 as an individual vendor; the approver fills the face's
// 社会信用代码（身份证号码） with his 居民身份证号码. The licence is his
// (holder kind 自然人), in his wallet, and its verify page shows
// neither his number nor his full name. Another person's number is refused naming
// face.credit_code.
func TestIndividualVendorGetsTheFoodLicenceOverAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		srv, a := siteOn(t, d)
		ctx := context.Background()
		vendor, err := a.Store.UserByLogin(ctx, demo.Citizen.IDNumber)
		if err != nil {
			t.Fatal(err)
		}
		citizen := signIn(t, srv, demo.Citizen.IDNumber)
		c := submitNew(t, citizen, demoFoodListing(t, a), "vendor")
		c = signIn(t, srv, "clerk").act(c.Number, "accept", map[string]any{"note": "材料齐全"})
		approver := signIn(t, srv, "approver")
		c = approver.act(c.Number, "review", map[string]string{"opinion": "现场核查符合要求"})
		c = signIn(t, srv, "approver-lead").act(c.Number, "approve", map[string]string{"opinion": "准予许可"})

		face := map[string]string{}
		for k, v := range foodLicenceFace {
			face[k] = v
		}
		face["社会信用代码（身份证号码）"] = "110105198001010016" // valid, not 张三's
		status, body := approver.json("POST", "/api/v1/cases/"+c.Number+"/issue", map[string]any{"face": face})
		wantError(t, status, body, 400, "invalid", "face.credit_code")

		face["社会信用代码（身份证号码）"] = demo.Citizen.IDNumber
		c = approver.act(c.Number, "issue", map[string]any{"face": face})
		if c.State != "result_issued" {
			t.Fatalf("issued: %+v", c)
		}
		held, err := a.Store.LicensesOfHolder(ctx, vendor.ID)
		if err != nil {
			t.Fatal(err)
		}
		var lic *tongban.License
		for _, l := range held {
			if l.Number == c.ResultNo {
				lic = l
			}
		}
		if lic == nil || lic.TypeName != "食品经营许可证" || lic.HolderKind != tongban.HolderPerson ||
			lic.HolderCode != vendor.IDNumber.Reveal() || lic.HolderCodeMasked != vendor.IDNumber.Masked() {
			t.Fatalf("the vendor's licence: %+v", lic)
		}

		status, body = citizen.do("GET", "/api/v1/licenses/"+lic.Identifier, nil)
		var got struct {
			VerifyURL string `json:"verify_url"`
		}
		if status != http.StatusOK || json.Unmarshal(body, &got) != nil || !strings.Contains(got.VerifyURL, "/v/") ||
			strings.Contains(string(body), vendor.IDNumber.Reveal()) {
			t.Fatalf("the vendor's wallet entry: %d %s", status, body)
		}
		status, page := newClient(t, srv).do("GET", got.VerifyURL[strings.LastIndex(got.VerifyURL, "/v/"):], nil)
		if status != http.StatusOK || !strings.Contains(string(page), "有效") || strings.Contains(string(page), vendor.IDNumber.Reveal()) ||
			strings.Contains(string(page), vendor.Name) {
			t.Fatalf("verify page: %d\n%s", status, page)
		}
	})
}
