package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

// The supervision page's trend (its table, the chart's no-script
// fallback) shows a past month's hand-made rollup cells: 4 closed, 3 on
// time; 5 ratings, 4 good; 1 ticket closed, on time.
func TestSupervisionTrendTable(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t) // March 2026: the trend runs 2025-04 to 2026-03
	ctx := context.Background()
	orgs, err := s.app.Store.Orgs(ctx, tongban.OrgFilter{Name: "广安区市场监督管理局"})
	if err != nil || len(orgs) != 1 {
		t.Fatalf("org: %v %v", orgs, err)
	}
	o := orgs[0]
	err = s.app.Store.Transact(ctx, func(tx tongban.Store) error {
		wm, err := tx.RollupWatermark(ctx)
		if err != nil {
			return err
		}
		if err := tx.ApplyRollups(ctx, map[tongban.RollupKey]tongban.RollupCounts{
			{Day: "2025-12-01", RegionCode: o.RegionCode, OrgID: o.ID, ListingID: 1}: {Closed: 3, ClosedOnTime: 3},
			{Day: "2025-12-31", RegionCode: o.RegionCode, OrgID: o.ID, ListingID: 1}: {Closed: 1},
			{Day: "2025-03-31", RegionCode: o.RegionCode, OrgID: o.ID, ListingID: 1}: {Closed: 7}, // before the twelve months
		}, wm); err != nil {
			return err
		}
		if wm, err = tx.RatingRollupWatermark(ctx); err != nil {
			return err
		}
		return tx.ApplyRatingRollups(ctx, map[tongban.RatingRollupKey]tongban.RatingRollupCounts{
			{Day: "2025-12-15", RegionCode: o.RegionCode, OrgID: o.ID, Channel: tongban.RatingWeb}: {Rated: 5, Good: 4, Bad: 1, Tickets: 1, Closed: 1, ClosedOnTime: 1},
		}, wm)
	})
	if err != nil {
		t.Fatal(err)
	}
	status, page := s.as("supervisor").get("/console/supervision")
	if status != http.StatusOK {
		t.Fatalf("supervision: %d %s", status, errorOf(page))
	}
	i := strings.Index(page, `id="supervision-trend"`)
	if i < 0 {
		t.Fatal("no trend table")
	}
	table := page[i : i+strings.Index(page[i:], "</table>")]
	rows := strings.Split(table, "<tr>")[2:] // after the header
	if len(rows) != 12 || !strings.HasPrefix(rows[0], "<td>2025-04</td>") || !strings.HasPrefix(rows[11], "<td>2026-03</td>") {
		t.Fatalf("twelve months from 2025-04 to 2026-03: %s", table)
	}
	if want := "<td>2025-12</td><td>4</td><td>75.0%</td><td>5</td><td>80.0%</td><td>1</td><td>100.0%</td></tr>"; !strings.HasPrefix(rows[8], want) {
		t.Errorf("December: %s, want %s", rows[8], want)
	}
	if want := "<td>2025-11</td><td>0</td><td>—</td><td>0</td><td>—</td><td>0</td><td>—</td></tr>"; !strings.HasPrefix(rows[7], want) {
		t.Errorf("November (nothing): %s", rows[7])
	}
	mustContain(t, "chart", page, `id="supervision-chart"`, `/static/supervision_chart.js`)
}
