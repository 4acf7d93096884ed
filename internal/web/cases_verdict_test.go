package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/workflow"
)

// Once the department has answered the 差评, the case page offers the rater
// the verdict form; a level outside 满意, 基本满意, 不满意 comes back with the
// reason; the verdict then shows and the form is gone.
func TestCasePageVerdict(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	c := s.onlineCase()
	if _, err := s.app.Workflow.Reject(ctx, workflow.Request{Actor: s.user("clerk")}, c.ID, []string{"不属于本机关职权范围"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.app.Ratings.Submit(ctx, identity.Request{Actor: s.user(demo.Citizen.IDNumber)}, c.Number,
		rating.Input{Channel: tongban.RatingWeb, Level: tongban.RatingDissatisfied, Reasons: []string{"政策解释不清"}})
	if err != nil {
		t.Fatal(err)
	}
	page := "/cases/" + c.Number
	citizen := s.as(demo.Citizen.IDNumber)
	if _, body := citizen.get(page); strings.Contains(body, `id="verdict"`) {
		t.Fatal("the verdict form is offered before the department answered")
	}
	if _, err := s.app.Ratings.Respond(ctx, identity.Request{Actor: s.user("deptadmin")}, got.Ticket.ID,
		rating.Answer{Action: "verify", Valid: false, Text: "已当面解释不予受理的依据"}); err != nil {
		t.Fatal(err)
	}
	_, body := citizen.get(page)
	mustContain(t, "answered", body, `id="verdict"`, `id="verdict-4"`, `id="verdict-3"`, `id="verdict-2"`, "已当面解释不予受理的依据")
	action := page + "/ratings/case/verdict"
	if status, _, _ := s.as("clerk").post("/console/cases/"+c.Number, action, url.Values{"level": {"4"}}); status != http.StatusForbidden {
		t.Errorf("a clerk judging for the rater: %d; want 403", status)
	}
	status, body, _ := citizen.post(page, action, url.Values{"level": {"5"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "对答复的评价应为") {
		t.Fatalf("a level outside the three: %d %s", status, errorOf(body))
	}
	if status, _, loc := citizen.post(page, action, url.Values{"level": {"3"}, "comment": {"解释了但没有书面材料"}}); status != http.StatusSeeOther || loc != page {
		t.Fatalf("verdict: %d → %s", status, loc)
	}
	_, body = citizen.get(page)
	mustContain(t, "judged", body, `id="rating-verdict"`, "基本满意", "解释了但没有书面材料")
	if strings.Contains(body, `id="verdict"`) {
		t.Error("the verdict form is still offered after the verdict")
	}
}
