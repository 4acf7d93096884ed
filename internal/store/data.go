package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

const resourceColumns = `r.id, r.code, r.name, r.org_id, o.name, r.subject_kind, r.fields, r.share_condition, r.update_cycle,
	r.legal_basis, r.standards, r.pull_url, r.pull_timeout_ms, COALESCE(r.updated_by, 0), r.updated_at`

func (s *Store) SaveDataResource(ctx context.Context, r *tongban.DataResource) error {
	r.UpdatedAt = utc(r.UpdatedAt)
	err := s.db.ScanReturning(ctx, s.q, []any{&r.ID}, `INSERT INTO data_resources (code, name, org_id, subject_kind, fields, share_condition,
		update_cycle, legal_basis, standards, pull_url, pull_timeout_ms, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, org_id = excluded.org_id, subject_kind = excluded.subject_kind,
			fields = excluded.fields, share_condition = excluded.share_condition, update_cycle = excluded.update_cycle,
			legal_basis = excluded.legal_basis, standards = excluded.standards, pull_url = excluded.pull_url,
			pull_timeout_ms = excluded.pull_timeout_ms, updated_by = excluded.updated_by, updated_at = excluded.updated_at
		RETURNING id`,
		r.Code, r.Name, r.OrgID, r.Subject, jsonText(r.Fields), r.Share, r.UpdateCycle, r.LegalBasis, jsonText(r.Standards),
		r.PullURL, r.PullTimeoutMS, nullID(r.UpdatedBy), r.UpdatedAt)
	return classify(err)
}

// scanResource scans resourceColumns, then into extra any columns after them.
func scanResource(row interface{ Scan(...any) error }, extra ...any) (*tongban.DataResource, error) {
	r := &tongban.DataResource{}
	var fields, standards string
	if err := row.Scan(append([]any{&r.ID, &r.Code, &r.Name, &r.OrgID, &r.OrgName, &r.Subject, &fields, &r.Share, &r.UpdateCycle,
		&r.LegalBasis, &standards, &r.PullURL, &r.PullTimeoutMS, &r.UpdatedBy, &r.UpdatedAt}, extra...)...); err != nil {
		return nil, err
	}
	if !decodeResourceDef(r, fields, standards) {
		return nil, tongban.Errorf(tongban.EInternal, "数据资源 %s 的信息项已损坏", r.Code)
	}
	return r, nil
}

func (s *Store) DataResource(ctx context.Context, code string) (*tongban.DataResource, error) {
	r, err := scanResource(s.q.QueryRowContext(ctx, `SELECT `+resourceColumns+`
		FROM data_resources r JOIN orgs o ON o.id = r.org_id WHERE r.code = $1`, code))
	if err != nil {
		return nil, notFound(err, "数据资源 %s 不存在", code)
	}
	return r, nil
}

func (s *Store) DataResourceRecord(ctx context.Context, code string, kind tongban.SubjectKind, subject string) (*tongban.DataResource, *tongban.DataRecord, error) {
	q := s.resourceRecordRead(code, kind, subject)
	return q.read(s.q.QueryRowContext(ctx, q.sql, q.args...))
}

// resourceRecordQuery is DataResourceRecord's statement.
type resourceRecordQuery struct {
	sql  string
	args []any
	read func(sqldb.Row) (*tongban.DataResource, *tongban.DataRecord, error) // its row, as DataResourceRecord returns it
}

