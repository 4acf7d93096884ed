package oidc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Lifetimes.
const (
	AuthRequestTTL  = 10 * time.Minute    // from /authorize to the code's exchange
	AccessTokenTTL  = time.Hour           //
	RefreshTokenTTL = 30 * 24 * time.Hour // each rotation starts a new one
)

// storage is the provider library's storage, backed by Tongban's store:
// requests, codes (single-use, hashed) and tokens in the database, keys
// sealed with the platform secret.
type storage struct {
	p *Provider
}

var (
	_ op.Storage                        = storage{}
	_ op.CanSetUserinfoFromRequest      = storage{}
	_ op.CanTerminateSessionFromRequest = storage{}
)

func (s storage) st() tongban.Store     { return s.p.Store }
func (s storage) now() time.Time        { return s.p.Clock.Now() }
func hash(secret string) string         { h := sha256.Sum256([]byte(secret)); return hex.EncodeToString(h[:]) }
func randomID() string                  { return randomString(16) }
func errNotFound(err error) bool        { return tongban.IsCode(err, tongban.ENotFound) }
func serverError(err error) *oidc.Error { return oidc.ErrServerError().WithParent(err) }

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("oidc: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// CreateAuthRequest stores a request after the library checked the client,
// its redirect URI (exactly) and scopes. Tongban adds: PKCE only with
// S256, and always for public clients.
func (s storage) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	c, err := s.st().OIDCClient(ctx, req.ClientID)
	if err != nil {
		return nil, oidc.ErrInvalidClient().WithParent(err)
	}
	switch {
	case req.CodeChallenge != "" && req.CodeChallengeMethod != oidc.CodeChallengeMethodS256:
		return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
	case req.CodeChallenge == "" && c.Public:
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE (code_challenge with S256) is required for public clients")
	}
	d := requestData{Scopes: req.Scopes, RedirectURI: req.RedirectURI, State: req.State, Nonce: req.Nonce,
		ResponseType: req.ResponseType, ResponseMode: req.ResponseMode, CodeChallenge: req.CodeChallenge,
		CodeChallengeMethod: req.CodeChallengeMethod, Prompt: req.Prompt, MaxAge: req.MaxAge}
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, serverError(err)
	}
	now := s.now()
	r := &tongban.OIDCAuthRequest{ID: randomID(), ClientID: c.ClientID, Request: raw, CreatedAt: now,
		ExpiresAt: now.Add(AuthRequestTTL)}
	if err := s.st().CreateAuthRequest(ctx, r); err != nil {
		return nil, err
	}
	return &authRequest{r: r, d: d}, nil
}

func (s storage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	r, err := s.st().AuthRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.now().Before(r.ExpiresAt) {
		return nil, oidc.ErrInvalidRequest().WithDescription("auth request expired")
	}
	return loadRequest(r)
}

// AuthRequestByCode takes the code: only the first exchange gets its
// request. A code presented again revokes what the first exchange got
// (RFC 6749 section 4.1.2: the code leaked).
func (s storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	r, used, err := s.st().TakeAuthCode(ctx, hash(code), s.now())
	if err != nil {
		return nil, err
	}
	if used {
		n, err := s.st().RevokeOIDCTokens(ctx, tongban.OIDCTokenFilter{AuthRequestID: r.ID}, s.now())
		if err != nil {
			return nil, err
		}
		s.p.log().Warn("授权码被重复使用，已吊销其令牌", "client", r.ClientID, "revoked", n)
		return nil, errors.New("code already used")
	}
	if !r.Done || !s.now().Before(r.ExpiresAt) {
		return nil, errors.New("code not valid")
	}
	return loadRequest(r)
}

func (s storage) SaveAuthCode(ctx context.Context, id, code string) error {
	return s.st().SetAuthCode(ctx, id, hash(code))
}

// DeleteAuthRequest keeps the request until it expires (the janitor removes
// it): a replayed code must still find it, to revoke its tokens.
func (s storage) DeleteAuthRequest(context.Context, string) error { return nil }

func (s storage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	t, err := s.newToken(ctx, s.st(), req, false, "")
	if err != nil {
		return "", time.Time{}, err
	}
	return t.ID, t.ExpiresAt, nil
}

// CreateAccessAndRefreshTokens issues a token pair. With a current refresh
// token it rotates: the old one is spent (compare-and-set) and the new one
// joins its family, in one transaction, so a failure between the two
// cannot spend the old token without its successor.
func (s storage) CreateAccessAndRefreshTokens(ctx context.Context, req op.TokenRequest, current string) (string, string, time.Time, error) {
	refresh := randomString(32)
	var t, spent *tongban.OIDCToken
	err := s.st().Transact(ctx, func(tx tongban.Store) error {
		t, spent = nil, nil
		if current != "" {
			old, err := tx.OIDCTokenByRefresh(ctx, hash(current))
			if err != nil {
				return op.ErrInvalidRefreshToken
			}
			ok, err := tx.RotateRefreshToken(ctx, hash(current), s.now())
			if err != nil {
				return err
			}
			if !ok {
				spent = old
				return nil
			}
		}
		var err error
		t, err = s.newToken(ctx, tx, req, true, refresh) // a rotation's request carries the old family
		return err
	})
	if err != nil {
		return "", "", time.Time{}, err
	}
	if spent != nil {
		return "", "", time.Time{}, s.reused(ctx, spent)
	}
	return t.ID, refresh, t.ExpiresAt, nil
}

