package store

import (
	"context"
	"encoding/json"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

const standardColumns = `code, name, category, issuer, aliases, reusable, valid_months, license_type, retired, note,
	COALESCE(updated_by, 0), updated_at`

func (s *Store) SaveStandardMaterial(ctx context.Context, m *tongban.StandardMaterial) error {
	m.UpdatedAt = utc(m.UpdatedAt)
	_, err := s.q.ExecContext(ctx, `INSERT INTO standard_materials (code, name, category, issuer, aliases, reusable, valid_months,
		license_type, retired, note, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, category = excluded.category, issuer = excluded.issuer,
			aliases = excluded.aliases, reusable = excluded.reusable, valid_months = excluded.valid_months,
			license_type = excluded.license_type, retired = excluded.retired, note = excluded.note,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		m.Code, m.Name, m.Category, m.Issuer, jsonText(m.Aliases), m.Reusable, m.ValidMonths, m.LicenseType, m.Retired,
		m.Note, nullID(m.UpdatedBy), m.UpdatedAt)
	if sqldb.IsUniqueViolation(err) {
		return &tongban.Error{Code: tongban.EConflict, Field: "name", Message: "已有同名的标准材料：" + m.Name, Err: err}
	}
	return classify(err)
}

func scanStandard(row interface{ Scan(...any) error }) (*tongban.StandardMaterial, error) {
	m := &tongban.StandardMaterial{}
	var aliases string
	if err := row.Scan(&m.Code, &m.Name, &m.Category, &m.Issuer, &aliases, &m.Reusable, &m.ValidMonths,
		&m.LicenseType, &m.Retired, &m.Note, &m.UpdatedBy, &m.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(aliases), &m.Aliases); err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "标准材料 %s 的别名已损坏", m.Code)
	}
	return m, nil
}

func (s *Store) StandardMaterial(ctx context.Context, code string) (*tongban.StandardMaterial, error) {
	m, err := scanStandard(s.q.QueryRowContext(ctx, `SELECT `+standardColumns+` FROM standard_materials WHERE code = $1`, code))
	if err != nil {
		return nil, notFound(err, "标准材料 %s 不存在", code)
	}
	return m, nil
}

func (s *Store) StandardMaterials(ctx context.Context) ([]*tongban.StandardMaterial, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+standardColumns+` FROM standard_materials ORDER BY code`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.StandardMaterial
	for rows.Next() {
		m, err := scanStandard(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, m)
	}
	return out, classify(rows.Err())
}
