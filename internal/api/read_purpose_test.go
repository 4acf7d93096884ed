package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/demo"
)

// TestApplicantReadsNeedAPurpose: GET /api/v1/users/{id}?full=1 let any
// window clerk read any citizen's full ID number and phone (20 people in
// 0.1 s) and any approver any citizen. Now a purpose the workflow knows
// is required (a case the reader may see, or the applicant served at the
// counter after a lookup by the ID number presented), a full value needs
// a reason recorded for the person, and a burst of full reads puts an
// alert on the supervision page.
func TestApplicantReadsNeedAPurpose(t *testing.T) {
	t.Parallel()
	srv, a := siteWith(t, func(c *app.Config) { c.FullReadsPerHour = 2 })
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	c := submitNew(t, citizen, demoFoodListing(t, a), "purpose")
	id := itoa(userID(t, a, demo.Citizen.IDNumber))
	clerk, approver, other := signIn(t, srv, "clerk"), signIn(t, srv, "approver"), signIn(t, srv, "approver-rsj")

	for _, tc := range []struct {
		name  string
		c     *client
		query string
		want  int
	}{
		{"clerk, full, no purpose", clerk, "?full=1", 403},
		{"clerk, no purpose", clerk, "", 403},
		{"approver, no purpose", approver, "", 403},
		{"another department's approver with the case", other, "?case=" + c.Number, 403},
		{"clerk at the counter before the lookup", clerk, "?counter=1", 403},
		{"approver with the case", approver, "?case=" + c.Number, 200},
	} {
		status, body := tc.c.do("GET", "/api/v1/users/"+id+tc.query, nil)
		if status != tc.want || status == 200 && strings.Contains(string(body), demo.Citizen.IDNumber) {
			t.Errorf("%s: %d %s, want %d (masked)", tc.name, status, body, tc.want)
		}
	}

	status, body := clerk.json("POST", "/api/v1/applicants/lookup", map[string]string{"id_number": demo.Citizen.IDNumber})
	if status != 200 || strings.Contains(string(body), demo.Citizen.IDNumber) {
		t.Fatalf("counter lookup: %d %s", status, body)
	}
	status, body = clerk.do("GET", "/api/v1/users/"+id+"?counter=1&full=1", nil)
	wantError(t, status, body, 400, "invalid", "reason")
	for i := 0; i < 3; i++ {
		status, body = clerk.do("GET", "/api/v1/users/"+id+"?counter=1&full=1&reason=%E6%A0%B8%E5%AF%B9%E8%81%94%E7%B3%BB%E7%94%B5%E8%AF%9D", nil)
		if status != 200 || !strings.Contains(string(body), demo.Citizen.IDNumber) {
			t.Fatalf("full read with a reason: %d %s", status, body)
		}
	}
	uses, _ := a.Store.DataUses(context.Background(), userID(t, a, demo.Citizen.IDNumber), 50, 0)
	reveals := 0
	for _, u := range uses {
		if u.Kind == tongban.DataUseStaffReveal && u.Reason == "核对联系电话" && !strings.Contains(u.ActorName, "clerk") {
			reveals++
		}
	}
	if reveals != 3 {
		t.Errorf("%d reveals recorded for the citizen, want 3", reveals)
	}
	supervisor := signIn(t, srv, "supervisor")
	status, page := supervisor.do("GET", "/console/supervision", nil)
	if status != 200 || !strings.Contains(string(page), `id="staff-alerts"`) || !strings.Contains(string(page), "陈窗口") {
		t.Errorf("supervision page: %d, no alert about the clerk", status)
	}
}
