package bench

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/sqldb/sqldbtest"
)

func TestSQLBenchOnSQLite(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.SQLite(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER, n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	r, err := SQLBench{DB: db, Clients: 4, Duration: 300 * time.Millisecond,
		Script: func(ctx context.Context, db *sqldb.DB, c, n int) error {
			return db.Transact(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO t (c, n) VALUES ($1, $2)`, c, n)
				return err
			})
		}}.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rows int
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM t`).Scan(&rows)
	if r.Errors != 0 || r.Requests == 0 || rows < r.Requests || r.RPS() <= 0 {
		t.Errorf("requests %d errors %d (%v) rows %d", r.Requests, r.Errors, r.FirstErr, rows)
	}
}
