package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

const caseColumns = `id, number, listing_id, listing_version, item_name, listing_name, org_id, region_code,
	COALESCE(board_id, 0), applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections,
	COALESCE(owed_due, ''), commitment, needs_post_check, post_checked, post_check_failed, instant,
	promised_days, accepted_at, COALESCE(due_date, ''), provisional, paused_days, paused_since, decided_at,
	visits, delivery_method, tracking_no, COALESCE(pickup_window_id, 0), reasons, result_no,
	COALESCE(idempotency_key, ''), created_at, updated_at, version`

func (s *Store) scanCase(row interface{ Scan(...any) error }) (*tongban.Case, error) {
	c, dest, finish := s.caseDest()
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	return c, finish()
}

// caseDest returns a case, the scan destinations of caseColumns for it,
// and the step that decodes what was scanned: a case read alone and a
// case read with its events share them.
func (s *Store) caseDest() (*tongban.Case, []any, func() error) {
	c := &tongban.Case{}
	var form, materials, corrections, reasons string
	var accepted, paused, decided sql.NullTime
	dest := []any{&c.ID, &c.Number, &c.ListingID, &c.ListingVersion, &c.ItemName, &c.ListingName, &c.OrgID,
		&c.RegionCode, &c.BoardID, &c.ApplicantID, &c.ApplicantName, &c.Channel, &c.State, &c.Outcome, &c.Step,
		&form, &materials, &corrections, &c.OwedDue, &c.Commitment, &c.NeedsPostCheck, &c.PostChecked,
		&c.PostCheckFailed, &c.Instant, &c.PromisedDays, &accepted, &c.DueDate, &c.Provisional, &c.PausedDays,
		&paused, &decided, &c.Visits, &c.Delivery.Method, &c.Delivery.TrackingNo, &c.Delivery.WindowID,
		&reasons, &c.ResultNo, &c.IdempotencyKey, &c.CreatedAt, &c.UpdatedAt, &c.Version}
	finish := func() error {
		var err error
		if c.Form, err = s.openForm(form); err != nil {
			return tongban.Wrap(tongban.EInternal, err, "办件 %d 的申请表无法解密", c.ID)
		}
		c.AcceptedAt, c.PausedSince, c.DecidedAt = accepted.Time, paused.Time, decided.Time
		if err := errors.Join(decodeJSON(materials, &c.Materials, readMaterials),
			decodeJSON(corrections, &c.Corrections, readDeficiencies),
			decodeJSON(reasons, &c.Reasons, readStrings)); err != nil {
			return tongban.Wrap(tongban.EInternal, err, "办件 %d 的数据已损坏", c.ID)
		}
		// Empty lists read back as nil, as they were before they were stored.
		if len(c.Materials) == 0 {
			c.Materials = nil
		}
		if len(c.Corrections) == 0 {
			c.Corrections = nil
		}
		if len(c.Reasons) == 0 {
			c.Reasons = nil
		}
		return nil
	}
	return c, dest, finish
}

// jsonText encodes v for a JSON text column; nil slices become "[]".
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "[]"
	}
	return string(b)
}

// zeroTime stores the zero time as NULL.
func zeroTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return utc(t)
}

func zeroID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (s *Store) CreateCase(ctx context.Context, c *tongban.Case) error {
	return s.insertCase(ctx, c, caseInsertion{})
}

// caseInto and caseValues insert a case, binding $1…$40 (caseInsertArgs).
const caseInto = `INSERT INTO cases
		(number, listing_id, listing_version, item_name, listing_name, org_id, region_code, board_id,
		 applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections, owed_due,
		 commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days,
		 accepted_at, due_date, provisional, paused_days, paused_since, decided_at, visits,
		 delivery_method, tracking_no, pickup_window_id, reasons, result_no, idempotency_key,
		 created_at, updated_at, version) `

const caseValues = `$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
		        $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40`

// caseWhileCurrent is the condition of CaseRecords.ListingCurrent, on the
// values already bound: $2 the listing, $3 its version, $4 the item's name.
const caseWhileCurrent = ` WHERE EXISTS (SELECT 1 FROM listings l JOIN items i ON i.id = l.item_id
		WHERE l.id = $2 AND l.version = $3 AND i.name = $4)`

