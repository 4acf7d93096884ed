package oidc_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"golang.org/x/oauth2"
)

const (
	orgCode  = "gas-scjgj" // 广安市市场监督管理局
	redirect = "https://scjg.gas.example/callback"
	citizen  = "511602199003071232" // 张三 (demo)
)

// rp is a department system: go-oidc and x/oauth2, nobody here wrote them.
type rp struct {
	t        *testing.T
	provider *gooidc.Provider
	conf     oauth2.Config
	verifier *gooidc.IDTokenVerifier
}

func (s *site) rp(c registered, scopes ...string) *rp {
	s.t.Helper()
	ctx := context.Background()
	p, err := gooidc.NewProvider(ctx, s.url) // discovery; go-oidc checks the issuer matches
	if err != nil {
		s.t.Fatal(err)
	}
	algs := []string{gooidc.RS256}
	if c.Alg == "ES256" {
		algs = []string{gooidc.ES256}
	}
	return &rp{t: s.t, provider: p,
		conf: oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, Endpoint: p.Endpoint(), RedirectURL: redirect,
			Scopes: append([]string{gooidc.ScopeOpenID}, scopes...)},
		verifier: p.Verifier(&gooidc.Config{ClientID: c.ClientID, SupportedSigningAlgs: algs})}
}

// authorize sends the browser through Tongban's sign-in and consent and
// returns the redirect URI's query (code, state or error).
func (r *rp) authorize(b *browser, state string, opts ...oauth2.AuthCodeOption) url.Values {
	r.t.Helper()
	resp, page := b.get(r.conf.AuthCodeURL(state, opts...))
	if resp.StatusCode == http.StatusOK && strings.Contains(page, `id="oidc-allow"`) {
		resp, page = b.consent(page, "allow")
	}
	loc := resp.Header.Get("Location")
	if resp.StatusCode/100 != 3 || !strings.HasPrefix(loc, redirect) {
		r.t.Fatalf("authorize ended at %d %s: %.400s", resp.StatusCode, loc, page)
	}
	u, _ := url.Parse(loc)
	if u.Query().Get("state") != state {
		r.t.Fatalf("state %q came back as %q", state, u.Query().Get("state"))
	}
	return u.Query()
}

