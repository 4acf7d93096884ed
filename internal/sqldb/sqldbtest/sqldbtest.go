// Package sqldbtest opens throwaway SQLite databases for the tests of
// other packages: the statement plans and the bench's replay tool, which
// need a real database file but not the storage suite's both engines
// (internal/storetest).
package sqldbtest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tongban/tongban/internal/sqldb"
)

// SQLite opens an empty SQLite database in t's temporary directory, closed
// when t ends.
func SQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// MigratedSQLite is SQLite with every migration applied.
func MigratedSQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	db := SQLite(t)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}
