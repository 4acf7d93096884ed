package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

const oidcClientCols = `c.id, c.client_id, c.name, c.org_id, COALESCE(o.name, ''), c.redirect_uris, c.post_logout_uris, c.public,
	c.secret_hash, c.id_number, c.id_token_alg, c.disabled, COALESCE(c.created_by, 0), c.created_at`

func scanOIDCClient(row interface{ Scan(...any) error }) (*tongban.OIDCClient, error) {
	c := &tongban.OIDCClient{}
	var redirects, logouts string
	if err := row.Scan(&c.ID, &c.ClientID, &c.Name, &c.OrgID, &c.OrgName, &redirects, &logouts, &c.Public, &c.SecretHash,
		&c.IDNumber, &c.IDTokenAlg, &c.Disabled, &c.CreatedBy, &c.CreatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(redirects), &c.RedirectURIs); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "接入系统 %s 的回调地址已损坏", c.ClientID)
	}
	if err := json.Unmarshal([]byte(logouts), &c.PostLogoutURIs); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "接入系统 %s 的退出回调地址已损坏", c.ClientID)
	}
	return c, nil
}

func (s *Store) CreateOIDCClient(ctx context.Context, c *tongban.OIDCClient) error {
	c.CreatedAt = utc(c.CreatedAt)
	err := s.db.ScanReturning(ctx, s.q, []any{&c.ID}, `INSERT INTO oidc_clients (client_id, name, org_id, redirect_uris, post_logout_uris,
		public, secret_hash, id_number, id_token_alg, disabled, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		c.ClientID, c.Name, c.OrgID, jsonText(orEmpty(c.RedirectURIs)), jsonText(orEmpty(c.PostLogoutURIs)), c.Public,
		c.SecretHash, c.IDNumber, c.IDTokenAlg, c.Disabled, nullID(c.CreatedBy), c.CreatedAt)
	if sqldb.IsForeignKeyViolation(err) {
		return tongban.Wrap(tongban.EInvalid, err, "所属部门不存在")
	}
	return classify(err)
}

func (s *Store) OIDCClient(ctx context.Context, clientID string) (*tongban.OIDCClient, error) {
	c, err := scanOIDCClient(s.q.QueryRowContext(ctx, `SELECT `+oidcClientCols+` FROM oidc_clients c
		LEFT JOIN orgs o ON o.id = c.org_id WHERE c.client_id = $1`, clientID))
	if err != nil {
		return nil, notFound(err, "接入系统 %s 不存在", clientID)
	}
	return c, nil
}

func (s *Store) OIDCClients(ctx context.Context, orgIDs []int64) ([]*tongban.OIDCClient, error) {
	w := &where{}
	if orgIDs != nil {
		if len(orgIDs) == 0 {
			return nil, nil
		}
		var ph []string
		for _, id := range orgIDs {
			ph = append(ph, w.arg(id))
		}
		w.conds = append(w.conds, "c.org_id IN ("+strings.Join(ph, ", ")+")")
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+oidcClientCols+` FROM oidc_clients c LEFT JOIN orgs o ON o.id = c.org_id`+
		w.String()+` ORDER BY c.id`, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.OIDCClient
	for rows.Next() {
		c, err := scanOIDCClient(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, c)
	}
	return out, classify(rows.Err())
}

func (s *Store) UpdateOIDCClient(ctx context.Context, c *tongban.OIDCClient) error {
	res, err := s.q.ExecContext(ctx, `UPDATE oidc_clients SET name = $2, redirect_uris = $3, post_logout_uris = $4,
		secret_hash = $5, id_number = $6, id_token_alg = $7, disabled = $8 WHERE client_id = $1`,
		c.ClientID, c.Name, jsonText(orEmpty(c.RedirectURIs)), jsonText(orEmpty(c.PostLogoutURIs)), c.SecretHash, c.IDNumber,
		c.IDTokenAlg, c.Disabled)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "接入系统 %s 不存在", c.ClientID)
	}
	return nil
}

func (s *Store) CreateAuthRequest(ctx context.Context, r *tongban.OIDCAuthRequest) error {
	r.CreatedAt, r.ExpiresAt = utc(r.CreatedAt), utc(r.ExpiresAt)
	_, err := s.q.ExecContext(ctx, `INSERT INTO oidc_auth_requests (id, client_id, request, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, r.ID, r.ClientID, string(r.Request), r.CreatedAt, r.ExpiresAt)
	return classify(err)
}

const authRequestCols = `id, client_id, request, COALESCE(user_id, 0), auth_time, done, COALESCE(code_hash, ''), code_used,
	created_at, expires_at`

func scanAuthRequest(row interface{ Scan(...any) error }) (*tongban.OIDCAuthRequest, error) {
	r := &tongban.OIDCAuthRequest{}
	var req string
	var authTime sql.NullTime
	if err := row.Scan(&r.ID, &r.ClientID, &req, &r.UserID, &authTime, &r.Done, &r.CodeHash, &r.CodeUsed, &r.CreatedAt,
		&r.ExpiresAt); err != nil {
		return nil, err
	}
	r.Request, r.AuthTime = []byte(req), authTime.Time
	return r, nil
}

func (s *Store) AuthRequest(ctx context.Context, id string) (*tongban.OIDCAuthRequest, error) {
	r, err := scanAuthRequest(s.q.QueryRowContext(ctx, `SELECT `+authRequestCols+` FROM oidc_auth_requests WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "登录请求不存在或已过期")
	}
	return r, nil
}

func (s *Store) CompleteAuthRequest(ctx context.Context, id string, userID int64, authTime time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE oidc_auth_requests SET user_id = $2, auth_time = $3, done = $4
		WHERE id = $1 AND NOT done`, id, userID, utc(authTime), true)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.EConflict, "登录请求已处理，请回到原系统重新登录")
	}
	return nil
}

