package api_test

import (
	"context"
	"encoding/json"
	"github.com/tongban/tongban"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/demo"
)

// The rater judges the department's answer (not before it, not twice, not
// staff), and the month's figures are published without signing in.
func TestVerdictAndPublicRatingsOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	l := demoFoodListing(t, a)
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	c := submitNew(t, citizen, l, "verdict")
	clerk := signIn(t, srv, "clerk")
	clerk.act(c.Number, "reject", map[string]any{"reasons": []string{"申请事项不属于本机关职权范围"}})
	path := "/api/v1/cases/" + c.Number + "/ratings"
	status, body := citizen.json("POST", path, map[string]any{"encounter": "case", "channel": "qr", "level": 1,
		"reasons": []string{"政策解释不清"}, "link": a.Ratings.Links.Sign(c.Number, "case", tongban.RatingQR)})
	var got ratedJSON
	if status != http.StatusCreated || json.Unmarshal(body, &got) != nil || got.Ticket == nil {
		t.Fatalf("rating: %d %s", status, body)
	}
	verdict := path + "/case/verdict"
	status, body = citizen.json("POST", verdict, map[string]any{"level": 4})
	wantError(t, status, body, 409, "conflict", "")
	admin := signIn(t, srv, "deptadmin")
	status, body = admin.json("POST", "/api/v1/rectifications/"+itoa(got.Ticket.ID)+"/answer",
		map[string]any{"action": "verify", "valid": false, "text": "不予受理的依据已当面解释，并附文件"})
	if status != 200 {
		t.Fatalf("verify: %d %s", status, body)
	}
	status, body = clerk.json("POST", verdict, map[string]any{"level": 4})
	wantError(t, status, body, 403, "forbidden", "")
	status, body = citizen.json("POST", verdict, map[string]any{"level": 5})
	wantError(t, status, body, 400, "invalid", "level")
	status, body = citizen.json("POST", verdict, map[string]any{"level": 3, "comment": "解释清楚了"})
	if status != http.StatusCreated || !strings.Contains(string(body), `"verdict":{`) || !strings.Contains(string(body), `"level":3`) {
		t.Fatalf("verdict: %d %s", status, body)
	}
	status, body = citizen.json("POST", verdict, map[string]any{"level": 4})
	wantError(t, status, body, 409, "conflict", "level")

	if err := a.Stats.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	anon := newClient(t, srv)
	status, body = anon.do("GET", "/api/v1/public/ratings?month=2026-13", nil)
	wantError(t, status, body, 400, "invalid", "month")
	status, body = anon.do("GET", "/api/v1/public/ratings?month=2026-03", nil)
	var pub struct {
		Month       string `json:"month"`
		Departments []struct {
			OrgName     string   `json:"org_name"`
			Rated       int64    `json:"rated"`
			GoodRate    *float64 `json:"good_rate"`
			Tickets     int64    `json:"tickets"`
			RectifyRate *float64 `json:"rectify_rate"`
			OnTimeRate  *float64 `json:"on_time_rate"`
		} `json:"departments"`
		Trend []struct {
			Month string `json:"month"`
			Rated int64  `json:"rated"`
		} `json:"trend"`
	}
	if status != 200 || json.Unmarshal(body, &pub) != nil || pub.Month != "2026-03" || len(pub.Departments) != 1 {
		t.Fatalf("public ratings: %d %s", status, body)
	}
	d := pub.Departments[0]
	if d.Rated != 1 || d.GoodRate == nil || *d.GoodRate != 0 || d.Tickets != 1 || d.RectifyRate == nil || *d.RectifyRate != 1 ||
		d.OnTimeRate == nil || *d.OnTimeRate != 1 || len(pub.Trend) != 12 || pub.Trend[11].Rated != 1 {
		t.Errorf("March: %s", body)
	}
	if strings.Contains(string(body), "张三") || strings.Contains(string(body), c.Number) {
		t.Errorf("the public figures name a person or a case: %s", body)
	}
	status, body = anon.do("GET", "/api/v1/public/ratings?month=2026-02", nil)
	if status != 200 || !strings.Contains(string(body), `"departments":[]`) {
		t.Errorf("a month nobody rated: %d %s", status, body)
	}
}
