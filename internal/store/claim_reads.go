package store

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// ReadClaims runs the single reads' own statements and row decoding
// (DataResourceRecord, LicenseByIdentifier, LibraryEntry) for every key,
// together: a submission's claims cost one round trip rather than one
// each. Inside a transaction they run in turn on it. A licence kept
// opened (licenceCache) is read by its stamp alone; one whose stamp has
// changed is read whole after the others, a round trip more.
func (s *Store) ReadClaims(ctx context.Context, keys []tongban.ClaimKey) (map[tongban.ClaimKey]tongban.ClaimRow, error) {
	out := make(map[tongban.ClaimKey]tongban.ClaimRow, len(keys))
	var qs []sqldb.RowQuery
	var changed []string
	for _, k := range keys {
		if _, dup := out[k]; dup {
			continue
		}
		set := func(r tongban.ClaimRow) { out[k] = r }
		q, ok := s.keptLicenceRead(k.License, set, func() { changed = append(changed, k.License) })
		if !ok {
			q, ok = s.claimRead(k, set)
		}
		if ok {
			out[k] = tongban.ClaimRow{} // set by the read
			qs = append(qs, q)
		}
	}
	if err := s.queryClaims(ctx, qs); err != nil {
		return nil, err
	}
	if len(changed) == 0 {
		return out, nil
	}
	qs = qs[:0]
	for _, id := range changed {
		k := tongban.ClaimKey{License: id}
		q, _ := s.claimRead(k, func(r tongban.ClaimRow) { out[k] = r })
		qs = append(qs, q)
	}
	if err := s.queryClaims(ctx, qs); err != nil {
		return nil, err
	}
	return out, nil
}

// queryClaims runs the claims' reads, together outside a transaction.
func (s *Store) queryClaims(ctx context.Context, qs []sqldb.RowQuery) error {
	if s.inTx {
		return classify(sqldb.QueryRowsInTurn(ctx, s.q, qs))
	}
	return classify(s.db.QueryRows(ctx, qs))
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
			l, stored, err := s.readLicenseStored(row, k.License)
			if err == nil {
				s.keepLicence(l, stored)
			}
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
