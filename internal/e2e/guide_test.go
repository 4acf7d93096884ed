package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// The "done when": from the home page a citizen searches 营业执照,
// opens the guide, answers the situation questions and sees the tailored
// checklist — on a phone-sized window, on both engines.
func TestCitizenSearchesGuideAndChecklist(t *testing.T) {
	storetest.Each(t, citizenSearchesGuideAndChecklist)
}

func citizenSearchesGuideAndChecklist(t *testing.T, d sqldb.Dialect) {
	site := StartSite(t, d, tongban.SystemClock{})
	ctx := Browser(t)
	shot := func(name string) { Screenshot(t, ctx, "guide-"+string(d)+"-"+name) }
	var results string
	err := chromedp.Run(ctx,
		chromedp.Navigate(site.URL+"/"),
		chromedp.WaitVisible("#home-q", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot("1-home")
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#home-q", "营业执照", chromedp.ByID),
		chromedp.Click("#home-search-submit", chromedp.ByID),
		chromedp.WaitVisible("#results", chromedp.ByID),
		chromedp.Text("#results", &results, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot("2-results")
	for _, want := range []string{"个体工商户设立登记", "有限责任公司设立登记", "其他地区"} {
		if !strings.Contains(results, want) {
			t.Errorf("results lack %q:\n%s", want, results)
		}
	}

	// The company registration's guide: one question, whose answer adds the
	// power of attorney.
	var title, facts, materials, conditions string
	err = chromedp.Run(ctx,
		chromedp.Click(`//a[@class="result-title"][normalize-space()="有限责任公司设立登记"]`, chromedp.BySearch),
		chromedp.WaitVisible("#guide-title", chromedp.ByID),
		chromedp.Text("#guide-title", &title, chromedp.ByID),
		chromedp.Text("#guide-facts", &facts, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot("3-guide")
	if title != "有限责任公司设立登记" || !strings.Contains(facts, "营业执照") || !strings.Contains(facts, "承诺时限") {
		t.Errorf("guide: title %q, facts %q", title, facts)
	}
	err = chromedp.Run(ctx,
		chromedp.Click("#situation_s1_a2", chromedp.ByID),
		chromedp.Click("#situation-submit", chromedp.ByID),
		chromedp.WaitVisible("#checklist", chromedp.ByID),
		chromedp.Text("#checklist-materials", &materials, chromedp.ByID),
		chromedp.Text("#checklist-conditions", &conditions, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot("4-checklist")
	for _, want := range []string{"公司章程", "授权委托书", "免提交"} {
		if !strings.Contains(materials, want) {
			t.Errorf("checklist lacks %q:\n%s", want, materials)
		}
	}
	if conditions == "" {
		t.Error("checklist lists no conditions")
	}

	// The same question answered the other way drops the power of attorney.
	err = chromedp.Run(ctx,
		chromedp.Click("#situation_s1_a1", chromedp.ByID),
		chromedp.Click("#situation-submit", chromedp.ByID),
		// The old page has a checklist too: wait for the new one.
		waitURL("situation_s1=a1"),
		chromedp.WaitVisible("#checklist", chromedp.ByID),
		chromedp.Text("#checklist-materials", &materials, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(materials, "授权委托书") {
		t.Error("授权委托书 still listed when the shareholders apply themselves")
	}
}

// Dependent questions appear as the answers they depend on are chosen, and
// the printable checklist carries the answers.
func TestGuideDependentQuestionsAndPrint(t *testing.T) {
	site := StartSite(t, sqldb.SQLite, tongban.SystemClock{})
	ctx := Browser(t)
	ls, err := site.App.Store.Listings(context.Background(), tongban.ListingFilter{Q: "食品经营许可证核发", Region: "511602000000"})
	if err != nil || len(ls) == 0 {
		t.Fatalf("food listing: %v %v", ls, err)
	}
	var hiddenBefore, hiddenAfter bool
	var materials, printed string
	err = chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/guide/%d", site.URL, ls[0].ID)),
		chromedp.WaitVisible("#situation-form", chromedp.ByID),
		chromedp.Evaluate(`document.getElementById('q-s2').hidden`, &hiddenBefore),
		chromedp.Click("#situation_s1_a1", chromedp.ByID),
		chromedp.Evaluate(`document.getElementById('q-s2').hidden`, &hiddenAfter),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !hiddenBefore || hiddenAfter {
		t.Errorf("自建网站 question hidden before %v, after choosing 网络经营 %v", hiddenBefore, hiddenAfter)
	}
	err = chromedp.Run(ctx,
		chromedp.Click("#situation_s2_a1", chromedp.ByID),
		chromedp.Click("#situation_s3_a2", chromedp.ByID),
		chromedp.Click("#situation_s4_a2", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "guide-food-questions")
	err = chromedp.Run(ctx,
		chromedp.Click("#situation-submit", chromedp.ByID),
		chromedp.WaitVisible("#checklist", chromedp.ByID),
		chromedp.Text("#checklist-materials", &materials, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "guide-food-checklist")
	for _, want := range []string{"网络食品经营说明", "自建网站ICP备案信息", "授权委托书", "委托代理人身份证明"} {
		if !strings.Contains(materials, want) {
			t.Errorf("checklist lacks %q", want)
		}
	}
	err = chromedp.Run(ctx,
		chromedp.Click("#checklist-print", chromedp.ByID),
		chromedp.WaitVisible(".print-guide", chromedp.ByQuery),
		chromedp.Text(".print-guide", &printed, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "guide-food-print")
	for _, want := range []string{"您的材料清单", "自建网站ICP备案信息", "是否通过网络经营食品？", "打印日期"} {
		if !strings.Contains(printed, want) {
			t.Errorf("printed checklist lacks %q", want)
		}
	}
}

// A catalog admin breaks a rule in a listing: the change is refused with the
// error shown; a claimed draft is refused publishing with its errors listed.
func TestCatalogAdminSeesPublishRefused(t *testing.T) {
	site := StartSite(t, sqldb.SQLite, tongban.SystemClock{})
	ctx := Browser(t)
	st := site.App.Store
	ls, err := st.Listings(context.Background(), tongban.ListingFilter{Q: "食品经营许可证核发", Region: "511621000000"})
	if err != nil || len(ls) == 0 {
		t.Fatalf("listing: %v %v", ls, err)
	}
	food := ls[0]
	var refused string
	err = chromedp.Run(ctx,
		chromedp.Navigate(site.URL+"/login?next=/console/catalog"),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.SendKeys("#login", "catalog", chromedp.ByID),
		chromedp.SendKeys("#password", demo.Password, chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#catalog-listings", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "catalog-list")
	err = chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/console/catalog/listings/%d", site.URL, food.ID)),
		chromedp.WaitVisible("#listing-form", chromedp.ByID),
		chromedp.SetValue("#f-promised_days", "99", chromedp.ByID),
		chromedp.Click("#save", chromedp.ByID),
		chromedp.WaitVisible("#refused", chromedp.ByID),
		chromedp.Text("#refused", &refused, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "catalog-save-refused")
	if !strings.Contains(refused, "清单未保存") || !strings.Contains(refused, "承诺时限") {
		t.Errorf("refusal: %q", refused)
	}
	if now, _ := st.Listing(context.Background(), food.ID); now.PromisedDays != food.PromisedDays {
		t.Error("a refused save changed the listing")
	}

	// Claim an item for a district: a draft; publishing it is refused.
	err = chromedp.Run(ctx,
		chromedp.Navigate(site.URL+"/console/catalog/claim?q="+"企业变更登记"),
		chromedp.WaitVisible("#claim-items", chromedp.ByID),
		chromedp.SetValue(`#claim-items select`, orgIDByName(t, site, "广安区市场监督管理局"), chromedp.ByQuery),
		chromedp.Click(`#claim-items button`, chromedp.ByQuery),
		chromedp.WaitVisible("#publish", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "catalog-draft")
	err = chromedp.Run(ctx,
		chromedp.Click("#publish", chromedp.ByID),
		chromedp.WaitVisible("#refused", chromedp.ByID),
		chromedp.Text("#refused", &refused, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "catalog-publish-refused")
	if !strings.Contains(refused, "不能发布") || !strings.Contains(refused, "没有申请材料") {
		t.Errorf("publish refusal: %q", refused)
	}

	// The other catalog pages, for people to look at.
	it, err := st.Item(context.Background(), food.ItemID)
	if err != nil {
		t.Fatal(err)
	}
	for _, pg := range []struct{ name, path, sel string }{
		{"catalog-history", fmt.Sprintf("/console/catalog/listings/%d/history", food.ID), "#versions"},
		{"catalog-quality", "/console/catalog/quality", "#quality-stats"},
		{"catalog-consistency", "/console/catalog/consistency", "#consistency-summary"},
		{"catalog-consistency-item", "/console/catalog/consistency?item=" + it.Code, "#consistency-" + it.Code},
		{"catalog-import", "/console/catalog/import", "#import-form"},
		{"catalog-synonyms", "/console/catalog/synonyms?try=开饭店", "#synonyms-form"},
		{"search-browse", "/search", "#themes"},
	} {
		if err := chromedp.Run(ctx, chromedp.Navigate(site.URL+pg.path), chromedp.WaitVisible(pg.sel, chromedp.ByQuery)); err != nil {
			t.Fatalf("%s: %v", pg.name, err)
		}
		Screenshot(t, ctx, pg.name)
	}
}

// waitURL waits until the page's address contains s, riding out the
// errors of asking while a navigation is under way.
func waitURL(s string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var loc string
			if err := chromedp.Location(&loc).Do(ctx); err == nil && strings.Contains(loc, s) {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

func orgIDByName(t *testing.T, site *Site, name string) string {
	t.Helper()
	orgs, err := site.App.Store.Orgs(context.Background(), tongban.OrgFilter{Name: name})
	if err != nil || len(orgs) != 1 {
		t.Fatalf("org %s: %v %v", name, orgs, err)
	}
	return fmt.Sprint(orgs[0].ID)
}
