package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

func (s *Store) CreateLicenseLink(ctx context.Context, l *tongban.LicenseLink) error {
	err := s.db.ScanReturning(ctx, s.q, []any{&l.ID}, `INSERT INTO license_links (token, license_id, kind, purpose, expires_at, revoked_at,
		created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		l.Token, l.LicenseID, l.Kind, l.Purpose, zeroTime(l.ExpiresAt), zeroTime(l.RevokedAt), zeroID(l.CreatedBy),
		utc(l.CreatedAt))
	if sqldb.IsUniqueViolation(err) {
		return tongban.Errorf(tongban.EConflict, "该电子证照的链接已存在")
	}
	return classify(err)
}

const licenseLinkColumns = `k.id, k.token, k.license_id, l.identifier, k.kind, k.purpose, k.expires_at, k.revoked_at,
	COALESCE(k.created_by, 0), k.created_at`

func scanLicenseLink(row interface{ Scan(...any) error }) (*tongban.LicenseLink, error) {
	l, dest, finish := licenseLinkScanner()
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	finish()
	return l, nil
}

// licenseLinkScanner is the destinations of licenseLinkColumns and what
// completes the link once they are scanned.
func licenseLinkScanner() (*tongban.LicenseLink, []any, func()) {
	l := &tongban.LicenseLink{}
	var expires, revoked sql.NullTime
	dest := []any{&l.ID, &l.Token, &l.LicenseID, &l.Identifier, &l.Kind, &l.Purpose, &expires, &revoked, &l.CreatedBy, &l.CreatedAt}
	return l, dest, func() {
		if expires.Valid {
			l.ExpiresAt = expires.Time.UTC()
		}
		if revoked.Valid {
			l.RevokedAt = revoked.Time.UTC()
		}
		l.CreatedAt = l.CreatedAt.UTC()
	}
}

// licenseColumnsOfL is licenseColumns, in its order, of the licences
// table aliased l.
const licenseColumnsOfL = `l.id, l.identifier, l.type_code, l.type_name, l.number, l.issuer_id, l.issuer_name, l.issuer_code,
	l.issued_on, l.valid_from, l.valid_to, l.holder_id, l.holder_name, l.holder_kind, l.holder_code_sealed, l.holder_code_masked,
	l.region_code, l.status, l.version, l.face, COALESCE(l.case_id, 0), l.key_id, l.signature, l.created_at, l.source,
	l.replaces, l.status_reason, l.status_at, l.face_sealed`

// LicenseLinkWithMisses is LicenseLinkWithLicense with the count of
// failures recorded under missKey since then, in the same statement: the
// verify page's limiter and its read in one round trip. An unknown token
// is ENotFound (the caller then counts the misses itself). Outside a
// transaction a link read before is taken from memory when its stamp
// shows it and its licence unchanged (linkCache: never stale, a narrow
// statement instead of the licence's forty columns and their opening).
func (s *Store) LicenseLinkWithMisses(ctx context.Context, token, missKey string, since time.Time) (int, *tongban.LicenseLink, *tongban.License, error) {
	cache := s.links != nil && !s.inTx
	if cache {
		if misses, k, l, ok, err := s.cachedLinkWithMisses(ctx, token, missKey, since); ok || err != nil {
			return misses, k, l, err
		}
	}
	var misses int
	k, kdest, kfinish := licenseLinkScanner()
	l, ldest, lfinish, stored := s.licenseScannerStored()
	err := s.q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM login_failures WHERE key = $2 AND at > $3), `+
		licenseLinkColumns+`, `+licenseColumnsOfL+` FROM license_links k
		JOIN licenses l ON l.id = k.license_id WHERE k.token = $1`, token, missKey, utc(since)).
		Scan(append(append([]any{&misses}, kdest...), ldest...)...)
	if err != nil {
		return 0, nil, nil, notFound(err, "核验码不存在")
	}
	kfinish()
	if err := lfinish(); err != nil {
		return 0, nil, nil, err
	}
	if cache {
		putLink(s.links, linkStamp{linkID: k.ID, revoked: k.RevokedAt, expires: k.ExpiresAt, licence: licenceStampOf(l, stored)}, k, l)
	}
	return misses, k, l, nil
}

// LicenseLinkWithLicense reads a link and its licence in one statement:
// the verify page's one read (a second round trip cost as much as the
// rest of the page on PostgreSQL).
func (s *Store) LicenseLinkWithLicense(ctx context.Context, token string) (*tongban.LicenseLink, *tongban.License, error) {
	k, kdest, kfinish := licenseLinkScanner()
	l, ldest, lfinish := s.licenseScanner()
	err := s.q.QueryRowContext(ctx, `SELECT `+licenseLinkColumns+`, `+licenseColumnsOfL+` FROM license_links k
		JOIN licenses l ON l.id = k.license_id WHERE k.token = $1`, token).Scan(append(kdest, ldest...)...)
	if err != nil {
		return nil, nil, notFound(err, "核验码不存在")
	}
	kfinish()
	return k, l, lfinish()
}

