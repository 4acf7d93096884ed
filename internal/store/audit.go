package store

import (
	"context"

	"github.com/tongban/tongban"
)

func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := s.q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+s.db.ForUpdate()).Scan(&seq, &hash)
	return seq, hash, classify(err)
}

// InsertAudit writes the entry and moves the head to it. It must run in the
// transaction that read the head.
func (s *Store) InsertAudit(ctx context.Context, e *tongban.AuditEntry) error {
	var actor any
	if e.ActorID != 0 {
		actor = e.ActorID
	}
	if _, err := s.q.ExecContext(ctx, `INSERT INTO audit_log
		(seq, at, actor_id, actor, action, object, detail, ip, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.Seq, utc(e.At), actor, e.Actor, e.Action, e.Object, e.Detail, e.IP, e.PrevHash, e.Hash); err != nil {
		return classify(err)
	}
	_, err := s.q.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, e.Seq, e.Hash)
	return classify(err)
}

func (s *Store) AuditEntries(ctx context.Context, after int64, limit int) ([]*tongban.AuditEntry, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT seq, at, COALESCE(actor_id, 0), actor, action, object, detail, ip, prev_hash, hash
		FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.AuditEntry
	for rows.Next() {
		e := &tongban.AuditEntry{}
		if err := rows.Scan(&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.Object, &e.Detail, &e.IP, &e.PrevHash, &e.Hash); err != nil {
			return nil, classify(err)
		}
		out = append(out, e)
	}
	return out, classify(rows.Err())
}
