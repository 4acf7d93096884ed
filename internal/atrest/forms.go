// Package atrest brings data written before personal data was sealed at
// rest (migration 00018) up to date at start: application forms are sealed
// and uploaded files encrypted and renamed. Every step finds its remaining
// work from the data itself, so it is idempotent and a start interrupted
// half-way simply carries on at the next one.
package atrest

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// formBatch bounds one pass over the cases table.
const formBatch = 500

// SealForms seals every application form still stored in plain JSON and
// returns how many it sealed; on an up-to-date database it costs one query.
func SealForms(ctx context.Context, st tongban.CaseStore) (int, error) {
	total := 0
	for {
		n, err := st.SealPlainForms(ctx, formBatch)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// ScrubSQLite rewrites a SQLite database after plain forms were sealed:
// SQLite leaves the old bytes in freed pages and the WAL, so a copy of the
// file would still hold them. VACUUM rebuilds the file from live rows only,
// and the checkpoint empties the WAL. PostgreSQL keeps dead row versions
// until VACUUM FULL; docs/identity.md tells the operator.
func ScrubSQLite(ctx context.Context, db *sqldb.DB) error {
	if db.Dialect != sqldb.SQLite {
		return nil
	}
	if _, err := db.ExecContext(ctx, `VACUUM`); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}
