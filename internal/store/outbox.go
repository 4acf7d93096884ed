package store

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// AppendOutbox stores the events in one statement: an action's events
// (the case's, a licence's) cost one round trip, not one each. Each row
// comes back with its event ID, so IDs are set whatever order the
// database returns them in.
func (s *Store) AppendOutbox(ctx context.Context, es ...*tongban.OutboxEvent) error {
	return s.AppendOutboxAudited(ctx, nil, es...)
}

// AppendOutboxAudited: on PostgreSQL the audit entries go in a
// data-modifying WITH of the outbox insert (run once, to completion,
// whether or not the outer statement reads it); SQLite has no round trips
// to save and no such WITH, so it runs the inserts one after another.
func (s *Store) AppendOutboxAudited(ctx context.Context, audit []*tongban.AuditEntry, es ...*tongban.OutboxEvent) error {
	var q strings.Builder
	var args []any
	if len(audit) > 0 && (s.db.Dialect != sqldb.Postgres || len(es) == 0) {
		for _, e := range audit {
			if err := s.QueueAudit(ctx, e); err != nil {
				return err
			}
		}
		audit = nil
	}
	if len(es) == 0 {
		return nil
	}
	if len(audit) > 0 {
		q.WriteString(`WITH queued AS (` + auditQueueInsert)
		for i, e := range audit {
			if i > 0 {
				q.WriteString(", ")
			}
			writePlaceholders(&q, len(args)+1, 7)
			args = append(args, auditQueueArgs(e)...)
		}
		q.WriteString(") ")
	}
	q.WriteString(`INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload) VALUES `)
	byEventID := make(map[string]*tongban.OutboxEvent, len(es))
	for i, e := range es {
		if i > 0 {
			q.WriteString(", ")
		}
		writePlaceholders(&q, len(args)+1, 7)
		e.At = utc(e.At)
		args = append(args, e.EventID, e.Type, e.Subject, e.RegionCode, nullID(e.OrgID), e.At, string(e.Payload))
		byEventID[e.EventID] = e
	}
	q.WriteString(` RETURNING id, event_id`)
	rows, err := s.q.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var eventID string
		if err := rows.Scan(&id, &eventID); err != nil {
			return classify(err)
		}
		if e := byEventID[eventID]; e != nil {
			e.ID = id
		}
	}
	return classify(rows.Err())
}
