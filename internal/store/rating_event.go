package store

import (
	"cmp"
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

func (s *Store) CreateRatingVerdict(ctx context.Context, v *tongban.RatingVerdict) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO rating_verdicts (ticket_id, level, comment, rater_id, created_at)
		VALUES ($1, $2, $3, $4, $5)`, v.TicketID, v.Level, v.Comment, v.RaterID, utc(v.CreatedAt))
	if sqldb.IsUniqueViolation(err) {
		return &tongban.Error{Code: tongban.EConflict, Field: "level", Message: "已评价过部门的答复，不能重复评价", Err: err}
	}
	return classify(err)
}

func (s *Store) RatingVerdictOf(ctx context.Context, ticketID int64) (*tongban.RatingVerdict, error) {
	v := &tongban.RatingVerdict{}
	err := s.q.QueryRowContext(ctx, `SELECT ticket_id, level, comment, rater_id, created_at FROM rating_verdicts
		WHERE ticket_id = $1`, ticketID).Scan(&v.TicketID, &v.Level, &v.Comment, &v.RaterID, &v.CreatedAt)
	if err != nil {
		return nil, notFound(err, "尚未评价部门的答复")
	}
	return v, nil
}

func (s *Store) AppendRatingEvent(ctx context.Context, e *tongban.RatingEvent) error {
	err := s.db.ScanReturning(ctx, s.q, []any{&e.ID}, `INSERT INTO rating_events (at, kind, rating_id, day, region_code, org_id,
		listing_id, channel, prev_channel, level, prev_level, on_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		utc(e.At), string(e.Kind), e.RatingID, e.Day, e.RegionCode, e.OrgID, e.ListingID, string(e.Channel),
		string(e.PrevChannel), e.Level, e.PrevLevel, e.OnTime)
	return classify(err)
}

// RatingEventHorizon: as EventHorizon, over rating_events.
func (s *Store) RatingEventHorizon(ctx context.Context) (int64, error) {
	return s.horizonOf(ctx, "rating_events")
}

func (s *Store) RatingRollupWatermark(ctx context.Context) (int64, error) {
	return s.watermarkOf(ctx, "rating_rollup_watermark")
}

func (s *Store) RatingEvents(ctx context.Context, after, upTo int64, limit int) ([]tongban.RatingEvent, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, at, kind, rating_id, day, region_code, org_id, listing_id,
		channel, prev_channel, level, prev_level, on_time FROM rating_events
		WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`, after, upTo, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []tongban.RatingEvent
	for rows.Next() {
		var e tongban.RatingEvent
		if err := rows.Scan(&e.ID, &e.At, &e.Kind, &e.RatingID, &e.Day, &e.RegionCode, &e.OrgID, &e.ListingID,
			&e.Channel, &e.PrevChannel, &e.Level, &e.PrevLevel, &e.OnTime); err != nil {
			return nil, classify(err)
		}
		out = append(out, e)
	}
	return out, classify(rows.Err())
}

const ratingRollupCols = `rated, good, bad, tickets, visited, closed, closed_on_time, verdicts, verdicts_satisfied, excluded`

func ratingCountArgs(c tongban.RatingRollupCounts) []any {
	return []any{c.Rated, c.Good, c.Bad, c.Tickets, c.Visited, c.Closed, c.ClosedOnTime, c.Verdicts, c.VerdictsSatisfied, c.Excluded}
}

var ratingRollups = rollupTable{name: "rating_rollups", watermark: "rating_rollup_watermark",
	keys: "day, region_code, org_id, listing_id, channel", counts: ratingRollupCols}

func (s *Store) ApplyRatingRollups(ctx context.Context, counts map[tongban.RatingRollupKey]tongban.RatingRollupCounts, watermark int64) error {
	return applyRollups(ctx, s, ratingRollups, counts, func(a, b tongban.RatingRollupKey) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.OrgID, b.OrgID),
			cmp.Compare(a.ListingID, b.ListingID), cmp.Compare(a.Channel, b.Channel))
	}, func(k tongban.RatingRollupKey, c tongban.RatingRollupCounts) []any {
		return append([]any{k.Day, k.RegionCode, k.OrgID, k.ListingID, string(k.Channel)}, ratingCountArgs(c)...)
	}, watermark)
}

func (s *Store) ResetRatingRollups(ctx context.Context) error {
	return s.resetRollups(ctx, ratingRollups)
}

func (s *Store) SumRatingRollups(ctx context.Context, f tongban.RatingRollupFilter, g tongban.RatingGroup) (map[string]tongban.RatingRollupCounts, error) {
	var by string
	switch g {
	case tongban.ByRatingOrg, tongban.ByRatingListing:
		by = "CAST(" + string(g) + " AS TEXT)"
	case tongban.ByRatingRegion, tongban.ByRatingChannel:
		by = string(g)
	case tongban.ByRatingMonth:
		by = "SUBSTR(day, 1, 7)"
	default:
		return nil, tongban.Errorf(tongban.EInternal, "评价汇总不能按 %q 分组", g)
	}
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
	if f.OrgID != 0 {
		w.add("org_id = ?", f.OrgID)
	}
	if f.ListingID != 0 {
		w.add("listing_id = ?", f.ListingID)
	}
	if f.Channel != "" {
		w.add("channel = ?", string(f.Channel))
	}
	var sums []string
	for _, c := range strings.Split(ratingRollupCols, ",") {
		sums = append(sums, "SUM("+strings.TrimSpace(c)+")")
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+by+`, `+strings.Join(sums, ", ")+` FROM rating_rollups`+
		w.String()+` GROUP BY `+by, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[string]tongban.RatingRollupCounts{}
	for rows.Next() {
		var key string
		var c tongban.RatingRollupCounts
		if err := rows.Scan(&key, &c.Rated, &c.Good, &c.Bad, &c.Tickets, &c.Visited, &c.Closed, &c.ClosedOnTime,
			&c.Verdicts, &c.VerdictsSatisfied, &c.Excluded); err != nil {
			return nil, classify(err)
		}
		out[key] = c
	}
	return out, classify(rows.Err())
}

func (s *Store) RatingsWithoutEvents(ctx context.Context, limit int) ([]*tongban.Rating, error) {
	return s.queryRatings(ctx, `SELECT `+ratingColumns+` FROM ratings r
		WHERE NOT EXISTS (SELECT 1 FROM rating_events e WHERE e.rating_id = r.id) ORDER BY id LIMIT $1`, limit)
}
