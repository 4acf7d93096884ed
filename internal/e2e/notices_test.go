package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/workflow"
)

// 督办 on a phone: a case of 广安市市场监督管理局 runs past its promised
// time; the supervisor issues a 督办 on it from the console, whose table
// scrolls inside its box rather than widening the page; the department's
// administrator answers in the console; the supervisor sees the answer.
func TestSupervisorNoticeAnsweredByTheDepartment(t *testing.T) {
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 9, 30, 0, 0, calendar.Location()))
	site := StartSite(t, sqldb.SQLite, clock)
	ctx := context.Background()
	user := func(login string) workflow.Request {
		u, err := site.App.Store.UserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return workflow.Request{Actor: u}
	}
	var ms []tongban.CaseMaterial
	for _, k := range []string{"m1", "m2", "m3", "m4", "m5"} {
		ms = append(ms, tongban.CaseMaterial{Key: k, Status: tongban.MaterialProvided})
	}
	c, err := site.App.Workflow.Submit(ctx, user(demo.Citizen.IDNumber),
		workflow.Application{ListingID: foodListing(t, site).ID, Channel: tongban.ChannelOnline, Materials: ms})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = site.App.Workflow.Accept(ctx, user("clerk"), c.ID, workflow.AcceptInput{}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().AddDate(0, 0, 40)) // well past the promised working days
	const demand, answer = "该件已超承诺时限，请说明原因并于期限内办结", "已核查：现场核查排期延误，已于今日安排核查并限期办结"

	bctx := Browser(t) // a phone
	run := runner(t, bctx, "sqlite")
	var fits, scrollsInBox bool
	run("the supervisor issues a 督办 on the overdue case",
		signIn(site, "supervisor"),
		chromedp.Navigate(site.URL+"/console/notices"),
		chromedp.WaitVisible("#notice-form", chromedp.ByID),
		chromedp.SetValue(`#notice-form select[name="subject"]`, "case", chromedp.ByQuery),
		chromedp.SendKeys(`#notice-form input[name="ref"]`, c.Number, chromedp.ByQuery),
		chromedp.SendKeys(`#notice-form textarea[name="demand"]`, demand, chromedp.ByQuery),
		chromedp.Submit("#notice-form", chromedp.ByID),
		chromedp.WaitVisible("#notices", chromedp.ByID),
		chromedp.Evaluate(`document.documentElement.scrollWidth <= window.innerWidth`, &fits),
		chromedp.Evaluate(`(() => { const w = document.getElementById("notices").closest(".table-wrap");
			return !!w && getComputedStyle(w).overflowX === "auto" && w.scrollWidth > w.clientWidth; })()`, &scrollsInBox),
	)
	ns, err := site.App.Store.Notices(ctx, tongban.NoticeFilter{Subject: tongban.NoticeCase, SubjectID: c.ID})
	if err != nil || len(ns) != 1 || ns[0].OrgID != c.OrgID || ns[0].Demand != demand {
		t.Fatalf("督办 of case %s: %+v, %v", c.Number, ns, err)
	}
	if !fits || !scrollsInBox {
		t.Errorf("on a phone the page fits: %v, the 督办 table scrolls in its box: %v", fits, scrollsInBox)
	}
	row := "#notice-" + strconv.FormatInt(ns[0].ID, 10)

	run("the department's administrator answers it",
		signOut(),
		signIn(site, "deptadmin"),
		chromedp.Navigate(site.URL+"/console/notices"),
		chromedp.WaitVisible(row+" textarea", chromedp.ByQuery),
		chromedp.SendKeys(row+` textarea[name="text"]`, answer, chromedp.ByQuery),
		chromedp.Submit(row+" form.answer-form", chromedp.ByQuery),
		chromedp.WaitVisible("#no-notices", chromedp.ByID), // nothing left unanswered
	)
	// The staff list's 收回 buttons are styled as links: their text must
	// not take a plain button's white on the page's light background.
	var linkColors []string
	run("the administrator's staff list shows its link buttons",
		chromedp.Navigate(site.URL+"/console/staff"),
		chromedp.WaitVisible("main button.link", chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("main button.link")].map(b => getComputedStyle(b).color)`, &linkColors),
	)
	for _, c := range linkColors {
		if c == "rgb(255, 255, 255)" || c == "" {
			t.Errorf("a link button's text is %q on the light page: unreadable (all: %v)", c, linkColors)
			break
		}
	}
	if len(linkColors) == 0 {
		t.Error("the staff list shows no link buttons to check")
	}
	var seen string
	run("the supervisor sees the answer",
		signOut(),
		signIn(site, "supervisor"),
		chromedp.Navigate(site.URL+"/console/notices?all=true"),
		chromedp.WaitVisible(row, chromedp.ByQuery),
		chromedp.Text(row, &seen, chromedp.ByQuery),
	)
	if !strings.Contains(seen, answer) || !strings.Contains(seen, c.Number) {
		t.Errorf("the supervisor's row reads %q; want the case and the department's answer", seen)
	}
	if n, err := site.App.Store.Notice(ctx, ns[0].ID); err != nil || !n.Answered() || n.Answer != answer {
		t.Errorf("stored 督办 = %+v, %v", n, err)
	}
}
