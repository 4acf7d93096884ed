package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/tongban/tongban"
)

// LicenseIssuing reads the org, the licence type and the org's current
// seal key in one statement: issuing is one transaction, and these three
// reads were three of its round trips. The seal key is picked as
// SealKeyOf picks it.
func (s *Store) LicenseIssuing(ctx context.Context, typeCode string, orgID int64) (*tongban.LicenseIssuing, error) {
	var (
		typCode, typName, issuerKind, holderKind, fields sql.NullString
		validYears                                       sql.NullInt64
		keyID, alg, pub, sealed                          sql.NullString
		keyCreated, keyRetired                           sql.NullTime
	)
	o := &tongban.Org{}
	row := s.q.QueryRowContext(ctx, `SELECT o.id, o.code, o.name, o.short_name, o.kind, o.region_code, COALESCE(o.parent_id, 0), o.sector,
		o.phone, o.address, o.review_body, o.court, COALESCE(o.result_window_id, 0), COALESCE(o.credit_code, ''),
		t.code, t.name, t.issuer_kind, t.holder_kind, t.valid_years, t.fields,
		k.id, k.algorithm, k.public_pem, k.private_sealed, k.created_at, k.retired_at
		FROM orgs o
		LEFT JOIN license_types t ON t.code = $1
		LEFT JOIN seal_keys k ON k.id = (SELECT id FROM seal_keys WHERE org_id = o.id AND retired_at IS NULL
			ORDER BY created_at DESC, id LIMIT 1)
		WHERE o.id = $2`, typeCode, orgID)
	err := row.Scan(&o.ID, &o.Code, &o.Name, &o.ShortName, &o.Kind, &o.RegionCode, &o.ParentID, &o.Sector, &o.Phone, &o.Address,
		&o.ReviewBody, &o.Court, &o.ResultWindowID, &o.CreditCode,
		&typCode, &typName, &issuerKind, &holderKind, &validYears, &fields,
		&keyID, &alg, &pub, &sealed, &keyCreated, &keyRetired)
	if err != nil {
		return nil, notFound(err, "机构 %d 不存在", orgID)
	}
	if !typCode.Valid {
		return nil, &tongban.Error{Code: tongban.ENotFound, Field: "type_code", Message: "证照类型 " + typeCode + " 不存在"}
	}
	out := &tongban.LicenseIssuing{Org: o, Type: &tongban.LicenseType{Code: typCode.String, Name: typName.String,
		IssuerKind: issuerKind.String, HolderKind: tongban.HolderKind(holderKind.String), ValidYears: int(validYears.Int64)}}
	if err := json.Unmarshal([]byte(fields.String), &out.Type.Fields); err != nil {
		return nil, err
	}
	if keyID.Valid {
		k, err := s.openSealKey(keyID.String, orgID, alg.String, pub.String, sealed.String, keyCreated.Time, keyRetired)
		if err != nil {
			return nil, err
		}
		out.Key = k
	}
	return out, nil
}
