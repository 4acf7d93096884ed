package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestLicenceLifeOverHTTP, on both engines: the demo 市场监管局's system
// loads a licence issued before Tongban with its API token (a bad row stores
// nothing and is named), changes it (a new version) and 注销s the new
// version; the public verification follows each step; its admin rotates the
// seal key and /api/v1/seals lists the old key beside the new one; a clerk
// may do none of it.
func TestLicenceLifeOverHTTP(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		srv, _ := siteOn(t, d)
		admin := signIn(t, srv, "deptadmin") // 广安市市场监督管理局
		tok := admin.token("证照管理系统")
		machine := newClient(t, srv)
		call := func(method, path string, v any) (int, []byte) {
			b, _ := json.Marshal(v)
			return machine.do(method, path, b, "Authorization", "Bearer "+tok, "Content-Type", "application/json")
		}
		row := map[string]any{"type_code": "11100000MB0143028R002", "number": "JY25116020099001", "holder_name": "广安市蜀味餐饮管理有限公司",
			"holder_code": "91511602MA6AB1C2DE", "issued_on": "2023-07-01", "valid_to": "2028-06-30",
			"face": map[string]string{"经营者名称": "广安市蜀味餐饮管理有限公司", "社会信用代码（身份证号码）": "91511602MA6AB1C2DE",
				"法定代表人（负责人）": "张三", "经营场所": "广安区建设路58号1楼", "主体业态": "餐饮服务经营者（小型餐馆）", "经营项目": "热食类食品制售"}}
		bad := map[string]any{}
		for k, v := range row {
			bad[k] = v
		}
		bad["number"], bad["holder_code"] = "JY25116020099002", "91511602MA6AB1C2DF"
		status, body := call("POST", "/api/v1/licenses/import", map[string]any{"rows": []any{row, bad}})
		if status != http.StatusBadRequest || !strings.Contains(string(body), `"field":"rows[1].holder_code"`) ||
			!strings.Contains(string(body), "第2条") || !strings.Contains(string(body), "全部未导入") {
			t.Fatalf("import with a wrong check character: %d %s", status, body)
		}
		status, body = call("POST", "/api/v1/licenses/import", map[string]any{"rows": []any{row}})
		var res license.ImportResult
		if status != http.StatusCreated || json.Unmarshal(body, &res) != nil || res.Imported != 1 {
			t.Fatalf("import: %d %s", status, body)
		}
		id := res.Identifiers[0]
		verdict := func(identifier string) license.Verification {
			_, body := newClient(t, srv).do("GET", "/api/v1/licenses/verify?id="+url.QueryEscape(identifier), nil)
			var v license.Verification
			json.Unmarshal(body, &v)
			return v
		}
		if v := verdict(id); v.Verdict != license.VerdictValid || !v.SignatureValid {
			t.Fatalf("imported licence: %+v", v)
		}
		firm := signIn(t, srv, "91511602MA6AB1C2DE")
		if status, body := firm.do("GET", "/api/v1/licenses", nil); status != http.StatusOK || !strings.Contains(string(body), id) ||
			!strings.Contains(string(body), `"source":"imported"`) {
			t.Fatalf("the holder's wallet: %d %s", status, body)
		}

		clerk := signIn(t, srv, "clerk")
		if status, _ := clerk.json("POST", "/api/v1/licenses/"+id+"/revoke", map[string]string{"reason": "x"}); status != http.StatusForbidden {
			t.Fatalf("a clerk revoked: %d", status)
		}
		if status, body := call("POST", "/api/v1/licenses/"+id+"/change", map[string]any{"face": map[string]string{"经营场所": "广安区建设路60号"}}); status != http.StatusBadRequest ||
			!strings.Contains(string(body), `"field":"reason"`) {
			t.Fatalf("change without a reason: %d %s", status, body)
		}
		status, body = call("POST", "/api/v1/licenses/"+id+"/change", map[string]any{"face": map[string]string{"经营场所": "广安区建设路60号"},
			"valid_to": "2033-06-30", "reason": "延续经营"})
		var next tongban.License
		if status != http.StatusCreated || json.Unmarshal(body, &next) != nil || next.Version != 2 || next.Replaces != id ||
			strings.Contains(string(body), "广安区建设路60号") || strings.Contains(string(body), "holder") {
			t.Fatalf("change: %d %s", status, body)
		}
		if v := verdict(id); v.Verdict != license.VerdictChanged {
			t.Fatalf("old version after change: %+v", v)
		}
		status, body = admin.json("POST", "/api/v1/licenses/"+next.Identifier+"/revoke", map[string]string{"reason": "经营者申请注销"})
		if status != http.StatusOK || !strings.Contains(string(body), `"status":"revoked"`) {
			t.Fatalf("revoke: %d %s", status, body)
		}
		if v := verdict(next.Identifier); v.Verdict != license.VerdictRevoked || v.Label != "已注销" {
			t.Fatalf("after revocation: %+v", v)
		}

		if status, _ := clerk.json("POST", "/api/v1/seals/rotate", map[string]any{}); status != http.StatusForbidden {
			t.Fatalf("a clerk rotated: %d", status)
		}
		status, body = admin.json("POST", "/api/v1/seals/rotate", map[string]any{})
		var key tongban.SealKey
		if status != http.StatusCreated || json.Unmarshal(body, &key) != nil || key.ID == next.KeyID || strings.Contains(string(body), "PRIVATE") {
			t.Fatalf("rotate: %d %s", status, body)
		}
		_, body = newClient(t, srv).do("GET", "/api/v1/seals", nil)
		var keys []tongban.SealKey
		json.Unmarshal(body, &keys)
		old, current := false, false
		for _, k := range keys {
			old = old || (k.ID == next.KeyID && !k.RetiredAt.IsZero())
			current = current || (k.ID == key.ID && k.RetiredAt.IsZero())
		}
		if !old || !current {
			t.Fatalf("seals after rotation: %s", body)
		}
		if v := verdict(id); !v.SignatureValid {
			t.Fatalf("a licence of the retired key no longer verifies: %+v", v)
		}
	})
}
