package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

func openSQLite(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (c *stmtCache) has(query string) bool { return c.lookup(query) != nil }

// Statements run through the pool are kept prepared; a transaction uses
// them once kept, and its own first miss is prepared for the next one.
func TestStatementsKeptPrepared(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	if _, err := db.Pool().ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	const insert = `INSERT INTO t (id, name) VALUES (?, ?)`
	err := db.Transact(ctx, func(tx *sql.Tx) error {
		_, err := db.InTx(tx).ExecContext(ctx, insert, 1, "甲")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	waitKept(t, db, insert) // the transaction's miss, prepared in the background
	err = db.Transact(ctx, func(tx *sql.Tx) error {
		_, err := db.InTx(tx).ExecContext(ctx, insert, 2, "乙")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	const read = `SELECT name FROM t WHERE id = ?`
	for id, want := range map[int]string{1: "甲", 2: "乙"} {
		var got string
		if err := db.Pool().QueryRowContext(ctx, read, id).Scan(&got); err != nil || got != want {
			t.Fatalf("id %d: %q, %v; want %q", id, got, err, want)
		}
	}
	if !db.stmts.has(read) {
		t.Fatal("the pool's read was not kept prepared")
	}
	// A rolled-back transaction through a kept statement leaves nothing.
	err = db.Transact(ctx, func(tx *sql.Tx) error {
		if _, err := db.InTx(tx).ExecContext(ctx, insert, 3, "丙"); err != nil {
			return err
		}
		return sql.ErrTxDone
	})
	if err != sql.ErrTxDone {
		t.Fatalf("rollback: %v", err)
	}
	var n int
	if err := db.Pool().QueryRowContext(ctx, `SELECT COUNT(*) FROM t`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows after rollback: %d, %v", n, err)
	}
}

// A kept statement follows a schema change (SQLite re-prepares it), and a
// statement that does not prepare reports its own error.
func TestKeptStatementAfterSchemaChangeAndBadSQL(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	q := db.Pool()
	if _, err := q.ExecContext(ctx, `CREATE TABLE t (a TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO t VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	cols := func() []string {
		rows, err := q.QueryContext(ctx, `SELECT * FROM t`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := cols(); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("columns %v", got)
	}
	if _, err := q.ExecContext(ctx, `ALTER TABLE t ADD COLUMN b TEXT`); err != nil {
		t.Fatal(err)
	}
	if got := cols(); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("columns after ALTER TABLE: %v", got)
	}
	if _, err := q.QueryContext(ctx, `SELECT nope FROM t`); err == nil {
		t.Fatal("a bad statement ran")
	}
	if db.stmts.has(`SELECT nope FROM t`) {
		t.Fatal("a statement that failed to prepare was kept")
	}
}

// Many goroutines reading and writing through kept statements at once (run
// with -race) get their own rows.
func TestKeptStatementsConcurrently(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	if _, err := db.Pool().ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Go(func() {
			for i := range 20 {
				id := g*100 + i
				err := db.Transact(ctx, func(tx *sql.Tx) error {
					_, err := db.InTx(tx).ExecContext(ctx, `INSERT INTO t (id, v) VALUES (?, ?)`, id, id*2)
					return err
				})
				if err != nil {
					errs <- err
					return
				}
				var v int
				if err := db.Pool().QueryRowContext(ctx, `SELECT v FROM t WHERE id = ?`, id).Scan(&v); err != nil || v != id*2 {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func waitKept(t *testing.T, db *DB, query string) {
	t.Helper()
	for range 500 {
		if db.stmts.has(query) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s was never kept", query)
}

// Close waits for the statements a transaction left to prepare in the
// background, so nothing touches the database's files after it (a test's
// temporary directory was found not empty while being removed).
func TestCloseWaitsForBackgroundPrepares(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	err = db.Transact(ctx, func(tx *sql.Tx) error {
		for i := range 50 { // 50 distinct texts, each a miss left for the background
			if _, err := db.InTx(tx).ExecContext(ctx, fmt.Sprintf(`INSERT INTO t (id) VALUES (%d)`, i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db.stmts.mu.RLock()
	pending, kept := len(db.stmts.pending), len(db.stmts.stmts)
	db.stmts.mu.RUnlock()
	if pending != 0 || kept != 0 {
		t.Fatalf("after Close: %d statements still being prepared, %d kept", pending, kept)
	}
	db.stmts.prepareLater(`SELECT 1`) // a late miss starts nothing
	db.stmts.mu.RLock()
	pending = len(db.stmts.pending)
	db.stmts.mu.RUnlock()
	if pending != 0 {
		t.Fatal("a miss after Close was prepared")
	}
}
