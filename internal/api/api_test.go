package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/api"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/app/apptest"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
)

// site starts the whole app on SQLite with the demo city.
func site(t *testing.T) (*httptest.Server, *app.App) {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, DB: filepath.Join(dir, "t.db"), Demo: true,
		Secret: strings.Repeat("ab", 32)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := apptest.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := contractServer(t, a)
	return srv, a
}

// client is an API client with a cookie jar and the CSRF token it was given.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func newClient(t *testing.T, srv *httptest.Server) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: srv.URL, http: &http.Client{Jar: jar}}
}

type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

// do sends a request with a raw body and returns status and body.
func (c *client) do(method, path string, body []byte, headers ...string) (int, []byte) {
	c.t.Helper()
	status, _, out := c.send(method, path, body, headers...)
	return status, out
}

func (c *client) json(method, path string, v any) (int, []byte) {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(method, path, b)
}

func (c *client) login(login string) {
	c.t.Helper()
	if status, body := c.json("POST", "/api/v1/login", map[string]string{"login": login, "password": demo.Password}); status != 200 {
		c.t.Fatalf("login %s: %d %s", login, status, body)
	}
}

func wantError(t *testing.T, status int, body []byte, wantStatus int, wantCode, wantField string) {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("body is not the error shape: %s", body)
	}
	if status != wantStatus || e.Error.Code != wantCode || e.Error.Field != wantField || e.Error.Message == "" {
		t.Fatalf("got %d %+v; want %d %s field %q", status, e.Error, wantStatus, wantCode, wantField)
	}
}

func TestRegistrationBadInput(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)
	good := map[string]string{"name": "王五", "id_number": "11010519491231002X", "phone": "13700137000", "password": "Wangwu#2026"}
	status, body := c.json("POST", "/api/v1/register", good)
	if status != http.StatusCreated || strings.Contains(string(body), "11010519491231002X") {
		t.Fatalf("register: %d %s (the response must mask the ID)", status, body)
	}
	status, body = c.json("POST", "/api/v1/register", good)
	wantError(t, status, body, 409, "conflict", "id_number")

	bad := map[string]string{"name": "王五", "id_number": "110105194912310021", "phone": "13700137000", "password": "Wangwu#2026"}
	status, body = c.json("POST", "/api/v1/register", bad)
	wantError(t, status, body, 400, "invalid", "id_number")
	if !strings.Contains(string(body), "校验位") {
		t.Errorf("message does not explain the check digit: %s", body)
	}
	ent := map[string]string{"name": "测试公司", "credit_code": "91511602MA6AB1C2DF", "legal_rep_name": "王五",
		"legal_rep_id_number": "11010519491231002X", "phone": "13700137000", "password": "Wangwu#2026"}
	status, body = c.json("POST", "/api/v1/register/enterprise", ent)
	wantError(t, status, body, 400, "invalid", "credit_code")
}

func TestMalformedAndOversizedJSON(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)
	cases := []struct {
		name, body, field string
	}{
		{"malformed", `{"name": "王五", "id_number": `, "body"},
		{"not json", `name=王五`, "body"},
		{"wrong type", `{"name": 42}`, "name"},
		{"unknown field", `{"name": "王五", "admin": true}`, "admin"},
		{"trailing", `{"name": "王五"} {}`, "body"},
		{"empty", ``, "body"},
		{"oversized", `{"name": "` + strings.Repeat("长", api.MaxBody/3+10) + `"}`, "body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := c.do("POST", "/api/v1/register", []byte(tc.body))
			wantError(t, status, body, 400, "invalid", tc.field)
		})
	}
	regions, _ := c.do("GET", "/api/v1/regions", nil)
	if regions != 200 {
		t.Fatalf("server unhealthy after bad input: %d", regions)
	}
}

func TestLoginThrottled(t *testing.T) {
	t.Parallel()
	// A stopped clock: on a loaded host the wait after the last free
	// failure could pass before the next attempt.
	srv, _ := siteWithClock(t, tongban.NewManualClock(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)), func(*app.Config) {})
	c := newClient(t, srv)
	for i := 0; i < identity.FreeFailures+1; i++ {
		status, body := c.json("POST", "/api/v1/login", map[string]string{"login": "clerk", "password": "wrong-password-1"})
		wantError(t, status, body, 401, "unauthorized", "password")
	}
	// From the failing address the next try waits (no server-side sleep).
	status, headers, body := c.send("POST", "/api/v1/login", []byte(`{"login":"clerk","password":"`+demo.Password+`"}`))
	wantError(t, status, body, 429, "too_many_requests", "")
	if headers.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}
}