func (s *Store) FaceLink(ctx context.Context, licenseID int64) (*tongban.LicenseLink, error) {
	l, err := scanLicenseLink(s.q.QueryRowContext(ctx, `SELECT `+licenseLinkColumns+` FROM license_links k
		JOIN licenses l ON l.id = k.license_id WHERE k.license_id = $1 AND k.kind = $2`, licenseID, tongban.LinkFace))
	if err != nil {
		return nil, notFound(err, "该电子证照尚无核验码")
	}
	return l, nil
}

func (s *Store) LicenseLinkByToken(ctx context.Context, token string) (*tongban.LicenseLink, error) {
	l, err := scanLicenseLink(s.q.QueryRowContext(ctx, `SELECT `+licenseLinkColumns+` FROM license_links k
		JOIN licenses l ON l.id = k.license_id WHERE k.token = $1`, token))
	if err != nil {
		return nil, notFound(err, "核验码不存在")
	}
	return l, nil
}

func (s *Store) ShareLinks(ctx context.Context, licenseID int64) ([]*tongban.LicenseLink, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+licenseLinkColumns+` FROM license_links k
		JOIN licenses l ON l.id = k.license_id WHERE k.license_id = $1 AND k.kind = $2
		ORDER BY k.created_at DESC, k.id DESC`, licenseID, tongban.LinkShare)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.LicenseLink
	for rows.Next() {
		l, err := scanLicenseLink(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, classify(rows.Err())
}

func (s *Store) RevokeShareLink(ctx context.Context, licenseID, linkID int64, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE license_links SET revoked_at = $1
		WHERE id = $2 AND license_id = $3 AND kind = $4 AND revoked_at IS NULL`, utc(at), linkID, licenseID, tongban.LinkShare)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, "没有该加注件，或已撤销")
	}
	return nil
}

func (s *Store) RecordLicenseVisit(ctx context.Context, v *tongban.LicenseVisit) error {
	err := s.db.ScanReturning(ctx, s.q, []any{&v.ID}, `INSERT INTO license_visits (link_id, license_id, kind, outcome, at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, v.LinkID, v.LicenseID, v.Kind, v.Outcome, utc(v.At))
	return classify(err)
}

// RecordLicenseVisits writes vs in one statement. Each number of visits
// is a text of its own, prepared once; the visit log writes powers of two
// so that they stay few.
func (s *Store) RecordLicenseVisits(ctx context.Context, vs []*tongban.LicenseVisit) error {
	if len(vs) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO license_visits (link_id, license_id, kind, outcome, at) VALUES `)
	args := make([]any, 0, 5*len(vs))
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		s.writeRow(&b, len(args)+1, 5)
		args = append(args, v.LinkID, v.LicenseID, v.Kind, v.Outcome, utc(v.At))
	}
	_, err := s.q.ExecContext(ctx, b.String(), args...)
	return classify(err)
}

func (s *Store) LicenseVisits(ctx context.Context, licenseID int64, limit int) ([]*tongban.LicenseVisit, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, link_id, license_id, kind, outcome, at FROM license_visits
		WHERE license_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, licenseID, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.LicenseVisit
	for rows.Next() {
		v := &tongban.LicenseVisit{}
		if err := rows.Scan(&v.ID, &v.LinkID, &v.LicenseID, &v.Kind, &v.Outcome, &v.At); err != nil {
			return nil, err
		}
		v.At = v.At.UTC()
		out = append(out, v)
	}
	return out, classify(rows.Err())
}

func (s *Store) CreateLicenseConsent(ctx context.Context, c *tongban.LicenseConsent) error {
	if err := s.countHeld(ctx, []*tongban.LicenseConsent{c}); err != nil {
		return err
	}
	err := s.db.ScanReturning(ctx, s.q, []any{&c.ID}, `INSERT INTO license_consents (license_id, identifier, version, holder_id, case_number,
		reason, given_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		c.LicenseID, c.Identifier, c.Version, c.HolderID, c.CaseNumber, c.Reason, zeroID(c.GivenBy), utc(c.CreatedAt))
	return classify(err)
}

func (s *Store) LicenseConsents(ctx context.Context, licenseID int64) ([]*tongban.LicenseConsent, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, license_id, identifier, version, holder_id, case_number, reason,
		COALESCE(given_by, 0), created_at FROM license_consents WHERE license_id = $1 ORDER BY created_at DESC, id DESC`, licenseID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.LicenseConsent
	for rows.Next() {
		c := &tongban.LicenseConsent{}
		if err := rows.Scan(&c.ID, &c.LicenseID, &c.Identifier, &c.Version, &c.HolderID, &c.CaseNumber, &c.Reason,
			&c.GivenBy, &c.CreatedAt); err != nil {
			return nil, err
		}
		c.CreatedAt = c.CreatedAt.UTC()
		out = append(out, c)
	}
	return out, classify(rows.Err())
}
