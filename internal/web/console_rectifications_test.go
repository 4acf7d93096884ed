package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/workflow"
)

// The department's administrator answers a 差评 ticket in the console
// (回访核实, then 整改) and appeals it; the supervisor reads the region's
// tickets and upholds the appeal; the rated clerk has no access. The page
// never names the rater.
func TestConsoleTicketsAnsweredAndAppealed(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	c := s.onlineCase()
	if _, err := s.app.Workflow.Reject(ctx, workflow.Request{Actor: s.user("clerk")}, c.ID, []string{"申请事项不属于本机关职权范围"}); err != nil {
		t.Fatal(err)
	}
	rated, err := s.app.Ratings.Submit(ctx, identity.Request{Actor: s.user(demo.Citizen.IDNumber)}, c.Number,
		rating.Input{Channel: tongban.RatingWeb, Level: tongban.RatingDissatisfied, Reasons: []string{"多次跑动"}, Comment: "窗口说法与指南不一致"})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(rated.Ticket.ID, 10)
	const page = "/console/rectifications"

	if status, _ := s.as("clerk").get(page); status != http.StatusForbidden {
		t.Errorf("the rated clerk opening tickets: %d; want 403", status)
	}
	admin := s.as("deptadmin")
	_, body := admin.get("/console")
	if strings.Count(body, `href="/console/rectifications"`) != 1 {
		t.Error("the console does not link the tickets page once")
	}
	_, body = admin.get(page)
	mustContain(t, "department's tickets", body, `id="ticket-`+id+`"`, c.Number, "窗口说法与指南不一致", "待核实", `class="stacked verify-form"`, `class="stacked appeal-form"`)
	if strings.Contains(body, demo.Citizen.Name) || strings.Contains(body, demo.Citizen.IDNumber) {
		t.Error("the ticket page names the rater")
	}

	status, body, _ := admin.post(page, page+"/"+id+"/answer", url.Values{"action": {"verify"}, "valid": {"true"}, "version": {"1"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "请填写核实情况") {
		t.Fatalf("an answer without text: %d %s", status, errorOf(body))
	}
	status, _, loc := admin.post(page, page+"/"+id+"/answer", url.Values{"action": {"verify"}, "valid": {"true"}, "version": {"1"},
		"text": {"已电话回访申请人，情况属实"}})
	if status != http.StatusSeeOther || loc != page {
		t.Fatalf("verify: %d → %s", status, loc)
	}
	_, body = admin.get(page)
	mustContain(t, "verified ticket", body, "整改中", "已电话回访申请人，情况属实", `class="stacked rectify-form"`)
	if status, _, _ := admin.post(page, page+"/"+id+"/appeal", url.Values{"ground": {"mistaken"},
		"reason": {"申请人所述为另一部门窗口"}}); status != http.StatusSeeOther {
		t.Fatalf("appeal: %d", status)
	}
	_, body = admin.get(page)
	mustContain(t, "appealed ticket", body, "待裁定")

	sup := s.as("supervisor")
	_, body = sup.get(page)
	mustContain(t, "supervisor's tickets", body, `id="ticket-`+id+`"`, `id="appeals"`, "申请人所述为另一部门窗口")
	if strings.Contains(body, "verify-form") || strings.Contains(body, "rectify-form") {
		t.Error("the supervisor is offered the department's answer")
	}
	appeal, err := s.app.Store.AppealOfRating(ctx, rated.Rating.ID)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, _ := sup.post(page, "/console/appeals/"+strconv.FormatInt(appeal.ID, 10), url.Values{"upheld": {"true"},
		"version": {"1"}, "text": {"经核实，评价的是另一部门的窗口"}}); status != http.StatusSeeOther {
		t.Fatalf("decide: %d", status)
	}
	tk, _ := s.app.Store.RatingTicket(ctx, rated.Ticket.ID)
	if a, _ := s.app.Store.AppealOfRating(ctx, rated.Rating.ID); a.State != tongban.AppealUpheld || tk.State != tongban.TicketInvalid {
		t.Errorf("after the ruling: appeal %s, ticket %s", a.State, tk.State)
	}
	_, body = admin.get(page + "?all=true")
	mustContain(t, "the record", body, "申诉成立", "经核实，评价的是另一部门的窗口")
}
