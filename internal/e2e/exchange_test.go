package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
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

// 只提交一次材料 in the browser: 张三 applies for 就业创业证申领 uploading his
// ID card; the window clerk passes it (审核通过) while accepting and, serving
// him at the counter, shows his full ID number; applying for
// 城乡居民基本养老保险参保登记 he uploads nothing — the ID card comes from his
// material library, the 户口簿 from 公安's shared 户籍信息 — and his data
// record lists both uses and the clerk's reveal, newest first.
func TestApplyTwiceUploadOnce(t *testing.T) {
	storetest.Each(t, applyTwiceUploadOnce)
}

func applyTwiceUploadOnce(t *testing.T, d sqldb.Dialect) {
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 9, 30, 0, 0, calendar.Location()))
	site := StartSite(t, d, clock)
	first, second := cityListing(t, site, "就业创业证申领"), cityListing(t, site, "城乡居民基本养老保险参保登记")
	idKey := materialKey(t, first, "BZ0101")
	ctx := Browser(t)
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			Screenshot(t, ctx, string(d)+"-exchange-failed-"+strings.ReplaceAll(step, " ", "-"))
			t.Fatalf("%s: %v", step, err)
		}
	}
	scan := filepath.Join(t.TempDir(), "idcard.pdf")
	if err := os.WriteFile(scan, []byte(scanPDF+"%idcard\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	var number string
	run("citizen applies uploading his ID card",
		signIn(site, demo.Citizen.IDNumber),
		chromedp.Navigate(site.URL+"/apply/"+strconv.FormatInt(first.ID, 10)),
		chromedp.WaitVisible("#apply-form", chromedp.ByID),
		chromedp.SetUploadFiles("#file_"+idKey, []string{scan}, chromedp.ByID),
		chromedp.Click("#apply-submit", chromedp.ByID),
		chromedp.WaitVisible("#case-number", chromedp.ByID),
		chromedp.Text("#case-number", &number, chromedp.ByID),
		signOut(),
	)

	var flash string
	run("clerk passes the ID card and accepts",
		signIn(site, "clerk"),
		chromedp.Navigate(site.URL+"/console/cases/"+number),
		chromedp.WaitVisible("#accept-confirm", chromedp.ByID),
		chromedp.Click("#confirm_"+idKey, chromedp.ByID),
		chromedp.SetValue("#valid_until_"+idKey, "2036-05-01", chromedp.ByID),
		chromedp.Click("#accept", chromedp.ByID),
		chromedp.WaitVisible("#notices", chromedp.ByID),
		chromedp.Text(".flash", &flash, chromedp.ByQuery),
	)
	Screenshot(t, ctx, string(d)+"-exchange-01-accepted")
	if m, _ := caseOf(t, site, number).Material(idKey); !m.Confirmed {
		t.Fatalf("after accept (%q) the ID card is not passed: %+v", flash, m)
	}
	var revealed string
	run("clerk shows the applicant's full ID number at the counter",
		chromedp.Navigate(site.URL+"/console/counter?id_number="+demo.Citizen.IDNumber),
		chromedp.WaitVisible("#reveal", chromedp.ByID),
		chromedp.SendKeys("#reveal-reason", "核对申请人身份证件", chromedp.ByID),
		chromedp.Click("#reveal", chromedp.ByID),
		chromedp.WaitNotPresent("#reveal", chromedp.ByID), // the page that shows it in full
		chromedp.WaitVisible("#applicant-id", chromedp.ByID),
		chromedp.Text("#applicant-id", &revealed, chromedp.ByID),
		signOut(),
	)
	if revealed != demo.Citizen.IDNumber {
		t.Fatalf("revealed ID = %q", revealed)
	}

	clock.Advance(time.Hour)
	var offered, sharedData, again string
	run("citizen applies again uploading nothing",
		signIn(site, demo.Citizen.IDNumber),
		chromedp.Navigate(site.URL+"/apply/"+strconv.FormatInt(second.ID, 10)),
		chromedp.WaitVisible("#apply-form", chromedp.ByID),
		chromedp.Text("#library-offer-"+materialKey(t, second, "BZ0101"), &offered, chromedp.ByID),
		chromedp.Text("#shared-offer-"+materialKey(t, second, "BZ0102"), &sharedData, chromedp.ByID),
	)
	Screenshot(t, ctx, string(d)+"-exchange-02-offers")
	if !strings.Contains(offered, number) || !strings.Contains(sharedData, "户籍信息") || strings.Contains(sharedData, "501室") &&
		strings.Contains(sharedData, "北辰路38号") {
		t.Errorf("offers: library %q; shared %q (must be masked)", offered, sharedData)
	}
	run("submits",
		chromedp.Click("#apply-submit", chromedp.ByID),
		chromedp.WaitVisible("#case-number", chromedp.ByID),
		chromedp.Text("#case-number", &again, chromedp.ByID),
	)
	c := caseOf(t, site, again)
	for _, m := range c.Materials {
		if !m.Spared() || m.Ref == nil {
			t.Errorf("second application's %s was not spared: %+v", m.Name, m)
		}
	}

	var kinds []string
	run("citizen reads his data record",
		chromedp.Navigate(site.URL+"/account"),
		chromedp.Click("#link-data-uses", chromedp.ByID),
		chromedp.WaitVisible("#data-uses", chromedp.ByID),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("#data-uses tr.data-use")).map(r => r.dataset.kind)`, &kinds),
	)
	Screenshot(t, ctx, string(d)+"-exchange-03-data-record")
	got := strings.Join(kinds, ",")
	for _, k := range []string{"library_use", "shared_lookup", "staff_reveal"} {
		if !strings.Contains(got, k) {
			t.Errorf("data record kinds %q lack %s", got, k)
		}
	}
	// On a desktop the record's sentences wrap in their columns: the table
	// fits its box instead of hiding 事由 behind a sideways scroll.
	var fitsDesk bool
	run("the data record on a desktop",
		chromedp.EmulateViewport(1200, 900),
		chromedp.Evaluate(`(() => { const w = document.querySelector("#data-uses").parentElement;
			return w.scrollWidth <= w.clientWidth; })()`, &fitsDesk),
	)
	Screenshot(t, ctx, string(d)+"-exchange-04-data-record-desktop")
	if !fitsDesk {
		t.Error("at 1200 px the data record's table is wider than its box")
	}
	at := func(kind string) int { return slices.Index(kinds, kind) }
	if at("staff_reveal") < at("library_use") || at("staff_reveal") < at("shared_lookup") {
		t.Errorf("data record %q is not newest first: the reveal came before the second application", got)
	}
}

// cityListing is the published city listing of the item named.
func cityListing(t *testing.T, site *Site, name string) *tongban.Listing {
	t.Helper()
	ls, err := site.App.Store.Listings(context.Background(), tongban.ListingFilter{Q: name, Region: "511600000000",
		Status: tongban.ListingPublished})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.RegionCode == "511600000000" && l.Name == name {
			return l
		}
	}
	t.Fatalf("no city listing %s", name)
	return nil
}

// materialKey is the key of the listing's material of the standard material.
func materialKey(t *testing.T, l *tongban.Listing, code string) string {
	t.Helper()
	for _, m := range l.Materials {
		if m.Standard == code {
			return m.Key
		}
	}
	t.Fatalf("%s asks no %s", l.Name, code)
	return ""
}