// resourceRecordRead is DataResourceRecord's statement, run alone or in a
// batch of claims' reads (claim_reads.go).
func (s *Store) resourceRecordRead(code string, kind tongban.SubjectKind, subject string) resourceRecordQuery {
	var index any // NULL matches no record
	if subject != "" {
		index = s.sealer.Index(subject)
	}
	return resourceRecordQuery{sql: `SELECT ` + resourceColumns + `, d.id, d.resource_id, d.subject_sealed,
			d.data_sealed, d.source, d.updated_at
		FROM data_resources r JOIN orgs o ON o.id = r.org_id
		LEFT JOIN data_records d ON d.resource_id = r.id AND r.share_condition = $2 AND r.subject_kind = $3
			AND d.subject_index = $4
		WHERE r.code = $1`, args: []any{code, tongban.ShareUnconditional, kind, index},
		read: func(row sqldb.Row) (*tongban.DataResource, *tongban.DataRecord, error) {
			var id, resourceID sql.NullInt64
			var subjectSealed, dataSealed, source sql.NullString
			var updated sql.NullTime
			r, err := scanResource(row, &id, &resourceID, &subjectSealed, &dataSealed, &source, &updated)
			if err != nil {
				return nil, nil, notFound(err, "数据资源 %s 不存在", code)
			}
			if !id.Valid {
				return r, nil, nil
			}
			rec := &tongban.DataRecord{ID: id.Int64, ResourceID: resourceID.Int64, Source: source.String, UpdatedAt: updated.Time}
			if err := s.openRecord(rec, subjectSealed.String, dataSealed.String); err != nil {
				return nil, nil, err
			}
			return r, rec, nil
		}}
}

func (s *Store) DataResources(ctx context.Context) ([]*tongban.DataResource, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+resourceColumns+` FROM data_resources r JOIN orgs o ON o.id = r.org_id ORDER BY r.code`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.DataResource
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, r)
	}
	return out, classify(rows.Err())
}

// maskSubject masks an ID number or credit code for the record's row.
func maskSubject(subject string) string {
	if id, err := tongban.ParseIDNumber(subject); err == nil {
		return id.Masked()
	}
	if len(subject) > 8 {
		return subject[:4] + "**********" + subject[len(subject)-4:]
	}
	return "****"
}

func (s *Store) PutDataRecords(ctx context.Context, resourceID int64, recs []*tongban.DataRecord, remove []string) (int, error) {
	before, err := s.CountDataRecords(ctx, resourceID)
	if err != nil {
		return 0, err
	}
	for _, rec := range recs {
		data, err := json.Marshal(rec.Data)
		if err != nil {
			return 0, tongban.Wrap(tongban.EInternal, err, "数据记录无法编码")
		}
		rec.ResourceID, rec.UpdatedAt = resourceID, utc(rec.UpdatedAt)
		err = s.db.ScanReturning(ctx, s.q, []any{&rec.ID}, `INSERT INTO data_records
			(resource_id, subject_index, subject_sealed, subject_masked, data_sealed, source, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (resource_id, subject_index) DO UPDATE SET subject_sealed = excluded.subject_sealed,
				data_sealed = excluded.data_sealed, source = excluded.source, updated_at = excluded.updated_at
			RETURNING id`,
			resourceID, s.sealer.Index(rec.Subject), s.sealer.Seal(rec.Subject), maskSubject(rec.Subject),
			s.sealer.Seal(string(data)), rec.Source, rec.UpdatedAt)
		if err != nil {
			return 0, classify(err)
		}
	}
	after, err := s.CountDataRecords(ctx, resourceID)
	if err != nil {
		return 0, err
	}
	for _, subject := range remove {
		if _, err := s.q.ExecContext(ctx, `DELETE FROM data_records WHERE resource_id = $1 AND subject_index = $2`,
			resourceID, s.sealer.Index(subject)); err != nil {
			return 0, classify(err)
		}
	}
	return after - before, nil
}

const recordColumns = `id, resource_id, subject_sealed, data_sealed, source, updated_at`

func (s *Store) scanRecord(row interface{ Scan(...any) error }) (*tongban.DataRecord, error) {
	r := &tongban.DataRecord{}
	var subject, data string
	if err := row.Scan(&r.ID, &r.ResourceID, &subject, &data, &r.Source, &r.UpdatedAt); err != nil {
		return nil, err
	}
	if err := s.openRecord(r, subject, data); err != nil {
		return nil, err
	}
	return r, nil
}

// openRecord unseals a record's subject and data into r.
func (s *Store) openRecord(r *tongban.DataRecord, subject, data string) error {
	var err error
	if r.Subject, err = s.sealer.Open(subject); err != nil {
		return tongban.Wrap(tongban.EInternal, err, "无法解密数据记录 %d", r.ID)
	}
	plain, err := s.sealer.Open(data)
	if err != nil || json.Unmarshal([]byte(plain), &r.Data) != nil {
		return tongban.Errorf(tongban.EInternal, "无法解密数据记录 %d", r.ID)
	}
	return nil
}

