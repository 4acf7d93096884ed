// Package storetest opens real databases for tests: a SQLite file in a
// temporary directory, and a fresh PostgreSQL database that is dropped when
// the test ends. With CI=true an unreachable PostgreSQL fails the test
// instead of skipping it.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/sealer"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
)

// Engines are the dialects every store test runs on.
var Engines = []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres}

// PostgresAdminURL is the server tests create their databases on; override
// with TONGBAN_TEST_POSTGRES.
func PostgresAdminURL() string {
	if u := os.Getenv("TONGBAN_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// Required reports whether PostgreSQL (and other real parts) must be present.
func Required() bool { return os.Getenv("CI") == "true" }

// TestKey is the sealing key used in tests.
var TestKey = bytes.Repeat([]byte{7}, sealer.KeySize)

// OpenDB returns a migrated, empty database of the dialect, removed at cleanup.
func OpenDB(t testing.TB, d sqldb.Dialect) *sqldb.DB {
	t.Helper()
	ctx := context.Background()
	var dsn string
	switch d {
	case sqldb.SQLite:
		dsn = filepath.Join(t.TempDir(), "tongban.db")
	case sqldb.Postgres:
		dsn = CreatePostgresDB(t)
	}
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// Sealer is the sealer over TestKey.
func Sealer(t testing.TB) *sealer.Sealer {
	t.Helper()
	s, err := sealer.New(TestKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Open returns a Store over a fresh database of the dialect.
func Open(t testing.TB, d sqldb.Dialect) *store.Store {
	t.Helper()
	db := OpenDB(t, d)
	// TONGBAN_TEST_ONE_CONN=1: a one-connection pool, on which a read
	// through the root store inside a transaction hangs its test (under
	// load it would stall the server); see docs/benchmarks.md.
	if os.Getenv("TONGBAN_TEST_ONE_CONN") != "" {
		db.SetMaxOpenConns(1)
	}
	return store.New(db, Sealer(t))
}

// CreatePostgresDB creates an empty database and returns its URL; it is
// dropped (with its connections) when the test ends.
func CreatePostgresDB(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("pgx", PostgresAdminURL())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		if Required() {
			t.Fatalf("PostgreSQL is required (CI=true) but unreachable at %s: %v", PostgresAdminURL(), err)
		}
		t.Skipf("PostgreSQL unreachable, skipping (set CI=true to require it): %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "tongban_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(PostgresAdminURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Each runs fn as a subtest on every engine.
func Each(t *testing.T, fn func(t *testing.T, d sqldb.Dialect)) {
	for _, d := range Engines {
		t.Run(string(d), func(t *testing.T) { fn(t, d) })
	}
}
