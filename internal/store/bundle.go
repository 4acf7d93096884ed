package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// A bundle definition is one JSON body (components, situations, fields are
// always read and written whole); the columns lists filter on are real.

func (s *Store) SaveBundle(ctx context.Context, b *tongban.Bundle) error {
	b.UpdatedAt = utc(b.UpdatedAt)
	if !b.PublishedAt.IsZero() {
		b.PublishedAt = utc(b.PublishedAt)
	}
	prev := b.Version
	b.Version++
	body, err := json.Marshal(b)
	if err != nil {
		b.Version = prev
		return tongban.Wrap(tongban.EInternal, err, "一件事无法保存")
	}
	if b.ID == 0 {
		err = s.db.ScanReturning(ctx, s.q, []any{&b.ID}, `INSERT INTO bundles (code, name, status, version, lead_org_id, body, updated_at, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			b.Code, b.Name, b.Status, b.Version, b.LeadOrgID, "{}", b.UpdatedAt, zeroTime(b.PublishedAt))
		if err == nil {
			// The body carries the ID, known only now.
			if body, err = json.Marshal(b); err == nil {
				_, err = s.q.ExecContext(ctx, `UPDATE bundles SET body = $1 WHERE id = $2`, string(body), b.ID)
			}
		}
	} else {
		var res sql.Result
		res, err = s.q.ExecContext(ctx, `UPDATE bundles SET code = $1, name = $2, status = $3, version = $4,
			lead_org_id = $5, body = $6, updated_at = $7, published_at = $8, pending = ''
			WHERE id = $9 AND version = $10 AND pending_rev = $11`,
			b.Code, b.Name, b.Status, b.Version, b.LeadOrgID, string(body), b.UpdatedAt, zeroTime(b.PublishedAt), b.ID, prev, b.PendingRev)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				b.Version = prev
				if _, err := s.Bundle(ctx, b.ID); err != nil {
					return err
				}
				return tongban.Errorf(tongban.EConflict, "一件事「%s」已被他人更新，请刷新后重试", b.Name)
			}
		}
	}
	if err == nil {
		_, err = s.q.ExecContext(ctx, `INSERT INTO bundle_versions (bundle_id, version, status, body, saved_at)
			VALUES ($1, $2, $3, $4, $5)`, b.ID, b.Version, b.Status, string(body), b.UpdatedAt)
	}
	switch {
	case err == nil:
		return nil
	case sqldb.IsUniqueViolation(err):
		b.Version = prev
		return &tongban.Error{Code: tongban.EConflict, Field: "code", Message: "一件事编码已被使用：" + b.Code, Err: err}
	case sqldb.IsForeignKeyViolation(err):
		b.Version = prev
		return &tongban.Error{Code: tongban.EInvalid, Field: "lead_org_code", Message: "牵头部门不存在", Err: err}
	}
	b.Version = prev
	return classify(err)
}

// SaveBundlePending writes the draft beside the live body, which it leaves
// as it is (so applicants, the search index's updated_at poll and
// bundle_versions see nothing until the draft is published).
func (s *Store) SaveBundlePending(ctx context.Context, b *tongban.Bundle) error {
	pending := ""
	if b.Pending != nil {
		data, err := json.Marshal(b.Pending)
		if err != nil {
			return tongban.Wrap(tongban.EInternal, err, "一件事草稿无法保存")
		}
		pending = string(data)
	}
	res, err := s.q.ExecContext(ctx, `UPDATE bundles SET pending = $1, pending_rev = pending_rev + 1
		WHERE id = $2 AND version = $3 AND pending_rev = $4`, pending, b.ID, b.Version, b.PendingRev)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Bundle(ctx, b.ID); err != nil {
			return err
		}
		return tongban.Errorf(tongban.EConflict, "一件事「%s」已被他人更新，请刷新后重试", b.Name)
	}
	b.PendingRev++
	return nil
}

func scanBundleBody(row interface{ Scan(...any) error }) (*tongban.Bundle, error) {
	var body string
	if err := row.Scan(&body); err != nil {
		return nil, err
	}
	return decodeBundle(body)
}

func decodeBundle(body string) (*tongban.Bundle, error) {
	b := &tongban.Bundle{}
	if err := json.Unmarshal([]byte(body), b); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "一件事的数据已损坏")
	}
	return b, nil
}

// bundleRowColumns are the live body with the draft kept beside it.
const bundleRowColumns = `body, pending, pending_rev`

func scanBundleRow(row interface{ Scan(...any) error }) (*tongban.Bundle, error) {
	var body, pending string
	var rev int
	if err := row.Scan(&body, &pending, &rev); err != nil {
		return nil, err
	}
	b, err := decodeBundle(body)
	if err != nil {
		return nil, err
	}
	b.PendingRev = rev
	if pending != "" {
		if b.Pending, err = decodeBundle(pending); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (s *Store) Bundle(ctx context.Context, id int64) (*tongban.Bundle, error) {
	b, err := scanBundleRow(s.q.QueryRowContext(ctx, `SELECT `+bundleRowColumns+` FROM bundles WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "一件事 %d 不存在", id)
	}
	return b, nil
}

