package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// 好差评 end to end, on a phone: a citizen's licence is refused and the
// decision delivered (办结); the QR code on the 不予办理决定书 — decoded
// from its image — opens the rating page, where she rates 不满意 with a
// reason; the department answers (through the service, as its API would);
// she judges the answer on her case page; and the public 成绩单, without
// signing in, shows the month's figures for the department, and the trend
// chart drawn by the vendored ECharts; the supervisor's page draws it too.
func TestCitizenRatesFromTheNoticeQR(t *testing.T) {
	storetest.Each(t, citizenRatesFromTheNoticeQR)
}

func citizenRatesFromTheNoticeQR(t *testing.T, d sqldb.Dialect) {
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 9, 30, 0, 0, calendar.Location()))
	site := StartSite(t, d, clock)
	c := deliveredDenial(t, site)
	bctx := Browser(t)
	run := runner(t, bctx, string(d))

	var qrB64 string
	run("the citizen opens the decision and its rating QR code",
		signIn(site, demo.Citizen.IDNumber),
		chromedp.Navigate(site.URL+"/cases/"+c.Number+"/notices/denial"),
		chromedp.WaitVisible("#notice-rating-qr", chromedp.ByID),
		chromedp.Evaluate(`(async () => {
			const r = await fetch(document.getElementById("notice-rating-qr").src);
			const b = new Uint8Array(await r.arrayBuffer());
			let s = ""; for (const x of b) s += String.fromCharCode(x);
			return btoa(s);
		})()`, &qrB64, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	target := decodeQR(t, qrB64)
	if !strings.HasPrefix(target, site.URL+rating.LinkPath) {
		t.Fatalf("the rating QR encodes %q", target)
	}
	var channel string
	run("she rates the service 不满意 from the QR",
		chromedp.Navigate(target),
		chromedp.WaitVisible("#rate", chromedp.ByID),
		chromedp.Text("#rating-link-channel", &channel, chromedp.ByID),
		chromedp.Click("#level-2", chromedp.ByID),
		chromedp.Click(`input[name="reasons"][value="政策解释不清"]`, chromedp.ByQuery),
		chromedp.SendKeys("#rating-comment", "不予许可的理由没有当面讲清楚", chromedp.ByID),
		chromedp.Click("#rating-submit", chromedp.ByID),
		chromedp.WaitVisible("#my-rating", chromedp.ByID),
	)
	if channel != "二维码" {
		t.Errorf("the link's page names the channel %q", channel)
	}
	ctx := context.Background()
	rs, err := site.App.Store.CaseRatings(ctx, c.ID)
	if err != nil || len(rs) != 1 || rs[0].Channel != tongban.RatingQR || rs[0].Level != tongban.RatingDissatisfied {
		t.Fatalf("stored ratings: %+v, %v", rs, err)
	}
	tk, err := site.App.Store.TicketOfRating(ctx, rs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := site.App.Store.UserByLogin(ctx, "deptadmin")
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Hour))
	if _, err := site.App.Ratings.Respond(ctx, identity.Request{Actor: admin}, tk.ID, rating.Answer{Action: "verify", Valid: true,
		Text: "已电话回访，情况属实"}); err != nil {
		t.Fatal(err)
	}
	if _, err := site.App.Ratings.Respond(ctx, identity.Request{Actor: admin}, tk.ID, rating.Answer{Action: "rectify",
		Text: "不予许可决定书增加条款原文，窗口当面解释"}); err != nil {
		t.Fatal(err)
	}
	var verdict string
	run("she judges the department's answer",
		chromedp.Navigate(site.URL+"/cases/"+c.Number),
		chromedp.WaitVisible("#verdict", chromedp.ByID),
		chromedp.Click("#verdict-4", chromedp.ByID),
		chromedp.Click("#verdict-submit", chromedp.ByID),
		chromedp.WaitVisible("#rating-verdict", chromedp.ByID),
		chromedp.Text("#rating-verdict", &verdict, chromedp.ByID),
	)
	if !strings.Contains(verdict, "满意") {
		t.Errorf("verdict shown: %q", verdict)
	}
	if err := site.App.Stats.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var row string
	var bars int
	run("anyone reads the month's 成绩单 and its trend chart",
		signOut(),
		chromedp.Navigate(site.URL+"/ratings?month=2026-03"),
		chromedp.WaitVisible("#public-ratings", chromedp.ByID),
		chromedp.Text("#public-ratings tbody tr", &row, chromedp.ByQuery),
		chromedp.WaitVisible(`#ratings-chart[data-drawn="true"] canvas`, chromedp.ByQuery),
		// The chart's March bar holds the one rating (ECharts' own model).
		chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("ratings-chart")).getOption().series[0].data[11]`, &bars),
	)
	if bars != 1 {
		t.Errorf("the chart's March bar = %d; want 1", bars)
	}
	// One rating, 不满意: 好评率 0.0%, one 差评, put right (100.0%) on time (100.0%).
	fields := strings.Fields(row)
	if len(fields) != 6 || fields[0] != "广安市市场监督管理局" || fields[1] != "1" || fields[2] != "0.0%" || fields[3] != "1" ||
		fields[4] != "100.0%" || fields[5] != "100.0%" {
		t.Errorf("the department's row: %q", row)
	}
	// The supervisor's page draws the region's trend: March's rating as
	// a bar and its 整改按时率 (100%) on the line.
	var rated, rectified float64
	run("the supervisor reads the trend on the supervision page",
		signIn(site, "supervisor"),
		chromedp.Navigate(site.URL+"/console/supervision"),
		chromedp.WaitVisible(`#supervision-chart[data-drawn="true"] canvas`, chromedp.ByQuery),
		chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("supervision-chart")).getOption().series[1].data[11]`, &rated),
		chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("supervision-chart")).getOption().series[4].data[11]`, &rectified),
	)
	if rated != 1 || rectified != 100 {
		t.Errorf("the supervision chart's March: %v rated, 整改按时率 %v; want 1 and 100", rated, rectified)
	}
}

// deliveredDenial files the citizen's 食品经营许可证核发 online and takes it,
// through the services, to a refusal signed for at the window (办结).
func deliveredDenial(t *testing.T, site *Site) *tongban.Case {
	t.Helper()
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
	wf := site.App.Workflow
	if _, err := wf.Accept(ctx, user("clerk"), c.ID, workflow.AcceptInput{}); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if _, err := wf.Review(ctx, user("approver"), c.ID, "现场核查：经营场所不符合要求"); err != nil {
		t.Fatalf("review: %v", err)
	}
	if _, err := wf.Deny(ctx, user("approver-lead"), c.ID, []string{"经营场所与有毒有害场所距离不足25米"}); err != nil {
		t.Fatalf("deny: %v", err)
	}
	if _, err := wf.Deliver(ctx, user("clerk"), c.ID, workflow.DeliverInput{Collector: tongban.CollectorSelf, IdentityChecked: true}); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	c = caseOf(t, site, c.Number)
	if c.State != tongban.CaseClosed {
		t.Fatalf("the case is %s, not closed", c.State)
	}
	return c
}
