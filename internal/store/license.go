package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

func (s *Store) PutLicenseType(ctx context.Context, t *tongban.LicenseType) error {
	if err := t.Validate(); err != nil {
		return err
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO license_types (code, name, issuer_kind, holder_kind, valid_years, fields)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (code) DO UPDATE SET name = $2, issuer_kind = $3, holder_kind = $4, valid_years = $5, fields = $6`,
		t.Code, t.Name, t.IssuerKind, t.HolderKind, t.ValidYears, jsonText(t.Fields))
	return classify(err)
}

const licenseTypeColumns = `code, name, issuer_kind, holder_kind, valid_years, fields`

func scanLicenseType(row interface{ Scan(...any) error }) (*tongban.LicenseType, error) {
	t := &tongban.LicenseType{}
	var fields string
	if err := row.Scan(&t.Code, &t.Name, &t.IssuerKind, &t.HolderKind, &t.ValidYears, &fields); err != nil {
		return nil, err
	}
	return t, json.Unmarshal([]byte(fields), &t.Fields)
}

func (s *Store) LicenseType(ctx context.Context, code string) (*tongban.LicenseType, error) {
	t, err := scanLicenseType(s.q.QueryRowContext(ctx, `SELECT `+licenseTypeColumns+` FROM license_types WHERE code = $1`, code))
	if err != nil {
		return nil, notFound(err, "证照类型 %s 不存在", code)
	}
	return t, nil
}

func (s *Store) LicenseTypeExists(ctx context.Context, code string) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM license_types WHERE code = $1`, code).Scan(&n)
	return n > 0, classify(err)
}

