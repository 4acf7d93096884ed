package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
)

type ratedJSON struct {
	Rating struct {
		ID        int64  `json:"id"`
		Encounter string `json:"encounter"`
		Channel   string `json:"channel"`
		Level     int    `json:"level"`
		OrgID     int64  `json:"org_id"`
	} `json:"rating"`
	Ticket *struct {
		ID         int64  `json:"id"`
		State      string `json:"state"`
		VerifyDue  string `json:"verify_due"`
		RectifyDue string `json:"rectify_due"`
		Answer     string `json:"answer"`
		Version    int    `json:"version"`
	} `json:"ticket"`
}

// A citizen rates a decided case 不满意 by QR; staff cannot rate for him;
// the department (not the rated staff) sees the ticket without the rater,
// verifies and rectifies it; the citizen sees the answer.
func TestRatingAndTicketOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	l := demoFoodListing(t, a)
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	c := submitNew(t, citizen, l, "rate")
	path := "/api/v1/cases/" + c.Number + "/ratings"
	bad := map[string]any{"encounter": "case", "channel": "qr", "level": 2, "reasons": []string{"多次跑动"},
		"indicators": map[string]int{"办事效率": 2}, "comment": "材料要求前后不一"}

	status, body := citizen.json("POST", path, bad)
	wantError(t, status, body, 400, "invalid", "encounter")
	if !strings.Contains(string(body), "尚未作出决定") {
		t.Errorf("rating before the decision should say why: %s", body)
	}
	clerk := signIn(t, srv, "clerk")
	clerk.act(c.Number, "reject", map[string]any{"reasons": []string{"申请事项不属于本机关职权范围"}})

	status, body = clerk.json("POST", path, bad)
	wantError(t, status, body, 403, "forbidden", "")
	enterprise := signIn(t, srv, demo.Enterprise.CreditCode)
	status, body = enterprise.json("POST", path, bad)
	wantError(t, status, body, 403, "forbidden", "")
	status, body = citizen.json("POST", path, map[string]any{"encounter": "case", "channel": "qr", "level": 1})
	wantError(t, status, body, 400, "invalid", "reasons")

	// The channel is proved, never taken on the rater's word: 二维码 needs
	// the signed link of this case's 一事一评, and the window's device
	// speaks only for itself.
	status, body = citizen.json("POST", path, bad)
	wantError(t, status, body, 400, "invalid", "link")
	other := submitNew(t, citizen, l, "rate-other")
	for _, wrong := range []string{"forged." + strings.Repeat("A", 43), a.Ratings.Links.Sign(other.Number, "case", tongban.RatingQR),
		a.Ratings.Links.Sign(c.Number, "case", tongban.RatingSMS)} {
		bad["link"] = wrong
		status, body = citizen.json("POST", path, bad)
		wantError(t, status, body, 400, "invalid", "link")
	}
	status, body = citizen.json("POST", path, map[string]any{"encounter": "case", "channel": "window_device", "level": 5})
	wantError(t, status, body, 400, "invalid", "channel")
	bad["link"] = a.Ratings.Links.Sign(c.Number, "case", tongban.RatingQR)
	status, body = citizen.json("POST", path, bad)
	var got ratedJSON
	if status != http.StatusCreated || json.Unmarshal(body, &got) != nil || got.Ticket == nil {
		t.Fatalf("rating: %d %s", status, body)
	}
	// Rated Monday 2026-03-02: 回访核实 the next working day, 整改 the tenth
	// (03-03 … 03-06, 03-09 … 03-13, 03-16).
	if got.Rating.Channel != "qr" || got.Ticket.State != "verifying" || got.Ticket.VerifyDue != "2026-03-03" || got.Ticket.RectifyDue != "2026-03-16" {
		t.Errorf("rated: %s", body)
	}
	status, body = citizen.json("POST", path, map[string]any{"encounter": "case", "channel": "web", "level": 5})
	wantError(t, status, body, 409, "conflict", "encounter")

	var n int
	if err := a.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM outbox WHERE type = 'rating.submitted' AND payload NOT LIKE '%张三%'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("rating.submitted events without the rater = %d, %v; want 1", n, err)
	}

	approver := signIn(t, srv, "approver")
	status, body = approver.do("GET", "/api/v1/rectifications", nil)
	wantError(t, status, body, 403, "forbidden", "")
	admin := signIn(t, srv, "deptadmin")
	status, body = admin.do("GET", "/api/v1/rectifications", nil)
	if status != 200 || !strings.Contains(string(body), c.Number) || !strings.Contains(string(body), "材料要求前后不一") ||
		strings.Contains(string(body), "张三") || strings.Contains(string(body), "rater") {
		t.Fatalf("department's tickets: %d %s", status, body)
	}
	tk := "/api/v1/rectifications/" + itoa(got.Ticket.ID)
	status, body = admin.json("POST", tk+"/answer", map[string]any{"action": "rectify", "text": "已整改"})
	wantError(t, status, body, 409, "conflict", "")
	status, body = admin.json("POST", tk+"/answer", map[string]any{"action": "verify", "valid": true, "text": "已电话回访，情况属实", "version": 1})
	if status != 200 || !strings.Contains(string(body), `"state":"rectifying"`) {
		t.Fatalf("verify: %d %s", status, body)
	}
	status, body = admin.json("POST", tk+"/answer", map[string]any{"action": "rectify", "text": "统一材料清单并公示", "version": 2})
	if status != 200 || !strings.Contains(string(body), `"state":"rectified"`) {
		t.Fatalf("rectify: %d %s", status, body)
	}

	status, body = citizen.do("GET", path, nil)
	var mine []ratedJSON
	if status != 200 || json.Unmarshal(body, &mine) != nil || len(mine) != 1 || mine[0].Ticket == nil ||
		mine[0].Ticket.State != "rectified" || mine[0].Ticket.Answer != "统一材料清单并公示" {
		t.Fatalf("the rater's view: %d %s", status, body)
	}
	status, body = clerk.do("GET", path, nil)
	wantError(t, status, body, 403, "forbidden", "")
	status, body = citizen.json("PUT", path+"/case", map[string]any{"level": 4})
	if status != 200 || !strings.Contains(string(body), `"level":4`) {
		t.Errorf("changing within the window: %d %s", status, body)
	}
}
