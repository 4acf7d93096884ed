// Package oidc is Tongban's OpenID Connect provider for department systems
// (统一身份认证, 一次认证、全网通行): a person signed in to Tongban reaches a
// registered department system without typing a password again.
//
// The protocol is github.com/zitadel/oidc's op package (no hand-written
// JOSE or OAuth); its storage is Tongban's database (requests, single-use
// codes, rotating refresh tokens, consents) and its signing keys are made
// on first start and kept sealed with the platform secret. Tongban narrows
// it to the authorization code flow with PKCE (S256 only, required for
// public clients), exact redirect URIs, and personal claims only at the
// userinfo endpoint, each release recorded in the person's data record.
// The sign-in and consent pages stay Tongban's own (internal/web).
package oidc

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Paths. The issuer is the public URL, so discovery sits at its root.
const (
	DiscoveryPath = "/.well-known/openid-configuration"
	prefix        = "/oidc/"
	LoginPath     = "/oidc/login" // Tongban's page (internal/web)
	authorizePath = "/oidc/authorize"
	tokenPath     = "/oidc/token"
	userinfoPath  = "/oidc/userinfo"
	keysPath      = "/oidc/keys"
	endPath       = "/oidc/end_session"
	revokePath    = "/oidc/revoke"
	introPath     = "/oidc/introspect"
)

// Scopes the provider offers.
var Scopes = []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopePhone, ScopeIDNumber, oidc.ScopeOfflineAccess}

// Provider is the OIDC provider.
type Provider struct {
	Store    tongban.Store
	Clock    tongban.Clock
	Log      *slog.Logger
	Identity *identity.Service
	// Issuer is the public URL (app.Config.PublicURL).
	Issuer string
	// CryptoKey encrypts opaque access tokens; derived from the platform secret.
	CryptoKey  [32]byte
	TrustProxy bool

	keys keyring
	op   *op.Provider
}

// Open loads (or, on the first start, makes) the signing keys and builds
// the protocol handler.
func (p *Provider) Open(ctx context.Context) error {
	if err := p.keys.load(ctx, p.Store, p.Clock); err != nil {
		return err
	}
	cfg := &op.Config{
		CryptoKey:                p.CryptoKey,
		DefaultLogoutRedirectURI: p.Issuer + "/",
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		GrantTypeRefreshToken:    true,
		SupportedUILocales:       []language.Tag{language.SimplifiedChinese, language.English},
		SupportedScopes:          Scopes,
		SupportedClaims:          []string{"sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "amr", "azp", "at_hash", "c_hash", "name", "phone_number", "phone_number_verified", ScopeIDNumber},
	}
	opts := []op.Option{
		op.WithLogger(p.log()),
		op.WithCustomAuthEndpoint(op.NewEndpoint(authorizePath)),
		op.WithCustomTokenEndpoint(op.NewEndpoint(tokenPath)),
		op.WithCustomUserinfoEndpoint(op.NewEndpoint(userinfoPath)),
		op.WithCustomKeysEndpoint(op.NewEndpoint(keysPath)),
		op.WithCustomEndSessionEndpoint(op.NewEndpoint(endPath)),
		op.WithCustomRevocationEndpoint(op.NewEndpoint(revokePath)),
		op.WithCustomIntrospectionEndpoint(op.NewEndpoint(introPath)),
	}
	if strings.HasPrefix(p.Issuer, "http://") {
		opts = append(opts, op.WithAllowInsecure()) // a development or test instance
	}
	prov, err := op.NewProvider(cfg, storage{p}, op.StaticIssuer(p.Issuer), opts...)
	if err != nil {
		return err
	}
	p.op = prov
	return nil
}

func (p *Provider) log() *slog.Logger {
	if p.Log == nil {
		return slog.Default()
	}
	return p.Log
}

func (p *Provider) request(ctx context.Context) identity.Request {
	return identity.Request{Actor: httpx.User(ctx)}
}

// Direct are the endpoints that authenticate their callers themselves
// (client credentials, OIDC access tokens), served without Tongban's own
// sign-in middleware, which would take their Authorization header for a
// Tongban API token.
func (p *Provider) Direct() map[string]http.Handler {
	h := p.Handler()
	out := map[string]http.Handler{}
	for _, path := range []string{DiscoveryPath, tokenPath, userinfoPath, keysPath, revokePath, introPath} {
		out[path] = h
	}
	return out
}

// Handler serves discovery and the /oidc/ endpoints (not the login page).
func (p *Provider) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case DiscoveryPath:
			p.discovery(w, r)
			return
		case tokenPath:
			r = r.WithContext(context.WithValue(r.Context(), algKey{}, p.clientAlg(r)))
		}
		p.op.ServeHTTP(w, r)
	})
}

// clientAlg is the ID token algorithm the calling client registered.
func (p *Provider) clientAlg(r *http.Request) string {
	id, _, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
	} else if err := r.ParseForm(); err == nil {
		id = r.PostForm.Get("client_id")
	}
	if id == "" {
		return RS256
	}
	c, err := p.Store.OIDCClient(r.Context(), id)
	if err != nil {
		return RS256
	}
	return c.IDTokenAlg
}