// reused: a spent refresh token came back. Whoever holds the family may be
// a thief; revoke all of it.
func (s storage) reused(ctx context.Context, t *tongban.OIDCToken) error {
	n, err := s.st().RevokeOIDCTokens(ctx, tongban.OIDCTokenFilter{Family: t.Family}, s.now())
	if err != nil {
		return err
	}
	s.p.log().Warn("刷新令牌被重复使用，已吊销整组令牌", "client", t.ClientID, "revoked", n)
	return oidc.ErrInvalidGrant().WithDescription("refresh token already used")
}

func (s storage) newToken(ctx context.Context, st tongban.Store, req op.TokenRequest, withRefresh bool, refresh string) (*tongban.OIDCToken, error) {
	userID, ok := userOf(req.GetSubject())
	if !ok {
		return nil, oidc.ErrInvalidGrant().WithDescription("no subject")
	}
	now := s.now()
	t := &tongban.OIDCToken{ID: randomID(), UserID: userID, Scopes: req.GetScopes(), ExpiresAt: now.Add(AccessTokenTTL),
		CreatedAt: now, Family: randomID()}
	switch r := req.(type) {
	case *authRequest:
		t.ClientID, t.AuthTime, t.AMR, t.AuthRequestID = r.GetClientID(), r.GetAuthTime(), r.GetAMR(), r.GetID()
	case *refreshRequest:
		t.ClientID, t.AuthTime, t.AMR, t.AuthRequestID, t.Family = r.t.ClientID, r.t.AuthTime, r.t.AMR, r.t.AuthRequestID, r.t.Family
	default:
		return nil, oidc.ErrUnsupportedGrantType()
	}
	if withRefresh {
		t.RefreshHash, t.RefreshExpiry = hash(refresh), now.Add(RefreshTokenTTL)
	}
	if err := st.CreateOIDCToken(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

func (s storage) TokenRequestByRefreshToken(ctx context.Context, refresh string) (op.RefreshTokenRequest, error) {
	t, err := s.st().OIDCTokenByRefresh(ctx, hash(refresh))
	if errNotFound(err) {
		return nil, op.ErrInvalidRefreshToken
	}
	if err != nil {
		return nil, err
	}
	switch {
	case !t.RevokedAt.IsZero():
		return nil, oidc.ErrInvalidGrant().WithDescription("refresh token revoked")
	case !t.RotatedAt.IsZero():
		return nil, s.reused(ctx, t)
	case !s.now().Before(t.RefreshExpiry):
		return nil, oidc.ErrInvalidGrant().WithDescription("refresh token expired")
	}
	// Only a client that is gone or disabled makes the grant invalid: a
	// failed read (a timeout) is the server's error, which the client may
	// retry with the same refresh token instead of discarding it.
	c, err := s.st().OIDCClient(ctx, t.ClientID)
	switch {
	case errNotFound(err) || err == nil && c.Disabled:
		return nil, oidc.ErrInvalidGrant().WithDescription("client disabled")
	case err != nil:
		return nil, serverError(err)
	}
	return &refreshRequest{t: t, scopes: t.Scopes}, nil
}

// TerminateSession revokes a client's tokens for a person.
func (s storage) TerminateSession(ctx context.Context, userID, clientID string) error {
	id, ok := userOf(userID)
	if !ok || clientID == "" {
		return nil
	}
	_, err := s.st().RevokeOIDCTokens(ctx, tongban.OIDCTokenFilter{UserID: id, ClientID: clientID}, s.now())
	return err
}

// TerminateSessionFromRequest is RP-initiated logout: the client's tokens
// for the person are revoked and, when the browser's Tongban session is
// that person's (the id_token_hint names them), the session ends too —
// signing out of Tongban everywhere (单点退出). Without a hint nobody is
// signed out: a link elsewhere cannot end someone's session.
func (s storage) TerminateSessionFromRequest(ctx context.Context, req *op.EndSessionRequest) (string, error) {
	if err := s.TerminateSession(ctx, req.UserID, req.ClientID); err != nil {
		return "", err
	}
	u := httpx.User(ctx)
	if token := httpx.SessionToken(ctx); token != "" && u != nil && req.UserID == subject(u.ID) {
		if err := s.p.Identity.Logout(ctx, token, s.p.request(ctx)); err != nil {
			return "", err
		}
	}
	return req.RedirectURI, nil
}

func (s storage) RevokeToken(ctx context.Context, tokenOrID, userID, clientID string) *oidc.Error {
	var t *tongban.OIDCToken
	var err error
	if userID != "" {
		t, err = s.st().OIDCToken(ctx, tokenOrID)
	} else {
		t, err = s.st().OIDCTokenByRefresh(ctx, hash(tokenOrID))
	}
	if errNotFound(err) {
		return nil // RFC 7009: an unknown token is not an error
	}
	if err != nil {
		return serverError(err)
	}
	if t.ClientID != clientID {
		return oidc.ErrInvalidClient().WithDescription("token was not issued to this client")
	}
	f := tongban.OIDCTokenFilter{ID: t.ID}
	if userID == "" {
		f = tongban.OIDCTokenFilter{Family: t.Family}
	}
	if _, err := s.st().RevokeOIDCTokens(ctx, f, s.now()); err != nil {
		return serverError(err)
	}
	return nil
}

func (s storage) GetRefreshTokenInfo(ctx context.Context, clientID, token string) (string, string, error) {
	t, err := s.st().OIDCTokenByRefresh(ctx, hash(token))
	if err != nil || t.ClientID != clientID {
		return "", "", op.ErrInvalidRefreshToken
	}
	return subject(t.UserID), t.ID, nil
}

// SigningKey signs with the algorithm the client registered, which the
// token endpoint put in the context; RS256 otherwise.
func (s storage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	alg, _ := ctx.Value(algKey{}).(string)
	return s.p.keys.get(alg), nil
}

func (s storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256, jose.ES256}, nil
}

func (s storage) KeySet(context.Context) ([]op.Key, error) {
	var out []op.Key
	for _, k := range s.p.keys.public() {
		out = append(out, k)
	}
	return out, nil
}

func (s storage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.st().OIDCClient(ctx, id)
	if errNotFound(err) {
		return nil, errors.New("unknown client")
	}
	if err != nil {
		return nil, serverError(err)
	}
	if c.Disabled {
		return nil, errors.New("client disabled")
	}
	return client{c}, nil
}

// AuthorizeClientIDSecret checks a confidential client's secret (stored as
// a SHA-256: secrets are random and long, a slow hash adds nothing).
func (s storage) AuthorizeClientIDSecret(ctx context.Context, id, secret string) error {
	c, err := s.st().OIDCClient(ctx, id)
	if errNotFound(err) {
		return errors.New("unknown client")
	}
	if err != nil {
		return serverError(err)
	}
	if c.Public || c.Disabled || subtle.ConstantTimeCompare([]byte(c.SecretHash), []byte(hash(secret))) != 1 {
		return errors.New("wrong client secret")
	}
	return nil
}

// SetUserinfoFromScopes and SetUserinfoFromRequest fill ID tokens: only
// the subject (the library copies the whole userinfo over the token's
// claims). Personal claims go out at the userinfo endpoint, recorded.
func (s storage) SetUserinfoFromScopes(_ context.Context, info *oidc.UserInfo, userID, _ string, _ []string) error {
	info.Subject = userID
	return nil
}

func (s storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, _ []string) error {
	info.Subject = req.GetSubject()
	return nil
}

// SetUserinfoFromToken answers the userinfo endpoint for a live token.
func (s storage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, sub, _ string) error {
	t, err := s.liveToken(ctx, tokenID, sub)
	if err != nil {
		return err
	}
	return s.p.release(ctx, info, t)
}

func (s storage) liveToken(ctx context.Context, tokenID, sub string) (*tongban.OIDCToken, error) {
	t, err := s.st().OIDCToken(ctx, tokenID)
	if err != nil {
		return nil, oidc.ErrAccessDenied().WithDescription("token invalid")
	}
	if subject(t.UserID) != sub || !t.RevokedAt.IsZero() || !s.now().Before(t.ExpiresAt) {
		return nil, oidc.ErrAccessDenied().WithDescription("token expired or revoked")
	}
	return t, nil
}

// SetIntrospectionFromToken lets a client's resource server check a token
// it was handed (confidential clients only, the library checks).
func (s storage) SetIntrospectionFromToken(ctx context.Context, resp *oidc.IntrospectionResponse, tokenID, sub, clientID string) error {
	t, err := s.liveToken(ctx, tokenID, sub)
	if err != nil {
		return nil // inactive
	}
	if t.ClientID != clientID {
		return nil
	}
	resp.Active = true
	resp.Scope = oidc.SpaceDelimitedArray(t.Scopes)
	resp.ClientID = t.ClientID
	resp.Subject = subject(t.UserID)
	resp.Audience = []string{t.ClientID}
	resp.Expiration = oidc.FromTime(t.ExpiresAt)
	resp.IssuedAt = oidc.FromTime(t.CreatedAt)
	return nil
}

func (s storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("private_key_jwt is not supported")
}

func (s storage) ValidateJWTProfileScopes(_ context.Context, _ string, scopes []string) ([]string, error) {
	return nil, errors.New("JWT profile grants are not supported")
}

func (s storage) Health(ctx context.Context) error { return s.st().Ping(ctx) }

// algKey carries the requesting client's ID token algorithm to SigningKey.
type algKey struct{}

// hasScope reports whether scopes holds s.
func hasScope(scopes []string, s string) bool { return slices.Contains(scopes, s) }