// caseInsertArgs is how many values a case's insert binds.
const caseInsertArgs = 40

// caseInsertion is what a case's insert carries besides the case.
type caseInsertion struct {
	parts   []string // WITH parts, binding from $41 the values in more
	more    []any
	held    *int // set: the statement also returns the WITH part held's count into it
	current bool // insert only while the listing and item are as read (CaseRecords.ListingCurrent)
	// event is the case's first event: on PostgreSQL inserted by the same
	// statement (the case's insert a WITH part of the event's), on SQLite
	// by AppendCaseEvent right after.
	event *tongban.CaseEvent
}

// insertCase inserts c and sets c.ID (and in.event's ID, Seq and CaseID).
func (s *Store) insertCase(ctx context.Context, c *tongban.Case, in caseInsertion) error {
	if c.Version == 0 {
		c.Version = 1
	}
	c.CreatedAt, c.UpdatedAt = utc(c.CreatedAt), utc(c.UpdatedAt)
	args := append(make([]any, 0, caseInsertArgs+len(in.more)+eventInsertArgs),
		c.Number, c.ListingID, c.ListingVersion, c.ItemName, c.ListingName, c.OrgID, c.RegionCode, zeroID(c.BoardID),
		c.ApplicantID, c.ApplicantName, c.Channel, c.State, c.Outcome, c.Step, s.sealForm(c.Form), jsonText(c.Materials),
		jsonText(c.Corrections), nullable(c.OwedDue), c.Commitment, c.NeedsPostCheck, c.PostChecked,
		c.PostCheckFailed, c.Instant, c.PromisedDays, zeroTime(c.AcceptedAt), nullable(c.DueDate), c.Provisional,
		c.PausedDays, zeroTime(c.PausedSince), zeroTime(c.DecidedAt), c.Visits, c.Delivery.Method,
		c.Delivery.TrackingNo, zeroID(c.Delivery.WindowID), jsonText(c.Reasons), c.ResultNo,
		nullable(c.IdempotencyKey), c.CreatedAt, c.UpdatedAt, c.Version)
	args = append(args, in.more...)
	q := caseInto + "VALUES (" + caseValues + ")"
	if in.current {
		q = caseInto + "SELECT " + caseValues + caseWhileCurrent
	}
	parts, dest := in.parts, []any{&c.ID}
	withEvent := in.event != nil && s.db.Dialect == sqldb.Postgres
	if withEvent {
		eargs, err := eventValues(in.event)
		if err != nil {
			return err
		}
		parts = append(slices.Clip(parts), "c AS ("+q+" RETURNING id)")
		q = eventFromCase(len(args)+1) + " RETURNING case_id, id, seq"
		args = append(args, eargs...)
		dest = append(dest, &in.event.ID, &in.event.Seq)
	} else {
		q += " RETURNING id"
	}
	if in.held != nil {
		q += ", (SELECT n FROM held)"
		dest = append(dest, in.held)
	}
	if len(parts) > 0 {
		q = withClause(parts) + q
	}
	err := s.q.QueryRowContext(ctx, q, args...).Scan(dest...)
	switch {
	case in.current && errors.Is(err, sql.ErrNoRows):
		return &tongban.Error{Code: tongban.EConflict, Field: "listing_version",
			Message: "实施清单或其事项刚有变更，未保存，请重新提交", Err: err}
	case sqldb.IsUniqueViolation(err) && strings.Contains(err.Error(), "idempotency"):
		return &tongban.Error{Code: tongban.EConflict, Field: "idempotency_key", Message: "该申请已提交过", Err: err}
	case sqldb.IsUniqueViolation(err):
		return &tongban.Error{Code: tongban.EConflict, Field: "number", Message: "办件编号 " + c.Number + " 已存在", Err: err}
	case sqldb.IsForeignKeyViolation(err):
		return &tongban.Error{Code: tongban.EInvalid, Message: "申请人、实施机构、行政区划或操作人不存在", Err: err}
	case err != nil:
		return classify(err)
	}
	switch {
	case withEvent:
		in.event.CaseID = c.ID
	case in.event != nil:
		in.event.CaseID = c.ID
		return s.AppendCaseEvent(ctx, in.event)
	}
	return nil
}