func (s *Store) BundleByCode(ctx context.Context, code string) (*tongban.Bundle, error) {
	b, err := scanBundleRow(s.q.QueryRowContext(ctx, `SELECT `+bundleRowColumns+` FROM bundles WHERE code = $1`, code))
	if err != nil {
		return nil, notFound(err, "一件事 %s 不存在", code)
	}
	return b, nil
}

func (s *Store) BundleVersion(ctx context.Context, id int64, version int) (*tongban.Bundle, error) {
	b, err := scanBundleBody(s.q.QueryRowContext(ctx,
		`SELECT body FROM bundle_versions WHERE bundle_id = $1 AND version = $2`, id, version))
	if err != nil {
		return nil, notFound(err, "一件事 %d 没有第 %d 版", id, version)
	}
	return b, nil
}

func (s *Store) Bundles(ctx context.Context, f tongban.BundleFilter) ([]*tongban.Bundle, error) {
	q, args := `SELECT `+bundleRowColumns+` FROM bundles`, []any{}
	if f.Status != "" {
		q, args = q+` WHERE status = $1`, append(args, f.Status)
	}
	rows, err := s.q.QueryContext(ctx, q+` ORDER BY code`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Bundle
	for rows.Next() {
		b, err := scanBundleRow(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, b)
	}
	return out, classify(rows.Err())
}

const bundleCaseColumns = `id, number, bundle_id, bundle_version, bundle_name, lead_org_id, region_code, applicant_id,
	applicant_name, channel, answers, form, materials, delivery, separate, COALESCE(idempotency_key, ''),
	created_at, updated_at, version`

func (s *Store) CreateBundleCase(ctx context.Context, bc *tongban.BundleCase) error {
	if bc.Version == 0 {
		bc.Version = 1
	}
	bc.CreatedAt, bc.UpdatedAt = utc(bc.CreatedAt), utc(bc.UpdatedAt)
	answers, _ := json.Marshal(bc.Answers)
	if bc.Answers == nil {
		answers = []byte("{}")
	}
	err := s.db.ScanReturning(ctx, s.q, []any{&bc.ID}, `INSERT INTO bundle_cases (number, bundle_id, bundle_version, bundle_name, lead_org_id,
		region_code, applicant_id, applicant_name, channel, answers, form, materials, delivery, separate, idempotency_key,
		created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
		bc.Number, bc.BundleID, bc.BundleVersion, bc.BundleName, bc.LeadOrgID, bc.RegionCode, bc.ApplicantID,
		bc.ApplicantName, bc.Channel, string(answers), s.sealForm(bc.Form), jsonText(bc.Materials), bc.Delivery,
		bc.Separate, nullable(bc.IdempotencyKey), bc.CreatedAt, bc.UpdatedAt, bc.Version)
	switch {
	case sqldb.IsUniqueViolation(err) && !isNumberViolation(err):
		return &tongban.Error{Code: tongban.EConflict, Field: "idempotency_key", Message: "该申请已提交过", Err: err}
	case sqldb.IsUniqueViolation(err):
		return &tongban.Error{Code: tongban.EConflict, Field: "number", Message: "办件编号 " + bc.Number + " 已存在", Err: err}
	case sqldb.IsForeignKeyViolation(err):
		return &tongban.Error{Code: tongban.EInvalid, Message: "一件事、牵头部门或申请人不存在", Err: err}
	case err != nil:
		return classify(err)
	}
	for i, sc := range bc.Subs {
		sc.Position = i
		if _, err := s.q.ExecContext(ctx, `INSERT INTO bundle_subcases (bundle_case_id, component, position, name,
			listing_id, listing_version, org_id, org_name, number, case_id, status, reason, after, spared)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			bc.ID, sc.Component, i, sc.Name, sc.ListingID, sc.ListingVersion, sc.OrgID, sc.OrgName, sc.Number,
			zeroID(sc.CaseID), sc.Status, sc.Reason, jsonText(sc.After), jsonText(sc.Spared)); err != nil {
			if sqldb.IsUniqueViolation(err) {
				return &tongban.Error{Code: tongban.EConflict, Field: "number", Message: "子办件编号 " + sc.Number + " 已存在", Err: err}
			}
			return classify(err)
		}
	}
	return nil
}