func TestCSRFRequiredForCookieSessions(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)
	c.login("clerk")
	token := c.csrf
	c.csrf = "" // a forged request carries the cookie but not the token
	status, body := c.json("POST", "/api/v1/me/password", map[string]string{"old_password": "x", "new_password": "y"})
	wantError(t, status, body, 403, "forbidden", "csrf_token")
	c.csrf = token
	status, body = c.json("POST", "/api/v1/me/password", map[string]string{"old_password": "not-it-1", "new_password": "Another#2026"})
	wantError(t, status, body, 400, "invalid", "old_password") // past CSRF, stopped by the rules

	// The same holds for a page form posted without its hidden token.
	req, _ := http.NewRequest("POST", srv.URL+"/account/password", strings.NewReader("old_password=a&new_password=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("form post without CSRF token: %d, want 403", resp.StatusCode)
	}
}

func userID(t *testing.T, a *app.App, login string) int64 {
	u, err := a.Store.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestStaffScopeAndMaskedReads(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	admin := newClient(t, srv)
	admin.login("deptadmin") // 广安市市场监督管理局
	status, body := admin.do("GET", "/api/v1/users/"+itoa(userID(t, a, "approver-rsj")), nil)
	wantError(t, status, body, 403, "forbidden", "")
	if status, body := admin.do("GET", "/api/v1/users/"+itoa(userID(t, a, "approver")), nil); status != 200 {
		t.Fatalf("own department's staff: %d %s", status, body)
	}

}

func TestBearerTokens(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)
	c.login("admin")
	status, body := c.json("POST", "/api/v1/tokens", map[string]string{"name": "不动产登记系统"})
	if status != 201 {
		t.Fatalf("create token: %d %s", status, body)
	}
	var tok struct {
		Token string `json:"token"`
		ID    int64  `json:"id"`
	}
	json.Unmarshal(body, &tok)
	machine := newClient(t, srv) // no cookies, no CSRF token: bearer only
	status, body = machine.do("GET", "/api/v1/me", nil, "Authorization", "Bearer "+tok.Token)
	if status != 200 || !strings.Contains(string(body), `"username":"admin"`) {
		t.Fatalf("bearer /me: %d %s", status, body)
	}
	if status, body := machine.do("GET", "/api/v1/audit/verify", nil, "Authorization", "Bearer "+tok.Token); status != 200 || !strings.Contains(string(body), `"ok":true`) {
		t.Fatalf("audit verify: %d %s", status, body)
	}
	if status, _ := c.do("DELETE", "/api/v1/tokens/"+itoa(tok.ID), nil); status != 204 {
		t.Fatalf("revoke: %d", status)
	}
	status, body = machine.do("GET", "/api/v1/me", nil, "Authorization", "Bearer "+tok.Token)
	wantError(t, status, body, 401, "unauthorized", "")
}

func TestEveryRouteIsDescribed(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)
	status, body := c.do("GET", "/api/v1/openapi.json", nil)
	if status != 200 {
		t.Fatalf("openapi: %d", status)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi doc: %v %s", err, body[:min(200, len(body))])
	}
	described := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			described[strings.ToUpper(method)+" "+path] = true
		}
	}
	routes := api.New(api.Deps{}).Routes()
	if len(routes) != len(described) {
		t.Errorf("%d routes but %d described operations", len(routes), len(described))
	}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Path
		if !described[key] {
			t.Errorf("route %s is not in the OpenAPI document", key)
		}
		// Every described route is really served: probing it never hits the
		// API's "no such endpoint" fallback.
		path := strings.NewReplacer("{id}", "1", "{code}", "511600000000", "{year}", "2026",
			"{number}", "511600000000-20260302-000001", "{kind}", "acceptance.pdf",
			"{hash}", "sha256:"+strings.Repeat("0", 64)).Replace(rt.Path)
		status, body := c.do(rt.Method, path, []byte("{}"))
		if status == 404 && strings.Contains(string(body), "接口 ") {
			t.Errorf("route %s is described but not served", key)
		}
	}
}

func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)
	if status, body := c.do("GET", "/healthz", nil); status != 200 || !strings.Contains(string(body), `"database":"ok"`) {
		t.Fatalf("healthz: %d %s", status, body)
	}
	status, body := c.do("GET", "/api/v1/nope", nil)
	wantError(t, status, body, 404, "not_found", "")
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