func (s *Store) Case(ctx context.Context, id int64) (*tongban.Case, error) {
	c, err := s.scanCase(s.q.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "办件 %d 不存在", id)
	}
	return c, nil
}

// CaseForUpdate locks the row on PostgreSQL; SQLite's write transactions
// are exclusive from their start, so a plain read is already serialized.
func (s *Store) CaseForUpdate(ctx context.Context, id int64) (*tongban.Case, error) {
	c, err := s.scanCase(s.q.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1`+s.db.ForUpdate(), id))
	if err != nil {
		return nil, notFound(err, "办件 %d 不存在", id)
	}
	return c, nil
}

func (s *Store) CaseByNumber(ctx context.Context, number string) (*tongban.Case, error) {
	c, err := s.scanCase(s.q.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE number = $1`, number))
	if err != nil {
		return nil, notFound(err, "办件 %s 不存在", number)
	}
	return c, nil
}

func (s *Store) CaseByIdempotencyKey(ctx context.Context, applicantID int64, key string) (*tongban.Case, error) {
	c, err := s.scanCase(s.q.QueryRowContext(ctx,
		`SELECT `+caseColumns+` FROM cases WHERE applicant_id = $1 AND idempotency_key = $2`, applicantID, key))
	if err != nil {
		return nil, notFound(err, "没有使用该幂等键的申请")
	}
	return c, nil
}

// UpdateCase writes the mutable fields. The identity of a case (number,
// listing version, applicant, channel, key, creation time) never changes.
func (s *Store) UpdateCase(ctx context.Context, c *tongban.Case) error {
	c.UpdatedAt = utc(c.UpdatedAt)
	res, err := s.q.ExecContext(ctx, `UPDATE cases SET
		org_id = $1, board_id = $2, state = $3, step = $4, form = $5, materials = $6, corrections = $7,
		owed_due = $8, commitment = $9, needs_post_check = $10, post_checked = $11, post_check_failed = $12,
		accepted_at = $13, due_date = $14, provisional = $15, paused_days = $16, paused_since = $17,
		decided_at = $18, visits = $19, delivery_method = $20, tracking_no = $21, pickup_window_id = $22,
		reasons = $23, result_no = $24, updated_at = $25, outcome = $26, version = version + 1
		WHERE id = $27 AND version = $28`,
		c.OrgID, zeroID(c.BoardID), c.State, c.Step, s.sealForm(c.Form), jsonText(c.Materials), jsonText(c.Corrections),
		nullable(c.OwedDue), c.Commitment, c.NeedsPostCheck, c.PostChecked, c.PostCheckFailed,
		zeroTime(c.AcceptedAt), nullable(c.DueDate), c.Provisional, c.PausedDays, zeroTime(c.PausedSince),
		zeroTime(c.DecidedAt), c.Visits, c.Delivery.Method, c.Delivery.TrackingNo, zeroID(c.Delivery.WindowID),
		jsonText(c.Reasons), c.ResultNo, c.UpdatedAt, c.Outcome, c.ID, c.Version)
	if err != nil {
		if sqldb.IsForeignKeyViolation(err) {
			return &tongban.Error{Code: tongban.EInvalid, Message: "办理机构或窗口不存在", Err: err}
		}
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Case(ctx, c.ID); err != nil {
			return err
		}
		return tongban.Errorf(tongban.EConflict, "办件 %s 已被他人更新，请刷新后重试", c.Number)
	}
	c.Version++
	return nil
}

