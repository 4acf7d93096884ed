package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

// Anyone may read the standard materials; catalog admins maintain them,
// a clerk may not; the demo catalog's materials carry their codes.
func TestStandardMaterialsOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	anon := newClient(t, srv)
	status, body := anon.do("GET", "/api/v1/standard-materials", nil)
	var list []tongban.StandardMaterial
	if status != http.StatusOK || json.Unmarshal(body, &list) != nil || len(list) < 30 {
		t.Fatalf("list: %d, %d entries", status, len(list))
	}
	in := map[string]any{"name": "建设工程消防验收意见书", "category": "投资建设", "issuer": "住房城乡建设主管部门", "reusable": true}
	clerk := signIn(t, srv, "clerk")
	status, body = clerk.json("PUT", "/api/v1/standard-materials/BZ1001", in)
	wantError(t, status, body, http.StatusForbidden, "forbidden", "")
	admin := signIn(t, srv, "catalog")
	status, body = admin.json("PUT", "/api/v1/standard-materials/BZ1001", in)
	var saved tongban.StandardMaterial
	if status != http.StatusOK || json.Unmarshal(body, &saved) != nil || saved.Code != "BZ1001" || !saved.Reusable {
		t.Fatalf("save: %d %s", status, body)
	}
	in["valid_months"] = -1
	status, body = admin.json("PUT", "/api/v1/standard-materials/BZ1001", in)
	wantError(t, status, body, http.StatusBadRequest, "invalid", "valid_months")

	l := demoFoodListing(t, a)
	codes := map[string]string{}
	for _, m := range l.Materials {
		codes[m.Name] = m.Standard
	}
	if codes["营业执照"] != "BZ0301" {
		t.Errorf("the demo food licence's 营业执照 has standard %q, want BZ0301 (materials %v)", codes["营业执照"], codes)
	}
}

// token creates an API token for the signed-in staff member.
func (c *client) token(name string) string {
	c.t.Helper()
	status, body := c.json("POST", "/api/v1/tokens", map[string]string{"name": name})
	var tok struct {
		Token string `json:"token"`
	}
	if status != 201 || json.Unmarshal(body, &tok) != nil {
		c.t.Fatalf("create token: %d %s", status, body)
	}
	return tok.Token
}

// A department's system pushes its resource's records with its API token:
// one bad record stores none; another department's resource is refused.
// The enterprise then finds its record offered for 营业执照, and a
// citizen grants and revokes consent for a 有条件 resource.
func TestSharedDataOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	admin := signIn(t, srv, "deptadmin") // 广安市市场监督管理局
	tok := admin.token("市场主体登记系统")
	machine := newClient(t, srv)
	push := func(resource string, recs ...map[string]any) (int, []byte) {
		b, _ := json.Marshal(map[string]any{"records": recs})
		return machine.do("PUT", "/api/v1/data/"+resource+"/records", b, "Authorization", "Bearer "+tok, "Content-Type", "application/json")
	}
	firm := map[string]any{"subject": "91511602MA6AB1C2DE", "data": map[string]string{"name": "广安市蜀味餐饮管理有限公司",
		"credit_code": "91511602MA6AB1C2DE", "legal_rep": "张三", "address": "四川省广安市广安区建设路60号"}}
	bad := map[string]any{"subject": "91511602MA6AB1C2DF", "data": map[string]string{"name": "某公司", "credit_code": "x", "legal_rep": "某"}}
	status, body := push("SCJG-QYDJ", firm, bad)
	wantError(t, status, body, http.StatusBadRequest, "invalid", "records[1].subject")
	status, body = push("GA-HJXX", map[string]any{"subject": "511602199003071232", "data": map[string]string{"name": "张三"}})
	wantError(t, status, body, http.StatusForbidden, "forbidden", "")
	status, body = push("SCJG-QYDJ", firm)
	var res struct{ Received, Created, Updated int }
	if status != http.StatusOK || json.Unmarshal(body, &res) != nil || res.Received != 1 || res.Updated != 1 {
		t.Fatalf("push: %d %s", status, body) // the demo pushed this enterprise's record before
	}

	l := demoFoodListing(t, a)
	enterprise := signIn(t, srv, "91511602MA6AB1C2DE")
	status, body = enterprise.do("GET", "/api/v1/me/shared?listing="+itoa(l.ID), nil)
	if status != http.StatusOK || !strings.Contains(string(body), "建设路60号") || !strings.Contains(string(body), `"resource":"SCJG-QYDJ"`) {
		t.Errorf("enterprise's shared data: %d %s", status, body)
	}

	citizen := signIn(t, srv, "511602199003071232")
	status, body = citizen.json("POST", "/api/v1/me/consents", map[string]any{"resource": "RS-SBCB", "listing_id": l.ID})
	wantError(t, status, body, http.StatusBadRequest, "invalid", "resource") // 无条件: nothing to consent to
	status, body = citizen.json("POST", "/api/v1/me/consents", map[string]any{"resource": "MZ-HYDJ", "listing_id": l.ID})
	var consent tongban.Consent
	if status != http.StatusCreated || json.Unmarshal(body, &consent) != nil || consent.ID == 0 {
		t.Fatalf("consent: %d %s", status, body)
	}
	if status, _ := citizen.do("DELETE", "/api/v1/me/consents/"+itoa(consent.ID), nil); status != http.StatusNoContent {
		t.Errorf("revoke: %d", status)
	}
	status, body = citizen.do("GET", "/api/v1/me/consents", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"revoked_at"`) {
		t.Errorf("consents: %d %s", status, body)
	}
}
