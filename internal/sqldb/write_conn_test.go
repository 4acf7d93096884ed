package sqldb

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// TestWriteTransactionsShareOneConnection: on SQLite each write
// transaction runs on the connection the one before ran on (a TEMP table
// is seen only by the connection that made it), even when a pooled
// connection was taken meanwhile; with a pool of one or two, nothing is
// held between transactions, so reads beside them are answered; Close
// returns with the connection held.
func TestWriteTransactionsShareOneConnection(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	exec := func(q string) func(*sql.Tx) error {
		return func(tx *sql.Tx) error { _, err := tx.ExecContext(ctx, q); return err }
	}
	if err := db.Transact(ctx, exec(`CREATE TEMP TABLE marker (x INTEGER)`)); err != nil {
		t.Fatal(err)
	}
	taken, err := db.Conn(ctx) // the pool's most recently freed connection
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Transact(ctx, exec(`INSERT INTO temp.marker VALUES (1)`)); err != nil {
		t.Fatalf("the second write transaction ran on another connection: %v", err)
	}
	taken.Close()

	db.SetMaxOpenConns(1)
	if err := db.Transact(ctx, exec(`CREATE TABLE kept (x INTEGER)`)); err != nil {
		t.Fatal(err)
	}
	read, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var n int
	if err := db.QueryRowContext(read, `SELECT COUNT(*) FROM kept`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a read beside a one-connection pool's transactions: %d, %v", n, err)
	}
	// A pool of two keeps both for reads between transactions: a read
	// that queries again while iterating its rows is answered.
	db.SetMaxOpenConns(2)
	if err := db.Transact(ctx, exec(`INSERT INTO kept VALUES (1)`)); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(read, `SELECT x FROM kept`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		if err := db.QueryRowContext(read, `SELECT COUNT(*) FROM kept`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("a second read while iterating, in a pool of two: %d, %v", n, err)
		}
	}
	rows.Close()

	db.SetMaxOpenConns(SQLitePoolSize)
	if err := db.Transact(ctx, exec(`INSERT INTO kept VALUES (1)`)); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Close did not return with the write connection held")
	}
}