// isNumberViolation tells the number's unique index from the key's.
func isNumberViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "bundle_cases.number") || strings.Contains(msg, "bundle_cases_number_key")
}

func (s *Store) scanBundleCase(row interface{ Scan(...any) error }) (*tongban.BundleCase, error) {
	bc := &tongban.BundleCase{}
	var answers, form, materials string
	if err := row.Scan(&bc.ID, &bc.Number, &bc.BundleID, &bc.BundleVersion, &bc.BundleName, &bc.LeadOrgID,
		&bc.RegionCode, &bc.ApplicantID, &bc.ApplicantName, &bc.Channel, &answers, &form, &materials, &bc.Delivery,
		&bc.Separate, &bc.IdempotencyKey, &bc.CreatedAt, &bc.UpdatedAt, &bc.Version); err != nil {
		return nil, err
	}
	var err error
	if bc.Form, err = s.openForm(form); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "一件事办件 %s 的申请表无法解密", bc.Number)
	}
	if err := json.Unmarshal([]byte(answers), &bc.Answers); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "一件事办件 %s 的数据已损坏", bc.Number)
	}
	if err := json.Unmarshal([]byte(materials), &bc.Materials); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "一件事办件 %s 的数据已损坏", bc.Number)
	}
	if len(bc.Answers) == 0 {
		bc.Answers = nil
	}
	if len(bc.Materials) == 0 {
		bc.Materials = nil
	}
	return bc, nil
}

