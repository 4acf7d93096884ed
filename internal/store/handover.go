package store

import (
	"context"

	"github.com/tongban/tongban"
)

// RecordHandover stores the 签收 of a case, the collector's ID number sealed.
func (s *Store) RecordHandover(ctx context.Context, h *tongban.Handover) error {
	id := h.CollectorID.Reveal()
	sealed := ""
	if id != "" {
		sealed = s.sealer.Seal(id)
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO case_handovers
		(case_id, window_id, clerk_id, collector, collector_name, collector_id_sealed, collector_id_masked,
		 power_of_attorney, signed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		h.CaseID, h.WindowID, h.ClerkID, h.Collector, h.CollectorName, sealed, h.CollectorID.Masked(),
		h.PowerOfAttorney, utc(h.SignedAt))
	return classify(err)
}

func (s *Store) Handover(ctx context.Context, caseID int64) (*tongban.Handover, error) {
	h := &tongban.Handover{}
	var sealed string
	err := s.q.QueryRowContext(ctx, `SELECT case_id, window_id, clerk_id, collector, collector_name,
		collector_id_sealed, power_of_attorney, signed_at FROM case_handovers WHERE case_id = $1`, caseID).Scan(
		&h.CaseID, &h.WindowID, &h.ClerkID, &h.Collector, &h.CollectorName, &sealed, &h.PowerOfAttorney, &h.SignedAt)
	if err != nil {
		return nil, notFound(err, "办件 %d 没有签收记录", caseID)
	}
	if sealed != "" {
		id, err := s.sealer.Open(sealed)
		if err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "签收记录已损坏")
		}
		h.CollectorID = tongban.IDNumber(id)
	}
	return h, nil
}
