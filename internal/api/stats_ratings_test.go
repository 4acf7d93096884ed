package api_test

import (
	"context"
	"encoding/json"
	"github.com/tongban/tongban"
	"net/http"
	"testing"

	"github.com/tongban/tongban/internal/demo"
)

// The supervisor reads the rating measures by channel; others are refused,
// and a grouping or filter ratings are not counted by is refused naming it.
func TestRatingStatsOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	l := demoFoodListing(t, a)
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	clerk := signIn(t, srv, "clerk")
	for i, level := range []int{5, 2} {
		c := submitNew(t, citizen, l, "stats"+itoa(int64(i)))
		clerk.act(c.Number, "reject", map[string]any{"reasons": []string{"申请事项不属于本机关职权范围"}})
		in := map[string]any{"encounter": "case", "channel": []string{"web", "qr"}[i], "level": level}
		if i == 1 { // the 二维码 channel, proved by the case's signed link
			in["link"] = a.Ratings.Links.Sign(c.Number, "case", tongban.RatingQR)
		}
		if level == 2 {
			in["reasons"] = []string{"办理时间过长"}
		}
		if status, body := citizen.json("POST", "/api/v1/cases/"+c.Number+"/ratings", in); status != http.StatusCreated {
			t.Fatalf("rating %d: %d %s", i, status, body)
		}
	}
	if err := a.Stats.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	sup := signIn(t, srv, "supervisor")
	status, body := sup.do("GET", "/api/v1/stats/ratings?by=channel&from=2026-03-01&to=2026-03-31", nil)
	var table struct {
		Rows []struct {
			Key      string   `json:"key"`
			Name     string   `json:"name"`
			Rated    int64    `json:"rated"`
			BadRate  *float64 `json:"bad_rate"`
			GoodRate *float64 `json:"good_rate"`
			Tickets  int64    `json:"tickets"`
		} `json:"rows"`
		Total struct {
			Rated    int64    `json:"rated"`
			GoodRate *float64 `json:"good_rate"`
		} `json:"total"`
	}
	if status != 200 || json.Unmarshal(body, &table) != nil || len(table.Rows) != 2 || table.Total.Rated != 2 ||
		table.Total.GoodRate == nil || *table.Total.GoodRate != 0.5 {
		t.Fatalf("by channel: %d %s", status, body)
	}
	for _, r := range table.Rows {
		switch r.Key {
		case "qr":
			if r.Name != "二维码" || r.Rated != 1 || r.BadRate == nil || *r.BadRate != 1 || r.Tickets != 1 {
				t.Errorf("qr row: %+v", r)
			}
		case "web":
			if r.Name != "网站" || r.Rated != 1 || r.GoodRate == nil || *r.GoodRate != 1 {
				t.Errorf("web row: %+v", r)
			}
		default:
			t.Errorf("row %+v", r)
		}
	}
	status, body = clerk.do("GET", "/api/v1/stats/ratings", nil)
	wantError(t, status, body, 403, "forbidden", "")
	status, body = sup.do("GET", "/api/v1/stats/ratings?by=rater", nil)
	wantError(t, status, body, 400, "invalid", "by")
	status, body = sup.do("GET", "/api/v1/stats/ratings?channel=online", nil)
	wantError(t, status, body, 400, "invalid", "channel")
	status, body = sup.do("GET", "/api/v1/stats/ratings?rating_channel=fax", nil)
	wantError(t, status, body, 400, "invalid", "rating_channel")
}
