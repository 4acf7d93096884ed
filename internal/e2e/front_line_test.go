package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	_ "image/png"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A person with no account at the city hall's window, on a desktop: the
// clerk records them and takes 食品经营许可证核发 with one material owed
// (容缺); it arrives; 刘审批 reviews and is offered no decision; 孙科长
// refuses the licence; the 不予行政许可决定书 is signed for at the result
// window; and the QR code on the decision — decoded from its image — leads
// anyone with the applicant's name to the progress page, which shows
// departments and posts, never staff names.
func TestWalkInDenialAndPublicProgress(t *testing.T) {
	storetest.Each(t, walkInDenialAndPublicProgress)
}

func walkInDenialAndPublicProgress(t *testing.T, d sqldb.Dialect) {
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 9, 30, 0, 0, calendar.Location()))
	site := StartSite(t, d, clock)
	listing := foodListing(t, site)
	ctx := BrowserSized(t, 1280, 900) // a desktop at the window
	run := runner(t, ctx, string(d))
	const id, name = "511602198807150011", "王小明"

	var where string
	run("clerk records the walk-in and takes the application",
		signIn(site, "clerk"),
		chromedp.Navigate(site.URL+"/console/counter?id_number="+id),
		chromedp.WaitVisible("#walkin-form", chromedp.ByID),
		chromedp.SendKeys("#walkin-name", name, chromedp.ByID),
		chromedp.SendKeys("#walkin-phone", "13912345678", chromedp.ByID),
		chromedp.Click("#walkin-submit", chromedp.ByID),
		chromedp.WaitVisible("#applicant", chromedp.ByID),
		chromedp.SendKeys("#q", "食品经营许可证核发", chromedp.ByID),
		chromedp.Click("#q-submit", chromedp.ByID),
		chromedp.Click(`#listings a[href^="/console/counter/apply/`+strconv.FormatInt(listing.ID, 10)+`?"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#apply-form", chromedp.ByID),
		chromedp.Click("#got_m1", chromedp.ByID),
		chromedp.Click("#got_m2", chromedp.ByID),
		chromedp.Click("#got_m3", chromedp.ByID),
		chromedp.Click("#got_m4", chromedp.ByID),
		chromedp.Click("#apply-submit", chromedp.ByID),
		chromedp.WaitVisible("#accept-form", chromedp.ByID),
		chromedp.Click("#owed_m5", chromedp.ByID),
		chromedp.Click("#accept", chromedp.ByID),
		chromedp.WaitNotPresent("#accept-form", chromedp.ByID),
		chromedp.WaitVisible("#notices", chromedp.ByID),
		chromedp.Location(&where),
	)
	number := caseNumberIn(where)
	c := caseOf(t, site, number)
	if c.ApplicantName != name || c.State != tongban.CaseAccepted || len(c.Owed()) != 1 {
		t.Fatalf("walk-in case: %+v", c)
	}
	var text string
	run("the 容缺受理通知书",
		chromedp.Navigate(site.URL+"/cases/"+number+"/notices/acceptance"),
		chromedp.Text("#notice", &text, chromedp.ByID),
	)
	for _, want := range []string{"容缺受理通知书", "「食品安全规章制度目录清单」", "前补齐", "签收"} {
		if !strings.Contains(text, want) {
			t.Errorf("acceptance notice lacks %q:\n%s", want, text)
		}
	}

	run("the owed material arrives at the window",
		chromedp.Navigate(site.URL+"/console/cases/"+number),
		chromedp.WaitVisible("#owed-receive", chromedp.ByID),
		chromedp.Click(`#owed-receive input[name="received_m5"]`, chromedp.ByQuery),
		chromedp.Click(`#owed-receive button`, chromedp.ByQuery),
		chromedp.WaitNotPresent("#owed-receive", chromedp.ByID),
	)
	clock.Set(clock.Now().Add(24 * time.Hour))
	var offered bool
	run("刘审批 reviews and is offered no decision",
		signOut(),
		signIn(site, "approver"),
		chromedp.Navigate(site.URL+"/console/cases/"+number),
		chromedp.WaitVisible("#review-form", chromedp.ByID),
		chromedp.SendKeys("#opinion", "现场核查：经营场所与垃圾中转站距离不足25米", chromedp.ByID),
		chromedp.Click("#review-submit", chromedp.ByID),
		chromedp.WaitNotPresent("#review-form", chromedp.ByID),
		chromedp.WaitVisible("#case-step", chromedp.ByID),
		chromedp.Evaluate(`document.getElementById("deny-panel") !== null`, &offered),
	)
	if offered {
		t.Error("the reviewer is offered the decision")
	}
	run("孙科长 refuses the licence",
		signOut(),
		signIn(site, "approver-lead"),
		chromedp.Navigate(site.URL+"/console/cases/"+number),
		chromedp.WaitVisible("#deny-panel", chromedp.ByID),
		chromedp.Click("#deny-panel summary", chromedp.ByQuery),
		chromedp.SendKeys("#deny-reasons", "经营场所与有毒有害场所距离不足25米，不符合《食品经营许可和备案管理办法》第十二条", chromedp.ByID),
		chromedp.Click("#deny", chromedp.ByID),
		chromedp.WaitVisible("#deliver-form", chromedp.ByID), // the decision is to hand over
	)
	clock.Set(clock.Now().Add(24 * time.Hour))
	row := `li.handout-row[data-number="` + number + `"]`
	run("the decision is signed for at the result window",
		signOut(),
		signIn(site, "clerk"),
		chromedp.Navigate(site.URL+"/console/handout?q="+id),
		chromedp.WaitVisible(row, chromedp.ByQuery),
		checkAndSubmit(row),
		chromedp.WaitVisible("#collected", chromedp.ByID),
	)
	if c := caseOf(t, site, number); c.State != tongban.CaseClosed || c.Outcome != tongban.CaseDenied || c.Visits != 2 {
		t.Errorf("after the decision is delivered: %s %s, %d visits", c.State, c.Outcome, c.Visits)
	}

	var qrB64 string
	run("the decision and its QR code",
		chromedp.Navigate(site.URL+"/cases/"+number+"/notices/denial"),
		chromedp.Text("#notice", &text, chromedp.ByID),
		chromedp.Evaluate(`(async () => {
			const r = await fetch(document.querySelector(".notice-qr").src);
			const b = new Uint8Array(await r.arrayBuffer());
			let s = ""; for (const x of b) s += String.fromCharCode(x);
			return btoa(s);
		})()`, &qrB64, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	for _, want := range []string{"不予行政许可决定书", "不符合《食品经营许可和备案管理办法》第十二条", "广安市人民政府", "六十日内", "六个月内", "广安区人民法院"} {
		if !strings.Contains(text, want) {
			t.Errorf("denial decision lacks %q:\n%s", want, text)
		}
	}
	target := decodeQR(t, qrB64)
	if want := site.URL + "/progress?number=" + url.QueryEscape(number); target != want {
		t.Fatalf("QR encodes %q, want %q", target, want)
	}

	var state, timeline, collection string
	run("anyone with the name looks the progress up",
		signOut(),
		chromedp.Navigate(target),
		chromedp.WaitVisible("#progress-form", chromedp.ByID),
		chromedp.SendKeys("#name", name, chromedp.ByID),
		chromedp.Click("#progress-submit", chromedp.ByID),
		chromedp.WaitVisible("#progress-result", chromedp.ByID),
		chromedp.Text("#progress-state", &state, chromedp.ByID),
		chromedp.Text("#progress-timeline", &timeline, chromedp.ByID),
		chromedp.Text("#progress-collection", &collection, chromedp.ByID),
	)
	if state != "已办结" || !strings.Contains(timeline, "分管负责人") || !strings.Contains(timeline, "综合受理一号窗口") ||
		!strings.Contains(collection, "统一出件窗口") {
		t.Errorf("progress: %q\n%s\n%s", state, timeline, collection)
	}
	for _, staff := range []string{"陈窗口", "刘审批", "孙科长", "clerk", "approver"} {
		if strings.Contains(timeline, staff) {
			t.Errorf("the public timeline names staff (%s):\n%s", staff, timeline)
		}
	}
	run("a wrong name finds nothing",
		chromedp.Navigate(target),
		chromedp.WaitVisible("#progress-form", chromedp.ByID),
		chromedp.SendKeys("#name", "王晓明", chromedp.ByID),
		chromedp.Click("#progress-submit", chromedp.ByID),
		chromedp.WaitVisible("#progress-error", chromedp.ByID),
	)
}

// 全市通办 on a phone: 广安区's window takes 岳池县人社局's 社会保障卡申领 for
// 张三, who chooses to collect at 前锋区's hall; the card waits there and is
// signed for at 前锋区's result window.
func TestCitywideCaseCollectedAtAThirdHall(t *testing.T) {
	storetest.Each(t, citywideCaseCollectedAtAThirdHall)
}

func citywideCaseCollectedAtAThirdHall(t *testing.T, d sqldb.Dialect) {
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 9, 30, 0, 0, calendar.Location()))
	site := StartSite(t, d, clock)
	bg := context.Background()
	st := site.App.Store
	dept, err := st.OrgByCode(bg, "ycx-rsj")
	if err != nil {
		t.Fatal(err)
	}
	ls, err := st.Listings(bg, tongban.ListingFilter{OrgID: dept.ID, Q: "社会保障卡申领", Status: tongban.ListingPublished})
	if err != nil || len(ls) != 1 || !ls[0].Flags.CrossRegion {
		t.Fatalf("岳池县 社会保障卡申领: %v %d", err, len(ls))
	}
	qfqHall, _ := st.OrgByCode(bg, "qfq-zwzx")
	qfqResults, _ := st.OrgByCode(bg, "qfq-zwzx-w4")
	if _, err := site.App.Identity.CreateStaff(bg, identity.StaffAccount{Username: "qfq-tang", Name: "唐雪", Password: demo.Password,
		Roles: []tongban.RoleGrant{{Role: tongban.RoleClerk, OrgID: qfqResults.ID}}}, identity.Request{}); err != nil {
		t.Fatal(err)
	}
	zhang, err := st.UserByIDNumber(bg, tongban.IDNumber(demo.Citizen.IDNumber))
	if err != nil {
		t.Fatal(err)
	}
	ctx := Browser(t) // a phone
	run := runner(t, ctx, string(d))

	var where string
	run("广安区's window takes 岳池县's item",
		signIn(site, "clerk2"),
		chromedp.Navigate(site.URL+"/console/counter?id_number="+demo.Citizen.IDNumber),
		chromedp.WaitVisible("#applicant", chromedp.ByID),
		chromedp.Navigate(site.URL+"/console/counter/apply/"+strconv.FormatInt(ls[0].ID, 10)+"?applicant="+strconv.FormatInt(zhang.ID, 10)),
		chromedp.WaitVisible("#apply-form", chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll('input[name^="got_"]').forEach(e => e.checked = true)`, nil),
		chromedp.SetValue("#pickup-hall", strconv.FormatInt(qfqHall.ID, 10), chromedp.ByID),
		chromedp.Click("#apply-submit", chromedp.ByID),
		chromedp.WaitVisible("#accept-form", chromedp.ByID),
		chromedp.Click("#accept", chromedp.ByID),
		chromedp.WaitVisible("#issue-form", chromedp.ByID),
		chromedp.Click("#issue-submit", chromedp.ByID),
		chromedp.WaitVisible("#deliver-form", chromedp.ByID),
		chromedp.Location(&where),
	)
	number := caseNumberIn(where)
	c := caseOf(t, site, number)
	if c.OrgID != dept.ID || c.RegionCode != "511621000000" || c.State != tongban.CaseResultIssued || c.Delivery.WindowID != qfqResults.ID {
		t.Fatalf("citywide case: org %d region %s state %s window %d", c.OrgID, c.RegionCode, c.State, c.Delivery.WindowID)
	}
	clock.Set(clock.Now().Add(24 * time.Hour))
	row := `li.handout-row[data-number="` + number + `"]`
	run("前锋区's result window hands the card over",
		signOut(),
		signIn(site, "qfq-tang"),
		chromedp.Navigate(site.URL+"/console/handout"),
		chromedp.WaitVisible(row, chromedp.ByQuery),
		checkAndSubmit(row),
		chromedp.WaitVisible("#collected", chromedp.ByID),
	)
	if c := caseOf(t, site, number); c.State != tongban.CaseClosed || c.Visits != 2 {
		t.Errorf("collected at the third hall: %s, %d visits", c.State, c.Visits)
	}
}

// checkAndSubmit ticks the row's 已核验本人身份证件 and submits its form.
func checkAndSubmit(row string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.SetAttributeValue(row+` .identity-checked`, "checked", "checked", chromedp.ByQuery),
		chromedp.Submit(row+` form.handout-form`, chromedp.ByQuery),
	}
}

// caseNumberIn is the case number of a case page's address.
func caseNumberIn(where string) string {
	number := where[strings.LastIndex(where, "/")+1:]
	if i := strings.Index(number, "?"); i >= 0 {
		number = number[:i]
	}
	return number
}

// runner runs steps, each within two minutes, saving a screenshot of a
// failed one.
func runner(t *testing.T, ctx context.Context, engine string) func(string, ...chromedp.Action) {
	return func(step string, actions ...chromedp.Action) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		if err := chromedp.Run(sctx, actions...); err != nil {
			Screenshot(t, ctx, engine+"-failed-"+strings.ReplaceAll(step, " ", "-"))
			t.Fatalf("%s: %v", step, err)
		}
	}
}

// decodeQR reads the text of a base64 PNG QR code with ZXing's Go port.
func decodeQR(t *testing.T, b64 string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("QR image: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	// The image is the generated code itself, not a photo: decoding it as a
	// pure barcode skips finder-pattern detection, which misreads about one
	// generated code in two hundred.
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}
