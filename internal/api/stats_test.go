package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/jsontext"
	"github.com/tongban/tongban/internal/stats"
)

// TestMeasuresOverHTTP walks two cases through the workflow, folds the
// events in and reads the measures as the supervisor sees them.
func TestMeasuresOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	l := demoFoodListing(t, a)
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	first := submitNew(t, citizen, l, "一")
	submitNew(t, citizen, l, "二")
	signIn(t, srv, "clerk").act(first.Number, "accept", map[string]any{"note": "材料齐全"})
	if err := a.Stats.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Filter struct{ From, To, Region string } `json:"filter"`
		Rows   []struct {
			OrgID   int64  `json:"org_id"`
			OrgName string `json:"org_name"`
			Cases   struct {
				Submitted, Accepted, MaterialsAsked int64
				MaterialsNotHanded                  int64    `json:"materials_not_handed"`
				MaterialsSaved                      *float64 `json:"materials_saved"`
				OnTimeRate                          *float64 `json:"on_time_rate"`
				Ratings                             string   `json:"ratings"`
			} `json:"cases"`
			Catalog struct {
				Listings   int      `json:"listings"`
				OnlineRate *float64 `json:"online_rate"`
			} `json:"catalog"`
		} `json:"rows"`
	}
	status, body := signIn(t, srv, "supervisor").do("GET", "/api/v1/stats/measures", nil)
	if status != http.StatusOK || json.Unmarshal(body, &d) != nil {
		t.Fatalf("measures: %d %s", status, body)
	}
	if d.Filter.From != "2026-01-01" || d.Filter.To != "2026-03-02" {
		t.Errorf("default period %+v, want this quarter so far", d.Filter)
	}
	// The answer is kept encoded with its dashboard: byte for byte what a
	// request computing the dashboard and writing it would answer.
	var echoed struct{ Filter tongban.RollupFilter }
	if err := json.Unmarshal(body, &echoed); err != nil {
		t.Fatal(err)
	}
	computed, err := stats.Compute(context.Background(), a.Store, echoed.Filter)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := jsontext.Answer(computed); !bytes.Equal(body, want) {
		t.Errorf("kept answer\n%s\ndiffers from the dashboard computed now\n%s", body, want)
	}
	found := false
	for _, r := range d.Rows {
		if r.OrgID != l.OrgID {
			continue
		}
		found = true
		// Each application uploads all five materials: nothing is spared
		// without a reference the server resolved.
		c := r.Cases
		if c.Submitted != 2 || c.Accepted != 1 || c.MaterialsNotHanded != 0 || c.MaterialsSaved == nil ||
			*c.MaterialsSaved != 0 || c.OnTimeRate != nil || c.Ratings != "暂无评价数据" {
			t.Errorf("%s: %+v", r.OrgName, c)
		}
		if r.Catalog.Listings == 0 || r.Catalog.OnlineRate == nil {
			t.Errorf("%s catalog: %+v", r.OrgName, r.Catalog)
		}
	}
	if !found {
		t.Errorf("no row for the listing's department: %s", body)
	}
	if status, body := citizen.do("GET", "/api/v1/stats/measures", nil); status != http.StatusForbidden {
		t.Errorf("citizen: %d %s", status, body)
	}
	if status, _ := signIn(t, srv, "supervisor").do("GET", "/api/v1/stats/measures?from=2026-13-01", nil); status != http.StatusBadRequest {
		t.Errorf("bad date: %d", status)
	}

	// The item filter is honoured, not dropped: the food item has the two
	// applications; another item (社会保障卡申领) has none of them.
	submitted := func(query string) (n int64) {
		t.Helper()
		status, body := signIn(t, srv, "supervisor").do("GET", "/api/v1/stats/measures?"+query, nil)
		var d struct {
			Total struct {
				Cases struct{ Submitted int64 } `json:"cases"`
			} `json:"total"`
		}
		if status != http.StatusOK || json.Unmarshal(body, &d) != nil {
			t.Fatalf("%s: %d %s", query, status, body)
		}
		return d.Total.Cases.Submitted
	}
	card, err := a.Store.Listings(context.Background(), tongban.ListingFilter{Q: "社会保障卡申领", Status: tongban.ListingPublished})
	if err != nil || len(card) == 0 {
		t.Fatalf("card listing: %v", err)
	}
	if n := submitted(fmt.Sprintf("item=%d", l.ItemID)); n != 2 {
		t.Errorf("item %d (food): %d submitted, want 2", l.ItemID, n)
	}
	if n := submitted(fmt.Sprintf("item=%d", card[0].ItemID)); n != 0 {
		t.Errorf("item %d (card): %d submitted, want 0", card[0].ItemID, n)
	}
	status, body = signIn(t, srv, "supervisor").do("GET", "/api/v1/stats/measures?item=x", nil)
	if status != http.StatusBadRequest || !strings.Contains(string(body), `"field":"item"`) {
		t.Errorf("bad item: %d %s", status, body)
	}
}
