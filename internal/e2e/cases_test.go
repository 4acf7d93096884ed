package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// scanPDF is a small valid one-page PDF, standing in for a scanned material.
const scanPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// One online case through its whole life, in the browser, as the people
// who work it: the demo enterprise (a 食品经营许可证 is an org's) applies
// for 食品经营许可证核发 with its uploads; the
// city hall's window clerk (the hall serving the listing's region)
// accepts; the department's approver passes the review step, the 分管负责人
// approves and issues the licence; the clerk hands it out at the unified window; the
// enterprise finds the result and opens the 办结通知书. On both engines.
func TestOnlineCaseFromApplicationToResult(t *testing.T) {
	storetest.Each(t, onlineCaseFromApplicationToResult)
}

func onlineCaseFromApplicationToResult(t *testing.T, d sqldb.Dialect) {
	// A Monday in an ordinary week, so the due date is plain to check.
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 9, 30, 0, 0, calendar.Location()))
	site := StartSite(t, d, clock)
	listing := foodListing(t, site)
	ctx := Browser(t)
	shot := func(name string) { Screenshot(t, ctx, string(d)+"-"+name) }
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			shot("failed-" + strings.ReplaceAll(step, " ", "-"))
			t.Fatalf("%s: %v", step, err)
		}
	}

	// The applicant applies online, answering the situations first.
	dir := t.TempDir()
	files := map[string]string{}
	// m2 and m3 are uploaded too: nothing resolves them from an e-licence or shared data yet.
	for _, key := range []string{"m1", "m2", "m3", "m4", "m5"} {
		files[key] = filepath.Join(dir, key+".pdf")
		if err := os.WriteFile(files[key], []byte(scanPDF+"%"+key+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var number, facts string
	run("citizen applies",
		signIn(site, demo.Enterprise.CreditCode),
		chromedp.Navigate(site.URL+"/apply/"+strconv.FormatInt(listing.ID, 10)),
		chromedp.WaitVisible("#apply-form", chromedp.ByID),
		chromedp.SetValue("#situation_s1", "a2", chromedp.ByID),
		chromedp.SetValue("#situation_s3", "a2", chromedp.ByID),
		chromedp.SetValue("#situation_s4", "a1", chromedp.ByID),
		chromedp.Click("#tailor", chromedp.ByID),
		chromedp.WaitVisible("#checklist-tailored", chromedp.ByID),
		chromedp.SetUploadFiles("#file_m1", []string{files["m1"]}, chromedp.ByID),
		chromedp.SetUploadFiles("#file_m2", []string{files["m2"]}, chromedp.ByID),
		chromedp.SetUploadFiles("#file_m3", []string{files["m3"]}, chromedp.ByID),
		chromedp.SetUploadFiles("#file_m4", []string{files["m4"]}, chromedp.ByID),
		chromedp.SetUploadFiles("#file_m5", []string{files["m5"]}, chromedp.ByID),
	)
	shot("cases-01-apply")
	run("citizen submits",
		chromedp.Click("#apply-submit", chromedp.ByID),
		chromedp.WaitVisible("#case-number", chromedp.ByID),
		chromedp.Text("#case-number", &number, chromedp.ByID),
		chromedp.Text("#case-facts", &facts, chromedp.ByID),
	)
	shot("cases-02-submitted")
	if !strings.HasPrefix(number, "511600000000-20260302-") {
		t.Fatalf("case number %q", number)
	}
	c := caseOf(t, site, number)
	if c.State != tongban.CaseSubmitted || c.Channel != tongban.ChannelOnline || len(c.Materials) != 5 {
		t.Fatalf("submitted case: %s %s %d materials", c.State, c.Channel, len(c.Materials))
	}
	caseLink := `a.case-link[href$="` + number + `"]`

	// The window clerk finds it in the hall's inbox and accepts it.
	var flash string
	run("clerk accepts",
		signOut(),
		signIn(site, "clerk"),
		chromedp.Click(`a[href="/console/counter"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#inbox", chromedp.ByID),
	)
	shot("cases-03-counter-inbox")
	run("clerk opens the case",
		chromedp.Click(caseLink, chromedp.ByQuery),
		chromedp.WaitVisible("#accept-form", chromedp.ByID),
	)
	shot("cases-04-clerk-case")
	run("clerk accepts",
		chromedp.Click("#accept", chromedp.ByID),
		chromedp.WaitVisible("#notices", chromedp.ByID),
		chromedp.Text(".flash", &flash, chromedp.ByQuery),
	)
	if !strings.Contains(flash, "已受理") {
		t.Errorf("after accept: %q", flash)
	}
	if c := caseOf(t, site, number); c.State != tongban.CaseAccepted || c.DueDate != "2026-03-05" {
		t.Errorf("accepted case: %s due %s, want due 2026-03-05 (3 working days)", c.State, c.DueDate)
	}

	// The approver works the department's queue: review, decide, issue.
	var step string
	run("approver opens the queue",
		signOut(),
		signIn(site, "approver"),
		chromedp.Click(`a[href="/console/queue"]`, chromedp.ByQuery),
		chromedp.WaitVisible(caseLink, chromedp.ByQuery),
	)
	shot("cases-05-queue")
	run("approver reviews",
		chromedp.Click(caseLink, chromedp.ByQuery),
		chromedp.WaitVisible("#review-form", chromedp.ByID),
		chromedp.Text("#case-step", &step, chromedp.ByID),
		chromedp.SendKeys("#opinion", "材料齐全，现场核查符合要求", chromedp.ByID),
	)
	shot("cases-06-review")
	// 审核与审批分离: the 分管负责人 decides what the reviewer passed.
	run("the lead approves and issues",
		chromedp.Click("#review-submit", chromedp.ByID),
		chromedp.WaitNotPresent("#review-form", chromedp.ByID),
		signOut(),
		signIn(site, "approver-lead"),
		chromedp.Navigate(site.URL+"/console/cases/"+number),
		chromedp.WaitVisible("#approve-form", chromedp.ByID),
		chromedp.Click("#approve", chromedp.ByID),
		chromedp.WaitVisible("#issue-form", chromedp.ByID),
		chromedp.SendKeys("#result_no", "JY15116000000001", chromedp.ByID),
		// The result is a 食品经营许可证: the approver confirms the face
		// items the account gives and fills in what the form lacks.
		chromedp.SetValue("#face_entity_name", demo.Enterprise.Name, chromedp.ByID),
		chromedp.SetValue("#face_credit_code", demo.Enterprise.CreditCode, chromedp.ByID),
		chromedp.SetValue("#face_legal_rep", "张三", chromedp.ByID),
		chromedp.SetValue("#face_premises", "广安区建设路58号1楼", chromedp.ByID),
		chromedp.SetValue("#face_business_form", "餐饮服务经营者（小型餐馆）", chromedp.ByID),
		chromedp.SetValue("#face_business_items", "热食类食品制售", chromedp.ByID),
		chromedp.Click("#issue-submit", chromedp.ByID),
		chromedp.WaitVisible("#deliver-form", chromedp.ByID),
	)
	shot("cases-07-issued")
	if step != "审查（含现场核查）" {
		t.Errorf("first back-office step %q", step)
	}
	if c := caseOf(t, site, number); c.State != tongban.CaseResultIssued || c.ResultNo != "JY15116000000001" {
		t.Fatalf("issued case: %s %q", c.State, c.ResultNo)
	}

	// 统一出件: the clerk hands the licence over at the hall.
	run("clerk hands out",
		signOut(),
		signIn(site, "clerk"),
		chromedp.Click(`a[href="/console/handout"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`li.handout-row[data-number="`+number+`"]`, chromedp.ByQuery),
	)
	shot("cases-08-handout")
	// 签收: the clerk confirms having checked 张三's ID card.
	run("clerk delivers",
		checkAndSubmit(`li.handout-row[data-number="`+number+`"]`),
		chromedp.WaitVisible("#no-results", chromedp.ByID),
		chromedp.Text(".flash", &flash, chromedp.ByQuery),
	)
	if !strings.Contains(flash, "已送达办结") {
		t.Errorf("after handout: %q", flash)
	}

	// The applicant sees the result and opens the 办结通知书.
	var result, notice string
	run("citizen finds the result",
		signOut(),
		signIn(site, demo.Enterprise.CreditCode),
		chromedp.Navigate(site.URL+"/cases"),
		chromedp.WaitVisible(caseLink, chromedp.ByQuery),
	)
	shot("cases-09-my-cases")
	run("citizen opens the case",
		chromedp.Click(caseLink, chromedp.ByQuery),
		chromedp.WaitVisible("#case-result", chromedp.ByID),
		chromedp.Text("#case-result", &result, chromedp.ByID),
	)
	shot("cases-10-result")
	run("citizen opens the notice",
		chromedp.Click(`a.notice-link[data-kind="completion"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#notice", chromedp.ByID),
		chromedp.Text("#notice", &notice, chromedp.ByID),
	)
	shot("cases-11-completion-notice")
	for _, want := range []string{"食品经营许可证", "JY15116000000001", "结果已送达"} {
		if !strings.Contains(result, want) {
			t.Errorf("result %q lacks %q", result, want)
		}
	}
	for _, want := range []string{"办结通知书", number, "广安市市场监督管理局", "准予许可", demo.Enterprise.Name} {
		if !strings.Contains(notice, want) {
			t.Errorf("notice %q lacks %q", notice, want)
		}
	}
	var qrLoaded bool
	run("the QR code loads", chromedp.Poll(`(() => { const i = document.querySelector("img.notice-qr"); return i.complete && i.naturalWidth > 0 })()`,
		&qrLoaded, chromedp.WithPollingTimeout(15*time.Second)))
	if !qrLoaded {
		t.Error("the notice's QR code did not load")
	}
	final := caseOf(t, site, number)
	if final.State != tongban.CaseClosed || final.Visits != 1 {
		t.Errorf("final case: %s, %d visits (the pickup)", final.State, final.Visits)
	}
}

func signIn(site *Site, login string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(site.URL + "/login"),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.SendKeys("#login", login, chromedp.ByID),
		chromedp.SendKeys("#password", demo.Password, chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#nav-account", chromedp.ByID),
	}
}

func signOut() chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Click("#logout", chromedp.ByID),
		chromedp.WaitVisible("#nav-login", chromedp.ByID),
	}
}

// foodListing is 食品经营许可证核发 at 广安市市场监督管理局, a city listing.
func foodListing(t *testing.T, site *Site) *tongban.Listing {
	t.Helper()
	ctx := context.Background()
	org, err := site.App.Store.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	ls, err := site.App.Store.Listings(ctx, tongban.ListingFilter{OrgID: org.ID, Q: "食品经营许可证核发", Status: tongban.ListingPublished})
	if err != nil || len(ls) != 1 {
		t.Fatalf("food listing: %v, %d found", err, len(ls))
	}
	return ls[0]
}

func caseOf(t *testing.T, site *Site, number string) *tongban.Case {
	t.Helper()
	c, err := site.App.Store.CaseByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