// caseWhere turns a filter into conditions; business meaning (which states
// are "open", what "overdue" is) is the caller's.
func caseWhere(f tongban.CaseFilter) *where {
	w := &where{}
	if f.ApplicantID != 0 {
		w.add("applicant_id = ?", f.ApplicantID)
	}
	if f.OrgID != 0 {
		w.add("org_id = ?", f.OrgID)
	}
	if f.PickupWindowID != 0 {
		w.add("pickup_window_id = ?", f.PickupWindowID)
	}
	if f.BoardID != 0 {
		w.add("board_id = ?", f.BoardID)
	}
	if f.Within != "" {
		w.add("region_code LIKE ?", tongban.RegionPrefix(f.Within)+"%")
	}
	if len(f.States) > 0 {
		ph := make([]string, len(f.States))
		for i, st := range f.States {
			ph[i] = w.arg(string(st))
		}
		w.conds = append(w.conds, "state IN ("+strings.Join(ph, ", ")+")")
	}
	if len(f.Outcomes) > 0 {
		ph := make([]string, len(f.Outcomes))
		for i, o := range f.Outcomes {
			ph[i] = w.arg(string(o))
		}
		w.conds = append(w.conds, "outcome IN ("+strings.Join(ph, ", ")+")")
	}
	if f.DueBefore != "" {
		w.add("due_date < ?", f.DueBefore)
		if f.ApplicantID == 0 && f.OrgID == 0 && f.BoardID == 0 && f.PickupWindowID == 0 {
			// Implied by the line above (a dated case); it lets a region's
			// or the city's overdue list range over the dated part of
			// cases_queue_order instead of scanning every case. A named
			// department, board, window or applicant has its own index.
			w.conds = append(w.conds, queueUndated+" = 0")
		}
	}
	if f.PostCheckPending {
		w.conds = append(w.conds, "needs_post_check AND NOT post_checked")
	}
	return w
}

// queueUndated is the first key of the queue order (1 for an undated
// case), written as the expression cases_queue_order indexes
// (migration 00054): both engines match the index by this exact text.
const queueUndated = `(CASE WHEN due_date IS NULL THEN 1 ELSE 0 END)`

func (s *Store) Cases(ctx context.Context, f tongban.CaseFilter) ([]*tongban.Case, error) {
	w := caseWhere(f)
	// The queue order, undated last: cases_queue_order holds it, so a page
	// walks the index and stops instead of sorting the whole region.
	order := ` ORDER BY ` + queueUndated + `, due_date, id`
	switch {
	case f.Newest:
		order = ` ORDER BY created_at DESC, id DESC`
	case f.DueBefore != "":
		// Every case due before a day is dated, so the first key is
		// constant; without it the planner need not sort what the index
		// range already returns in order.
		order = ` ORDER BY due_date, id`
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	q := `SELECT ` + caseColumns + ` FROM cases` + w.String() + order + ` LIMIT ` + w.arg(limit) + ` OFFSET ` + w.arg(max(f.Offset, 0))
	rows, err := s.q.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Case
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, c)
	}
	return out, classify(rows.Err())
}

func (s *Store) CountCases(ctx context.Context, f tongban.CaseFilter) (int, error) {
	w := caseWhere(f)
	if f.Within != "" {
		// Implied by the LIKE (region codes are 12 digits), but an index
		// can range over it on both engines, where it cannot over a LIKE:
		// a region's total counts index entries of that region only.
		p := tongban.RegionPrefix(f.Within)
		pad := max(12-len(p), 0)
		w.add("region_code >= ?", p+strings.Repeat("0", pad))
		w.add("region_code <= ?", p+strings.Repeat("9", pad))
	}
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`+w.String(), w.args...).Scan(&n)
	return n, classify(err)
}

// ReserveCaseNumbers bumps the day's counter by n in one statement.
func (s *Store) ReserveCaseNumbers(ctx context.Context, region, day string, n int) (int, error) {
	if n < 1 {
		return 0, tongban.Errorf(tongban.EInvalid, "reserve at least one case number, not %d", n)
	}
	var last int
	err := s.db.ScanReturning(ctx, s.q, []any{&last}, `INSERT INTO case_sequences (region_code, day, n) VALUES ($1, $2, $3)
		ON CONFLICT (region_code, day) DO UPDATE SET n = case_sequences.n + $3 RETURNING n`, region, day, n)
	return last, classify(err)
}
