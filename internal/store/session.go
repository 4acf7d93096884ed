package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/tongban/tongban"
)

func (s *Store) CreateSession(ctx context.Context, sess *tongban.Session) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip)
		VALUES ($1, $2, $3, $4, $5)`,
		sess.TokenHash, sess.UserID, utc(sess.CreatedAt), utc(sess.ExpiresAt), sess.IP)
	return classify(err)
}

func (s *Store) SessionByTokenHash(ctx context.Context, hash string, now time.Time) (*tongban.Session, error) {
	sess := &tongban.Session{}
	err := s.q.QueryRowContext(ctx, `SELECT token_hash, user_id, created_at, expires_at, ip
		FROM sessions WHERE token_hash = $1 AND expires_at > $2`, hash, utc(now)).
		Scan(&sess.TokenHash, &sess.UserID, &sess.CreatedAt, &sess.ExpiresAt, &sess.IP)
	if err != nil {
		return nil, notFound(err, "会话已过期，请重新登录")
	}
	return sess, nil
}

func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash)
	return classify(err)
}

func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keepHash string) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, keepHash)
	return classify(err)
}

func (s *Store) CreateAPIToken(ctx context.Context, t *tongban.APIToken) error {
	err := s.db.ScanReturning(ctx, s.q, []any{&t.ID}, `INSERT INTO api_tokens (user_id, name, hash, created_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, t.UserID, t.Name, t.Hash, utc(t.CreatedAt))
	return classify(err)
}

const tokenColumns = `id, user_id, name, hash, created_at, revoked_at`

func scanToken(row interface{ Scan(...any) error }) (*tongban.APIToken, error) {
	t := &tongban.APIToken{}
	return t, row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.CreatedAt, &t.RevokedAt)
}

func (s *Store) APITokenByHash(ctx context.Context, hash string) (*tongban.APIToken, error) {
	t, err := scanToken(s.q.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = $1`, hash))
	if err != nil {
		return nil, notFound(err, "API 令牌无效")
	}
	return t, nil
}

func (s *Store) APITokens(ctx context.Context, userID int64) ([]*tongban.APIToken, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, t)
	}
	return out, classify(rows.Err())
}

func (s *Store) RevokeAPIToken(ctx context.Context, userID, id int64, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1
		WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`, utc(at), id, userID)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "API 令牌 %d 不存在或已吊销", id)
	}
	return nil
}

func (s *Store) RevokeUserAPITokens(ctx context.Context, userID int64, at time.Time) (int, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`,
		utc(at), userID)
	if err != nil {
		return 0, classify(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func (s *Store) RecordFailure(ctx context.Context, key string, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES ($1, $2)`, key, utc(at))
	return classify(err)
}

func (s *Store) Failures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2`, key, utc(since)).Scan(&n)
	return n, classify(err)
}

func (s *Store) LastFailure(ctx context.Context, key string, since time.Time) (time.Time, error) {
	var last time.Time
	err := s.q.QueryRowContext(ctx, `SELECT at FROM login_failures WHERE key = $1 AND at > $2
		ORDER BY at DESC LIMIT 1`, key, utc(since)).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return last, classify(err)
}

func (s *Store) ClearFailures(ctx context.Context, key string) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return classify(err)
}

func (s *Store) PurgeExpired(ctx context.Context, now, before time.Time) (int64, error) {
	var total int64
	for _, q := range []struct {
		sql string
		at  time.Time
	}{
		{`DELETE FROM sessions WHERE expires_at < $1`, now},
		{`DELETE FROM login_failures WHERE at < $1`, before},
	} {
		res, err := s.q.ExecContext(ctx, q.sql, utc(q.at))
		if err != nil {
			return total, classify(err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
