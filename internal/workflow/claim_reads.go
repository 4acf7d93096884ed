package workflow

import (
	"context"
	"log/slog"

	"github.com/tongban/tongban"
)

// ClaimReader is the optional part of a MaterialPreparer that names, by
// key, the rows its PrepareMaterial will read for a claim, so that the
// workflow reads the rows of all of an action's claims together — one
// round trip on PostgreSQL rather than one per claim — and hands them to
// the preparers (MaterialClaim.ReadAhead, read through ReadFrom). The
// rows are read from the database for this action, never kept.
type ClaimReader interface {
	ClaimKeys(q MaterialClaim) []tongban.ClaimKey
}

// readAhead reads the keys' rows together; nil when there are none or the
// read failed as a whole, and then each preparer reads its own rows, as
// it would have without a read-ahead (and meets the failure itself).
func (s *Service) readAhead(ctx context.Context, keys []tongban.ClaimKey) map[tongban.ClaimKey]tongban.ClaimRow {
	if len(keys) == 0 {
		return nil
	}
	rows, err := s.Store.ReadClaims(ctx, keys)
	if err != nil {
		if ctx.Err() == nil { // said, or the round trips it was to save go unnoticed
			log := s.Log
			if log == nil {
				log = slog.Default()
			}
			log.WarnContext(ctx, "claims' read-ahead failed; each preparer reads its own rows", "err", err)
		}
		return nil
	}
	return rows
}

// ReadFrom is st, but for the rows read ahead for the claim's action:
// DataResourceRecord, LicenseByIdentifier and LibraryEntry of a key read
// ahead return what was read for it (the row, or the read's error). Every
// other read, and a key not read ahead, goes to st.
func (q MaterialClaim) ReadFrom(st tongban.Store) tongban.Store {
	if q.ReadAhead == nil {
		return st
	}
	return readAheadStore{Store: st, rows: q.ReadAhead}
}

type readAheadStore struct {
	tongban.Store
	rows map[tongban.ClaimKey]tongban.ClaimRow
}

func (s readAheadStore) DataResourceRecord(ctx context.Context, code string, kind tongban.SubjectKind, subject string) (*tongban.DataResource, *tongban.DataRecord, error) {
	if row, ok := s.rows[tongban.ClaimKey{Resource: code, SubjectKind: kind, Subject: subject}]; ok {
		return row.Resource, row.Record, row.Err
	}
	return s.Store.DataResourceRecord(ctx, code, kind, subject)
}

func (s readAheadStore) LicenseByIdentifier(ctx context.Context, identifier string) (*tongban.License, error) {
	if row, ok := s.rows[tongban.ClaimKey{License: identifier}]; ok {
		return row.License, row.Err
	}
	return s.Store.LicenseByIdentifier(ctx, identifier)
}

func (s readAheadStore) LibraryEntry(ctx context.Context, id int64) (*tongban.LibraryEntry, error) {
	if row, ok := s.rows[tongban.ClaimKey{LibraryEntry: id}]; ok {
		return row.Entry, row.Err
	}
	return s.Store.LibraryEntry(ctx, id)
}
