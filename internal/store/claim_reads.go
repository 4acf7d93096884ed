package store

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// ReadClaims runs the single reads' own statements and row decoding
// (DataResourceRecord, LicenseByIdentifier, LibraryEntry) for every key,
// together: a submission's claims cost one round trip rather than one
// each. Inside a transaction they run in turn on it.
func (s *Store) ReadClaims(ctx context.Context, keys []tongban.ClaimKey) (map[tongban.ClaimKey]tongban.ClaimRow, error) {
	out := make(map[tongban.ClaimKey]tongban.ClaimRow, len(keys))
	var qs []sqldb.RowQuery
	for _, k := range keys {
		if _, dup := out[k]; dup {
			continue
		}
		if q, ok := s.claimRead(k, func(r tongban.ClaimRow) { out[k] = r }); ok {
			out[k] = tongban.ClaimRow{} // set by the read
			qs = append(qs, q)
		}
	}
	var err error
	if s.inTx {
		err = sqldb.QueryRowsInTurn(ctx, s.q, qs)
	} else {
		err = s.db.QueryRows(ctx, qs)
	}
	if err != nil {
		return nil, classify(err)
	}
	return out, nil
}

// claimRead is the statement reading k's row, handing set what the
// single read would return; false for a key naming no row, which is
// left out.
func (s *Store) claimRead(k tongban.ClaimKey, set func(tongban.ClaimRow)) (sqldb.RowQuery, bool) {
	switch {
	case k.Resource != "":
		q := s.resourceRecordRead(k.Resource, k.SubjectKind, k.Subject)
		return sqldb.RowQuery{SQL: q.sql, Args: q.args, Row: func(row sqldb.Row) {
			res, rec, err := q.read(row)
			set(tongban.ClaimRow{Resource: res, Record: rec, Err: err})
		}}, true
	case k.License != "":
		return sqldb.RowQuery{SQL: licenseByIdentifierQuery, Args: []any{k.License}, Row: func(row sqldb.Row) {
			l, err := s.readLicenseByIdentifier(row, k.License)
			set(tongban.ClaimRow{License: l, Err: err})
		}}, true
	case k.LibraryEntry != 0:
		return sqldb.RowQuery{SQL: libraryEntryQuery, Args: []any{k.LibraryEntry}, Row: func(row sqldb.Row) {
			e, err := readLibraryEntry(row, k.LibraryEntry)
			set(tongban.ClaimRow{Entry: e, Err: err})
		}}, true
	}
	return sqldb.RowQuery{}, false
}