// discovery is the library's document, narrowed to what Tongban offers:
// the code flow, S256, no device flow or session iframe.
func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	ctx := op.ContextWithIssuer(r.Context(), p.Issuer)
	d := op.CreateDiscoveryConfig(ctx, p.op, storage{p})
	d.ResponseTypesSupported = []string{string(oidc.ResponseTypeCode)}
	d.GrantTypesSupported = []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken}
	d.DeviceAuthorizationEndpoint, d.CheckSessionIframe = "", ""
	d.CodeChallengeMethodsSupported = []oidc.CodeChallengeMethod{oidc.CodeChallengeMethodS256}
	d.TokenEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost, oidc.AuthMethodNone}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	json.NewEncoder(w).Encode(d)
}

// Pending is an authorization request waiting at the login page.
type Pending struct {
	ID     string
	Client *tongban.OIDCClient
	Scopes []string // what the client asks for, openid and offline_access left out
	// Consented: the person already allowed all of Scopes for this client.
	Consented bool
	// ForceConsent: the client asked to ask again (prompt=consent).
	ForceConsent bool
	// NoPrompt: the client asked not to show any page (prompt=none).
	NoPrompt bool
}

// NeedsConsent reports whether the consent page must be shown.
func (pd *Pending) NeedsConsent() bool { return !pd.Consented || pd.ForceConsent }

// Pending loads a request for the login page, with u's consent so far.
func (p *Provider) Pending(ctx context.Context, id string, u *tongban.User) (*Pending, error) {
	r, err := p.Store.AuthRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Done || !p.Clock.Now().Before(r.ExpiresAt) {
		return nil, tongban.Errorf(tongban.ENotFound, "登录请求已过期，请回到原系统重新登录")
	}
	a, err := loadRequest(r)
	if err != nil {
		return nil, err
	}
	c, err := p.Store.OIDCClient(ctx, r.ClientID)
	if err != nil {
		return nil, err
	}
	pd := &Pending{ID: id, Client: c, ForceConsent: slices.Contains(a.d.Prompt, oidc.PromptConsent),
		NoPrompt: slices.Contains(a.d.Prompt, oidc.PromptNone)}
	for _, s := range a.d.Scopes {
		if s != oidc.ScopeOpenID && s != oidc.ScopeOfflineAccess {
			pd.Scopes = append(pd.Scopes, s)
		}
	}
	if u != nil {
		consent, err := p.Store.OIDCConsent(ctx, u.ID, c.ClientID)
		switch {
		case err == nil:
			pd.Consented = !slices.ContainsFunc(pd.Scopes, func(s string) bool { return !slices.Contains(consent.Scopes, s) })
		case !tongban.IsCode(err, tongban.ENotFound):
			return nil, err
		}
	}
	return pd, nil
}

// Approve records u's consent (remembered for the client) and who signed
// in, and returns where the browser goes next: the provider's callback,
// which issues the code.
func (p *Provider) Approve(ctx context.Context, pd *Pending, u *tongban.User) (string, error) {
	now := p.Clock.Now()
	err := p.Store.Transact(ctx, func(tx tongban.Store) error {
		if len(pd.Scopes) > 0 {
			consent := &tongban.OIDCConsent{UserID: u.ID, ClientID: pd.Client.ClientID, Scopes: pd.Scopes, GrantedAt: now}
			if old, err := tx.OIDCConsent(ctx, u.ID, pd.Client.ClientID); err == nil {
				for _, s := range old.Scopes {
					if !slices.Contains(consent.Scopes, s) {
						consent.Scopes = append(consent.Scopes, s)
					}
				}
			}
			if err := tx.SaveOIDCConsent(ctx, consent); err != nil {
				return err
			}
		}
		return tx.CompleteAuthRequest(ctx, pd.ID, u.ID, now)
	})
	if err != nil {
		return "", err
	}
	return p.Issuer + authorizePath + "/callback?id=" + url.QueryEscape(pd.ID), nil
}

// Refuse ends a request the person declined (or could not be asked about,
// with prompt=none) and returns the client's redirect URI carrying the
// OAuth error and the client's state.
func (p *Provider) Refuse(ctx context.Context, id, code, description string) (string, error) {
	r, err := p.Store.AuthRequest(ctx, id)
	if err != nil {
		return "", err
	}
	a, err := loadRequest(r)
	if err != nil {
		return "", err
	}
	if err := p.Store.DeleteAuthRequest(ctx, id); err != nil {
		return "", err
	}
	u, err := url.Parse(a.d.RedirectURI)
	if err != nil {
		return "", tongban.Wrap(tongban.EInternal, err, "回调地址无效")
	}
	q := u.Query()
	q.Set("error", code)
	q.Set("error_description", description)
	if a.d.State != "" {
		q.Set("state", a.d.State)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Revoke withdraws u's consent for a client and the tokens it holds: the
// system must ask again before it signs u in or reads u's data.
func (p *Provider) Revoke(ctx context.Context, u *tongban.User, clientID string) error {
	if u == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	now := p.Clock.Now()
	return p.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.DeleteOIDCConsent(ctx, u.ID, clientID); err != nil {
			return err
		}
		if _, err := tx.RevokeOIDCTokens(ctx, tongban.OIDCTokenFilter{UserID: u.ID, ClientID: clientID}, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: now, ActorID: u.ID, Actor: tongban.MaskName(u.Name),
			Action: AuditConsentRevoke, Object: "oidc_client:" + clientID, Detail: "撤销授权"})
	})
}

// AuditConsentRevoke is written when a person withdraws a system's consent.
const AuditConsentRevoke = "oidc_consent_revoke"
