package oidc

import (
	"time"

	"github.com/tongban/tongban"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// ScopeIDNumber releases the person's 居民身份证号, to clients registered
// for it only.
const ScopeIDNumber = "id_number"

// IDTokenLifetime is how long an ID token is valid.
const IDTokenLifetime = time.Hour

// client is a registered department system as the provider library sees it.
type client struct{ c *tongban.OIDCClient }

var _ op.Client = client{}

func (c client) GetID() string                    { return c.c.ClientID }
func (c client) RedirectURIs() []string           { return c.c.RedirectURIs }
func (c client) PostLogoutRedirectURIs() []string { return c.c.PostLogoutURIs }

// ApplicationType: a confidential client is a web application; a public
// one runs in the user's browser or device. Native would let any loopback
// port match (RFC 8252); Tongban matches redirect URIs exactly, always.
func (c client) ApplicationType() op.ApplicationType {
	if c.c.Public {
		return op.ApplicationTypeUserAgent
	}
	return op.ApplicationTypeWeb
}

func (c client) AuthMethod() oidc.AuthMethod {
	if c.c.Public {
		return oidc.AuthMethodNone
	}
	return oidc.AuthMethodBasic
}

// ResponseTypes: the code flow only (no implicit flow, per the OAuth
// security best current practice).
func (c client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}

func (c client) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken}
}

// LoginURL is Tongban's own page: it signs the person in (or finds them
// signed in), asks for consent, and returns to the provider's callback.
func (c client) LoginURL(id string) string { return LoginPath + "?id=" + id }

func (c client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c client) IDTokenLifetime() time.Duration      { return IDTokenLifetime }

// DevMode lets a registered http redirect URI through; registration only
// accepts http for loopback addresses, and every URI is matched exactly
// before this is asked.
func (c client) DevMode() bool { return true }

func (c client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

func (c client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// IsScopeAllowed is asked for scopes beyond the standard ones.
func (c client) IsScopeAllowed(scope string) bool { return scope == ScopeIDNumber && c.c.IDNumber }

// IDTokenUserinfoClaimsAssertion is false: personal claims are released at
// the userinfo endpoint, where each release is recorded, not copied into
// ID tokens.
func (c client) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c client) ClockSkew() time.Duration             { return 0 }