// The whole code flow with PKCE, as a department system runs it, on both
// engines: discovery, sign-in at Tongban, consent, the code exchanged with
// the verifier, the ID token verified against the published keys, userinfo
// by scope (each release in the person's data record), the code refused on
// replay (and what it gave revoked), a wrong verifier refused, a wrong
// redirect URI refused without a redirect, refresh tokens rotated, and
// RP-initiated logout.
func TestCodeFlowWithPKCE(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		s := newSite(t, d)
		ctx := context.Background()
		admin := s.browser()
		admin.signIn("admin")
		conf := s.register(admin, "市场监管业务系统", false, false, "RS256", redirect)
		if conf.ClientSecret == "" || !strings.HasPrefix(conf.ClientID, "tb-") {
			t.Fatalf("registration answered %+v", conf)
		}
		sys := s.rp(conf, gooidc.ScopeProfile, "phone", gooidc.ScopeOfflineAccess)

		// A person already signed in to Tongban: no password asked again.
		zhang := s.browser()
		zhang.signIn(citizen)
		verifier := oauth2.GenerateVerifier()
		q := sys.authorize(zhang, "st-1", oauth2.S256ChallengeOption(verifier), gooidc.Nonce("n-1"))
		code := q.Get("code")
		if code == "" {
			t.Fatalf("no code: %v", q)
		}
		tok, err := sys.conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatalf("exchange: %v", err)
		}
		raw, _ := tok.Extra("id_token").(string)
		idt, err := sys.verifier.Verify(ctx, raw)
		if err != nil {
			t.Fatalf("ID token: %v", err)
		}
		var claims struct {
			Nonce string   `json:"nonce"`
			AMR   []string `json:"amr"`
			Name  string   `json:"name"`
		}
		if err := idt.Claims(&claims); err != nil || claims.Nonce != "n-1" || idt.Issuer != s.url || claims.Name != "" {
			t.Errorf("ID token claims %+v (issuer %s), err %v; personal claims belong to userinfo", claims, idt.Issuer, err)
		}
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			t.Errorf("at_hash: %v", err)
		}
		info, err := sys.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			t.Fatalf("userinfo: %v", err)
		}
		var person struct {
			Name  string `json:"name"`
			Phone string `json:"phone_number"`
			ID    string `json:"id_number"`
		}
		info.Claims(&person)
		if info.Subject != idt.Subject || person.Name != "张三" || person.Phone != "+8613800138000" || person.ID != "" {
			t.Errorf("userinfo: sub %s (ID token %q) %+v", info.Subject, idt.Subject, person)
		}
		u, err := s.app.Store.UserByIDNumber(ctx, mustID(t, citizen))
		if err != nil {
			t.Fatal(err)
		}
		uses, err := s.app.Store.DataUses(ctx, u.ID, 10, 0)
		if err != nil || len(uses) != 1 || uses[0].Kind != tongban.DataUseAPIRelease ||
			!strings.Contains(uses[0].ActorName, "市场监管业务系统") || strings.Join(uses[0].Fields, ",") != "name,phone" {
			t.Errorf("data record after userinfo: %+v %v", uses, err)
		}

		// The code again: refused, and the tokens it gave are revoked.
		if _, err := sys.conf.Exchange(ctx, code, oauth2.VerifierOption(verifier)); err == nil {
			t.Error("a replayed code was exchanged")
		}
		if _, err := sys.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil {
			t.Error("the access token survived the code's replay")
		}

		// Consent is remembered: the second flow goes straight through. A
		// wrong verifier does not get the code's tokens.
		v2 := oauth2.GenerateVerifier()
		q = sys.authorize(zhang, "st-2", oauth2.S256ChallengeOption(v2))
		if _, err := sys.conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier())); err == nil {
			t.Error("a wrong verifier was accepted")
		}
		if _, err := sys.conf.Exchange(ctx, q.Get("code")); err == nil {
			t.Error("a code with a challenge was exchanged without a verifier")
		}

		// Refresh tokens rotate; the spent one, presented again, revokes
		// the family.
		v3 := oauth2.GenerateVerifier()
		q = sys.authorize(zhang, "st-3", oauth2.S256ChallengeOption(v3))
		tok, err = sys.conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(v3))
		if err != nil || tok.RefreshToken == "" {
			t.Fatalf("exchange with offline_access: %v, refresh %q", err, tok.RefreshToken)
		}
		first := tok.RefreshToken
		tok.Expiry = tok.Expiry.Add(-2 * 3600e9) // make the client refresh
		fresh, err := sys.conf.TokenSource(ctx, tok).Token()
		if err != nil || fresh.RefreshToken == "" || fresh.RefreshToken == first {
			t.Fatalf("refresh: %v (new refresh token %q)", err, fresh.RefreshToken)
		}
		stale := &oauth2.Token{RefreshToken: first}
		if _, err := sys.conf.TokenSource(ctx, stale).Token(); err == nil {
			t.Error("a spent refresh token was accepted")
		}
		if _, err := sys.conf.TokenSource(ctx, &oauth2.Token{RefreshToken: fresh.RefreshToken}).Token(); err == nil {
			t.Error("after a spent token came back, its family still works")
		}

		// A redirect URI not registered exactly: refused at Tongban, no
		// redirect anywhere.
		bad := sys.conf
		bad.RedirectURL = redirect + "/../evil"
		resp, page := zhang.get(bad.AuthCodeURL("st-4", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		if resp.StatusCode/100 == 3 || resp.StatusCode == http.StatusOK && strings.Contains(page, "oidc-allow") {
			t.Errorf("a wrong redirect URI got %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}

		// RP-initiated logout ends the Tongban session too.
		endSession := s.url + "/oidc/end_session?" + url.Values{"id_token_hint": {raw},
			"post_logout_redirect_uri": {"https://scjg.gas.example/bye"}, "state": {"bye-1"}}.Encode()
		resp, _ = zhang.get(endSession)
		if loc := resp.Header.Get("Location"); resp.StatusCode/100 != 3 || loc != "https://scjg.gas.example/bye?state=bye-1" {
			t.Errorf("end_session: %d %s", resp.StatusCode, loc)
		}
		zhang.api("GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
	})
}

// Public clients must use PKCE, and only S256; ES256 clients get ES256 ID
// tokens; the id_number scope releases the ID number only to a client
// registered for it, and the person may decline.
func TestPublicClientsAndScopes(t *testing.T) {
	s := newSite(t, sqldb.SQLite)
	ctx := context.Background()
	admin := s.browser()
	admin.signIn("admin")
	app := s.register(admin, "掌上办小程序", true, false, "ES256", redirect)
	if app.ClientSecret != "" {
		t.Fatalf("a public client got a secret")
	}
	mobile := s.rp(app, "id_number")
	zhang := s.browser()
	zhang.signIn(citizen)
	if q := mobile.authorize(zhang, "p-1"); q.Get("error") != "invalid_request" {
		t.Errorf("a public client without PKCE: %v", q)
	}
	plain := []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge", "abcdefghijabcdefghijabcdefghijabcdefghij123"),
		oauth2.SetAuthURLParam("code_challenge_method", "plain")}
	if q := mobile.authorize(zhang, "p-2", plain...); q.Get("error") != "invalid_request" {
		t.Errorf("code_challenge_method=plain: %v", q)
	}
	v := oauth2.GenerateVerifier()
	q := mobile.authorize(zhang, "p-3", oauth2.S256ChallengeOption(v))
	tok, err := mobile.conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(v))
	if err != nil {
		t.Fatal(err)
	}
	idt, err := mobile.verifier.Verify(ctx, tok.Extra("id_token").(string))
	if err != nil {
		t.Fatalf("ES256 ID token: %v", err)
	}
	info, err := mobile.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatal(err)
	}
	var person map[string]any
	info.Claims(&person)
	if _, ok := person["id_number"]; ok || info.Subject != idt.Subject {
		t.Errorf("a client not registered for id_number got %v", person)
	}

	gov := s.register(admin, "市场主体登记系统", false, true, "RS256", redirect)
	reg := s.rp(gov, "id_number", "profile")
	li := s.browser()
	li.signIn(citizen)
	resp, page := li.get(reg.conf.AuthCodeURL("d-1", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "居民身份证号码") {
		t.Fatalf("consent page for id_number: %d", resp.StatusCode)
	}
	resp, _ = li.consent(page, "deny")
	if loc, _ := url.Parse(resp.Header.Get("Location")); loc == nil || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "d-1" {
		t.Errorf("declined: %s", resp.Header.Get("Location"))
	}
	v = oauth2.GenerateVerifier()
	q = reg.authorize(li, "d-2", oauth2.S256ChallengeOption(v))
	tok, err = reg.conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(v))
	if err != nil {
		t.Fatal(err)
	}
	info, err = reg.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatal(err)
	}
	info.Claims(&person)
	if person["id_number"] != citizen || person["name"] != "张三" {
		t.Errorf("a client registered for id_number: %v", person)
	}

	// Only a system admin registers clients; a department admin may not.
	dept := s.browser()
	dept.signIn("deptadmin")
	org, _ := s.app.Store.OrgByCode(ctx, orgCode)
	dept.api("POST", "/api/v1/oidc/clients", map[string]any{"name": "x", "org_id": org.ID, "redirect_uris": []string{redirect},
		"public": false}, http.StatusForbidden, nil)
	admin.api("POST", "/api/v1/oidc/clients", map[string]any{"name": "x", "org_id": org.ID,
		"redirect_uris": []string{"http://scjg.gas.example/cb"}, "public": false}, http.StatusBadRequest, nil)
}

func mustID(t *testing.T, s string) tongban.IDNumber {
	id, err := tongban.ParseIDNumber(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
