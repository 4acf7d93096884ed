package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/tongban/tongban"
)

func (s *Store) CreatePasswordReset(ctx context.Context, p *tongban.PasswordReset) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, issued_by, issued_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, p.TokenHash, p.UserID, p.IssuedBy, utc(p.IssuedAt), utc(p.ExpiresAt))
	return classify(err)
}

func (s *Store) PasswordReset(ctx context.Context, tokenHash string) (*tongban.PasswordReset, error) {
	p := &tongban.PasswordReset{}
	var used sql.NullTime
	err := s.q.QueryRowContext(ctx, `SELECT token_hash, user_id, issued_by, issued_at, expires_at, used_at
		FROM password_resets WHERE token_hash = $1`, tokenHash).Scan(&p.TokenHash, &p.UserID, &p.IssuedBy,
		&p.IssuedAt, &p.ExpiresAt, &used)
	if err != nil {
		return nil, notFound(err, "重置链接无效")
	}
	p.UsedAt = used.Time
	return p, nil
}

func (s *Store) UsePasswordReset(ctx context.Context, tokenHash string, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL`,
		utc(at), tokenHash)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.EConflict, "该链接已使用过")
	}
	return nil
}

func (s *Store) RevokePasswordResets(ctx context.Context, userID int64, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`,
		utc(at), userID)
	return classify(err)
}

func (s *Store) AcceptAgreement(ctx context.Context, a *tongban.AgreementAcceptance) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO agreement_acceptances (user_id, document, version, accepted_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, a.UserID, a.Document, a.Version, utc(a.AcceptedAt))
	return classify(err) // a version accepted already stays as first accepted
}

func (s *Store) Agreements(ctx context.Context, userID int64) ([]*tongban.AgreementAcceptance, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT user_id, document, version, accepted_at FROM agreement_acceptances
		WHERE user_id = $1 ORDER BY accepted_at, document`, userID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.AgreementAcceptance
	for rows.Next() {
		a := &tongban.AgreementAcceptance{}
		if err := rows.Scan(&a.UserID, &a.Document, &a.Version, &a.AcceptedAt); err != nil {
			return nil, classify(err)
		}
		out = append(out, a)
	}
	return out, classify(rows.Err())
}
