package store

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// OutboxHorizon works like EventHorizon (horizon.go). It never answers
// below after, the caller's cursor.
func (s *Store) OutboxHorizon(ctx context.Context, after int64) (int64, error) {
	h, err := s.horizonOf(ctx, "outbox")
	if err != nil {
		return 0, err
	}
	return max(h, after), nil
}

const outboxCols = `id, event_id, type, subject, region_code, COALESCE(org_id, 0), at, payload`

func scanOutbox(row interface{ Scan(...any) error }, e *tongban.OutboxEvent) error {
	var payload string
	if err := row.Scan(&e.ID, &e.EventID, &e.Type, &e.Subject, &e.RegionCode, &e.OrgID, &e.At, &payload); err != nil {
		return err
	}
	e.Payload = []byte(payload)
	return nil
}

func (s *Store) OutboxEvents(ctx context.Context, after, upTo int64, limit int) ([]*tongban.OutboxEvent, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`,
		after, upTo, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.OutboxEvent
	for rows.Next() {
		e := &tongban.OutboxEvent{}
		if err := scanOutbox(rows, e); err != nil {
			return nil, classify(err)
		}
		out = append(out, e)
	}
	return out, classify(rows.Err())
}

func (s *Store) TakeLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `INSERT INTO outbox_leases (name, holder, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE outbox_leases.holder = excluded.holder OR outbox_leases.expires_at <= $4`, name, holder, utc(until), utc(now))
	if err != nil {
		return false, classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify(err)
}

func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM outbox_leases WHERE name = $1 AND holder = $2`, name, holder)
	return classify(err)
}

func (s *Store) OutboxCursor(ctx context.Context, name string, start int64) (int64, error) {
	if !s.inTx {
		// The publisher polls each cursor ten times a second: once it
		// exists, a read will do. The insert below would take the write
		// lock each time (on SQLite a place in the writer's queue).
		var id int64
		err := s.q.QueryRowContext(ctx, `SELECT last_id FROM outbox_cursors WHERE name = $1`, name).Scan(&id)
		if !sqldb.IsNoRows(err) {
			return id, classify(err)
		}
	}
	if _, err := s.q.ExecContext(ctx, `INSERT INTO outbox_cursors (name, last_id) VALUES ($1, $2)
		ON CONFLICT (name) DO NOTHING`, name, start); err != nil {
		return 0, classify(err)
	}
	var id int64
	err := s.q.QueryRowContext(ctx, `SELECT last_id FROM outbox_cursors WHERE name = $1`+s.db.ForUpdate(), name).Scan(&id)
	return id, classify(err)
}

func (s *Store) SetOutboxCursor(ctx context.Context, name string, id int64, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE outbox_cursors SET last_id = $2, updated_at = $3 WHERE name = $1`, name, id, utc(at))
	return classify(err)
}

func (s *Store) OutboxBacklog(ctx context.Context, name string) (int64, time.Time, error) {
	var cursor int64
	err := s.q.QueryRowContext(ctx, `SELECT last_id FROM outbox_cursors WHERE name = $1`, name).Scan(&cursor)
	if sqldb.IsNoRows(err) {
		return 0, time.Time{}, nil // a consumer that has not started has nothing behind it
	}
	if err != nil {
		return 0, time.Time{}, classify(err)
	}
	var n int64
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE id > $1`, cursor).Scan(&n); err != nil || n == 0 {
		return n, time.Time{}, classify(err)
	}
	var oldest time.Time
	err = s.q.QueryRowContext(ctx, `SELECT at FROM outbox WHERE id > $1 ORDER BY id LIMIT 1`, cursor).Scan(&oldest)
	return n, oldest, classify(err)
}

func (s *Store) Lease(ctx context.Context, name string) (string, time.Time, error) {
	var holder string
	var until time.Time
	err := s.q.QueryRowContext(ctx, `SELECT holder, expires_at FROM outbox_leases WHERE name = $1`, name).Scan(&holder, &until)
	if sqldb.IsNoRows(err) {
		return "", time.Time{}, nil
	}
	return holder, until, classify(err)
}

func (s *Store) DeliveryLatencies(ctx context.Context, since time.Time, limit int) ([]time.Duration, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT d.delivered_at, o.at FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id
		WHERE d.status = 'delivered' AND d.delivered_at >= $1 ORDER BY d.id DESC LIMIT $2`, utc(since), limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []time.Duration
	for rows.Next() {
		var delivered, at time.Time
		if err := rows.Scan(&delivered, &at); err != nil {
			return nil, classify(err)
		}
		out = append(out, delivered.Sub(at))
	}
	return out, classify(rows.Err())
}

func (s *Store) PurgeOutbox(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.q.ExecContext(ctx, `DELETE FROM outbox WHERE at < $1
		AND id <= (SELECT COALESCE(MIN(last_id), 0) FROM outbox_cursors)
		AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.outbox_id = outbox.id)`, utc(before))
	if err != nil {
		return 0, classify(err)
	}
	n, err := res.RowsAffected()
	return n, classify(err)
}

func (s *Store) PurgeIntegration(ctx context.Context, before, keep time.Time) (int64, error) {
	var total int64
	for _, q := range []struct {
		sql string
		at  time.Time
	}{
		{`DELETE FROM oidc_auth_requests WHERE expires_at < $1`, before},
		{`DELETE FROM one_time_codes WHERE expires_at < $1`, before},
		{`DELETE FROM oidc_tokens WHERE expires_at < $1 AND (refresh_expiry IS NULL OR refresh_expiry < $1)`, before},
		{`DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1`, keep},
		{`DELETE FROM notify_messages WHERE status <> 'queued' AND created_at < $1`, keep},
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
