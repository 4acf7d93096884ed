package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/tongban/tongban"
)

// Anyone may read the standard materials; catalog admins maintain them,
// a clerk may not; the demo catalog's materials carry their codes.
func TestStandardMaterialsOverHTTP(t *testing.T) {
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
