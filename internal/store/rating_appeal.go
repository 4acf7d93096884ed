package store

import (
	"context"
	"database/sql"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

const appealColumns = `id, rating_id, case_id, case_number, org_id, region_code, ground, reason, state, filed_by,
	filed_at, decision, COALESCE(decided_by, 0), decided_at, version`

func scanAppeal(row interface{ Scan(...any) error }) (*tongban.RatingAppeal, error) {
	a := &tongban.RatingAppeal{}
	var decided sql.NullTime
	err := row.Scan(&a.ID, &a.RatingID, &a.CaseID, &a.CaseNumber, &a.OrgID, &a.RegionCode, &a.Ground, &a.Reason,
		&a.State, &a.FiledBy, &a.FiledAt, &a.Decision, &a.DecidedBy, &decided, &a.Version)
	a.DecidedAt = decided.Time
	return a, err
}

func (s *Store) CreateRatingAppeal(ctx context.Context, a *tongban.RatingAppeal) error {
	err := s.db.ScanReturning(ctx, s.q, []any{&a.ID}, `INSERT INTO rating_appeals (rating_id, case_id, case_number, org_id, region_code,
		ground, reason, state, filed_by, filed_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) RETURNING id`,
		a.RatingID, a.CaseID, a.CaseNumber, a.OrgID, a.RegionCode, a.Ground, a.Reason, a.State, a.FiledBy,
		utc(a.FiledAt))
	if sqldb.IsUniqueViolation(err) {
		return tongban.Wrap(tongban.EConflict, err, "该评价已申诉过，不能重复申诉")
	}
	if err == nil {
		a.Version = 1
	}
	return classify(err)
}

func (s *Store) RatingAppeal(ctx context.Context, id int64) (*tongban.RatingAppeal, error) {
	a, err := scanAppeal(s.q.QueryRowContext(ctx, `SELECT `+appealColumns+` FROM rating_appeals WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "申诉 %d 不存在", id)
	}
	return a, nil
}

func (s *Store) AppealOfRating(ctx context.Context, ratingID int64) (*tongban.RatingAppeal, error) {
	a, err := scanAppeal(s.q.QueryRowContext(ctx, `SELECT `+appealColumns+` FROM rating_appeals WHERE rating_id = $1`, ratingID))
	if err != nil {
		return nil, notFound(err, "该评价没有申诉")
	}
	return a, nil
}

func (s *Store) DecideRatingAppeal(ctx context.Context, a *tongban.RatingAppeal) error {
	res, err := s.q.ExecContext(ctx, `UPDATE rating_appeals SET state = $1, decision = $2, decided_by = $3,
		decided_at = $4, version = version + 1 WHERE id = $5 AND version = $6`,
		a.State, a.Decision, zeroID(a.DecidedBy), zeroTime(a.DecidedAt), a.ID, a.Version)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.EConflict, "申诉已被他人处理，请刷新后再试")
	}
	a.Version++
	return nil
}

func (s *Store) RatingAppeals(ctx context.Context, f tongban.RatingAppealFilter) ([]*tongban.RatingAppeal, error) {
	var w where
	w.scope(f.OrgIDs, f.Regions)
	in(&w, "state", f.States)
	rows, err := s.q.QueryContext(ctx, `SELECT `+appealColumns+` FROM rating_appeals`+w.String()+
		` ORDER BY id LIMIT `+w.arg(limitOf(f.Limit)), w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.RatingAppeal
	for rows.Next() {
		a, err := scanAppeal(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, a)
	}
	return out, classify(rows.Err())
}
