package sqldb

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Row is one query's row: a *sql.Row, or pgx's in a batch. Scan reports
// sql.ErrNoRows (errors.Is) when the query found none.
type Row interface {
	Scan(dest ...any) error
}

// RowQuery is a query of at most one row and what takes that row.
type RowQuery struct {
	SQL  string
	Args []any
	Row  func(Row) // called once, in the queries' order
}

// QueryRows runs the queries outside any transaction and hands each its
// row: on PostgreSQL in one round trip (pgx's pipelined batch, on a
// connection of the pool), on SQLite, which has no round trips, one after
// the other. A scan failing other than with no rows fails the whole, and
// then what the queries were handed must not be used.
func (db *DB) QueryRows(ctx context.Context, qs []RowQuery) error {
	if db.Dialect != Postgres {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Point reads in WAL mode wait for no lock, so nothing is gained by
		// cancelling one midway, and a cancellable context costs two
		// goroutines a statement (database/sql's and the driver's, each
		// watching it).
		return QueryRowsInTurn(context.WithoutCancel(ctx), db.Pool(), qs)
	}
	if len(qs) < 2 {
		return QueryRowsInTurn(ctx, db.Pool(), qs)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("sqldb: a PostgreSQL connection of type %T, not pgx's", dc)
		}
		b := &pgx.Batch{}
		for _, q := range qs {
			b.Queue(q.SQL, q.Args...)
		}
		br := c.Conn().SendBatch(ctx, b)
		var failed error
		for _, q := range qs {
			q.Row(checkedRow{br.QueryRow(), &failed})
		}
		if err := br.Close(); failed == nil {
			failed = err
		}
		return failed
	})
}

// QueryRowsInTurn is QueryRows one query after the other on q (a
// transaction's, say).
func QueryRowsInTurn(ctx context.Context, q Querier, qs []RowQuery) error {
	var failed error
	for _, rq := range qs {
		rq.Row(checkedRow{q.QueryRowContext(ctx, rq.SQL, rq.Args...), &failed})
		if failed != nil {
			return failed
		}
	}
	return nil
}

// checkedRow keeps the first scan error other than no rows: in a batch,
// a statement's failure leaves the later rows failed or unread.
type checkedRow struct {
	Row
	failed *error
}

func (r checkedRow) Scan(dest ...any) error {
	err := r.Row.Scan(dest...)
	if err != nil && !IsNoRows(err) && *r.failed == nil {
		*r.failed = err
	}
	return err
}
