package app

import (
	"context"

	"github.com/tongban/tongban/internal/sqldb"
)

// visitWriters is how many batches of verify-page visits are written at
// once (license.StartVisitLog): one on SQLite, which writes one
// transaction at a time; four on PostgreSQL, which commits them together.
func visitWriters(db *sqldb.DB) int {
	if db.Dialect == sqldb.Postgres {
		return 4
	}
	return 1
}

// FlushLicenseVisits returns once every verify-page visit answered before
// it is stored: a page answers once its visit is queued (license.VisitLog),
// so a test reading visits back waits for the writer first.
func (a *App) FlushLicenseVisits(ctx context.Context) error {
	return a.licenseVisits.Flush(ctx)
}
