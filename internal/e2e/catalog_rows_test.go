package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/sqldb"
)

// A catalog admin on a phone adds a material row, types into it, moves it
// to the top with its button — what was typed survives each post-back —
// and saves with Enter in a text field, which must press 保存, not a row
// button. The table scrolls inside its box instead of widening the page.
func TestCatalogAdminEditsRowsInBrowser(t *testing.T) {
	site := StartSite(t, sqldb.SQLite, tongban.SystemClock{})
	ctx := Browser(t)
	st := site.App.Store
	ls, err := st.Listings(context.Background(), tongban.ListingFilter{Q: "食品经营许可证核发", Region: "511621000000"})
	if err != nil || len(ls) == 0 {
		t.Fatalf("listing: %v %v", ls, err)
	}
	food := ls[0]
	n := len(food.Materials)
	cell := func(i int, col string) string { return fmt.Sprintf(`[name="materials[%d].%s"]`, i, col) }
	var pageWidth, viewport int
	var first, firstStd string
	err = chromedp.Run(ctx,
		chromedp.Navigate(site.URL+"/login?next=/console/catalog"),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.SendKeys("#login", "catalog", chromedp.ByID),
		chromedp.SendKeys("#password", demo.Password, chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#catalog-listings", chromedp.ByID),
		chromedp.Navigate(fmt.Sprintf("%s/console/catalog/listings/%d", site.URL, food.ID)),
		chromedp.WaitVisible("#table-materials", chromedp.ByID),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &pageWidth),
		chromedp.Evaluate(`window.innerWidth`, &viewport),
		// Something typed before pressing a row button is kept.
		chromedp.SetValue("#f-phone", "0826-2229999", chromedp.ByID),
		postBack("#add-materials"),
		chromedp.SendKeys(cell(n, "name"), "居民身份证", chromedp.ByQuery),
		chromedp.SetValue(cell(n, "standard"), "BZ0101", chromedp.ByQuery),
		chromedp.SetValue(cell(n, "form"), "原件", chromedp.ByQuery),
		chromedp.SetValue(cell(n, "review_criteria"), "核验原件，与申请人一致", chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if pageWidth > viewport {
		t.Errorf("the edit page is %dpx wide on a %dpx phone; the tables should scroll in their box", pageWidth, viewport)
	}
	for i := n; i > 0; i-- {
		if err := chromedp.Run(ctx, postBack(fmt.Sprintf(`#materials-row-%d .row-up`, i))); err != nil {
			t.Fatal(err)
		}
	}
	err = chromedp.Run(ctx,
		chromedp.Value(cell(0, "name"), &first, chromedp.ByQuery),
		chromedp.Value(cell(0, "standard"), &firstStd, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "catalog-rows-moved")
	if first != "居民身份证" || firstStd != "BZ0101" {
		t.Fatalf("after moving up, the first row is %q (%q)", first, firstStd)
	}
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#f-reason", "增加居民身份证"+kb.Enter, chromedp.ByID),
		chromedp.WaitVisible(".flash", chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	now, err := st.Listing(context.Background(), food.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now.Version != food.Version+1 || len(now.Materials) != n+1 || now.Materials[0].Name != "居民身份证" ||
		now.Materials[0].Standard != "BZ0101" || now.Materials[1].Key != food.Materials[0].Key || now.Phone != "0826-2229999" {
		t.Errorf("saved: version %d, %d materials, first %+v, phone %q", now.Version, len(now.Materials), now.Materials[0], now.Phone)
	}
}

// postBack clicks a button that posts the page back and waits for the new
// page: the old one is marked, so its elements are not mistaken for it, and
// the new one must have finished loading — on a busy machine a node found
// while it was still being parsed could be replaced before the next click.
func postBack(button string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Evaluate(`document.body.dataset.stale = "1"`, nil),
		chromedp.Click(button, chromedp.ByQuery),
		chromedp.WaitReady(`body:not([data-stale])`, chromedp.ByQuery),
		chromedp.Poll(`document.readyState === "complete"`, nil),
		chromedp.WaitVisible(button, chromedp.ByQuery),
	}
}
