package store

import (
	"context"
	"encoding/json"

	"github.com/tongban/tongban"
)

func (s *Store) RecordDataUse(ctx context.Context, u *tongban.DataUse) error {
	u.At = utc(u.At)
	err := s.db.ScanReturning(ctx, s.q, []any{&u.ID}, `INSERT INTO data_uses
		(subject_id, at, kind, actor_id, actor_name, org_id, org_name, resource, fields, case_number, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		u.SubjectID, u.At, u.Kind, nullID(u.ActorID), u.ActorName, nullID(u.OrgID), u.OrgName, u.Resource,
		jsonText(u.Fields), u.CaseNumber, u.Reason)
	return classify(err)
}

// dataUseColumns is how many values one data_uses row binds.
const dataUseColumns = 11

func (s *Store) RecordDataUses(ctx context.Context, us []*tongban.DataUse) error {
	if len(us) == 0 {
		return nil
	}
	q, args := useInsert(1, us)
	_, err := s.q.ExecContext(ctx, q, args...)
	return classify(err)
}

func (s *Store) DataUses(ctx context.Context, subjectID int64, limit, offset int) ([]*tongban.DataUse, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.q.QueryContext(ctx, `SELECT id, subject_id, at, kind, COALESCE(actor_id, 0), actor_name,
		COALESCE(org_id, 0), org_name, resource, fields, case_number, reason
		FROM data_uses WHERE subject_id = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3`, subjectID, limit, offset)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.DataUse
	for rows.Next() {
		u := &tongban.DataUse{}
		var fields string
		if err := rows.Scan(&u.ID, &u.SubjectID, &u.At, &u.Kind, &u.ActorID, &u.ActorName, &u.OrgID, &u.OrgName,
			&u.Resource, &fields, &u.CaseNumber, &u.Reason); err != nil {
			return nil, classify(err)
		}
		if err := json.Unmarshal([]byte(fields), &u.Fields); err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "数据使用记录 %d 已损坏", u.ID)
		}
		out = append(out, u)
	}
	return out, classify(rows.Err())
}

func (s *Store) CountDataUses(ctx context.Context, f tongban.DataUseCount) (int, error) {
	q, args := countUsesQuery(f)
	var n int
	err := s.q.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, classify(err)
}

// staffUseKinds are the kinds data_uses_staff indexes (migration 00064):
// the ones counted by actor.
var staffUseKinds = map[tongban.DataUseKind]bool{tongban.DataUseStaffReveal: true, tongban.DataUseCounterLookup: true}

// countUsesQuery is CountDataUses' statement. A staff kind is written as a
// literal (one of the constants above, never the caller's text): a planner
// uses a partial index only where the query's own WHERE shows its rows are
// the index's, and a bound value shows it nothing.
func countUsesQuery(f tongban.DataUseCount) (string, []any) {
	var w where
	if f.SubjectID != 0 {
		w.add("subject_id = ?", f.SubjectID)
	}
	if f.ActorID != 0 {
		w.add("actor_id = ?", f.ActorID)
	}
	switch {
	case staffUseKinds[f.Kind]:
		w.add("kind = '" + string(f.Kind) + "'")
	case f.Kind != "":
		w.add("kind = ?", string(f.Kind))
	}
	if !f.Since.IsZero() {
		w.add("at > ?", utc(f.Since))
	}
	return `SELECT COUNT(*) FROM data_uses` + w.String(), w.args
}

func (s *Store) CreateStaffAlert(ctx context.Context, a *tongban.StaffAlert) error {
	a.At, a.Since = utc(a.At), utc(a.Since)
	err := s.db.ScanReturning(ctx, s.q, []any{&a.ID}, `INSERT INTO staff_alerts
		(at, kind, actor_id, actor_name, org_id, region_code, count, since, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		a.At, a.Kind, a.ActorID, a.ActorName, nullID(a.OrgID), a.RegionCode, a.Count, a.Since, a.Detail)
	return classify(err)
}

func (s *Store) StaffAlerts(ctx context.Context, f tongban.StaffAlertFilter) ([]*tongban.StaffAlert, error) {
	var w where
	if f.ActorID != 0 {
		w.add("actor_id = ?", f.ActorID)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if !f.Since.IsZero() {
		w.add("at > ?", utc(f.Since))
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.q.QueryContext(ctx, `SELECT id, at, kind, actor_id, actor_name, COALESCE(org_id, 0), region_code,
		count, since, detail FROM staff_alerts`+w.String()+` ORDER BY at DESC, id DESC LIMIT `+w.arg(limit), w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.StaffAlert
	for rows.Next() {
		a := &tongban.StaffAlert{}
		if err := rows.Scan(&a.ID, &a.At, &a.Kind, &a.ActorID, &a.ActorName, &a.OrgID, &a.RegionCode,
			&a.Count, &a.Since, &a.Detail); err != nil {
			return nil, classify(err)
		}
		out = append(out, a)
	}
	return out, classify(rows.Err())
}
