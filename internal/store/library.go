package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/tongban/tongban"
)

const libraryColumns = `id, owner_id, standard_code, name, blob_hash, valid_until, case_id, case_number, material_key,
	COALESCE(confirmed_by, 0), confirmed_org, confirmed_at, deleted_at`

func (s *Store) AddLibraryEntry(ctx context.Context, e *tongban.LibraryEntry) error {
	e.ConfirmedAt = utc(e.ConfirmedAt)
	err := s.db.ScanReturning(ctx, s.q, []any{&e.ID}, `INSERT INTO library_entries (owner_id, standard_code, name, blob_hash, valid_until,
		case_id, case_number, material_key, confirmed_by, confirmed_org, confirmed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		e.OwnerID, e.Standard, e.Name, e.BlobHash, e.ValidUntil, e.CaseID, e.CaseNumber, e.MaterialKey,
		nullID(e.ConfirmedBy), e.ConfirmedOrg, e.ConfirmedAt)
	return classify(err)
}

func scanLibraryEntry(row interface{ Scan(...any) error }) (*tongban.LibraryEntry, error) {
	e := &tongban.LibraryEntry{}
	var deleted sql.NullTime
	if err := row.Scan(&e.ID, &e.OwnerID, &e.Standard, &e.Name, &e.BlobHash, &e.ValidUntil, &e.CaseID, &e.CaseNumber,
		&e.MaterialKey, &e.ConfirmedBy, &e.ConfirmedOrg, &e.ConfirmedAt, &deleted); err != nil {
		return nil, err
	}
	if deleted.Valid {
		e.DeletedAt = deleted.Time
	}
	return e, nil
}

func (s *Store) LibraryEntry(ctx context.Context, id int64) (*tongban.LibraryEntry, error) {
	return readLibraryEntry(s.q.QueryRowContext(ctx, libraryEntryQuery, id), id)
}

// libraryEntryQuery is LibraryEntry's statement, run alone or in a batch
// of claims' reads (claim_reads.go); readLibraryEntry reads its row.
const libraryEntryQuery = `SELECT ` + libraryColumns + ` FROM library_entries WHERE id = $1`

func readLibraryEntry(row interface{ Scan(...any) error }, id int64) (*tongban.LibraryEntry, error) {
	e, err := scanLibraryEntry(row)
	if err != nil {
		return nil, notFound(err, "材料库中没有编号为 %d 的材料", id)
	}
	return e, nil
}

func (s *Store) LibraryEntries(ctx context.Context, ownerID int64, standard, validOn string) ([]*tongban.LibraryEntry, error) {
	var w where
	w.add("owner_id = ?", ownerID)
	w.add("deleted_at IS NULL")
	if standard != "" {
		w.add("standard_code = ?", standard)
	}
	if validOn != "" {
		w.add("valid_until >= ?", validOn)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+libraryColumns+` FROM library_entries`+w.String()+
		` ORDER BY confirmed_at DESC, id DESC`, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []*tongban.LibraryEntry
	for rows.Next() {
		e, err := scanLibraryEntry(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, e)
	}
	return out, classify(rows.Err())
}

func (s *Store) ExtendLibraryEntry(ctx context.Context, e *tongban.LibraryEntry) error {
	e.ConfirmedAt = utc(e.ConfirmedAt)
	res, err := s.q.ExecContext(ctx, `UPDATE library_entries SET valid_until = $1, case_id = $2, case_number = $3,
		material_key = $4, confirmed_by = $5, confirmed_org = $6, confirmed_at = $7 WHERE id = $8 AND deleted_at IS NULL`,
		e.ValidUntil, e.CaseID, e.CaseNumber, e.MaterialKey, nullID(e.ConfirmedBy), e.ConfirmedOrg, e.ConfirmedAt, e.ID)
	return oneRow(res, err, "材料库中没有编号为 %d 的材料", e.ID)
}

func (s *Store) DeleteLibraryEntry(ctx context.Context, ownerID, id int64, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE library_entries SET deleted_at = $1 WHERE id = $2 AND owner_id = $3 AND deleted_at IS NULL`,
		utc(at), id, ownerID)
	return oneRow(res, err, "材料库中没有编号为 %d 的材料", id)
}

// oneRow turns an update that touched no row into ENotFound.
func oneRow(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tongban.Errorf(tongban.ENotFound, format, args...)
	}
	return nil
}