func (s *Store) withSubs(ctx context.Context, bc *tongban.BundleCase) (*tongban.BundleCase, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT component, position, name, listing_id, listing_version, org_id, org_name,
		number, COALESCE(case_id, 0), status, reason, after, spared FROM bundle_subcases WHERE bundle_case_id = $1 ORDER BY position`, bc.ID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	bc.Subs = nil
	for rows.Next() {
		sc := &tongban.SubCase{}
		var after, spared string
		if err := rows.Scan(&sc.Component, &sc.Position, &sc.Name, &sc.ListingID, &sc.ListingVersion, &sc.OrgID,
			&sc.OrgName, &sc.Number, &sc.CaseID, &sc.Status, &sc.Reason, &after, &spared); err != nil {
			return nil, classify(err)
		}
		if err := json.Unmarshal([]byte(after), &sc.After); err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "一件事办件 %s 的数据已损坏", bc.Number)
		}
		if err := json.Unmarshal([]byte(spared), &sc.Spared); err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "一件事办件 %s 的数据已损坏", bc.Number)
		}
		if len(sc.After) == 0 {
			sc.After = nil
		}
		if len(sc.Spared) == 0 {
			sc.Spared = nil
		}
		bc.Subs = append(bc.Subs, sc)
	}
	return bc, classify(rows.Err())
}

func (s *Store) bundleCaseWhere(ctx context.Context, cond string, arg any, what string) (*tongban.BundleCase, error) {
	bc, err := s.scanBundleCase(s.q.QueryRowContext(ctx, `SELECT `+bundleCaseColumns+` FROM bundle_cases WHERE `+cond, arg))
	if err != nil {
		return nil, notFound(err, "一件事办件 %s 不存在", what)
	}
	return s.withSubs(ctx, bc)
}

func (s *Store) BundleCase(ctx context.Context, id int64) (*tongban.BundleCase, error) {
	return s.bundleCaseWhere(ctx, `id = $1`, id, strconv.FormatInt(id, 10))
}

// BundleCaseForUpdate locks the parent row on PostgreSQL; SQLite's write
// transactions are exclusive from their start.
func (s *Store) BundleCaseForUpdate(ctx context.Context, id int64) (*tongban.BundleCase, error) {
	return s.bundleCaseWhere(ctx, `id = $1`+s.db.ForUpdate(), id, strconv.FormatInt(id, 10))
}

func (s *Store) BundleCaseByNumber(ctx context.Context, number string) (*tongban.BundleCase, error) {
	return s.bundleCaseWhere(ctx, `number = $1`, number, number)
}

func (s *Store) BundleCaseByIdempotencyKey(ctx context.Context, applicantID int64, key string) (*tongban.BundleCase, error) {
	bc, err := s.scanBundleCase(s.q.QueryRowContext(ctx, `SELECT `+bundleCaseColumns+` FROM bundle_cases
		WHERE applicant_id = $1 AND idempotency_key = $2`, applicantID, key))
	if err != nil {
		return nil, notFound(err, "没有使用该幂等键的申请")
	}
	return s.withSubs(ctx, bc)
}

func (s *Store) BundleCaseOf(ctx context.Context, caseID int64) (*tongban.BundleCase, error) {
	var id int64
	if err := s.q.QueryRowContext(ctx, `SELECT bundle_case_id FROM bundle_subcases WHERE case_id = $1`, caseID).Scan(&id); err != nil {
		return nil, notFound(err, "办件 %d 不属于一件事", caseID)
	}
	return s.BundleCase(ctx, id)
}

func (s *Store) UpdateBundleCase(ctx context.Context, bc *tongban.BundleCase) error {
	bc.UpdatedAt = utc(bc.UpdatedAt)
	res, err := s.q.ExecContext(ctx, `UPDATE bundle_cases SET materials = $1, delivery = $2, separate = $3,
		updated_at = $4, version = version + 1 WHERE id = $5 AND version = $6`,
		jsonText(bc.Materials), bc.Delivery, bc.Separate, bc.UpdatedAt, bc.ID, bc.Version)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.BundleCase(ctx, bc.ID); err != nil {
			return err
		}
		return tongban.Errorf(tongban.EConflict, "一件事办件 %s 已被他人更新，请刷新后重试", bc.Number)
	}
	for _, sc := range bc.Subs {
		if _, err := s.q.ExecContext(ctx, `UPDATE bundle_subcases SET case_id = $1, status = $2, reason = $3
			WHERE bundle_case_id = $4 AND component = $5`, zeroID(sc.CaseID), sc.Status, sc.Reason, bc.ID, sc.Component); err != nil {
			return classify(err)
		}
	}
	bc.Version++
	return nil
}

func (s *Store) BundleCases(ctx context.Context, f tongban.BundleCaseFilter) ([]*tongban.BundleCase, error) {
	w := &where{}
	if f.BundleID != 0 {
		w.add("bundle_id = ?", f.BundleID)
	}
	if f.ApplicantID != 0 {
		w.add("applicant_id = ?", f.ApplicantID)
	}
	if f.LeadOrgID != 0 {
		w.add("lead_org_id = ?", f.LeadOrgID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+bundleCaseColumns+` FROM bundle_cases`+w.String()+
		` ORDER BY created_at DESC, id DESC LIMIT `+itoa(limit), w.args...)
	if err != nil {
		return nil, classify(err)
	}
	var out []*tongban.BundleCase
	for rows.Next() {
		bc, err := s.scanBundleCase(rows)
		if err != nil {
			rows.Close()
			return nil, classify(err)
		}
		out = append(out, bc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	for _, bc := range out {
		if _, err := s.withSubs(ctx, bc); err != nil {
			return nil, err
		}
	}
	return out, nil
}
