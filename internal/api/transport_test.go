package api_test

import (
	"context"
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
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
)

// siteWith starts the demo city on SQLite with a config the caller adjusts.
func siteWith(t *testing.T, adjust func(*app.Config)) (*httptest.Server, *app.App) {
	t.Helper()
	return siteWithClock(t, tongban.SystemClock{}, adjust)
}

// siteWithClock is siteWith on the given clock.
func siteWithClock(t *testing.T, clock tongban.Clock, adjust func(*app.Config)) (*httptest.Server, *app.App) {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, DB: filepath.Join(dir, "t.db"), Demo: true, Secret: strings.Repeat("ab", 32)}
	adjust(&cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := apptest.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv, a
}

// TestMetricsNeedATokenOrTheirOwnAddress: /metrics told anyone the
// routes, rates and internals. It is served on the main address only to
// the configured bearer token, or on an address of its own.
func TestMetricsNeedATokenOrTheirOwnAddress(t *testing.T) {
	t.Parallel()
	const token = "metrics-token-0123456789"
	srv, _ := siteWith(t, func(c *app.Config) { c.MetricsToken = token })
	c := newClient(t, srv)
	c.do("GET", "/api/v1/regions", nil)
	if status, _ := c.do("GET", "/metrics", nil); status != http.StatusUnauthorized {
		t.Errorf("metrics without the token: %d", status)
	}
	if status, _ := c.do("GET", "/metrics", nil, "Authorization", "Bearer wrong-token-0123456789"); status != http.StatusUnauthorized {
		t.Errorf("metrics with a wrong token: %d", status)
	}
	status, body := c.do("GET", "/metrics", nil, "Authorization", "Bearer "+token)
	if status != 200 || !strings.Contains(string(body), `tongban_http_requests_total{code="200",route="GET /api/v1/regions"}`) {
		t.Fatalf("metrics with the token: %d, missing the request counter", status)
	}

	plain, _ := site(t)
	if status, body := newClient(t, plain).do("GET", "/metrics", nil); status == 200 && strings.Contains(string(body), "tongban_http") {
		t.Error("metrics served on the main address with no token configured")
	}
	_, own := siteWith(t, func(c *app.Config) { c.Addr, c.MetricsAddr = "127.0.0.1:8080", "127.0.0.1:9090" })
	rec := httptest.NewRecorder()
	own.MetricsHandler.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "go_goroutines") {
		t.Errorf("metrics on their own address: %d", rec.Code)
	}
}

// TestHTTPSBehindAProxy: with an https public URL, cookies are Secure and
// HSTS is sent even though Tongban itself serves plain HTTP (a
// TLS-terminating proxy in front).
func TestHTTPSBehindAProxy(t *testing.T) {
	t.Parallel()
	srv, _ := siteWith(t, func(c *app.Config) { c.PublicURL = "https://zwfw.example.gov.cn" })
	resp, err := http.Post(srv.URL+"/api/v1/login", "application/json",
		strings.NewReader(`{"login":"clerk","password":"`+demo.Password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Fatalf("login: %d, HSTS %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	cookies := resp.Cookies()
	if len(cookies) == 0 {
		t.Fatal("no cookies")
	}
	for _, ck := range cookies {
		if !ck.Secure || !ck.HttpOnly && ck.Name == "tongban_session" {
			t.Errorf("cookie %s: Secure=%v HttpOnly=%v", ck.Name, ck.Secure, ck.HttpOnly)
		}
	}
	plain, _ := site(t)
	resp, err = http.Get(plain.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over a plain-http public URL")
	}
}

// TestForwardedForFromTrustedProxiesOnly: with --trust-proxy the first
// X-Forwarded-For entry, which the client writes, was taken as its
// address, dodging the per-address sign-in limit and writing invented
// addresses into the audit log. Now the right-most entry not a trusted
// proxy is the client, for the throttle and the audit log alike.
func TestForwardedForFromTrustedProxiesOnly(t *testing.T) {
	t.Parallel()
	proxies, _ := httpx.ParseTrustedProxies("127.0.0.1/32")
	// A stopped clock: on a loaded host the wait after the last free
	// failure could pass before the next attempt and hide the limit.
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
	srv, a := siteWithClock(t, clock, func(c *app.Config) { c.TrustedProxies = proxies })
	c := newClient(t, srv)
	login := func(password, xff string) (int, http.Header) {
		status, h, _ := c.send("POST", "/api/v1/login", []byte(`{"login":"clerk","password":"`+password+`"}`), "X-Forwarded-For", xff)
		return status, h
	}
	// The attacker invents a new first entry each time; the proxy appends
	// the address it really saw.
	for i := 0; i < identity.FreeFailures+1; i++ {
		if status, _ := login("Wrong#pass1", "10.66.0."+itoa(int64(i))+", 203.0.113.9"); status != 401 {
			t.Fatalf("failure %d: %d", i, status)
		}
	}
	if status, h := login("Wrong#pass1", "10.66.1.1, 203.0.113.9"); status != 429 || h.Get("Retry-After") == "" {
		t.Fatalf("an invented first entry dodged the per-address limit: %d", status)
	}
	if status, _ := login(demo.Password, "198.51.100.4"); status != 200 {
		t.Fatalf("the owner from another address: %d", status)
	}
	entries, err := audit.Entries(context.Background(), a.Store, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Action == tongban.AuditLoginFailed || e.Action == tongban.AuditLogin {
			seen[e.IP] = true
		}
	}
	if !seen["203.0.113.9"] || !seen["198.51.100.4"] || seen["10.66.0.0"] || seen["127.0.0.1"] {
		t.Errorf("audit addresses %v: want the proxy-seen clients only", seen)
	}
	// Without trusted proxies, the header is ignored altogether.
	plain, _ := siteWithClock(t, clock, func(*app.Config) {})
	pc := newClient(t, plain)
	for i := 0; i < identity.FreeFailures+1; i++ {
		pc.send("POST", "/api/v1/login", []byte(`{"login":"clerk","password":"Wrong#pass1"}`), "X-Forwarded-For", "10.77.0."+itoa(int64(i)))
	}
	if status, _, _ := pc.send("POST", "/api/v1/login", []byte(`{"login":"clerk","password":"Wrong#pass1"}`), "X-Forwarded-For", "10.77.9.9"); status != 429 {
		t.Errorf("an untrusted X-Forwarded-For changed the address: %d", status)
	}
}
