package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/workflow"
)

// The public 成绩单 shows, without signing in, each rated department's
// month: one 不满意 whose ticket was explained (核实无效) on time is 1
// rating, 好评率 0.0%, 差评整改率 100.0%, 整改按时率 100.0%; a bad month
// says so; the English page writes half-width punctuation.
func TestPublicRatingsPage(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	c := s.onlineCase()
	if _, err := s.app.Workflow.Reject(ctx, workflow.Request{Actor: s.user("clerk")}, c.ID, []string{"不属于本机关职权范围"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.app.Ratings.Submit(ctx, identity.Request{Actor: s.user(demo.Citizen.IDNumber)}, c.Number,
		rating.Input{Channel: tongban.RatingSMS, Level: tongban.RatingDissatisfied, Reasons: []string{"政策解释不清"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.Ratings.Respond(ctx, identity.Request{Actor: s.user("deptadmin")}, got.Ticket.ID,
		rating.Answer{Action: "verify", Valid: false, Text: "已当面解释"}); err != nil {
		t.Fatal(err)
	}
	if err := s.app.Stats.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	anon := &browser{t: t, base: s.base, c: &http.Client{Jar: jar}}
	status, page := anon.get("/ratings?month=2026-03")
	if status != http.StatusOK {
		t.Fatalf("public page: %d", status)
	}
	row := page[strings.Index(page, `id="public-ratings"`):]
	row = row[strings.Index(row, "<tbody>"):strings.Index(row, "</tbody>")]
	if !strings.Contains(row, "<td>广安市市场监督管理局</td><td>1</td><td>0.0%</td><td>1</td><td>100.0%</td><td>100.0%</td>") {
		t.Errorf("March row: %s", row)
	}
	if strings.Contains(page, c.Number) || strings.Contains(page, demo.Citizen.Name) {
		t.Error("the public page names a case or a person")
	}
	_, page = anon.get("/ratings?month=2026-02")
	mustContain(t, "a month nobody rated", page, `id="ratings-none"`, "暂无评价数据")
	status, page = anon.get("/ratings?month=March")
	if status != http.StatusBadRequest || !strings.Contains(page, "月份应为 YYYY-MM 格式") {
		t.Errorf("a bad month: %d", status)
	}
	_, page = anon.get("/ratings?month=2026-03&lang=en")
	for _, bad := range chromePunctuation(page) {
		t.Errorf("the English page has full-width punctuation in %q", bad)
	}
}

// The public 成绩单 is kept in memory for stats.RefreshEvery: a rating
// folded into the rollups shows once that time has passed on the clock,
// not before, and the page says when its figures were read.
func TestPublicRatingsPageRefreshesAfterItsTTL(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	jar, _ := cookiejar.New(nil)
	anon := &browser{t: t, base: s.base, c: &http.Client{Jar: jar}}
	_, page := anon.get("/ratings?month=2026-03")
	mustContain(t, "the page before any rating", page, `id="ratings-none"`, "数据更新于 10:00")

	c := s.onlineCase()
	if _, err := s.app.Workflow.Reject(ctx, workflow.Request{Actor: s.user("clerk")}, c.ID, []string{"不属于本机关职权范围"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.Ratings.Submit(ctx, identity.Request{Actor: s.user(demo.Citizen.IDNumber)}, c.Number,
		rating.Input{Channel: tongban.RatingWeb, Level: tongban.RatingVerySatisfied}); err != nil {
		t.Fatal(err)
	}
	if err := s.app.Stats.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(stats.RefreshEvery - time.Second)
	_, page = anon.get("/ratings?month=2026-03")
	mustContain(t, "the page within its TTL", page, `id="ratings-none"`, "数据更新于 10:00")

	s.clock.Advance(time.Minute)
	_, page = anon.get("/ratings?month=2026-03")
	if !strings.Contains(page, `id="public-ratings"`) {
		t.Fatalf("after the TTL the rating is not shown: %s", page)
	}
	row := page[strings.Index(page, `id="public-ratings"`):]
	row = row[strings.Index(row, "<tbody>"):strings.Index(row, "</tbody>")]
	if !strings.Contains(row, "<td>广安市市场监督管理局</td><td>1</td><td>100.0%</td><td>0</td>") {
		t.Errorf("after the TTL: %s", row)
	}
	mustContain(t, "the refreshed page", page, "数据更新于 10:01", `id="nav-login"`)

	// The body is rendered once per board; the layout stays the visitor's.
	_, staff := s.as("clerk").get("/ratings?month=2026-03")
	mustContain(t, "a signed-in visitor's page", staff, `id="nav-console"`, row, "数据更新于 10:01")
	if strings.Contains(staff, `id="nav-login"`) {
		t.Error("a signed-in visitor is offered to sign in")
	}
}
