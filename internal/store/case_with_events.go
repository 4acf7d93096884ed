package store

import (
	"context"

	"github.com/tongban/tongban"
)

// caseWithEventsQuery reads a case and its events in one statement: the
// case page and GET /api/v1/cases/{number} need both, and on PostgreSQL a
// second round trip cost as much as the rest of the request. The case's
// columns repeat on every event row; only the first row's are scanned
// into the case.
const caseWithEventsQuery = `SELECT c.*, e.id, e.case_id, e.seq, e.at, COALESCE(e.actor_id, 0), e.actor_name,
	e.role, COALESCE(e.org_id, 0), e.action, e.from_state, e.to_state, e.step, e.reason, e.materials, e.visit, e.facts
	FROM (SELECT ` + caseColumns + ` FROM cases WHERE number = $1) c
	JOIN case_events e ON e.case_id = c.id ORDER BY e.seq`

// CaseByNumberWithEvents is CaseByNumber with the case's events in
// c.Events, read together. The JSON columns and the sealed form are
// decoded after the rows are closed, so the connection goes back to the
// pool sooner (applicants polling their cases are the busiest reads, and
// SQLite's pool has 8 connections). Outside a transaction a case read
// before is taken from memory when its stamp shows it unchanged (caseCache:
// never stale, one small statement instead of the row and its events).
func (s *Store) CaseByNumberWithEvents(ctx context.Context, number string) (*tongban.Case, error) {
	cache := s.cases != nil && !s.inTx
	if cache {
		c, err := s.cachedCaseWithEvents(ctx, number)
		if c != nil || err != nil {
			return c, err
		}
	}
	c, finish, err := s.scanCaseWithEvents(ctx, number)
	if err != nil {
		return nil, err
	}
	if c == nil {
		// No event row: an unknown number, or a case with no events yet
		// (a waiting bundle component).
		if c, err = s.CaseByNumber(ctx, number); err != nil {
			return nil, err
		}
		c.Events = []*tongban.CaseEvent{}
		return c, nil
	}
	for _, f := range finish {
		if err := f(); err != nil {
			return nil, err
		}
	}
	if cache {
		putCase(s.cases, c)
	}
	return c, nil
}

// scanCaseWithEvents runs caseWithEventsQuery and returns the case (nil
// without a row) with the functions that finish decoding it and its events.
func (s *Store) scanCaseWithEvents(ctx context.Context, number string) (*tongban.Case, []func() error, error) {
	rows, err := s.q.QueryContext(ctx, caseWithEventsQuery, number)
	if err != nil {
		return nil, nil, classify(err)
	}
	defer rows.Close()
	var c *tongban.Case
	var caseDest []any
	var sink any
	var finish []func() error
	for rows.Next() {
		e, eventDest, finishEvent := eventDest()
		if c == nil {
			var finishCase func() error
			c, caseDest, finishCase = s.caseDest()
			if err := rows.Scan(append(caseDest, eventDest...)...); err != nil {
				return nil, nil, classify(err)
			}
			finish = append(finish, finishCase)
			for i := range caseDest {
				caseDest[i] = &sink // later rows repeat the case: skip it
			}
		} else if err := rows.Scan(append(caseDest, eventDest...)...); err != nil {
			return nil, nil, classify(err)
		}
		finish = append(finish, finishEvent)
		c.Events = append(c.Events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, classify(err)
	}
	return c, finish, nil
}
