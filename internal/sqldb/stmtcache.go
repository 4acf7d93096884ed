package sqldb

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// maxCachedStmts bounds the statements kept prepared. Tongban's statements
// are a few hundred fixed texts; past the bound (texts built with a varying
// number of placeholders, say) a query simply runs unprepared.
const maxCachedStmts = 1000

// stmtCache keeps SQLite statements prepared. The SQLite driver parses a
// statement's text on every unprepared call, and parsing was a third of the
// server's CPU on a case read (a join of many columns). PostgreSQL needs no
// such cache: pgx already keeps prepared statements per connection.
//
// A *sql.Stmt is prepared on each connection the first time it runs there
// and kept; database/sql re-prepares it on new connections and SQLite
// re-prepares it itself after a schema change.
type stmtCache struct {
	db *sql.DB

	mu      sync.RWMutex
	stmts   map[string]*sql.Stmt
	pending map[string]bool // prepared in the background for a transaction's miss
	closed  bool

	// Background prepares end before the pool closes: one still holding a
	// connection would outlive Close and touch the files after it.
	background sync.WaitGroup
	stop       context.Context
	cancel     context.CancelFunc
}

func newStmtCache(db *sql.DB) *stmtCache {
	stop, cancel := context.WithCancel(context.Background())
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}, stop: stop, cancel: cancel}
}

func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stmts[query]
}

// full reports whether no more statements are kept (c.mu held).
func (c *stmtCache) full() bool { return len(c.stmts)+len(c.pending) >= maxCachedStmts }

// get returns query prepared on the pool, preparing it on first use; nil
// (run it unprepared) when the cache is full or preparing failed, so that
// the unprepared call reports the statement's own error.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if st := c.lookup(query); st != nil {
		return st
	}
	c.mu.RLock()
	full := c.full()
	c.mu.RUnlock()
	if full {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	return c.keep(query, st)
}

// keep stores st unless another caller stored the same text first, and
// returns the one kept.
func (c *stmtCache) keep(query string, st *sql.Stmt) *sql.Stmt {
	c.mu.Lock()
	delete(c.pending, query)
	if old := c.stmts[query]; old != nil || c.closed || len(c.stmts) >= maxCachedStmts {
		c.mu.Unlock()
		st.Close()
		return old
	}
	c.stmts[query] = st
	c.mu.Unlock()
	return st
}

// prepareLater prepares query on the pool in the background. A transaction
// must not wait for a second connection (on SQLite the pool's connections
// may all be waiting for the writer that holds it), so its miss runs
// unprepared and the next transaction finds the statement ready.
func (c *stmtCache) prepareLater(query string) {
	c.mu.Lock()
	if c.closed || c.stmts[query] != nil || c.pending[query] || c.full() {
		c.mu.Unlock()
		return
	}
	c.pending[query] = true
	c.background.Add(1)
	c.mu.Unlock()
	go func() {
		defer c.background.Done()
		ctx, cancel := context.WithTimeout(c.stop, 30*time.Second)
		defer cancel()
		st, err := c.db.PrepareContext(ctx, query)
		if err != nil {
			c.mu.Lock()
			delete(c.pending, query)
			c.mu.Unlock()
			return
		}
		c.keep(query, st)
	}()
}

func (c *stmtCache) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	c.background.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}

// cachedPool runs the pool's statements prepared, and its writes in the
// writer's queue.
type cachedPool struct {
	c  *stmtCache
	db *DB
}

// ExecContext runs a statement outside a transaction as a write action of
// its own, queued for the writer and sharing a batch's commit like any
// other (write_batch.go). Run as SQLite's own autocommit statement it would
// not queue: it would wait for the write lock in SQLite's busy handler,
// which polls with sleeps of up to 100 ms while batches hold the lock.
func (p cachedPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := p.db.Transact(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = p.db.InTx(tx).ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

func (p cachedPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.c.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.c.db.QueryContext(ctx, query, args...)
}

func (p cachedPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.c.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.c.db.QueryRowContext(ctx, query, args...)
}

// cachedTx runs a transaction's statements prepared where the pool already
// has them (on the transaction's connection, prepared there once).
type cachedTx struct {
	tx *sql.Tx
	c  *stmtCache
}

func (t cachedTx) stmt(ctx context.Context, query string) *sql.Stmt {
	st := t.c.lookup(query)
	if st == nil {
		t.c.prepareLater(query)
		return nil
	}
	return t.tx.StmtContext(ctx, st)
}

func (t cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// Pool is the Querier for statements outside a transaction: on SQLite it
// keeps them prepared.
func (db *DB) Pool() Querier {
	if db.stmts == nil {
		return db.DB
	}
	return cachedPool{c: db.stmts, db: db}
}

// InTx is the Querier for tx's statements: on SQLite it uses the statements
// the pool keeps prepared.
func (db *DB) InTx(tx *sql.Tx) Querier {
	if db.stmts == nil {
		return tx
	}
	return cachedTx{tx: tx, c: db.stmts}
}

// ScanReturning runs a write statement that returns one row (INSERT …
// RETURNING) on q and scans the row into dest. On the SQLite pool it runs
// as a write action of its own, queued for the writer like the pool's
// ExecContext; in a transaction, or on PostgreSQL, it runs on q as it is.
func (db *DB) ScanReturning(ctx context.Context, q Querier, dest []any, query string, args ...any) error {
	if _, onPool := q.(cachedPool); !onPool {
		return q.QueryRowContext(ctx, query, args...).Scan(dest...)
	}
	return db.Transact(ctx, func(tx *sql.Tx) error {
		return db.InTx(tx).QueryRowContext(ctx, query, args...).Scan(dest...)
	})
}
