package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/tongban/tongban/internal/sqldb"
)

// TestQueryRowsTogether: QueryRows hands each query its row in order, no
// rows as sql.ErrNoRows; on PostgreSQL the queries go as one pipelined
// batch — one implicit transaction, so one transaction_timestamp() for
// all, where separate round trips would each begin their own. A failing
// statement fails the whole.
func TestQueryRowsTogether(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		db, ctx := OpenDB(t, d), context.Background()
		stamp := `SELECT CAST(CURRENT_TIMESTAMP AS TEXT)` // SQLite: the statement's time, not a transaction's
		if d == sqldb.Postgres {
			stamp = `SELECT CAST(transaction_timestamp() AS TEXT)`
		}
		var got []string
		var none error
		take := func(row sqldb.Row) {
			var s string
			if row.Scan(&s) == nil {
				got = append(got, s)
			}
		}
		qs := []sqldb.RowQuery{
			{SQL: stamp, Row: take},
			{SQL: `SELECT name FROM regions WHERE code = $1`, Args: []any{"none"}, Row: func(row sqldb.Row) {
				var name string
				none = row.Scan(&name)
			}},
			{SQL: `SELECT CAST($1 AS TEXT)`, Args: []any{"二"}, Row: take},
			{SQL: stamp, Row: take},
		}
		if err := db.QueryRows(ctx, qs); err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[1] != "二" {
			t.Fatalf("rows = %q, want the stamp, 二 and the stamp, in order", got)
		}
		if !sqldb.IsNoRows(none) {
			t.Errorf("a query finding no row: %v, want sql.ErrNoRows", none)
		}
		if d == sqldb.Postgres && got[0] != got[2] {
			t.Errorf("transaction timestamps %q and %q: the queries did not go as one batch", got[0], got[2])
		}

		qs[2] = sqldb.RowQuery{SQL: `SELECT no_such_column FROM regions WHERE code = $1`, Args: []any{"x"}, Row: func(row sqldb.Row) {
			var s string
			row.Scan(&s)
		}}
		if err := db.QueryRows(ctx, qs); err == nil {
			t.Errorf("a failing statement in the batch: no error")
		}
		// The connection is usable after it.
		got = nil
		if err := db.QueryRows(ctx, qs[:1]); err != nil || len(got) != 1 {
			t.Errorf("after a failed batch: %v, %q", err, got)
		}
	})
}

// TestQueryRowsCancelled: a request already cancelled reads nothing (on
// SQLite the reads run uncancellable once begun, so the check is before
// them).
func TestQueryRowsCancelled(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		db := OpenDB(t, d)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		read := 0
		q := sqldb.RowQuery{SQL: `SELECT CAST($1 AS TEXT)`, Args: []any{"x"}, Row: func(row sqldb.Row) {
			var s string
			if row.Scan(&s) == nil {
				read++
			}
		}}
		for _, qs := range [][]sqldb.RowQuery{{q}, {q, q}} {
			if err := db.QueryRows(ctx, qs); !errors.Is(err, context.Canceled) || read != 0 {
				t.Errorf("%d queries, cancelled: %v and %d rows read, want context.Canceled and none", len(qs), err, read)
			}
		}
	})
}
