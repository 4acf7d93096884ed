package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// auditQueueInsert and auditQueueArgs write a queued audit entry (alone,
// or with an action's outbox rows: AppendOutboxAudited).
const auditQueueInsert = `INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip) VALUES `

func auditQueueArgs(e *tongban.AuditEntry) []any {
	return []any{utc(e.At), nullID(e.ActorID), e.Actor, e.Action, e.Object, e.Detail, e.IP}
}

func (s *Store) QueueAudit(ctx context.Context, e *tongban.AuditEntry) error {
	_, err := s.q.ExecContext(ctx, auditQueueInsert+placeholders(1, 7), auditQueueArgs(e)...)
	return classify(err)
}

func (s *Store) HasQueuedAudit(ctx context.Context) (bool, error) {
	var one int
	err := s.q.QueryRowContext(ctx, `SELECT 1 FROM audit_queue LIMIT 1`).Scan(&one)
	switch {
	case err == nil:
		return true, nil
	case sqldb.IsNoRows(err):
		return false, nil
	}
	return false, classify(err)
}

func (s *Store) QueuedAudit(ctx context.Context, limit int) ([]tongban.QueuedAuditEntry, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor, action, object, detail, ip
		FROM audit_queue ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []tongban.QueuedAuditEntry
	for rows.Next() {
		q := tongban.QueuedAuditEntry{Entry: &tongban.AuditEntry{}}
		e := q.Entry
		if err := rows.Scan(&q.ID, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.Object, &e.Detail, &e.IP); err != nil {
			return nil, classify(err)
		}
		out = append(out, q)
	}
	return out, classify(rows.Err())
}

func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := s.q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+s.db.ForUpdate()).Scan(&seq, &hash)
	return seq, hash, classify(err)
}

// chainChunk bounds the rows of one multi-row statement. Each statement
// takes a power of two of them (batchRows), so the few texts stay
// prepared; writeRow keeps SQLite's binding linear in their parameters.
const chainChunk = 32

func (s *Store) ChainAudit(ctx context.Context, entries []*tongban.AuditEntry, queueIDs []int64) error {
	if len(entries) == 0 {
		return nil
	}
	for start := 0; start < len(entries); {
		part := entries[start : start+batchRows(len(entries)-start, chainChunk)]
		start += len(part)
		var b strings.Builder
		b.WriteString(`INSERT INTO audit_log (seq, at, actor_id, actor, action, object, detail, ip, prev_hash, hash) VALUES `)
		args := make([]any, 0, len(part)*10)
		for i, e := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			s.writeRow(&b, len(args)+1, 10)
			args = append(args, e.Seq, utc(e.At), nullID(e.ActorID), e.Actor, e.Action, e.Object, e.Detail, e.IP, e.PrevHash, e.Hash)
		}
		if _, err := s.q.ExecContext(ctx, b.String(), args...); err != nil {
			return classify(err)
		}
	}
	last := entries[len(entries)-1]
	if _, err := s.q.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, last.Seq, last.Hash); err != nil {
		return classify(err)
	}
	// By exact id: a queue row with a lower id may commit after this batch
	// was read, and must wait for the next one rather than be dropped.
	for start := 0; start < len(queueIDs); {
		part := queueIDs[start : start+batchRows(len(queueIDs)-start, 4*chainChunk)]
		start += len(part)
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		if _, err := s.q.ExecContext(ctx, `DELETE FROM audit_queue WHERE id IN `+placeholders(1, len(part)), args...); err != nil {
			return classify(err)
		}
	}
	return nil
}

func (s *Store) AuditEntries(ctx context.Context, after int64, limit int) ([]*tongban.AuditEntry, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT seq, at, COALESCE(actor_id, 0), actor, action, object, detail, ip, prev_hash, hash
		FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	return scanAuditEntries(rows, err)
}

func (s *Store) SearchAudit(ctx context.Context, f tongban.AuditFilter) ([]*tongban.AuditEntry, error) {
	w := &where{}
	if f.Actor != "" {
		w.add(`actor LIKE ? ESCAPE '\'`, containsPattern(f.Actor))
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if f.Object != "" {
		w.add(`object LIKE ? ESCAPE '\'`, strings.TrimPrefix(containsPattern(f.Object), "%"))
	}
	if !f.From.IsZero() {
		w.add("at >= ?", utc(f.From))
	}
	if !f.To.IsZero() {
		w.add("at < ?", utc(f.To))
	}
	if f.Before > 0 {
		w.add("seq < ?", f.Before)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.q.QueryContext(ctx, `SELECT seq, at, COALESCE(actor_id, 0), actor, action, object, detail, ip, prev_hash, hash
		FROM audit_log`+w.String()+` ORDER BY seq DESC LIMIT `+w.arg(limit), w.args...)
	return scanAuditEntries(rows, err)
}

func scanAuditEntries(rows *sql.Rows, err error) ([]*tongban.AuditEntry, error) {
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

// AuditChainKey is the chain's HMAC key, derived from the platform secret
// and held in memory only.
func (s *Store) AuditChainKey() []byte { return s.sealer.AuditChainKey() }

func (s *Store) AuditChainState(ctx context.Context) (tongban.AuditChainState, error) {
	var st tongban.AuditChainState
	var keyedAt sql.NullTime
	err := s.q.QueryRowContext(ctx, `SELECT seq, hash, keyed_at, genesis_seq, genesis_hash FROM audit_head WHERE id = 1`).
		Scan(&st.HeadSeq, &st.HeadHash, &keyedAt, &st.GenesisSeq, &st.GenesisHash)
	if keyedAt.Valid {
		st.KeyedAt = keyedAt.Time.UTC()
	}
	return st, classify(err)
}

func (s *Store) RehashAudit(ctx context.Context, entries []*tongban.AuditEntry) error {
	for _, e := range entries {
		if _, err := s.q.ExecContext(ctx, `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3`,
			e.PrevHash, e.Hash, e.Seq); err != nil {
			return classify(err)
		}
	}
	return nil
}

func (s *Store) KeyAuditHead(ctx context.Context, hash string, keyedAt time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE audit_head SET hash = $1, keyed_at = $2 WHERE id = 1`, hash, utc(keyedAt))
	return classify(err)
}

func (s *Store) AuditEntryBefore(ctx context.Context, before time.Time) (int64, string, error) {
	var seq int64
	var hash string
	err := s.q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log WHERE at < $1 ORDER BY seq DESC LIMIT 1`, utc(before)).
		Scan(&seq, &hash)
	if sqldb.IsNoRows(err) {
		return 0, "", nil
	}
	return seq, hash, classify(err)
}

func (s *Store) PurgeAudit(ctx context.Context, through int64, hash string) (int64, error) {
	res, err := s.q.ExecContext(ctx, `DELETE FROM audit_log WHERE seq <= $1`, through)
	if err != nil {
		return 0, classify(err)
	}
	n, _ := res.RowsAffected()
	_, err = s.q.ExecContext(ctx, `UPDATE audit_head SET genesis_seq = $1, genesis_hash = $2 WHERE id = 1`, through, hash)
	return n, classify(err)
}
