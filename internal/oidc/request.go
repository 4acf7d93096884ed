package oidc

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/tongban/tongban"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// requestData is what an authorization request keeps between /authorize
// and the token exchange (stored as JSON in oidc_auth_requests.request).
type requestData struct {
	Scopes              []string                 `json:"scopes"`
	RedirectURI         string                   `json:"redirect_uri"`
	State               string                   `json:"state,omitempty"`
	Nonce               string                   `json:"nonce,omitempty"`
	ResponseType        oidc.ResponseType        `json:"response_type"`
	ResponseMode        oidc.ResponseMode        `json:"response_mode,omitempty"`
	CodeChallenge       string                   `json:"code_challenge,omitempty"`
	CodeChallengeMethod oidc.CodeChallengeMethod `json:"code_challenge_method,omitempty"`
	Prompt              []string                 `json:"prompt,omitempty"`
	MaxAge              *uint                    `json:"max_age,omitempty"`
}

// authRequest is a stored request as the provider library sees it.
type authRequest struct {
	r *tongban.OIDCAuthRequest
	d requestData
}

var _ op.AuthRequest = (*authRequest)(nil)

func loadRequest(r *tongban.OIDCAuthRequest) (*authRequest, error) {
	a := &authRequest{r: r}
	if err := json.Unmarshal(r.Request, &a.d); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "登录请求 %s 已损坏", r.ID)
	}
	return a, nil
}

func (a *authRequest) GetID() string                      { return a.r.ID }
func (a *authRequest) GetACR() string                     { return "" }
func (a *authRequest) GetAudience() []string              { return []string{a.r.ClientID} }
func (a *authRequest) GetAuthTime() time.Time             { return a.r.AuthTime }
func (a *authRequest) GetClientID() string                { return a.r.ClientID }
func (a *authRequest) GetNonce() string                   { return a.d.Nonce }
func (a *authRequest) GetRedirectURI() string             { return a.d.RedirectURI }
func (a *authRequest) GetScopes() []string                { return a.d.Scopes }
func (a *authRequest) GetState() string                   { return a.d.State }
func (a *authRequest) Done() bool                         { return a.r.Done }
func (a *authRequest) GetResponseType() oidc.ResponseType { return a.d.ResponseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return a.d.ResponseMode }

// GetAMR: Tongban signs people in with a password ("pwd", RFC 8176).
func (a *authRequest) GetAMR() []string {
	if a.r.Done {
		return []string{"pwd"}
	}
	return nil
}

func (a *authRequest) GetSubject() string {
	if a.r.UserID == 0 {
		return ""
	}
	return subject(a.r.UserID)
}

func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.d.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.d.CodeChallenge, Method: a.d.CodeChallengeMethod}
}

// subject is a person's "sub": their account number, the same number case
// events carry as user_id, so a department system can match the two.
func subject(userID int64) string { return strconv.FormatInt(userID, 10) }

func userOf(sub string) (int64, bool) {
	id, err := strconv.ParseInt(sub, 10, 64)
	return id, err == nil && id > 0
}

// refreshRequest is a refresh token's grant as the library sees it.
type refreshRequest struct {
	t      *tongban.OIDCToken
	scopes []string
}

var _ op.RefreshTokenRequest = (*refreshRequest)(nil)

func (r *refreshRequest) GetAMR() []string       { return r.t.AMR }
func (r *refreshRequest) GetAudience() []string  { return []string{r.t.ClientID} }
func (r *refreshRequest) GetAuthTime() time.Time { return r.t.AuthTime }
func (r *refreshRequest) GetClientID() string    { return r.t.ClientID }
func (r *refreshRequest) GetScopes() []string    { return r.scopes }
func (r *refreshRequest) GetSubject() string     { return subject(r.t.UserID) }

// SetCurrentScopes narrows the scopes on refresh (never widens them: the
// library checks the request asks for a subset).
func (r *refreshRequest) SetCurrentScopes(scopes []string) {
	r.scopes = slices.DeleteFunc(slices.Clone(scopes), func(s string) bool { return !slices.Contains(r.t.Scopes, s) })
}
