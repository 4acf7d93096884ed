package sqldb

import (
	"context"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
)

// A database that already has a later-numbered migration still gets an
// earlier one that landed after it, rather than refusing to start.
func TestMigrationsLandingOutOfOrder(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	all, err := fs.Sub(migrations, "migrations/sqlite")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(all, "*.sql")
	if err != nil || len(names) < 3 {
		t.Fatalf("migrations: %v %v", names, err)
	}
	held := names[len(names)-2] // the second-to-last lands late
	early := fstest.MapFS{}
	for _, n := range names {
		if n == held {
			continue
		}
		b, err := fs.ReadFile(all, n)
		if err != nil {
			t.Fatal(err)
		}
		early[n] = &fstest.MapFile{Data: b}
	}
	p, err := db.providerOf(early)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("migrations without %s: %v", held, err)
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		t.Fatalf("the late migration %s: %v", held, err)
	}
	if len(applied) != 1 || !slices.Contains(names, held) {
		t.Errorf("applied %v, want only %s", applied, held)
	}
}
