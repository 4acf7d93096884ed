// Package apptest opens the whole app for tests, loading the demo city
// once per test binary and configuration instead of once per test.
//
// Migrating an empty database and loading the demo city took seconds per
// test under the race detector, most of internal/api's and internal/web's
// run. The first Open of a configuration loads it into a template (a data
// directory, and on PostgreSQL a template database); every later Open copies
// the template and opens the copy, which finds the demo already loaded, as
// a restarted server does.
package apptest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
)

// templatePrefix names template directories and databases; the process id
// follows, so a later run can remove what a killed one left behind.
const templatePrefix = "tongban_apptest_"

var (
	mu        sync.Mutex
	templates = map[string]*template{}
)

// template is a configuration's demo city, loaded once.
type template struct {
	dir string // its data directory
	db  string // its SQLite file, or its PostgreSQL database name
	pg  bool
}

// Open is app.Open. With cfg.Demo it starts from a copy of the template
// loaded with the same configuration, database engine and clock time
// (a ManualClock's; a system clock's template is from earlier in the run,
// as a restarted demo server's data is from its first start).
func Open(ctx context.Context, cfg app.Config, log *slog.Logger, clock tongban.Clock) (*app.App, error) {
	if !cfg.Demo {
		return app.Open(ctx, cfg, log, clock)
	}
	tpl, err := templateFor(ctx, cfg, clock)
	if err != nil {
		return nil, fmt.Errorf("apptest: demo template: %w", err)
	}
	if err := tpl.copyTo(ctx, cfg); err != nil {
		return nil, fmt.Errorf("apptest: copy the demo template: %w", err)
	}
	a, err := app.Open(ctx, cfg, log, clock)
	if err == nil && os.Getenv("TONGBAN_TEST_ONE_CONN") != "" { // as storetest.Open
		a.DB.SetMaxOpenConns(1)
	}
	return a, err
}

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// templateFor returns cfg's template, loading it on first use.
func templateFor(ctx context.Context, cfg app.Config, clock tongban.Clock) (*template, error) {
	key := keyOf(cfg, clock)
	mu.Lock()
	defer mu.Unlock()
	if t, ok := templates[key]; ok {
		return t, nil
	}
	removeStale(ctx, cfg)
	dir, err := os.MkdirTemp("", templatePrefix+strconv.Itoa(os.Getpid())+"_")
	if err != nil {
		return nil, err
	}
	t := &template{dir: filepath.Join(dir, "data"), pg: isPostgres(cfg.DB)}
	tcfg := cfg
	tcfg.DataDir = t.dir
	if t.pg {
		t.db = templatePrefix + strconv.Itoa(os.Getpid()) + "_" + key[:12]
		if err := adminExec(ctx, cfg.DB, "CREATE DATABASE "+t.db); err != nil {
			return nil, err
		}
		if tcfg.DB, err = withDatabase(cfg.DB, t.db); err != nil {
			return nil, err
		}
	} else {
		t.db = "tongban.db"
		tcfg.DB = filepath.Join(t.dir, t.db)
	}
	a, err := app.Open(ctx, tcfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		return nil, err
	}
	if err := a.Close(); err != nil {
		return nil, err
	}
	templates[key] = t
	return t, nil
}

// keyOf is what a demo load depends on: the configuration but for where
// it is stored, the engine, and the clock's time if it is a test clock.
func keyOf(cfg app.Config, clock tongban.Clock) string {
	engine := "sqlite"
	if isPostgres(cfg.DB) {
		engine = "postgres"
	}
	at := "system"
	if m, ok := clock.(*tongban.ManualClock); ok {
		at = m.Now().UTC().Format(time.RFC3339Nano)
	}
	// Paths Validate derived from the data directory (the SMS file…) are
	// where, not what.
	text := fmt.Sprintf("%+v", cfg)
	for _, where := range []string{cfg.DB, cfg.DataDir} {
		if where != "" {
			text = strings.ReplaceAll(text, where, "<data>")
		}
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%s", engine, at, text))
	return hex.EncodeToString(sum[:])
}

// copyTo makes cfg's data directory and database copies of the template's.
func (t *template) copyTo(ctx context.Context, cfg app.Config) error {
	if t.pg {
		name, err := databaseOf(cfg.DB)
		if err != nil {
			return err
		}
		// The test made its database empty; the copy replaces it under the
		// same name, so the test's own clean-up drops it.
		if err := adminExec(ctx, cfg.DB, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return err
		}
		if err := adminExec(ctx, cfg.DB, "CREATE DATABASE "+name+" TEMPLATE "+t.db); err != nil {
			return err
		}
	}
	return filepath.WalkDir(t.dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(t.dir, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(cfg.DataDir, rel)
		if !t.pg && (rel == t.db || strings.HasPrefix(rel, t.db+"-")) {
			// The SQLite file (and any -wal beside it) goes where cfg says.
			dst = cfg.DB + strings.TrimPrefix(rel, t.db)
		}
		if d.IsDir() {
			return os.MkdirAll(dst, 0o750)
		}
		return copyFile(path, dst)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// adminExec runs one statement on the server of dbURL, connected to its
// maintenance database (CREATE and DROP DATABASE cannot run inside the
// database they name).
func adminExec(ctx context.Context, dbURL, stmt string) error {
	admin, err := withDatabase(dbURL, "postgres")
	if err != nil {
		return err
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

func withDatabase(dbURL, name string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func databaseOf(dbURL string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", err
	}
	name := strings.TrimPrefix(u.Path, "/")
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return "", fmt.Errorf("database name %q is not a plain identifier", name)
		}
	}
	return name, nil
}

// removeStale removes the templates of test processes that are gone.
func removeStale(ctx context.Context, cfg app.Config) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), templatePrefix+"*"))
	for _, d := range dirs {
		if pid, ok := pidOf(filepath.Base(d)); ok && !alive(pid) {
			os.RemoveAll(d)
		}
	}
	if !isPostgres(cfg.DB) {
		return
	}
	admin, err := withDatabase(cfg.DB, "postgres")
	if err != nil {
		return
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE $1`, templatePrefix+"%")
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) == nil {
			if pid, ok := pidOf(name); ok && !alive(pid) {
				stale = append(stale, name)
			}
		}
	}
	rows.Close()
	for _, name := range stale {
		db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
}

// pidOf reads the process id from a template's name.
func pidOf(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, templatePrefix)
	if !ok {
		return 0, false
	}
	digits, _, _ := strings.Cut(rest, "_")
	pid, err := strconv.Atoi(digits)
	return pid, err == nil
}

func alive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}
