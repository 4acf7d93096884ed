package apptest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestCopiesAreTheDemoAndIndependent: the second app opened with the same
// configuration starts from the template, holds the same demo city as the
// first, and neither sees what the other writes; another clock time makes
// another template.
func TestCopiesAreTheDemoAndIndependent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ctx := context.Background()
		clock := tongban.NewManualClock(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
		open := func(clock tongban.Clock) *app.App {
			dir := t.TempDir()
			cfg := app.Config{DataDir: dir, DB: filepath.Join(dir, "t.db"), Demo: true, Secret: strings.Repeat("cd", 32)}
			if d == sqldb.Postgres {
				cfg.DB = storetest.CreatePostgresDB(t)
			}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			a, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			return a
		}
		before := len(templates)
		first, second := open(clock), open(clock)
		if n := len(templates) - before; n != 1 {
			t.Errorf("two opens of one configuration made %d templates, want 1", n)
		}
		count := func(a *app.App) int {
			n, err := a.Store.CountListings(ctx, tongban.ListingFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n1, n2 := count(first), count(second); n1 == 0 || n1 != n2 {
			t.Fatalf("listings: %d in the first app, %d in the copy; want the same demo city", n1, n2)
		}
		if _, err := second.Store.UserByLogin(ctx, "511602199003071232"); err != nil {
			t.Fatalf("the copy lacks the demo's 张三: %v", err)
		}
		u := &tongban.User{Kind: tongban.UserCitizen, Name: "李雷", Username: "lilei_apptest", CreatedAt: clock.Now()}
		if err := first.Store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := second.Store.UserByLogin(ctx, "lilei_apptest"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("a user created in the first app is seen by the copy: %v", err)
		}
		if third := open(clock); third != nil {
			if _, err := third.Store.UserByLogin(ctx, "lilei_apptest"); !tongban.IsCode(err, tongban.ENotFound) {
				t.Errorf("a later copy holds what an earlier app wrote: %v", err)
			}
		}
		if d == sqldb.Postgres {
			return // the key is the same function on both engines; one more demo load is enough
		}
		open(tongban.NewManualClock(time.Date(2026, 10, 9, 1, 0, 0, 0, time.UTC)))
		if n := len(templates) - before; n != 2 {
			t.Errorf("another clock time made %d templates in all, want 2", n)
		}
	})
}
