package oidc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/app/apptest"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

const password = "Tongban@2026" // the demo accounts' (README)

// site is the whole Tongban, demo city loaded, on a real listener whose
// address is its public URL (the issuer).
type site struct {
	t   *testing.T
	app *app.App
	url string
}

func newSite(t *testing.T, d sqldb.Dialect) *site {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	if d == sqldb.Postgres {
		db = storetest.CreatePostgresDB(t)
	}
	cfg := app.Config{DataDir: dir, DB: db, Demo: true, Secret: strings.Repeat("5a", 32), PublicURL: base}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := apptest.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(a.Handler)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &site{t: t, app: a, url: base}
}

// browser is a person's browser: cookies kept, redirects followed until
// one leaves Tongban (to a department system's redirect URI).
type browser struct {
	t    *testing.T
	s    *site
	c    *http.Client
	csrf string
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: s.t, s: s}
	b.c = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if !strings.HasPrefix(req.URL.String(), s.url) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

// signIn signs in through the API (which sets the session cookie).
func (b *browser) signIn(login string) {
	b.t.Helper()
	resp := b.api("POST", "/api/v1/login", map[string]string{"login": login, "password": password}, http.StatusOK, nil)
	b.csrf = resp.Header.Get("X-CSRF-Token")
}

func (b *browser) api(method, path string, in any, want int, out any) *http.Response {
	b.t.Helper()
	var body io.Reader
	if in != nil {
		raw, _ := json.Marshal(in)
		body = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, b.s.url+path, body)
	req.Header.Set("Content-Type", "application/json")
	if b.csrf != "" {
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		b.t.Fatalf("%s %s = %d %s, want %d", method, path, resp.StatusCode, raw, want)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			b.t.Fatal(err)
		}
	}
	return resp
}

// get follows a link the way a browser would and returns the last answer:
// a page of Tongban's, or a redirect to somewhere else.
func (b *browser) get(u string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

var hiddenCSRF = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// consent answers the consent page, then follows on.
func (b *browser) consent(page, decision string) (*http.Response, string) {
	b.t.Helper()
	m := hiddenCSRF.FindStringSubmatch(page)
	id := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil || id == nil {
		b.t.Fatalf("no consent form in %s", page)
	}
	resp, err := b.c.PostForm(b.s.url+"/oidc/login", url.Values{"csrf_token": {html.UnescapeString(m[1])},
		"id": {html.UnescapeString(id[1])}, "decision": {decision}})
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

// registered is a client as the admin's API answers it.
type registered struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	Public       bool   `json:"public"`
	Alg          string `json:"id_token_signed_response_alg"`
}

// register has the demo system admin register a department system of the
// city's market regulator.
func (s *site) register(admin *browser, name string, public, idNumber bool, alg string, redirect ...string) registered {
	s.t.Helper()
	org, err := s.app.Store.OrgByCode(context.Background(), orgCode)
	if err != nil {
		s.t.Fatal(err)
	}
	var c registered
	admin.api("POST", "/api/v1/oidc/clients", map[string]any{"name": name, "org_id": org.ID, "redirect_uris": redirect,
		"post_logout_redirect_uris": []string{"https://scjg.gas.example/bye"}, "public": public, "id_number": idNumber,
		"id_token_signed_response_alg": alg}, http.StatusCreated, &c)
	return c
}
