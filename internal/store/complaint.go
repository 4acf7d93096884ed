package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"

	"github.com/tongban/tongban"
)

const complaintColumns = `id, number, kind, source, external_ref, COALESCE(complainant_id, 0), name, phone_sealed,
	content, case_number, COALESCE(rating_id, 0), region_code, COALESCE(org_id, 0), state, dispatch_due, reply_due,
	reply, visit_note, satisfaction, COALESCE(received_by, 0), received_at, assigned_at, replied_at, closed_at, version`

func (s *Store) scanComplaint(row interface{ Scan(...any) error }) (*tongban.Complaint, error) {
	c := &tongban.Complaint{}
	var phone string
	var assigned, replied, closed sql.NullTime
	err := row.Scan(&c.ID, &c.Number, &c.Kind, &c.Source, &c.ExternalRef, &c.ComplainantID, &c.Name, &phone,
		&c.Content, &c.CaseNumber, &c.RatingID, &c.RegionCode, &c.OrgID, &c.State, &c.DispatchDue, &c.ReplyDue,
		&c.Reply, &c.VisitNote, &c.Satisfaction, &c.ReceivedBy, &c.ReceivedAt, &assigned, &replied, &closed, &c.Version)
	if err != nil {
		return nil, err
	}
	c.AssignedAt, c.RepliedAt, c.ClosedAt = assigned.Time, replied.Time, closed.Time
	plain, err := s.sealer.Open(phone)
	if err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "无法解密投诉工单 %d 的联系电话", c.ID)
	}
	c.Phone = tongban.Phone(plain)
	return c, nil
}

// CreateComplaint numbers the complaint c.Number (the prefix the service
// gives: TS and the China date of receipt) + its id, TS20261009000012:
// unique without a counter to contend on.
func (s *Store) CreateComplaint(ctx context.Context, c *tongban.Complaint) error {
	tmp := make([]byte, 8)
	_, _ = rand.Read(tmp)
	phone := c.Phone.Reveal()
	err := s.db.ScanReturning(ctx, s.q, []any{&c.ID}, `INSERT INTO complaints (number, kind, source, external_ref, complainant_id, name,
		phone_sealed, phone_masked, content, case_number, rating_id, region_code, org_id, state, dispatch_due, reply_due,
		received_by, received_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1) RETURNING id`,
		"~"+hex.EncodeToString(tmp), c.Kind, c.Source, c.ExternalRef, zeroID(c.ComplainantID), c.Name, s.sealer.Seal(phone),
		c.Phone.Masked(), c.Content, c.CaseNumber, zeroID(c.RatingID), c.RegionCode, zeroID(c.OrgID), c.State,
		c.DispatchDue, c.ReplyDue, zeroID(c.ReceivedBy), utc(c.ReceivedAt))
	if err != nil {
		return classify(err)
	}
	number := fmt.Sprintf("%s%06d", c.Number, c.ID)
	if _, err := s.q.ExecContext(ctx, `UPDATE complaints SET number = $1 WHERE id = $2`, number, c.ID); err != nil {
		return classify(err)
	}
	c.Number, c.Version = number, 1
	return nil
}

func (s *Store) Complaint(ctx context.Context, id int64) (*tongban.Complaint, error) {
	c, err := s.scanComplaint(s.q.QueryRowContext(ctx, `SELECT `+complaintColumns+` FROM complaints WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "投诉工单不存在")
	}
	return c, nil
}

func (s *Store) ComplaintByNumber(ctx context.Context, number string) (*tongban.Complaint, error) {
	c, err := s.scanComplaint(s.q.QueryRowContext(ctx, `SELECT `+complaintColumns+` FROM complaints WHERE number = $1`, number))
	if err != nil {
		return nil, notFound(err, "投诉工单 %s 不存在", number)
	}
	return c, nil
}

func (s *Store) UpdateComplaint(ctx context.Context, c *tongban.Complaint) error {
	res, err := s.q.ExecContext(ctx, `UPDATE complaints SET org_id = $1, state = $2, reply_due = $3, reply = $4,
		visit_note = $5, satisfaction = $6, assigned_at = $7, replied_at = $8, closed_at = $9, version = version + 1
		WHERE id = $10 AND version = $11`,
		zeroID(c.OrgID), c.State, c.ReplyDue, c.Reply, c.VisitNote, c.Satisfaction, zeroTime(c.AssignedAt),
		zeroTime(c.RepliedAt), zeroTime(c.ClosedAt), c.ID, c.Version)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.EConflict, "投诉工单已被他人处理，请刷新后再试")
	}
	c.Version++
	return nil
}

func (s *Store) Complaints(ctx context.Context, f tongban.ComplaintFilter) ([]*tongban.Complaint, error) {
	var w where
	w.scope(f.OrgIDs, f.Regions)
	if f.ComplainantID != 0 {
		w.add("complainant_id = ?", f.ComplainantID)
	}
	if f.RatingID != 0 {
		w.add("rating_id = ?", f.RatingID)
	}
	in(&w, "state", f.States)
	rows, err := s.q.QueryContext(ctx, `SELECT `+complaintColumns+` FROM complaints`+w.String()+
		` ORDER BY id DESC LIMIT `+w.arg(limitOf(f.Limit)), w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Complaint
	for rows.Next() {
		c, err := s.scanComplaint(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, c)
	}
	return out, classify(rows.Err())
}

func (s *Store) AppendComplaintEvent(ctx context.Context, e *tongban.ComplaintEvent) error {
	return classify(s.db.ScanReturning(ctx, s.q, []any{&e.ID}, `INSERT INTO complaint_events (complaint_id, at, action, actor_id, org_id,
		region_code, due, level, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		e.ComplaintID, utc(e.At), e.Action, zeroID(e.ActorID), e.OrgID, e.RegionCode, e.Due, e.Level, e.Note))
}

const complaintEventColumns = `id, complaint_id, at, action, COALESCE(actor_id, 0), org_id, region_code, due, level, note`

func (s *Store) ComplaintEvents(ctx context.Context, complaintID int64) ([]*tongban.ComplaintEvent, error) {
	return s.complaintEvents(ctx, `SELECT `+complaintEventColumns+` FROM complaint_events WHERE complaint_id = $1 ORDER BY id`, complaintID)
}

func (s *Store) complaintEvents(ctx context.Context, q string, args ...any) ([]*tongban.ComplaintEvent, error) {
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.ComplaintEvent
	for rows.Next() {
		e := &tongban.ComplaintEvent{}
		if err := rows.Scan(&e.ID, &e.ComplaintID, &e.At, &e.Action, &e.ActorID, &e.OrgID, &e.RegionCode, &e.Due,
			&e.Level, &e.Note); err != nil {
			return nil, classify(err)
		}
		out = append(out, e)
	}
	return out, classify(rows.Err())
}
