package store

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

const orgColumns = `id, code, name, short_name, kind, region_code, COALESCE(parent_id, 0), sector, phone, address,
	review_body, court, COALESCE(result_window_id, 0), COALESCE(credit_code, '')`

func scanOrg(row interface{ Scan(...any) error }) (*tongban.Org, error) {
	o := &tongban.Org{}
	err := row.Scan(&o.ID, &o.Code, &o.Name, &o.ShortName, &o.Kind, &o.RegionCode, &o.ParentID, &o.Sector, &o.Phone, &o.Address,
		&o.ReviewBody, &o.Court, &o.ResultWindowID, &o.CreditCode)
	return o, err
}

func (s *Store) CreateOrg(ctx context.Context, o *tongban.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	var parent any
	if o.ParentID != 0 {
		parent = o.ParentID
	}
	err := s.db.ScanReturning(ctx, s.q, []any{&o.ID}, `INSERT INTO orgs (code, name, short_name, kind, region_code, parent_id, sector, phone, address, review_body, court, credit_code)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		o.Code, o.Name, o.ShortName, o.Kind, o.RegionCode, parent, o.Sector, o.Phone, o.Address,
		o.ReviewBody, o.Court, nullable(string(o.CreditCode)))
	switch {
	case sqldb.IsUniqueViolation(err) && o.CreditCode != "":
		return &tongban.Error{Code: tongban.EConflict, Field: "code", Message: "机构代码 " + o.Code + " 或统一社会信用代码 " + string(o.CreditCode) + " 已存在"}
	case sqldb.IsUniqueViolation(err):
		return &tongban.Error{Code: tongban.EConflict, Field: "code", Message: "机构代码 " + o.Code + " 已存在"}
	case sqldb.IsForeignKeyViolation(err):
		return &tongban.Error{Code: tongban.EInvalid, Field: "region_code", Message: "所属行政区划或上级机构不存在"}
	}
	return classify(err)
}

func (s *Store) Org(ctx context.Context, id int64) (*tongban.Org, error) {
	o, err := scanOrg(s.q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "机构 %d 不存在", id)
	}
	return o, nil
}

func (s *Store) OrgByCode(ctx context.Context, code string) (*tongban.Org, error) {
	o, err := scanOrg(s.q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE code = $1`, code))
	if err != nil {
		return nil, notFound(err, "机构 %s 不存在", code)
	}
	return o, nil
}

func (s *Store) Orgs(ctx context.Context, f tongban.OrgFilter) ([]*tongban.Org, error) {
	var w where
	if f.Within != "" {
		w.add("region_code LIKE ?", tongban.RegionPrefix(f.Within)+"%")
	}
	if f.Kind != "" {
		w.add("kind = ?", string(f.Kind))
	}
	if f.Name != "" {
		w.add("(name = ? OR short_name = ?)", f.Name, f.Name)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+orgColumns+` FROM orgs`+w.String()+` ORDER BY region_code, id`, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, o)
	}
	return out, classify(rows.Err())
}

// SetResultWindow designates the hall's result window. The window must be
// one of the hall's; the rule is the directory's, the store only writes.
func (s *Store) SetResultWindow(ctx context.Context, hallID, windowID int64) error {
	var w any
	if windowID != 0 {
		w = windowID
	}
	res, err := s.q.ExecContext(ctx, `UPDATE orgs SET result_window_id = $1 WHERE id = $2`, w, hallID)
	if err != nil {
		return classify(err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return tongban.Errorf(tongban.ENotFound, "机构 %d 不存在", hallID)
	}
	return nil
}
