package store

import (
	"context"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/sqldb/sqldbtest"
)

// TestCaseEventsReadInCaseOrder: on SQLite a case's events are kept in
// (case_id, seq) order without a rowid (migration 00066), so the reads with
// every view of a case find them by the table's own key: one descent to
// the case's events, no index entry then a table row per event.
func TestCaseEventsReadInCaseOrder(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.MigratedSQLite(t)
	for name, q := range map[string]string{
		"case with events": caseWithEventsQuery,
		"case stamp":       caseStampQuery,
		"events":           caseEventsQuery,
	} {
		plan, err := db.QueryPlan(ctx, q, "20261206000001")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Only case_events has a primary key on case_id.
		if !strings.Contains(plan, "USING PRIMARY KEY (case_id=?)") {
			t.Errorf("%s: plan %q; want case_events searched by its primary key", name, plan)
		}
	}
}