func (s *Store) DataRecord(ctx context.Context, resourceID int64, subject string) (*tongban.DataRecord, error) {
	r, err := s.scanRecord(s.q.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM data_records
		WHERE resource_id = $1 AND subject_index = $2`, resourceID, s.sealer.Index(subject)))
	if err != nil {
		return nil, notFound(err, "没有该数据记录")
	}
	return r, nil
}

func (s *Store) DataRecordByID(ctx context.Context, id int64) (*tongban.DataRecord, error) {
	r, err := s.scanRecord(s.q.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM data_records WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "没有该数据记录")
	}
	return r, nil
}

func (s *Store) CountDataRecords(ctx context.Context, resourceID int64) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM data_records WHERE resource_id = $1`, resourceID).Scan(&n)
	return n, classify(err)
}

const consentColumns = `id, subject_id, resource_code, listing_id, purpose, granted_at, COALESCE(granted_by, 0), expires_at,
	case_number, used_at, revoked_at`

func (s *Store) AddConsent(ctx context.Context, c *tongban.Consent) error {
	c.GrantedAt, c.ExpiresAt = utc(c.GrantedAt), utc(c.ExpiresAt)
	err := s.db.ScanReturning(ctx, s.q, []any{&c.ID}, `INSERT INTO data_consents (subject_id, resource_code, listing_id, purpose, granted_at,
		granted_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		c.SubjectID, c.ResourceCode, c.ListingID, c.Purpose, c.GrantedAt, nullID(c.GrantedBy), c.ExpiresAt)
	return classify(err)
}

func scanConsent(row interface{ Scan(...any) error }) (*tongban.Consent, error) {
	c := &tongban.Consent{}
	var used, revoked sql.NullTime
	if err := row.Scan(&c.ID, &c.SubjectID, &c.ResourceCode, &c.ListingID, &c.Purpose, &c.GrantedAt, &c.GrantedBy,
		&c.ExpiresAt, &c.CaseNumber, &used, &revoked); err != nil {
		return nil, err
	}
	c.UsedAt, c.RevokedAt = used.Time, revoked.Time
	return c, nil
}

func (s *Store) Consents(ctx context.Context, subjectID int64) ([]*tongban.Consent, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+consentColumns+` FROM data_consents WHERE subject_id = $1
		ORDER BY granted_at DESC, id DESC`, subjectID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Consent
	for rows.Next() {
		c, err := scanConsent(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, c)
	}
	return out, classify(rows.Err())
}

func (s *Store) OpenConsent(ctx context.Context, subjectID int64, resourceCode string, listingID int64, now time.Time) (*tongban.Consent, error) {
	c, err := scanConsent(s.q.QueryRowContext(ctx, `SELECT `+consentColumns+` FROM data_consents
		WHERE subject_id = $1 AND resource_code = $2 AND listing_id = $3 AND case_number = '' AND revoked_at IS NULL
		  AND expires_at > $4 ORDER BY granted_at DESC, id DESC LIMIT 1`+s.db.ForUpdate(),
		subjectID, resourceCode, listingID, utc(now)))
	if err != nil {
		return nil, notFound(err, "没有可用的授权")
	}
	return c, nil
}

func (s *Store) UseConsent(ctx context.Context, id int64, caseNumber string, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE data_consents SET case_number = $1, used_at = $2
		WHERE id = $3 AND case_number = '' AND revoked_at IS NULL`, caseNumber, utc(at), id)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.EConflict, "该授权已被使用或已撤回")
	}
	return nil
}

func (s *Store) RevokeConsent(ctx context.Context, subjectID, id int64, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE data_consents SET revoked_at = $1
		WHERE id = $2 AND subject_id = $3 AND case_number = '' AND revoked_at IS NULL`, utc(at), id, subjectID)
	return oneRow(res, err, "没有可撤回的授权 %d", id)
}
