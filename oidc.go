package tongban

import (
	"context"
	"time"
)

// OIDCClient is a department system that signs people in through Tongban
// (接入系统, 一次认证、全网通行), registered by a system admin for the
// department that owns it.
type OIDCClient struct {
	ID       int64  `json:"id"`
	ClientID string `json:"client_id"`
	Name     string `json:"name"`
	OrgID    int64  `json:"org_id"`
	OrgName  string `json:"org_name,omitempty"`
	// RedirectURIs are matched exactly; PostLogoutURIs are where
	// RP-initiated logout may return.
	RedirectURIs   []string `json:"redirect_uris"`
	PostLogoutURIs []string `json:"post_logout_redirect_uris"`
	// Public clients (apps, single-page sites) hold no secret and must use
	// PKCE; confidential ones authenticate with SecretHash's secret.
	Public     bool   `json:"public"`
	SecretHash string `json:"-"`
	// IDNumber allows the id_number scope: the person's 居民身份证号,
	// released only with consent and recorded in their data record.
	IDNumber bool `json:"id_number"`
	// IDTokenAlg signs its ID tokens: RS256 (the default, which every
	// client supports) or ES256.
	IDTokenAlg string    `json:"id_token_signed_response_alg"`
	Disabled   bool      `json:"disabled,omitempty"`
	CreatedBy  int64     `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
}

// OIDCAuthRequest is one authorization request between /authorize and the
// token exchange. Its code is stored hashed and can be taken once.
type OIDCAuthRequest struct {
	ID       string
	ClientID string
	// Request is the parsed request as JSON (scopes, redirect URI, state,
	// nonce, PKCE challenge…), kept as the provider library reads it.
	Request   []byte
	UserID    int64
	AuthTime  time.Time
	Done      bool
	CodeHash  string
	CodeUsed  bool
	CreatedAt time.Time
	ExpiresAt time.Time
}

// OIDCToken is an access token issued to a client for a person, with the
// refresh token that may renew it. Refresh tokens rotate: each use makes a
// new one in the same family, and a used one presented again revokes the
// family (it was stolen, or replayed).
type OIDCToken struct {
	ID            string // the access token's ID
	ClientID      string
	UserID        int64
	Scopes        []string
	AuthTime      time.Time
	AMR           []string
	AuthRequestID string
	RefreshHash   string // "" without a refresh token
	Family        string
	ExpiresAt     time.Time
	RefreshExpiry time.Time
	RotatedAt     time.Time
	RevokedAt     time.Time
	CreatedAt     time.Time
}

// OIDCConsent is what a person allowed a client to receive; asked once per
// client, again only for scopes not yet allowed.
type OIDCConsent struct {
	UserID    int64
	ClientID  string
	Scopes    []string
	GrantedAt time.Time
}

// OIDCKey is a signing key of the provider, sealed at rest with the
// platform secret.
type OIDCKey struct {
	KID        string
	Alg        string // RS256 or ES256
	PrivateDER []byte // PKCS #8; sealed by the store
	CreatedAt  time.Time
}

// OIDCStore keeps the provider's clients, requests, tokens, consents and keys.
type OIDCStore interface {
	CreateOIDCClient(ctx context.Context, c *OIDCClient) error
	OIDCClient(ctx context.Context, clientID string) (*OIDCClient, error)
	// OIDCClients lists the clients of orgIDs (all when nil).
	OIDCClients(ctx context.Context, orgIDs []int64) ([]*OIDCClient, error)
	UpdateOIDCClient(ctx context.Context, c *OIDCClient) error

	CreateAuthRequest(ctx context.Context, r *OIDCAuthRequest) error
	AuthRequest(ctx context.Context, id string) (*OIDCAuthRequest, error)
	// CompleteAuthRequest records who signed in for a pending request.
	CompleteAuthRequest(ctx context.Context, id string, userID int64, authTime time.Time) error
	SetAuthCode(ctx context.Context, id, codeHash string) error
	// TakeAuthCode marks the code used and returns its request; used
	// reports that it had been taken before (a replay).
	TakeAuthCode(ctx context.Context, codeHash string, now time.Time) (r *OIDCAuthRequest, used bool, err error)
	DeleteAuthRequest(ctx context.Context, id string) error

	CreateOIDCToken(ctx context.Context, t *OIDCToken) error
	OIDCToken(ctx context.Context, id string) (*OIDCToken, error)
	OIDCTokenByRefresh(ctx context.Context, refreshHash string) (*OIDCToken, error)
	// RotateRefreshToken marks a refresh token used; false when it already was.
	RotateRefreshToken(ctx context.Context, refreshHash string, at time.Time) (bool, error)
	// RevokeOIDCTokens revokes the tokens matching f.
	RevokeOIDCTokens(ctx context.Context, f OIDCTokenFilter, at time.Time) (int64, error)

	OIDCConsent(ctx context.Context, userID int64, clientID string) (*OIDCConsent, error)
	SaveOIDCConsent(ctx context.Context, c *OIDCConsent) error
	// OIDCConsents lists the clients a person allowed, for their account page.
	OIDCConsents(ctx context.Context, userID int64) ([]*OIDCConsent, error)
	DeleteOIDCConsent(ctx context.Context, userID int64, clientID string) error

	// OIDCKeys returns the signing keys, oldest first.
	OIDCKeys(ctx context.Context) ([]*OIDCKey, error)
	// AddOIDCKey stores a key unless one of its algorithm exists (several
	// servers starting together keep one); it reports whether it stored.
	AddOIDCKey(ctx context.Context, k *OIDCKey) (bool, error)
}

// OIDCTokenFilter picks tokens to revoke; every set field must match.
type OIDCTokenFilter struct {
	ID            string
	UserID        int64
	ClientID      string
	AuthRequestID string
	Family        string
}
