package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A demo window clerk signs in from the home page and sees the console shell
// with their window, hall and role; the English switch translates it. On
// both engines: the site must work the same on PostgreSQL.
func TestClerkSignsInAndSeesConsole(t *testing.T) {
	storetest.Each(t, clerkSignsInAndSeesConsole)
}

func clerkSignsInAndSeesConsole(t *testing.T, d sqldb.Dialect) {
	site := StartSite(t, d, tongban.SystemClock{})
	ctx := Browser(t)
	var grants, name, title string
	err := chromedp.Run(ctx,
		chromedp.Navigate(site.URL+"/"),
		chromedp.Click("#nav-login", chromedp.ByID),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.SendKeys("#login", "clerk", chromedp.ByID),
		chromedp.SendKeys("#password", demo.Password, chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#grants", chromedp.ByID),
		chromedp.Text("#grants", &grants, chromedp.ByID),
		chromedp.Text("#staff-name", &name, chromedp.ByID),
		chromedp.Title(&title),
	)
	if err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "console-clerk")
	for _, want := range []string{"综合受理一号窗口", "广安市政务服务中心", "综合窗口受理"} {
		if !strings.Contains(grants, want) {
			t.Errorf("console grants %q lack %q", grants, want)
		}
	}
	if name != "陈窗口" || !strings.Contains(title, "工作台") {
		t.Errorf("console shows name %q, title %q", name, title)
	}

	var english string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(site.URL+"/lang/en"),
		chromedp.Navigate(site.URL+"/console"),
		chromedp.WaitVisible("#grants", chromedp.ByID),
		chromedp.Text("#grants", &english, chromedp.ByID),
	); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(english, "Window acceptance") {
		t.Errorf("English console: %q", english)
	}
}

// A citizen registers with a mistyped ID number, sees the error on the
// field, corrects it, signs in and finds the ID masked on the account page.
func TestCitizenRegistersAndSeesMaskedID(t *testing.T) {
	site := StartSite(t, sqldb.SQLite, tongban.SystemClock{})
	ctx := Browser(t)
	var fieldErr, maskedID string
	err := chromedp.Run(ctx,
		chromedp.Navigate(site.URL+"/register"),
		chromedp.WaitVisible("#id_number", chromedp.ByID),
		chromedp.SendKeys("#name", "李梅", chromedp.ByID),
		chromedp.SendKeys("#id_number", "511602198511124561", chromedp.ByID), // wrong check digit
		chromedp.SendKeys("#phone", "13912345678", chromedp.ByID),
		chromedp.SendKeys("#password", "Limei#2026", chromedp.ByID),
		chromedp.SendKeys("#password_confirm", "Limei#2026", chromedp.ByID),
		chromedp.Click("#accepted_agreements", chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible(".field-error", chromedp.ByQuery),
		chromedp.Text(".field-error", &fieldErr, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fieldErr, "校验位") {
		t.Fatalf("field error %q does not explain the check digit", fieldErr)
	}
	err = chromedp.Run(ctx,
		chromedp.SetValue("#id_number", "51160219851112456X", chromedp.ByID),
		chromedp.SendKeys("#password", "Limei#2026", chromedp.ByID),
		chromedp.SendKeys("#password_confirm", "Limei#2026", chromedp.ByID),
		chromedp.Click("#accepted_agreements", chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.SendKeys("#login", "51160219851112456X", chromedp.ByID),
		chromedp.SendKeys("#password", "Limei#2026", chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#account-id", chromedp.ByID),
		chromedp.Text("#account-id", &maskedID, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "account-citizen")
	if maskedID != "5116**********456X" {
		t.Errorf("account page shows ID %q, want it masked", maskedID)
	}
	// The 用户协议 and 隐私政策 accepted on the page are kept with their version.
	u, err := site.App.Store.UserByIDNumber(context.Background(), "51160219851112456X")
	if err != nil {
		t.Fatal(err)
	}
	as, err := site.App.Store.Agreements(context.Background(), u.ID)
	if err != nil || len(as) != 2 || as[0].Version != identity.AgreementsVersion || as[1].Version != identity.AgreementsVersion {
		t.Errorf("agreements accepted: %+v, %v", as, err)
	}
}
