package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

const ratingColumns = `id, case_id, case_number, encounter, channel, level, indicator_version, indicators, reasons,
	comment, rater_id, org_id, region_code, listing_id, created_at, updated_at`

func scanRating(row interface{ Scan(...any) error }) (*tongban.Rating, error) {
	r := &tongban.Rating{}
	var indicators, reasons string
	err := row.Scan(&r.ID, &r.CaseID, &r.CaseNumber, &r.Encounter, &r.Channel, &r.Level, &r.IndicatorVersion,
		&indicators, &reasons, &r.Comment, &r.RaterID, &r.OrgID, &r.RegionCode, &r.ListingID, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(indicators), &r.Indicators); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "评价 %d 的数据已损坏", r.ID)
	}
	if err := json.Unmarshal([]byte(reasons), &r.Reasons); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "评价 %d 的数据已损坏", r.ID)
	}
	if len(r.Indicators) == 0 {
		r.Indicators = nil
	}
	if len(r.Reasons) == 0 {
		r.Reasons = nil
	}
	return r, nil
}

func indicatorsText(m map[string]tongban.RatingLevel) string {
	if len(m) == 0 {
		return "{}"
	}
	return jsonText(m)
}

func (s *Store) CreateRating(ctx context.Context, r *tongban.Rating) error {
	err := s.db.ScanReturning(ctx, s.q, []any{&r.ID}, `INSERT INTO ratings (case_id, case_number, encounter, channel, level,
		indicator_version, indicators, reasons, comment, rater_id, org_id, region_code, listing_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		r.CaseID, r.CaseNumber, r.Encounter, r.Channel, r.Level, r.IndicatorVersion, indicatorsText(r.Indicators),
		jsonText(r.Reasons), r.Comment, r.RaterID, r.OrgID, r.RegionCode, r.ListingID, utc(r.CreatedAt),
		utc(r.UpdatedAt))
	if sqldb.IsUniqueViolation(err) {
		return &tongban.Error{Code: tongban.EConflict, Field: "encounter", Message: "该次服务已评价过，不能重复评价", Err: err}
	}
	return classify(err)
}

func (s *Store) UpdateRating(ctx context.Context, r *tongban.Rating) error {
	res, err := s.q.ExecContext(ctx, `UPDATE ratings SET level = $1, indicator_version = $2, indicators = $3,
		reasons = $4, comment = $5, updated_at = $6 WHERE id = $7`,
		r.Level, r.IndicatorVersion, indicatorsText(r.Indicators), jsonText(r.Reasons), r.Comment, utc(r.UpdatedAt), r.ID)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "评价 %d 不存在", r.ID)
	}
	return nil
}

func (s *Store) RatingOf(ctx context.Context, caseID int64, encounter string) (*tongban.Rating, error) {
	r, err := scanRating(s.q.QueryRowContext(ctx, `SELECT `+ratingColumns+` FROM ratings
		WHERE case_id = $1 AND encounter = $2`, caseID, encounter))
	if err != nil {
		return nil, notFound(err, "该次服务尚未评价")
	}
	return r, nil
}

func (s *Store) CaseRatings(ctx context.Context, caseID int64) ([]*tongban.Rating, error) {
	return s.queryRatings(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE case_id = $1 ORDER BY id`, caseID)
}

// queryRatings runs a query of ratingColumns and scans every row.
func (s *Store) queryRatings(ctx context.Context, query string, args ...any) ([]*tongban.Rating, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Rating
	for rows.Next() {
		r, err := scanRating(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, classify(rows.Err())
}

const ticketColumns = `id, rating_id, case_id, case_number, org_id, region_code, state, verify_due, rectify_due,
	finding, answer, COALESCE(handler_id, 0), verified_at, closed_at, created_at, version`

func scanTicket(row interface{ Scan(...any) error }) (*tongban.RatingTicket, error) {
	t := &tongban.RatingTicket{}
	var verified, closed sql.NullTime
	err := row.Scan(&t.ID, &t.RatingID, &t.CaseID, &t.CaseNumber, &t.OrgID, &t.RegionCode, &t.State, &t.VerifyDue,
		&t.RectifyDue, &t.Finding, &t.Answer, &t.HandlerID, &verified, &closed, &t.CreatedAt, &t.Version)
	if err != nil {
		return nil, err
	}
	t.VerifiedAt, t.ClosedAt = verified.Time, closed.Time
	return t, nil
}

func (s *Store) CreateRatingTicket(ctx context.Context, t *tongban.RatingTicket) error {
	err := s.db.ScanReturning(ctx, s.q, []any{&t.ID}, `INSERT INTO rating_tickets (rating_id, case_id, case_number, org_id, region_code,
		state, verify_due, rectify_due, finding, answer, handler_id, verified_at, closed_at, created_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1) RETURNING id`,
		t.RatingID, t.CaseID, t.CaseNumber, t.OrgID, t.RegionCode, t.State, t.VerifyDue, t.RectifyDue, t.Finding,
		t.Answer, zeroID(t.HandlerID), zeroTime(t.VerifiedAt), zeroTime(t.ClosedAt), utc(t.CreatedAt))
	if sqldb.IsUniqueViolation(err) {
		return tongban.Wrap(tongban.EConflict, err, "该差评已有整改工单")
	}
	if err == nil {
		t.Version = 1
	}
	return classify(err)
}

func (s *Store) RatingTicket(ctx context.Context, id int64) (*tongban.RatingTicket, error) {
	t, err := scanTicket(s.q.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM rating_tickets WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "整改工单 %d 不存在", id)
	}
	return t, nil
}

func (s *Store) TicketOfRating(ctx context.Context, ratingID int64) (*tongban.RatingTicket, error) {
	t, err := scanTicket(s.q.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM rating_tickets WHERE rating_id = $1`, ratingID))
	if err != nil {
		return nil, notFound(err, "该评价没有整改工单")
	}
	return t, nil
}

func (s *Store) UpdateRatingTicket(ctx context.Context, t *tongban.RatingTicket) error {
	res, err := s.q.ExecContext(ctx, `UPDATE rating_tickets SET state = $1, finding = $2, answer = $3,
		handler_id = $4, verified_at = $5, closed_at = $6, version = version + 1 WHERE id = $7 AND version = $8`,
		t.State, t.Finding, t.Answer, zeroID(t.HandlerID), zeroTime(t.VerifiedAt), zeroTime(t.ClosedAt), t.ID, t.Version)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.EConflict, "整改工单已被他人处理，请刷新后再试")
	}
	t.Version++
	return nil
}

func (s *Store) RatingTickets(ctx context.Context, f tongban.RatingTicketFilter) ([]*tongban.RatingTicket, error) {
	var w where
	if len(f.OrgIDs) > 0 || len(f.Regions) > 0 {
		var any []string
		for _, id := range f.OrgIDs {
			any = append(any, "org_id = "+w.arg(id))
		}
		for _, code := range f.Regions {
			any = append(any, "region_code LIKE "+w.arg(tongban.RegionPrefix(code)+"%"))
		}
		w.conds = append(w.conds, "("+strings.Join(any, " OR ")+")")
	}
	if len(f.States) > 0 {
		ph := make([]string, len(f.States))
		for i, st := range f.States {
			ph[i] = w.arg(string(st))
		}
		w.conds = append(w.conds, "state IN ("+strings.Join(ph, ", ")+")")
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	q := `SELECT ` + ticketColumns + ` FROM rating_tickets` + w.String() + ` ORDER BY verify_due, id LIMIT ` + w.arg(limit)
	rows, err := s.q.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.RatingTicket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, classify(rows.Err())
}
