package sqldb

import (
	"context"
	"database/sql"
)

// SQLite empties a connection's page cache when the connection's next
// transaction begins after another connection's commit. Write
// transactions that each took whichever pooled connection was free
// therefore loaded again the index pages the one before had just written
// (16 % of a signed issue's transaction CPU, docs/benchmarks.md). They run
// on one held connection instead. Writes outside a transaction run there
// too (the pool's ExecContext and ScanReturning queue as write actions of
// their own), so no other connection's commit empties its cache. SQLite
// has one writer anyway (db.writers), so no write waits longer for it.
//
// The connection is held only while the pool has room for reads beside
// it: at least two more connections (a read may run a second query while
// it iterates). With a pool of one (the tests' way of proving that no
// action reads beside its own transaction) a held connection would leave
// reads none.

// holdsWriteConn reports whether write transactions run on a held
// connection: whether the pool has room for reads beside it.
func (db *DB) holdsWriteConn() bool {
	n := db.Stats().MaxOpenConnections
	return n == 0 || n >= 3
}

// beginWrite begins a write transaction on the held connection; the
// caller holds db.writers.
func (db *DB) beginWrite(ctx context.Context) (*sql.Tx, error) {
	if db.writeConn == nil {
		c, err := db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		// Each action in a write batch runs under a savepoint, and SQLite
		// copies every page an action first changes into a sub-journal to
		// roll back to: in memory, not a temporary file (one pwrite per
		// page, about 10 % of a signed issue's CPU). Only this connection:
		// reads keep their large sorts on disk.
		if _, err := c.ExecContext(ctx, "PRAGMA temp_store = MEMORY"); err != nil {
			c.Close()
			return nil, err
		}
		db.writeConn = c
	}
	tx, err := db.writeConn.BeginTx(ctx, nil)
	if err != nil {
		db.releaseWriteConn() // perhaps broken: the next write takes a fresh one
	}
	return tx, err
}

// releaseWriteConn returns the held connection to the pool; the caller
// holds db.writers.
func (db *DB) releaseWriteConn() {
	if db.writeConn != nil {
		db.writeConn.ExecContext(context.Background(), "PRAGMA temp_store = DEFAULT") // back to the pool's reads
		db.writeConn.Close()
		db.writeConn = nil
	}
}
