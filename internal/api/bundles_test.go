package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/app/apptest"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// bundleSite is the demo city on the dialect, every answer checked
// against the OpenAPI document.
func bundleSite(t *testing.T, d sqldb.Dialect) (*httptest.Server, *app.App) {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, DB: filepath.Join(dir, "t.db"), Demo: true, Secret: strings.Repeat("ab", 32),
		PublicURL: publicURL}
	if d == sqldb.Postgres {
		cfg.DB = storetest.CreatePostgresDB(t)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
	a, err := apptest.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return contractServer(t, a), a
}

type bundleJSON struct {
	ID          int64    `json:"id"`
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Departments []string `json:"departments"`
	Promise     int      `json:"promise_days"`
	Components  []struct {
		Key     string `json:"key"`
		OrgName string `json:"org_name"`
	} `json:"components"`
}

type parentJSON struct {
	Number     string `json:"number"`
	StateLabel string `json:"state_label"`
	Channel    string `json:"channel_label"`
	Actions    []string
	Bundle     struct {
		State    string   `json:"state"`
		HeldBy   []string `json:"held_by"`
		SubCases []struct {
			Component string `json:"component"`
			OrgName   string `json:"org_name"`
			Number    string `json:"number"`
			Status    string `json:"status"`
			State     string `json:"state"`
		} `json:"sub_cases"`
		Notice []struct {
			Key     string   `json:"key"`
			Name    string   `json:"name"`
			Reasons []string `json:"reasons"`
		} `json:"correction_notice"`
	} `json:"bundle"`
}

func decodeParent(t *testing.T, status int, body []byte, want int) parentJSON {
	t.Helper()
	var p parentJSON
	if status != want || json.Unmarshal(body, &p) != nil || p.Number == "" || p.Bundle.State == "" {
		t.Fatalf("got %d %s; want %d and a bundle parent", status, body, want)
	}
	return p
}

func (p parentJSON) sub(t *testing.T, component string) (number, status, state, org string) {
	t.Helper()
	for _, s := range p.Bundle.SubCases {
		if s.Component == component {
			return s.Number, s.Status, s.State, s.OrgName
		}
	}
	t.Fatalf("no sub-case %s in %+v", component, p.Bundle.SubCases)
	return
}

// drive takes an accepted case of the API through its review steps to an
// approval and its result, with whichever of the approvers each step needs.
func drive(t *testing.T, number, resultNo string, approvers ...*client) {
	t.Helper()
	for range 10 {
		c := approvers[0].getCase(number)
		switch c.State {
		case "accepted", "in_review":
		case "approved":
			if !issueFillingFace(number, resultNo, approvers) {
				t.Fatalf("issue %s failed", number)
			}
			continue
		default:
			return
		}
		if tryAct(number, "review", map[string]string{"opinion": "审查通过"}, approvers) {
			continue
		}
		if !tryAct(number, "approve", map[string]string{"opinion": "准予办理"}, approvers) {
			t.Fatalf("%s stuck at %s", number, c.State)
		}
	}
}

// faceItemNamed is the printed name of the face item a refusal names
// (「…」): the face the approver fills in is keyed by it.
func faceItemNamed(msg string) string {
	_, rest, _ := strings.Cut(msg, "「")
	name, _, _ := strings.Cut(rest, "」")
	return name
}

// issueFillingFace issues the result as an approver does when the result
// is a licence: each face item the form lacks is refused by name
// (face.<key>), and the approver fills it in and issues again.
func issueFillingFace(number, resultNo string, cs []*client) bool {
	face := map[string]string{}
	for range 20 {
		b, _ := json.Marshal(map[string]any{"result_no": resultNo, "face": face})
		missing := ""
		for _, c := range cs {
			status, _, body := c.send("POST", "/api/v1/cases/"+number+"/issue", b)
			if status == http.StatusOK {
				return true
			}
			var e struct {
				Error struct{ Field, Message string }
			}
			if json.Unmarshal(body, &e) == nil && strings.HasPrefix(e.Error.Field, "face.") {
				missing = faceItemNamed(e.Error.Message)
			}
		}
		if missing == "" || face[missing] != "" {
			return false
		}
		face[missing] = "审批人核对：" + missing
	}
	return false
}

