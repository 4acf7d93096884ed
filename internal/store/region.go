package store

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

func (s *Store) CreateRegion(ctx context.Context, r *tongban.Region) error {
	if err := r.Validate(); err != nil {
		return err
	}
	var parent any
	if r.ParentCode != "" {
		parent = r.ParentCode
	}
	_, err := s.q.ExecContext(ctx,
		`INSERT INTO regions (code, name, level, parent_code) VALUES ($1, $2, $3, $4)`,
		r.Code, r.Name, int(r.Level), parent)
	switch {
	case sqldb.IsUniqueViolation(err):
		return &tongban.Error{Code: tongban.EConflict, Field: "code", Message: "行政区划 " + r.Code + " 已存在"}
	case sqldb.IsForeignKeyViolation(err):
		return &tongban.Error{Code: tongban.EInvalid, Field: "parent_code", Message: "上级行政区划 " + r.ParentCode + " 不存在"}
	}
	return classify(err)
}

func (s *Store) Region(ctx context.Context, code string) (*tongban.Region, error) {
	r := &tongban.Region{}
	var parent *string
	err := s.q.QueryRowContext(ctx,
		`SELECT code, name, level, parent_code FROM regions WHERE code = $1`, code).
		Scan(&r.Code, &r.Name, &r.Level, &parent)
	if err != nil {
		return nil, notFound(err, "行政区划 %s 不存在", code)
	}
	if parent != nil {
		r.ParentCode = *parent
	}
	return r, nil
}

func (s *Store) Regions(ctx context.Context, within string) ([]*tongban.Region, error) {
	prefix := ""
	if within != "" {
		prefix = tongban.RegionPrefix(within)
	}
	rows, err := s.q.QueryContext(ctx,
		`SELECT code, name, level, parent_code FROM regions WHERE code LIKE $1 ORDER BY code`, prefix+"%")
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.Region
	for rows.Next() {
		r := &tongban.Region{}
		var parent *string
		if err := rows.Scan(&r.Code, &r.Name, &r.Level, &parent); err != nil {
			return nil, classify(err)
		}
		if parent != nil {
			r.ParentCode = *parent
		}
		out = append(out, r)
	}
	return out, classify(rows.Err())
}
