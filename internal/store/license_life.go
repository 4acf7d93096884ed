package store

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// licenseSource stores an unset source as issued.
func licenseSource(s tongban.LicenseSource) tongban.LicenseSource {
	if s == "" {
		return tongban.LicenseIssued
	}
	return s
}

// LicensesOfIssuer walks the primary key from the newest licence (ids grow
// with creation): no index by issuer, which every issue paid for and only
// this console list used (migration 00060). An issuer with few licences
// among many others' makes the walk long; the page is rare.
func (s *Store) LicensesOfIssuer(ctx context.Context, issuerID int64, limit int) ([]*tongban.License, error) {
	return s.queryLicenses(ctx, `SELECT `+licenseColumns+` FROM licenses WHERE issuer_id = $1
		ORDER BY id DESC LIMIT $2`, issuerID, limit)
}

// queryLicenses runs a query selecting licenseColumns.
func (s *Store) queryLicenses(ctx context.Context, query string, args ...any) ([]*tongban.License, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.License
	for rows.Next() {
		l, err := s.scanLicense(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, classify(rows.Err())
}

func (s *Store) LicenseNumberTaken(ctx context.Context, typeCode, number string) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM licenses WHERE type_code = $1 AND number = $2`, typeCode, number).Scan(&n)
	return n > 0, classify(err)
}

func (s *Store) SetLicenseStatus(ctx context.Context, id int64, status tongban.LicenseStatus, reason string, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE licenses SET status = $1, status_reason = $2, status_at = $3
		WHERE id = $4 AND status = $5`, status, reason, utc(at), id, tongban.LicenseValid)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.EConflict, "电子证照已不是有效状态")
	}
	return nil
}

func (s *Store) RetireSealKey(ctx context.Context, id string, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE seal_keys SET retired_at = $1 WHERE id = $2 AND retired_at IS NULL`, utc(at), id)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.EConflict, "印章密钥 %s 已轮换", id)
	}
	return nil
}