func (s *Store) LicenseTypes(ctx context.Context) ([]*tongban.LicenseType, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+licenseTypeColumns+` FROM license_types ORDER BY code`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.LicenseType
	for rows.Next() {
		t, err := scanLicenseType(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, classify(rows.Err())
}

func (s *Store) NextLicenseSerial(ctx context.Context, issuerID int64, year int) (int64, error) {
	return s.ReserveLicenseSerials(ctx, issuerID, year, 1)
}

func (s *Store) ReserveLicenseSerials(ctx context.Context, issuerID int64, year, n int) (int64, error) {
	if n < 1 {
		return 0, tongban.Errorf(tongban.EInvalid, "reserve at least one licence serial, not %d", n)
	}
	var last int64
	err := s.db.ScanReturning(ctx, s.q, []any{&last}, `INSERT INTO license_serials (issuer_id, year, last) VALUES ($1, $2, $3)
		ON CONFLICT (issuer_id, year) DO UPDATE SET last = license_serials.last + $3 RETURNING last`, issuerID, year, n)
	return last, classify(err)
}

func (s *Store) CreateSealKey(ctx context.Context, k *tongban.SealKey) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO seal_keys (id, org_id, algorithm, public_pem, private_sealed, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, k.ID, k.OrgID, k.Algorithm, k.PublicPEM,
		s.sealer.Seal(base64.StdEncoding.EncodeToString(k.PrivateDER)), utc(k.CreatedAt))
	if sqldb.IsUniqueViolation(err) {
		return tongban.Errorf(tongban.EConflict, "印章密钥 %s 已存在", k.ID)
	}
	return classify(err)
}

func (s *Store) scanSealKey(row interface{ Scan(...any) error }) (*tongban.SealKey, error) {
	var id, alg, pub, sealed string
	var orgID int64
	var created time.Time
	var retired sql.NullTime
	if err := row.Scan(&id, &orgID, &alg, &pub, &sealed, &created, &retired); err != nil {
		return nil, err
	}
	return s.openSealKey(id, orgID, alg, pub, sealed, created, retired)
}

// openSealKey is a seal key read from its columns, its private half opened.
func (s *Store) openSealKey(id string, orgID int64, alg, pub, sealed string, created time.Time, retired sql.NullTime) (*tongban.SealKey, error) {
	k := &tongban.SealKey{ID: id, OrgID: orgID, Algorithm: alg, PublicPEM: pub, CreatedAt: created}
	if retired.Valid {
		k.RetiredAt = retired.Time.UTC()
	}
	plain, err := s.sealer.Open(sealed)
	if err != nil {
		return nil, fmt.Errorf("seal key %s: %w", k.ID, err)
	}
	if k.PrivateDER, err = base64.StdEncoding.DecodeString(plain); err != nil {
		return nil, fmt.Errorf("seal key %s: %w", k.ID, err)
	}
	return k, nil
}

const sealKeyColumns = `id, org_id, algorithm, public_pem, private_sealed, created_at, retired_at`

func (s *Store) SealKeyOf(ctx context.Context, orgID int64) (*tongban.SealKey, error) {
	k, err := s.scanSealKey(s.q.QueryRowContext(ctx, `SELECT `+sealKeyColumns+` FROM seal_keys WHERE org_id = $1
		AND retired_at IS NULL ORDER BY created_at DESC, id LIMIT 1`, orgID))
	if err != nil {
		return nil, notFound(err, "机构 %d 尚无电子印章密钥", orgID)
	}
	return k, nil
}

func (s *Store) SealKey(ctx context.Context, id string) (*tongban.SealKey, error) {
	k, err := s.scanSealKey(s.q.QueryRowContext(ctx, `SELECT `+sealKeyColumns+` FROM seal_keys WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "印章密钥 %s 不存在", id)
	}
	return k, nil
}

func (s *Store) CreateLicense(ctx context.Context, l *tongban.License) error {
	var validTo, caseID any
	if !l.ValidTo.IsZero() {
		validTo = utc(l.ValidTo)
	}
	if l.CaseID != 0 {
		caseID = l.CaseID
	}
	face, faceSealed, err := s.sealFace(l.Face)
	if err != nil {
		return err
	}
	// The key's state is read by the insert itself: a licence is stored
	// only under a key not retired as this statement sees the database
	// (a rotation committing at the same moment comes after it).
	var keyCurrent bool
	err = s.db.ScanReturning(ctx, s.q, []any{&l.ID, &keyCurrent}, `INSERT INTO licenses (identifier, type_code, type_name, number, issuer_id, issuer_name,
		issuer_code, issued_on, valid_from, valid_to, holder_id, holder_name, holder_kind, holder_code_sealed, holder_code_masked,
		region_code, status, version, face, case_id, key_id, signature, created_at, source, replaces, face_sealed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
		RETURNING id, (SELECT retired_at IS NULL FROM seal_keys WHERE id = $21)`,
		l.Identifier, l.TypeCode, l.TypeName, l.Number, l.IssuerID, l.IssuerName, string(l.IssuerCode), utc(l.IssuedOn),
		utc(l.ValidFrom), validTo, l.HolderID, l.HolderName, l.HolderKind, s.sealer.Seal(l.HolderCode), l.HolderCodeMasked,
		l.RegionCode, l.Status, l.Version, face, caseID, l.KeyID, l.Signature, utc(l.CreatedAt),
		licenseSource(l.Source), l.Replaces, faceSealed)
	if sqldb.IsUniqueViolation(err) {
		return &tongban.Error{Code: tongban.EConflict, Field: "identifier", Message: "证照标识 " + l.Identifier + " 已存在"}
	}
	if err == nil && !keyCurrent {
		l.ID = 0
		return &tongban.Error{Code: tongban.EConflict, Field: "key_id",
			Message: "电子印章密钥 " + l.KeyID + " 已轮换停用，证照未保存，请重新签发"}
	}
	return classify(err)
}

const licenseColumns = `id, identifier, type_code, type_name, number, issuer_id, issuer_name, issuer_code, issued_on, valid_from,
	valid_to, holder_id, holder_name, holder_kind, holder_code_sealed, holder_code_masked, region_code, status, version, face,
	COALESCE(case_id, 0), key_id, signature, created_at, source, replaces, status_reason, status_at, face_sealed`

func (s *Store) scanLicense(row interface{ Scan(...any) error }) (*tongban.License, error) {
	l, dest, finish := s.licenseScanner()
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	return l, finish()
}

// licenseScanner is the destinations of licenseColumns, in order, and what
// turns them into the licence once scanned (a query that reads a licence
// beside other columns scans them all in one call).
func (s *Store) licenseScanner() (*tongban.License, []any, func() error) {
	l, dest, finish, _ := s.licenseScannerStored()
	return l, dest, finish
}

// storedFace is a licence's face columns as stored, before opening.
type storedFace struct{ face, sealed string }

// licenseScannerStored is licenseScanner that also gives the face
// columns as stored once scanned (the verify links' stamp compares them).
func (s *Store) licenseScannerStored() (*tongban.License, []any, func() error, *storedFace) {
	l := &tongban.License{}
	var validTo, statusAt sql.NullTime
	var sealed string
	stored := &storedFace{}
	face, faceSealed := &stored.face, &stored.sealed
	dest := []any{&l.ID, &l.Identifier, &l.TypeCode, &l.TypeName, &l.Number, &l.IssuerID, &l.IssuerName, &l.IssuerCode,
		&l.IssuedOn, &l.ValidFrom, &validTo, &l.HolderID, &l.HolderName, &l.HolderKind, &sealed, &l.HolderCodeMasked,
		&l.RegionCode, &l.Status, &l.Version, face, &l.CaseID, &l.KeyID, &l.Signature, &l.CreatedAt,
		&l.Source, &l.Replaces, &l.StatusReason, &statusAt, faceSealed}
	return l, dest, func() error {
		if statusAt.Valid {
			l.StatusAt = statusAt.Time.UTC()
		}
		var err error
		if l.HolderCode, err = s.sealer.Open(sealed); err != nil {
			return fmt.Errorf("licence %s: %w", l.Identifier, err)
		}
		if validTo.Valid {
			l.ValidTo = validTo.Time.UTC()
		}
		l.IssuedOn, l.ValidFrom, l.CreatedAt = l.IssuedOn.UTC(), l.ValidFrom.UTC(), l.CreatedAt.UTC()
		if l.Face, err = s.openFace(*face, *faceSealed); err != nil {
			return fmt.Errorf("licence %s: %w", l.Identifier, err)
		}
		return nil
	}, stored
}

func (s *Store) LicenseByIdentifier(ctx context.Context, identifier string) (*tongban.License, error) {
	return s.readLicenseByIdentifier(s.q.QueryRowContext(ctx, licenseByIdentifierQuery, identifier), identifier)
}

// licenseByIdentifierQuery is LicenseByIdentifier's statement, run alone
// or in a batch of claims' reads (claim_reads.go); readLicenseByIdentifier
// reads its row.
const licenseByIdentifierQuery = `SELECT ` + licenseColumns + ` FROM licenses WHERE identifier = $1`

func (s *Store) readLicenseByIdentifier(row interface{ Scan(...any) error }, identifier string) (*tongban.License, error) {
	l, _, err := s.readLicenseStored(row, identifier)
	return l, err
}

// readLicenseStored is readLicenseByIdentifier that also gives the face
// as stored (a kept licence's stamp compares it).
func (s *Store) readLicenseStored(row interface{ Scan(...any) error }, identifier string) (*tongban.License, *storedFace, error) {
	l, dest, finish, stored := s.licenseScannerStored()
	err := row.Scan(dest...)
	if err == nil {
		err = finish()
	}
	if err != nil {
		return nil, nil, licenceNotFound(err, identifier)
	}
	return l, stored, nil
}

// licenceNotFound is a licence read's error: not found for no row.
func licenceNotFound(err error, identifier string) error {
	return notFound(err, "电子证照 %s 不存在", identifier)
}

func (s *Store) LicensesOfHolder(ctx context.Context, holderID int64) ([]*tongban.License, error) {
	return s.queryLicenses(ctx, `SELECT `+licenseColumns+` FROM licenses WHERE holder_id = $1 ORDER BY issued_on DESC, id DESC`, holderID)
}

func (s *Store) SealKeys(ctx context.Context) ([]*tongban.SealKey, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, org_id, algorithm, public_pem, created_at, retired_at FROM seal_keys
		ORDER BY org_id, created_at, id`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.SealKey
	for rows.Next() {
		k := &tongban.SealKey{}
		var retired sql.NullTime
		if err := rows.Scan(&k.ID, &k.OrgID, &k.Algorithm, &k.PublicPEM, &k.CreatedAt, &retired); err != nil {
			return nil, err
		}
		if retired.Valid {
			k.RetiredAt = retired.Time.UTC()
		}
		out = append(out, k)
	}
	return out, classify(rows.Err())
}
