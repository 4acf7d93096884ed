// Package sqldb opens the database (embedded SQLite or PostgreSQL), applies the
// embedded migrations and runs transactions with retry. Everything above it is
// written once for both engines; the few differences live in Dialect.
package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialect names the engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Querier is what *sql.DB and *sql.Tx have in common.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is an open database with its dialect.
type DB struct {
	*sql.DB
	Dialect Dialect
	// Source is the DSN with any password removed, for logs.
	Source string

	// writers queues this process's write transactions on SQLite, which
	// runs one at a time anyway. Waiting here is first come, first served;
	// waiting in SQLite's busy handler is polling with sleeps of up to
	// 100 ms, which gave some writers under load a long, random wait.
	writers chan struct{}
	// writeConn is the connection SQLite's write transactions run on,
	// held between them (write_conn.go); used only while writers is held.
	writeConn *sql.Conn
	// writeWaiting counts who waits for writers; batch is the write
	// transaction left open for them to join (write_batch.go). batch is
	// used only while writers is held.
	writeWaiting atomic.Int64
	batch        *writeBatch
	// batchCommits and batchActions count the batches committed and the
	// actions they carried, for /metrics (write_batch_metrics.go).
	batchCommits, batchActions atomic.Int64

	// stmts keeps SQLite's statements prepared (nil on PostgreSQL).
	stmts *stmtCache
}

// Open opens dsn: a postgres:// or postgresql:// URL, or a SQLite file path
// (optionally prefixed with sqlite: or file:). SQLite runs in WAL mode with
// foreign keys on, a busy timeout and immediate write transactions, so that
// concurrent writers queue instead of failing.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var db *DB
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		sqlDB, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(PostgresPoolSize)
		sqlDB.SetMaxIdleConns(PostgresPoolSize)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		db = &DB{DB: sqlDB, Dialect: Postgres, Source: redact(dsn)}
	default:
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
		// synchronous(FULL): an acknowledged write survives power loss too.
		q := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
			"&_pragma=synchronous(FULL)&_txlock=immediate&_time_format=sqlite"
		sqlDB, err := sql.Open("sqlite", "file:"+path+q)
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(SQLitePoolSize)
		sqlDB.SetMaxIdleConns(SQLitePoolSize)
		db = &DB{DB: sqlDB, Dialect: SQLite, Source: path, writers: make(chan struct{}, 1), stmts: newStmtCache(sqlDB)}
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", db.Source, err)
	}
	return db, nil
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// The pools' default sizes. On SQLite every connection keeps its own page
// cache (32 connections cost more CPU per read than 8). On PostgreSQL every
// connection is a server process competing for the same cores: on 2 cores
// 16 connections submitted 8–65 % more cases per second than 40 in four
// alternating pairs (docs/benchmarks.md, "The PostgreSQL pool"); more help
// where the database is far away, hence --db-max-conns.
const (
	PostgresPoolSize = 16
	SQLitePoolSize   = 8
)

// SetPoolSize sets how many connections the pool opens and keeps at most,
// in place of the engine's default (tongban serve --db-max-conns). At least
// 2: a transaction may prepare a statement on a second connection.
func (db *DB) SetPoolSize(n int) {
	n = max(n, 2)
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
}

// Close closes the kept statements and the pool.
func (db *DB) Close() error {
	if db.stmts != nil {
		db.stmts.close()
	}
	db.giveBackWriteConn()
	return db.DB.Close()
}

// ForUpdate is the row-locking suffix of a SELECT. SQLite needs none: its
// write transactions are exclusive from the start (_txlock=immediate).
func (db *DB) ForUpdate() string {
	if db.Dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// SetMaxOpenConns sets the pool's size. On SQLite the held write
// connection goes back to the pool first (write_conn.go): held in a pool
// shrunk to one, it would leave reads no connection at all.
func (db *DB) SetMaxOpenConns(n int) {
	db.giveBackWriteConn()
	db.DB.SetMaxOpenConns(n)
}

// giveBackWriteConn commits any open write batch and returns the held
// write connection to the pool, waiting for the writer (SQLite only).
func (db *DB) giveBackWriteConn() {
	if db.writers == nil {
		return
	}
	db.writers <- struct{}{}
	defer db.releaseWriter()
	db.endBatch(true)
	db.releaseWriteConn()
}
