package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

const windowDeviceColumns = `id, window_id, label, token_hash, issued_by, issued_at, revoked_at`

func scanWindowDevice(row interface{ Scan(...any) error }) (*tongban.WindowDevice, error) {
	d := &tongban.WindowDevice{}
	var revoked sql.NullTime
	if err := row.Scan(&d.ID, &d.WindowID, &d.Label, &d.TokenHash, &d.IssuedBy, &d.IssuedAt, &revoked); err != nil {
		return nil, err
	}
	if revoked.Valid {
		d.RevokedAt = revoked.Time
	}
	return d, nil
}

func (s *Store) CreateWindowDevice(ctx context.Context, d *tongban.WindowDevice) error {
	d.IssuedAt = utc(d.IssuedAt)
	err := s.db.ScanReturning(ctx, s.q, []any{&d.ID}, `INSERT INTO window_devices (window_id, label, token_hash, issued_by, issued_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, d.WindowID, d.Label, d.TokenHash, d.IssuedBy, d.IssuedAt)
	if sqldb.IsForeignKeyViolation(err) {
		return tongban.Wrap(tongban.EInvalid, err, "窗口或签发人不存在")
	}
	return classify(err)
}

func (s *Store) oneWindowDevice(ctx context.Context, cond string, arg any) (*tongban.WindowDevice, error) {
	d, err := scanWindowDevice(s.q.QueryRowContext(ctx, `SELECT `+windowDeviceColumns+` FROM window_devices WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tongban.Errorf(tongban.ENotFound, "窗口评价器不存在")
	}
	return d, classify(err)
}

func (s *Store) WindowDeviceByToken(ctx context.Context, hash string) (*tongban.WindowDevice, error) {
	return s.oneWindowDevice(ctx, "token_hash = $1", hash)
}

func (s *Store) WindowDevice(ctx context.Context, id int64) (*tongban.WindowDevice, error) {
	return s.oneWindowDevice(ctx, "id = $1", id)
}

func (s *Store) WindowDevices(ctx context.Context, windowIDs []int64) ([]*tongban.WindowDevice, error) {
	out := []*tongban.WindowDevice{}
	if len(windowIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(windowIDs))
	for i, id := range windowIDs {
		args[i] = id
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+windowDeviceColumns+` FROM window_devices WHERE window_id IN `+
		placeholders(1, len(windowIDs))+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanWindowDevice(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, d)
	}
	return out, classify(rows.Err())
}

func (s *Store) RevokeWindowDevice(ctx context.Context, id int64, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE window_devices SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, utc(at), id)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "窗口评价器不存在")
	}
	return nil
}

func (s *Store) LastVisitAt(ctx context.Context, orgID int64, since time.Time) (*tongban.CaseEvent, error) {
	var id, caseID int64
	err := s.q.QueryRowContext(ctx, `SELECT id, case_id FROM case_events WHERE org_id = $1 AND visit AND at >= $2
		ORDER BY id DESC LIMIT 1`, orgID, utc(since)).Scan(&id, &caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tongban.Errorf(tongban.ENotFound, "窗口暂无到场服务")
	}
	if err != nil {
		return nil, classify(err)
	}
	es, err := s.CaseEvents(ctx, caseID)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if e.ID == id {
			return e, nil
		}
	}
	return nil, tongban.Errorf(tongban.ENotFound, "窗口暂无到场服务")
}