func (s *Store) SetAuthCode(ctx context.Context, id, codeHash string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE oidc_auth_requests SET code_hash = $2 WHERE id = $1 AND done AND code_hash IS NULL`,
		id, codeHash)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.EConflict, "登录请求已签发授权码")
	}
	return nil
}

// TakeAuthCode is a compare-and-set on code_used: of two exchanges of one
// code, exactly one gets used == false.
func (s *Store) TakeAuthCode(ctx context.Context, codeHash string, now time.Time) (*tongban.OIDCAuthRequest, bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE oidc_auth_requests SET code_used = $2 WHERE code_hash = $1 AND NOT code_used
		AND expires_at > $3`, codeHash, true, utc(now))
	if err != nil {
		return nil, false, classify(err)
	}
	n, _ := res.RowsAffected()
	r, err := scanAuthRequest(s.q.QueryRowContext(ctx, `SELECT `+authRequestCols+` FROM oidc_auth_requests
		WHERE code_hash = $1`, codeHash))
	if err != nil {
		return nil, false, notFound(err, "授权码无效")
	}
	return r, n == 0, nil
}

func (s *Store) DeleteAuthRequest(ctx context.Context, id string) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM oidc_auth_requests WHERE id = $1`, id)
	return classify(err)
}

func (s *Store) CreateOIDCToken(ctx context.Context, t *tongban.OIDCToken) error {
	t.CreatedAt, t.AuthTime, t.ExpiresAt = utc(t.CreatedAt), utc(t.AuthTime), utc(t.ExpiresAt)
	var refreshExpiry any
	if !t.RefreshExpiry.IsZero() {
		refreshExpiry = utc(t.RefreshExpiry)
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO oidc_tokens (id, client_id, user_id, scopes, auth_time, amr, auth_request_id,
		refresh_hash, family, expires_at, refresh_expiry, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		t.ID, t.ClientID, t.UserID, jsonText(orEmpty(t.Scopes)), t.AuthTime, jsonText(orEmpty(t.AMR)), t.AuthRequestID,
		nullable(t.RefreshHash), t.Family, t.ExpiresAt, refreshExpiry, t.CreatedAt)
	return classify(err)
}

const oidcTokenCols = `id, client_id, user_id, scopes, auth_time, amr, auth_request_id, COALESCE(refresh_hash, ''), family,
	expires_at, refresh_expiry, rotated_at, revoked_at, created_at`

func scanOIDCToken(row interface{ Scan(...any) error }) (*tongban.OIDCToken, error) {
	t := &tongban.OIDCToken{}
	var scopes, amr string
	var refreshExpiry, rotated, revoked sql.NullTime
	if err := row.Scan(&t.ID, &t.ClientID, &t.UserID, &scopes, &t.AuthTime, &amr, &t.AuthRequestID, &t.RefreshHash,
		&t.Family, &t.ExpiresAt, &refreshExpiry, &rotated, &revoked, &t.CreatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(scopes), &t.Scopes); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(amr), &t.AMR); err != nil {
		return nil, err
	}
	t.RefreshExpiry, t.RotatedAt, t.RevokedAt = refreshExpiry.Time, rotated.Time, revoked.Time
	return t, nil
}

func (s *Store) OIDCToken(ctx context.Context, id string) (*tongban.OIDCToken, error) {
	t, err := scanOIDCToken(s.q.QueryRowContext(ctx, `SELECT `+oidcTokenCols+` FROM oidc_tokens WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "令牌无效")
	}
	return t, nil
}

