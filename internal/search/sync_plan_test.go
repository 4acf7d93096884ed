package search

import (
	"context"
	"path/filepath"
	"strings"
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
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+listingChangesQuery, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if plan := strings.Join(steps, "; "); plan != "SEARCH listings USING COVERING INDEX listings_changes (updated_at>?)" {
		t.Errorf("plan: %s", plan)
	}
}