func tryAct(number, action string, in any, cs []*client) bool {
	b, _ := json.Marshal(in)
	for _, c := range cs {
		if status, _, _ := c.send("POST", "/api/v1/cases/"+number+"/"+action, b); status == http.StatusOK {
			return true
		}
	}
	return false
}

// 开办餐饮店 through the API: the bundle list, its checklist, one
// application online by the demo enterprise (bad input refused naming the
// component and field, nothing created); the registration first, then
// 食品经营许可, 户外招牌 and 消防 in parallel in three departments; a 补正
// on the sign reaching the applicant as the bundle's one notice, satisfied
// by one supplement; one handover; and the same bundle at a counter.
func TestRestaurantBundleOverAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		srv, a := bundleSite(t, d)
		ctx := context.Background()
		anon := newClient(t, srv)
		status, body := anon.do("GET", "/api/v1/bundles", nil)
		var list []bundleJSON
		if status != 200 || json.Unmarshal(body, &list) != nil || len(list) != len(demo.BundleCodes) {
			t.Fatalf("bundles: %d %s", status, body)
		}
		var shop bundleJSON
		for _, b := range list {
			if b.Code == "YJS-KBCYD" {
				shop = b
			}
		}
		if len(shop.Components) != 4 || len(shop.Departments) != 3 || shop.Promise != 6 {
			t.Fatalf("开办餐饮店 = %+v", shop)
		}
		path := fmt.Sprintf("/api/v1/bundles/%d", shop.ID)
		if status, _ := anon.do("GET", path, nil); status != 200 {
			t.Fatalf("GET %s: %d", path, status)
		}
		status, body = anon.json("POST", path+"/checklist", map[string]any{})
		var cl struct {
			Materials []struct {
				Key        string   `json:"key"`
				Name       string   `json:"name"`
				Components []string `json:"components"`
			} `json:"materials"`
			Separately int `json:"separately"`
		}
		if status != 200 || json.Unmarshal(body, &cl) != nil || len(cl.Materials) == 0 || cl.Separately <= len(cl.Materials) {
			t.Fatalf("checklist: %d %s", status, body)
		}

		ent := signIn(t, srv, "91511602MA6AB1C2DE")
		var materials []map[string]string
		for i, m := range cl.Materials {
			materials = append(materials, map[string]string{"key": m.Key, "blob_hash": ent.mustUpload(pdfFile(fmt.Sprint("shop", i)))})
		}
		form := map[string]any{"company_name": "广安市蜀味川菜馆有限公司", "legal_rep": "张三", "legal_rep_id": "511602199003071232",
			"address": "广安市广安区北辰路88号", "capital": 50, "area": 120, "sign_area": 12, "phone": "13800138000"}
		body0 := map[string]any{"form": form, "materials": materials}
		casesBefore, _ := a.Store.CountCases(ctx, tongban.CaseFilter{})

		bad := map[string]any{}
		for k, v := range form {
			bad[k] = v
		}
		bad["sign_area"] = 25
		status, body = ent.json("POST", path+"/cases", map[string]any{"form": bad, "materials": materials})
		wantError(t, status, body, 400, "invalid", "form.sign_area")
		if !strings.Contains(string(body), "「户外招牌设置审批」：招牌面积（平方米）不能大于20") {
			t.Errorf("the error does not name the component and field: %s", body)
		}
		status, body = ent.json("POST", path+"/cases", map[string]any{"form": form, "materials": materials[1:]})
		wantError(t, status, body, 400, "invalid", "materials")
		if n, _ := a.Store.CountCases(ctx, tongban.CaseFilter{}); n != casesBefore {
			t.Fatalf("refused applications created %d cases", n-casesBefore)
		}

		raw, _ := json.Marshal(body0)
		status, _, body = ent.send("POST", path+"/cases", raw, "Idempotency-Key", "shop-1")
		p := decodeParent(t, status, body, http.StatusCreated)
		status, hdr, body := ent.send("POST", path+"/cases", raw, "Idempotency-Key", "shop-1")
		if again := decodeParent(t, status, body, http.StatusOK); again.Number != p.Number || hdr.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the retry answered %s", again.Number)
		}
		company, st, _, _ := p.sub(t, "company")
		if st != "started" || p.Bundle.State != "submitted" || p.Channel != "网上办" {
			t.Fatalf("after applying: %+v", p)
		}
		for _, k := range []string{"food", "sign", "fire"} {
			if _, st, _, _ := p.sub(t, k); st != "waiting" {
				t.Errorf("%s is %s before the registration", k, st)
			}
		}

		clerk := signIn(t, srv, "clerk")
		approver, lead := signIn(t, srv, "approver"), signIn(t, srv, "approver-lead")
		clerk.act(company, "accept", map[string]any{})
		drive(t, company, "91511602MA6CYD0001", approver, lead)

		p = decodeParent(t, 200, mustGet(t, ent, "/api/v1/cases/"+p.Number), 200)
		orgs := map[string]bool{}
		numbers := map[string]string{}
		for _, k := range []string{"food", "sign", "fire"} {
			n, st, state, org := p.sub(t, k)
			if st != "started" || state != "submitted" {
				t.Fatalf("%s after the registration: %s %s", k, st, state)
			}
			orgs[org], numbers[k] = true, n
		}
		if len(orgs) != 3 {
			t.Errorf("the three ran in %d departments", len(orgs))
		}
		// The department sees its sub-case with the shared fields mapped.
		signCase := clerk.getCase(numbers["sign"])
		var signForm map[string]string
		status, body = clerk.do("GET", "/api/v1/cases/"+numbers["sign"], nil)
		var withForm struct {
			Form json.RawMessage `json:"form"`
		}
		if json.Unmarshal(body, &withForm) != nil || json.Unmarshal(withForm.Form, &signForm) != nil ||
			signForm["设置单位"] != "广安市蜀味川菜馆有限公司" || signForm["招牌面积（平方米）"] != "12" {
			t.Errorf("the sign's form: %d %s", status, withForm.Form)
		}
		if len(signCase.Materials) != 4 {
			t.Errorf("the sign has %d materials: %+v", len(signCase.Materials), signCase.Materials)
		}

		// A 补正 on the sign: the applicant sees one notice on the parent.
		clerk.act(numbers["sign"], "correction", map[string]any{"items": []map[string]string{
			{"key": "m3", "reason": "效果图未标明尺寸"}, {"key": "m4", "reason": "租赁合同已过期"}}})
		p = decodeParent(t, 200, mustGet(t, ent, "/api/v1/cases/"+p.Number), 200)
		if p.Bundle.State != "awaiting_correction" || len(p.Bundle.Notice) != 2 || !contains(p.Actions, "bundle-supplement") {
			t.Fatalf("the notice: %+v", p.Bundle)
		}
		var sup []map[string]string
		for i, line := range p.Bundle.Notice {
			sup = append(sup, map[string]string{"key": line.Key, "blob_hash": ent.mustUpload(pdfFile(fmt.Sprint("fix", i)))})
		}
		status, body = ent.json("POST", "/api/v1/cases/"+p.Number+"/bundle-supplement", map[string]any{"materials": sup[:1]})
		wantError(t, status, body, 400, "invalid", "materials")
		status, body = ent.json("POST", "/api/v1/cases/"+p.Number+"/bundle-supplement", map[string]any{"materials": sup})
		p = decodeParent(t, status, body, 200)
		if _, _, state, _ := p.sub(t, "sign"); state != "submitted" || p.Bundle.State != "submitted" {
			t.Fatalf("after the supplement: %+v", p.Bundle)
		}

		// Each department decides its part.
		for k, who := range map[string][]*client{"food": {approver, lead}, "sign": staffOf(t, srv, a, "gas-zhzfj"), "fire": staffOf(t, srv, a, "gas-xfzd")} {
			clerk.act(numbers[k], "accept", map[string]any{})
			drive(t, numbers[k], "R-"+k, who...)
		}
		p = decodeParent(t, 200, mustGet(t, ent, "/api/v1/cases/"+p.Number), 200)
		if p.Bundle.State != "issued" || !contains(p.Actions, "bundle-handover") {
			t.Fatalf("before the handover: %+v %v", p.Bundle, p.Actions)
		}
		status, body = clerk.json("POST", "/api/v1/cases/"+p.Number+"/bundle-handover", map[string]any{"collector": "self", "identity_checked": true})
		if p = decodeParent(t, status, body, 200); p.Bundle.State != "closed" {
			t.Fatalf("after the handover: %+v", p.Bundle)
		}
		// Another applicant does not see it.
		other := signIn(t, srv, "13800138000")
		if status, _ := other.do("GET", "/api/v1/cases/"+p.Number, nil); status != http.StatusNotFound {
			t.Errorf("another applicant read the parent: %d", status)
		}

		// At the counter: the clerk applies for the enterprise standing there.
		var counterMaterials []map[string]string
		for _, m := range cl.Materials {
			counterMaterials = append(counterMaterials, map[string]string{"key": m.Key})
		}
		status, body = clerk.json("POST", path+"/cases", map[string]any{"applicant_credit_code": "91511602MA6AB1C2DE",
			"form": form, "materials": counterMaterials})
		cp := decodeParent(t, status, body, http.StatusCreated)
		if cp.Channel != "窗口办" {
			t.Errorf("counter application channel %s", cp.Channel)
		}
		if status, _ := ent.do("GET", "/api/v1/cases/"+cp.Number, nil); status != 200 {
			t.Errorf("the enterprise cannot read its counter application: %d", status)
		}

		// The supervisor's measures: two applications, the counter one open
		// and held up at the registration's department.
		status, body = signIn(t, srv, "supervisor").do("GET", path+"/measures", nil)
		var m struct {
			Cases, Finished, Trips              int
			MaterialsAsked, MaterialsSeparately int `json:"-"`
			Open                                []struct {
				Number string   `json:"number"`
				HeldBy []string `json:"held_by"`
			} `json:"open"`
		}
		if status != 200 || json.Unmarshal(body, &m) != nil || m.Cases != 2 || m.Finished != 1 || len(m.Open) != 1 ||
			m.Open[0].Number != cp.Number || len(m.Open[0].HeldBy) != 1 || m.Open[0].HeldBy[0] != "广安市市场监督管理局" || m.Trips != 2 {
			t.Errorf("measures: %d %s", status, body)
		}
		if status, _ := ent.do("GET", path+"/measures", nil); status != http.StatusForbidden {
			t.Errorf("an applicant read the measures: %d", status)
		}
	})
}

func mustGet(t *testing.T, c *client, path string) []byte {
	t.Helper()
	status, body := c.do("GET", path, nil)
	if status != 200 {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	return body
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// staffOf creates two approvers of the department (审核与审批分离) and
// signs them in.
func staffOf(t *testing.T, srv *httptest.Server, a *app.App, orgCode string) []*client {
	t.Helper()
	ctx := context.Background()
	org, err := a.Store.OrgByCode(ctx, orgCode)
	if err != nil {
		t.Fatal(err)
	}
	var out []*client
	for i := range 2 {
		name := fmt.Sprintf("%s-%d", strings.ReplaceAll(orgCode, "-", ""), i)
		if _, err := a.Identity.CreateStaff(ctx, identity.StaffAccount{Username: name, Name: "审批" + fmt.Sprint(i),
			Password: demo.Password, Roles: []tongban.RoleGrant{{Role: tongban.RoleApprover, OrgID: org.ID}}}, identity.Request{IP: "test"}); err != nil {
			t.Fatal(err)
		}
		out = append(out, signIn(t, srv, name))
	}
	return out
}
