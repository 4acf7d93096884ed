package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// AppendCaseEvent takes the next sequence number of the case. Callers hold
// the case row (CaseForUpdate) in the same transaction, so the number is
// free; the UNIQUE (case_id, seq) index catches any caller that does not.
func (s *Store) AppendCaseEvent(ctx context.Context, e *tongban.CaseEvent) error {
	args, err := eventValues(e)
	if err != nil {
		return err
	}
	q := appendEvent
	if s.db.Dialect == sqldb.SQLite {
		q = appendEventSQLite
	}
	err = s.q.QueryRowContext(ctx, q, append(args, e.CaseID)...).Scan(&e.ID, &e.Seq)
	switch {
	case sqldb.IsUniqueViolation(err):
		return tongban.Wrap(tongban.EConflict, err, "办件已被他人更新，请刷新后重试")
	case sqldb.IsForeignKeyViolation(err):
		return tongban.Wrap(tongban.EInvalid, err, "办件、操作人或机构不存在")
	}
	return classify(err)
}

// appendEvent inserts an event after its case's last: eventValues, then
// the case as $14.
var appendEvent = `INSERT INTO case_events (` + eventInsertColumns + `)
	SELECT $14, COALESCE(MAX(seq), 0) + 1, ` + eventValuesFrom(1) + `
	FROM case_events WHERE case_id = $14
	RETURNING id, seq`

// appendEventSQLite is appendEvent where case_events is kept in (case_id,
// seq) order without a rowid (migration 00066), so the insert hands out the
// id itself: the next after the largest, read from the case_events_id index.
// SQLite has one writer, so no other insert can take the same id between
// the read and the write.
var appendEventSQLite = `INSERT INTO case_events (id, ` + eventInsertColumns + `)
	SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM case_events), $14, COALESCE(MAX(seq), 0) + 1, ` + eventValuesFrom(1) + `
	FROM case_events WHERE case_id = $14
	RETURNING id, seq`

// eventInsertColumns are what an event's insert writes: the case and the
// sequence number, then what eventValues binds.
const eventInsertColumns = `case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state,
	step, reason, materials, visit, facts`

// eventInsertArgs is how many values eventValues binds.
const eventInsertArgs = 13

// eventValues are an event's values after its case and sequence number.
func eventValues(e *tongban.CaseEvent) ([]any, error) {
	e.At = utc(e.At)
	facts, err := factsText(e.Facts)
	if err != nil {
		return nil, err
	}
	return []any{e.At, zeroID(e.ActorID), e.ActorName, e.Role, zeroID(e.OrgID), e.Action, e.From, e.To,
		e.Step, e.Reason, jsonText(e.Materials), e.Visit, facts}, nil
}

// eventValuesFrom is the placeholders of eventValues, numbered from first.
func eventValuesFrom(first int) string {
	p := placeholders(first, eventInsertArgs)
	return p[1 : len(p)-1]
}

// eventFromCase inserts a new case's first event, its case from the WITH
// part c (the case's insert), its values bound from first.
func eventFromCase(first int) string {
	return `INSERT INTO case_events (` + eventInsertColumns + `) SELECT c.id, 1, ` + eventValuesFrom(first) + ` FROM c`
}

// eventColumns are read by eventDest; caseWithEventsQuery repeats them
// qualified with its alias.
const eventColumns = `id, case_id, seq, at, COALESCE(actor_id, 0), actor_name, role,
	COALESCE(org_id, 0), action, from_state, to_state, step, reason, materials, visit, facts`

// caseEventsQuery reads a case's events in order.
const caseEventsQuery = `SELECT ` + eventColumns + ` FROM case_events WHERE case_id = $1 ORDER BY seq`

func (s *Store) CaseEvents(ctx context.Context, caseID int64) ([]*tongban.CaseEvent, error) {
	rows, err := s.q.QueryContext(ctx, caseEventsQuery, caseID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.CaseEvent
	for rows.Next() {
		e, dest, finish := eventDest()
		if err := rows.Scan(dest...); err != nil {
			return nil, classify(err)
		}
		if err := finish(); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, classify(rows.Err())
}

// eventDest returns an event, the scan destinations of eventColumns for
// it, and the step that decodes what was scanned.
func eventDest() (*tongban.CaseEvent, []any, func() error) {
	e := &tongban.CaseEvent{}
	var materials string
	var facts sql.NullString
	dest := []any{&e.ID, &e.CaseID, &e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Role, &e.OrgID,
		&e.Action, &e.From, &e.To, &e.Step, &e.Reason, &materials, &e.Visit, &facts}
	finish := func() error {
		var err error
		if e.Facts, err = parseFacts(e.ID, facts); err != nil {
			return err
		}
		if err := decodeJSON(materials, &e.Materials, readStrings); err != nil {
			return tongban.Wrap(tongban.EInternal, err, "办件事件 %d 的数据已损坏", e.ID)
		}
		if len(e.Materials) == 0 {
			e.Materials = nil
		}
		return nil
	}
	return e, dest, finish
}

// factsText stores an event's facts as JSON, or NULL without any.
func factsText(f *tongban.EventFacts) (any, error) {
	if f == nil {
		return nil, nil
	}
	b, err := json.Marshal(f)
	if err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "办件事件的统计数据无法保存")
	}
	return string(b), nil
}

func parseFacts(eventID int64, s sql.NullString) (*tongban.EventFacts, error) {
	if !s.Valid {
		return nil, nil
	}
	f := &tongban.EventFacts{}
	if err := decodeJSON(s.String, f, readFacts); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "办件事件 %d 的统计数据已损坏", eventID)
	}
	return f, nil
}
