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
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// The 分管负责人 approves and issues the enterprise's 食品经营许可证 (an
// org's licence) in the browser; the licence appears in its wallet with
// its QR code; the QR code, decoded from its image, leads to the public
// verify page, which on a phone's width says 有效, that the signature
// verifies, names the holder (an org's name is public on the licence) and
// fits the screen.
func TestApprovedLicenceInWalletVerifiedOnAPhone(t *testing.T) {
	storetest.Each(t, approvedLicenceInWalletVerifiedOnAPhone)
}

func approvedLicenceInWalletVerifiedOnAPhone(t *testing.T, d sqldb.Dialect) {
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 9, 30, 0, 0, calendar.Location()))
	site := StartSite(t, d, clock)
	ctx := context.Background()
	a := site.App
	l := foodListing(t, site)

	// The listing's result becomes the 食品经营许可证 licence type, saved
	// through the catalog's own path as the department's catalog admin does
	// (the edit page's result.license_type field is being added separately).
	admin, err := a.Store.UserByLogin(ctx, "catalog")
	if err != nil {
		t.Fatal(err)
	}
	edited := *l
	edited.Result.Type, edited.Result.LicenseType = tongban.ResultLicense, "11100000MB0143028R002"
	if _, err := a.Catalog.SaveListing(ctx, identity.Request{Actor: admin}, edited, "结果为电子证照"); err != nil {
		t.Fatal(err)
	}

	// The enterprise's application, accepted and reviewed (shown by other
	// tests in the browser), carries the licence's face items.
	citizen, err := a.Store.UserByLogin(ctx, demo.Enterprise.CreditCode)
	if err != nil {
		t.Fatal(err)
	}
	clerk, _ := a.Store.UserByLogin(ctx, "clerk")
	approver, _ := a.Store.UserByLogin(ctx, "approver")
	var ms []tongban.CaseMaterial
	for _, k := range []string{"m1", "m2", "m3", "m4", "m5"} {
		ms = append(ms, tongban.CaseMaterial{Key: k, Status: tongban.MaterialProvided})
	}
	form := `{"entity_name":"` + demo.Enterprise.Name + `","credit_code":"` + demo.Enterprise.CreditCode + `","legal_rep":"张三",` +
		`"premises":"广安区北辰路12号","business_form":"小餐饮","business_items":"热食类食品制售"}`
	c, err := a.Workflow.Submit(ctx, workflow.Request{Actor: clerk}, workflow.Application{ListingID: l.ID,
		ApplicantID: citizen.ID, Channel: tongban.ChannelCounter, Form: []byte(form), Materials: ms})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = a.Workflow.Accept(ctx, workflow.Request{Actor: clerk}, c.ID, workflow.AcceptInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err = a.Workflow.Review(ctx, workflow.Request{Actor: approver}, c.ID, "材料齐全，现场核查符合要求"); err != nil {
		t.Fatal(err)
	}

	desk := BrowserSized(t, 1280, 900)
	run := runner(t, desk, string(d))
	run("the lead approves and issues",
		signIn(site, "approver-lead"),
		chromedp.Navigate(site.URL+"/console/cases/"+c.Number),
		chromedp.WaitVisible("#approve-form", chromedp.ByID),
		chromedp.Click("#approve", chromedp.ByID),
		chromedp.WaitVisible("#issue-form", chromedp.ByID),
		chromedp.Click("#issue-submit", chromedp.ByID),
		chromedp.WaitVisible("#deliver-form", chromedp.ByID),
	)
	Screenshot(t, desk, string(d)+"-licence-01-issued")
	issued := caseOf(t, site, c.Number)
	held, err := a.Store.LicensesOfHolder(ctx, citizen.ID)
	// The enterprise also holds the demo's imported licences: the case's is
	// the one whose number is the case's result number.
	var lic *tongban.License
	for _, x := range held {
		if x.CaseID == issued.ID {
			lic = x
		}
	}
	if err != nil || lic == nil || issued.State != tongban.CaseResultIssued || issued.ResultNo != lic.Number {
		t.Fatalf("after issue: %s %q, %d licences (none of this case: %v), %v", issued.State, issued.ResultNo, len(held), lic == nil, err)
	}

	var wallet, qrB64 string
	card := `article.license[data-identifier="` + lic.Identifier + `"]`
	run("the enterprise finds it in the wallet",
		signOut(),
		signIn(site, demo.Enterprise.CreditCode),
		chromedp.Navigate(site.URL+"/account"),
		chromedp.Click("#link-licenses", chromedp.ByID),
		chromedp.WaitVisible(card, chromedp.ByQuery),
		chromedp.Text(card, &wallet, chromedp.ByQuery),
		chromedp.Poll(`(() => { const i = document.querySelector("`+strings.ReplaceAll(card, `"`, `\"`)+` img.license-qr"); return i.complete && i.naturalWidth > 0 })()`,
			nil, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Evaluate(`(async () => {
			const r = await fetch(document.querySelector("img.license-qr").src);
			const b = new Uint8Array(await r.arrayBuffer());
			let s = ""; for (const x of b) s += String.fromCharCode(x);
			return btoa(s);
		})()`, &qrB64, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	Screenshot(t, desk, string(d)+"-licence-02-wallet")
	for _, want := range []string{"食品经营许可证", "有效", lic.Number, "广安市市场监督管理局", "下载证照（PDF）", "生成加注件"} {
		if !strings.Contains(wallet, want) {
			t.Errorf("wallet lacks %q:\n%s", want, wallet)
		}
	}
	target := decodeQR(t, qrB64)
	if !strings.HasPrefix(target, site.URL+"/v/") || len(target) != len(site.URL+"/v/")+26 {
		t.Fatalf("the QR code holds %q", target)
	}

	phone := Browser(t) // 390 × 844, nobody signed in
	var status, signature, holder string
	var fits bool
	runner(t, phone, string(d))("the QR's verify page on a phone",
		chromedp.Navigate(target),
		chromedp.WaitVisible("#verify-status", chromedp.ByID),
		chromedp.Text("#verify-status", &status, chromedp.ByID),
		chromedp.Text("#verify-signature", &signature, chromedp.ByID),
		chromedp.Text("#verify-holder", &holder, chromedp.ByID),
		chromedp.Evaluate(`document.documentElement.scrollWidth <= window.innerWidth`, &fits),
	)
	Screenshot(t, phone, string(d)+"-licence-03-verify-phone")
	if status != "有效" || !strings.Contains(signature, "核验通过") || holder != demo.Enterprise.Name {
		t.Errorf("verify page: %q, %q, holder %q", status, signature, holder)
	}
	if !fits {
		t.Error("the verify page is wider than the phone's screen")
	}
	if err := a.FlushLicenseVisits(ctx); err != nil { // the page answered once its visit was queued
		t.Fatal(err)
	}
	visits, err := a.Store.LicenseVisits(ctx, lic.ID, 10)
	if err != nil || len(visits) != 1 || visits[0].Outcome != "valid" {
		t.Errorf("the visit is not recorded: %+v, %v", visits, err)
	}
}
