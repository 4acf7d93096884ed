package search

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/sqldb/sqldbtest"
)

// TestListingChangesReadFromTheIndexAlone: on SQLite the poll's read of
// recently stamped listings is answered by listings_changes without
// touching the table (migration 00065), so re-reading an import's 100,000
// rows for pollOverlap reads index pages only.
func TestListingChangesReadFromTheIndexAlone(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.MigratedSQLite(t)
	plan, err := db.QueryPlan(ctx, listingChangesQuery, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	if plan != "SEARCH listings USING COVERING INDEX listings_changes (updated_at>?)" {
		t.Errorf("plan: %s", plan)
	}
}