func (s *Store) OIDCTokenByRefresh(ctx context.Context, refreshHash string) (*tongban.OIDCToken, error) {
	t, err := scanOIDCToken(s.q.QueryRowContext(ctx, `SELECT `+oidcTokenCols+` FROM oidc_tokens WHERE refresh_hash = $1`,
		refreshHash))
	if err != nil {
		return nil, notFound(err, "刷新令牌无效")
	}
	return t, nil
}

func (s *Store) RotateRefreshToken(ctx context.Context, refreshHash string, at time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE oidc_tokens SET rotated_at = $2 WHERE refresh_hash = $1 AND rotated_at IS NULL
		AND revoked_at IS NULL`, refreshHash, utc(at))
	if err != nil {
		return false, classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify(err)
}

func (s *Store) RevokeOIDCTokens(ctx context.Context, f tongban.OIDCTokenFilter, at time.Time) (int64, error) {
	w := &where{}
	if f.ID != "" {
		w.add("id = ?", f.ID)
	}
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	if f.ClientID != "" {
		w.add("client_id = ?", f.ClientID)
	}
	if f.AuthRequestID != "" {
		w.add("auth_request_id = ?", f.AuthRequestID)
	}
	if f.Family != "" {
		w.add("family = ?", f.Family)
	}
	if len(w.conds) == 0 {
		return 0, tongban.Errorf(tongban.EInternal, "revoke: no filter")
	}
	w.conds = append(w.conds, "revoked_at IS NULL")
	q := `UPDATE oidc_tokens SET revoked_at = ` + w.arg(utc(at)) + w.String()
	res, err := s.q.ExecContext(ctx, q, w.args...)
	if err != nil {
		return 0, classify(err)
	}
	n, err := res.RowsAffected()
	return n, classify(err)
}

func (s *Store) OIDCConsent(ctx context.Context, userID int64, clientID string) (*tongban.OIDCConsent, error) {
	c := &tongban.OIDCConsent{UserID: userID, ClientID: clientID}
	var scopes string
	err := s.q.QueryRowContext(ctx, `SELECT scopes, granted_at FROM oidc_consents WHERE user_id = $1 AND client_id = $2`,
		userID, clientID).Scan(&scopes, &c.GrantedAt)
	if err != nil {
		return nil, notFound(err, "尚未授权")
	}
	if err := json.Unmarshal([]byte(scopes), &c.Scopes); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "授权记录已损坏")
	}
	return c, nil
}

func (s *Store) SaveOIDCConsent(ctx context.Context, c *tongban.OIDCConsent) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO oidc_consents (user_id, client_id, scopes, granted_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, granted_at = excluded.granted_at`,
		c.UserID, c.ClientID, jsonText(orEmpty(c.Scopes)), utc(c.GrantedAt))
	return classify(err)
}

func (s *Store) OIDCConsents(ctx context.Context, userID int64) ([]*tongban.OIDCConsent, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT client_id, scopes, granted_at FROM oidc_consents WHERE user_id = $1
		ORDER BY granted_at DESC`, userID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.OIDCConsent
	for rows.Next() {
		c := &tongban.OIDCConsent{UserID: userID}
		var scopes string
		if err := rows.Scan(&c.ClientID, &scopes, &c.GrantedAt); err != nil {
			return nil, classify(err)
		}
		if err := json.Unmarshal([]byte(scopes), &c.Scopes); err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "授权记录已损坏")
		}
		out = append(out, c)
	}
	return out, classify(rows.Err())
}

func (s *Store) DeleteOIDCConsent(ctx context.Context, userID int64, clientID string) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM oidc_consents WHERE user_id = $1 AND client_id = $2`, userID, clientID)
	return classify(err)
}

func (s *Store) OIDCKeys(ctx context.Context) ([]*tongban.OIDCKey, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT kid, alg, private_key, created_at FROM oidc_keys ORDER BY created_at, kid`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.OIDCKey
	for rows.Next() {
		k := &tongban.OIDCKey{}
		var sealed string
		if err := rows.Scan(&k.KID, &k.Alg, &sealed, &k.CreatedAt); err != nil {
			return nil, classify(err)
		}
		plain, err := s.sealer.Open(sealed)
		if err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "签名密钥 %s 无法解密（平台密钥不符？）", k.KID)
		}
		if k.PrivateDER, err = base64.StdEncoding.DecodeString(plain); err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "签名密钥 %s 已损坏", k.KID)
		}
		out = append(out, k)
	}
	return out, classify(rows.Err())
}

func (s *Store) AddOIDCKey(ctx context.Context, k *tongban.OIDCKey) (bool, error) {
	res, err := s.q.ExecContext(ctx, `INSERT INTO oidc_keys (kid, alg, private_key, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (alg) DO NOTHING`, k.KID, k.Alg, s.sealer.Seal(base64.StdEncoding.EncodeToString(k.PrivateDER)),
		utc(k.CreatedAt))
	if err != nil {
		return false, classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify(err)
}
