package store

import (
	"context"

	"github.com/tongban/tongban"
)

func (s *Store) AppendOutbox(ctx context.Context, e *tongban.OutboxEvent) error {
	e.At = utc(e.At)
	err := s.q.QueryRowContext(ctx, `INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		e.EventID, e.Type, e.Subject, e.RegionCode, nullID(e.OrgID), e.At, string(e.Payload)).Scan(&e.ID)
	return classify(err)
}
