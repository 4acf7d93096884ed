package store

import (
	"context"
	"database/sql"

	"github.com/tongban/tongban"
)

const noticeColumns = `id, subject, subject_id, subject_ref, org_id, region_code, demand, due, issued_by, issued_at,
	answer, COALESCE(answered_by, 0), answered_at, version, announced_card`

func scanNotice(row interface{ Scan(...any) error }) (*tongban.SupervisionNotice, error) {
	n := &tongban.SupervisionNotice{}
	var answered sql.NullTime
	err := row.Scan(&n.ID, &n.Subject, &n.SubjectID, &n.SubjectRef, &n.OrgID, &n.RegionCode, &n.Demand, &n.Due,
		&n.IssuedBy, &n.IssuedAt, &n.Answer, &n.AnsweredBy, &answered, &n.Version, &n.Announced)
	n.AnsweredAt = answered.Time
	return n, err
}

func (s *Store) CreateNotice(ctx context.Context, n *tongban.SupervisionNotice) error {
	err := s.db.ScanReturning(ctx, s.q, []any{&n.ID}, `INSERT INTO supervision_notices (subject, subject_id, subject_ref, org_id,
		region_code, demand, due, issued_by, issued_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) RETURNING id`,
		n.Subject, n.SubjectID, n.SubjectRef, n.OrgID, n.RegionCode, n.Demand, n.Due, n.IssuedBy, utc(n.IssuedAt))
	if err == nil {
		n.Version = 1
	}
	return classify(err)
}

func (s *Store) Notice(ctx context.Context, id int64) (*tongban.SupervisionNotice, error) {
	n, err := scanNotice(s.q.QueryRowContext(ctx, `SELECT `+noticeColumns+` FROM supervision_notices WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "督办 %d 不存在", id)
	}
	return n, nil
}

func (s *Store) AnswerNotice(ctx context.Context, n *tongban.SupervisionNotice) error {
	res, err := s.q.ExecContext(ctx, `UPDATE supervision_notices SET answer = $1, answered_by = $2, answered_at = $3,
		version = version + 1 WHERE id = $4 AND version = $5 AND answered_at IS NULL`,
		n.Answer, zeroID(n.AnsweredBy), zeroTime(n.AnsweredAt), n.ID, n.Version)
	if err != nil {
		return classify(err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return tongban.Errorf(tongban.EConflict, "该督办已答复，请刷新后再试")
	}
	n.Version++
	return nil
}

func (s *Store) Notices(ctx context.Context, f tongban.NoticeFilter) ([]*tongban.SupervisionNotice, error) {
	var w where
	w.scope(f.OrgIDs, f.Regions)
	if f.Open {
		w.add("answered_at IS NULL")
	}
	if f.Subject != "" {
		w.add("subject = ?", string(f.Subject))
	}
	if f.SubjectID != 0 {
		w.add("subject_id = ?", f.SubjectID)
	}
	if f.DueBefore != "" {
		w.add("due < ?", f.DueBefore)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+noticeColumns+` FROM supervision_notices`+w.String()+
		` ORDER BY due, id LIMIT `+w.arg(limitOf(f.Limit)), w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.SupervisionNotice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, n)
	}
	return out, classify(rows.Err())
}

func (s *Store) AnnounceNoticeCard(ctx context.Context, id int64, from, card tongban.Card) error {
	res, err := s.q.ExecContext(ctx, `UPDATE supervision_notices SET announced_card = $1
		WHERE id = $2 AND announced_card = $3 AND answered_at IS NULL`, string(card), id, string(from))
	if err != nil {
		return classify(err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return tongban.Errorf(tongban.EConflict, "督办 %d 的升级已通告", id)
	}
	return nil
}
