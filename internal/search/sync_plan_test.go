package search

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/sqldb"
)

// TestListingChangesReadFromTheIndexAlone: on SQLite the poll's read of
// recently stamped listings is answered by listings_changes without
// touching the table (migration 00065), so re-reading an import's 100,000
// rows for pollOverlap reads index pages only.
func TestListingChangesReadFromTheIndexAlone(t *testing.T) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	plan, err := db.QueryPlan(ctx, listingChangesQuery, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	if plan != "SEARCH listings USING COVERING INDEX listings_changes (updated_at>?)" {
		t.Errorf("plan: %s", plan)
	}
}
