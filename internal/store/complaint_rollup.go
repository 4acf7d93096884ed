package store

import (
	"cmp"
	"context"
	"strings"

	"github.com/tongban/tongban"
)

// The complaint rollups, folded from complaint_events as the rating
// rollups are from rating_events (rating_event.go).

// ComplaintEventHorizon: as EventHorizon, over complaint_events.
func (s *Store) ComplaintEventHorizon(ctx context.Context) (int64, error) {
	return s.horizonOf(ctx, "complaint_events")
}

func (s *Store) ComplaintRollupWatermark(ctx context.Context) (int64, error) {
	return s.watermarkOf(ctx, "complaint_rollup_watermark")
}

func (s *Store) ComplaintEventsBetween(ctx context.Context, after, upTo int64, limit int) ([]*tongban.ComplaintEvent, error) {
	return s.complaintEvents(ctx, `SELECT `+complaintEventColumns+` FROM complaint_events
		WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`, after, upTo, limit)
}

const complaintRollupCols = `received, dispatched, replied, replied_on_time, rated, satisfied, returned, reopened`

var complaintRollups = rollupTable{name: "complaint_rollups", watermark: "complaint_rollup_watermark",
	keys: "day, region_code, org_id", counts: complaintRollupCols}

func (s *Store) ApplyComplaintRollups(ctx context.Context, counts map[tongban.ComplaintRollupKey]tongban.ComplaintCounts, watermark int64) error {
	return applyRollups(ctx, s, complaintRollups, counts, func(a, b tongban.ComplaintRollupKey) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.OrgID, b.OrgID))
	}, func(k tongban.ComplaintRollupKey, c tongban.ComplaintCounts) []any {
		return []any{k.Day, k.RegionCode, k.OrgID, c.Received, c.Dispatched, c.Replied, c.RepliedOnTime,
			c.Rated, c.Satisfied, c.Returned, c.Reopened}
	}, watermark)
}

func (s *Store) ResetComplaintRollups(ctx context.Context) error {
	return s.resetRollups(ctx, complaintRollups)
}

func (s *Store) SumComplaintRollups(ctx context.Context, f tongban.ComplaintRollupFilter) (map[int64]tongban.ComplaintCounts, error) {
	w := &where{}
	if f.From != "" {
		w.add("day >= ?", f.From)
	}
	if f.To != "" {
		w.add("day <= ?", f.To)
	}
	if p := regionPrefix(f.Region); p != "" {
		w.add("region_code LIKE ?", p+"%")
	}
	var sums []string
	for _, c := range strings.Split(complaintRollupCols, ",") {
		sums = append(sums, "SUM("+strings.TrimSpace(c)+")")
	}
	rows, err := s.q.QueryContext(ctx, `SELECT org_id, `+strings.Join(sums, ", ")+` FROM complaint_rollups`+
		w.String()+` GROUP BY org_id`, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[int64]tongban.ComplaintCounts{}
	for rows.Next() {
		var id int64
		var c tongban.ComplaintCounts
		if err := rows.Scan(&id, &c.Received, &c.Dispatched, &c.Replied, &c.RepliedOnTime, &c.Rated, &c.Satisfied,
			&c.Returned, &c.Reopened); err != nil {
			return nil, classify(err)
		}
		out[id] = c
	}
	return out, classify(rows.Err())
}
