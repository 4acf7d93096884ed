package app

import "github.com/tongban/tongban/internal/sqldb"

// visitWriters is how many batches of verify-page visits are written at
// once (license.StartVisitLog): one on SQLite, which writes one
// transaction at a time; four on PostgreSQL, which commits them together.
func visitWriters(db *sqldb.DB) int {
	if db.Dialect == sqldb.Postgres {
		return 4
	}
	return 1
}
