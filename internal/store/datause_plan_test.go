package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb/sqldbtest"
)

// TestStaffUseCountsUseTheirIndex: the two counts by actor (a staff member's
// full reads, a clerk's counter look-ups) search data_uses_staff, which holds
// the staff kinds alone (migration 00064), on SQLite's planner; a count of
// another kind by actor still runs, without it. PostgreSQL's choice depends
// on its statistics; storetest's TestDataUsesCounted checks the counts there.
func TestStaffUseCountsUseTheirIndex(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.MigratedSQLite(t)
	since := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	plan := func(f tongban.DataUseCount) string {
		q, args := countUsesQuery(f)
		p, err := db.QueryPlan(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return p
	}
	for _, f := range []tongban.DataUseCount{
		{ActorID: 7, Kind: tongban.DataUseStaffReveal, Since: since},
		{SubjectID: 3, ActorID: 7, Kind: tongban.DataUseCounterLookup, Since: since},
	} {
		if p := plan(f); !strings.Contains(p, "data_uses_staff") {
			t.Errorf("count %+v: plan %q; want it to search data_uses_staff", f, p)
		}
	}
	if p := plan(tongban.DataUseCount{ActorID: 7, Kind: tongban.DataUseLicense}); strings.Contains(p, "data_uses_staff") {
		t.Errorf("count of 用证 by actor: plan %q uses the staff index, which does not hold its rows", p)
	}
}
