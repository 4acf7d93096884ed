package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
)

// another is a second person's browser on the same site.
func (b *browser) another() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: b.t, base: b.base, c: &http.Client{Jar: jar, CheckRedirect: b.c.CheckRedirect}}
}

// With --catalog-review on, the catalog admin who completes a claimed
// draft proposes it; they cannot publish it themselves; a second admin
// finds it on the review list and publishes it from the listing's page.
// Off, none of it shows.
func TestCatalogPublicationReviewPages(t *testing.T) {
	t.Parallel()
	b, a := guideSiteWith(t, func(c *app.Config) { c.CatalogReview = true })
	ctx := context.Background()
	b.signIn("catalog")
	orgs, err := a.Store.Orgs(ctx, tongban.OrgFilter{Name: "广安区市场监督管理局"})
	if err != nil || len(orgs) != 1 {
		t.Fatalf("org: %v %v", orgs, err)
	}
	item, err := a.Store.Items(ctx, tongban.ItemFilter{Q: "企业变更登记"})
	if err != nil || len(item) != 1 {
		t.Fatalf("item: %v %v", item, err)
	}
	status, _, loc := catalogPost(b, "/console/catalog/claim", "/console/catalog/claim",
		url.Values{"item_code": {item[0].Code}, "org_id": {fmt.Sprint(orgs[0].ID)}})
	if status != http.StatusSeeOther {
		t.Fatalf("claim: %d", status)
	}
	var id int64
	fmt.Sscanf(loc, "/console/catalog/listings/%d", &id)
	draft, _ := a.Store.Listing(ctx, id)
	form := listingForm(t, b, guideListing(t, a, "企业变更登记", "511600000000"))
	form.Set("version", fmt.Sprint(draft.Version))
	if status, page, _ := catalogPost(b, editPath(draft), editPath(draft), form); status != http.StatusSeeOther {
		t.Fatalf("complete the draft: %d %s", status, errorOf(page))
	}
	draft, _ = a.Store.Listing(ctx, id)

	_, page := b.get(editPath(draft))
	pageHas(t, "draft under review", page, `id="propose"`, "已启用发布审核")
	_, list := b.get("/console/catalog")
	pageHas(t, "catalog tabs", list, `id="tab-proposals"`)
	if strings.Contains(page, `id="publish"`) {
		t.Error("the draft offers to publish without a proposal")
	}
	status, page, _ = catalogPost(b, editPath(draft), editPath(draft)+"/publish", url.Values{"version": {fmt.Sprint(draft.Version)}})
	if status != http.StatusConflict || !strings.Contains(page, "须先由一名管理员提交发布申请") {
		t.Errorf("publish without a proposal: %d %q", status, errorOf(page))
	}
	status, _, loc = catalogPost(b, editPath(draft), editPath(draft)+"/propose",
		url.Values{"version": {fmt.Sprint(draft.Version)}, "reason": {"已按市级清单补全"}})
	if status != http.StatusSeeOther {
		t.Fatalf("propose: %d", status)
	}
	_, page = b.get(loc)
	pageHas(t, "proposed", page, "已提交发布申请", `id="proposal"`, "吴清单", "已按市级清单补全", `id="proposal-withdraw"`,
		"本人提交的申请须由另一名管理员审核发布")
	if strings.Contains(page, `id="publish"`) || strings.Contains(page, `id="proposal-return"`) {
		t.Error("the proposer is offered to publish or return their own proposal")
	}
	status, page, _ = catalogPost(b, editPath(draft), editPath(draft)+"/publish", url.Values{"version": {fmt.Sprint(draft.Version)}})
	if status != http.StatusForbidden || !strings.Contains(page, "不能发布本人提交的申请") {
		t.Errorf("proposer publishing: %d %q", status, errorOf(page))
	}
	_, page = b.get("/console/catalog/proposals")
	pageHas(t, "proposer's list", page, `id="proposals"`, "企业变更登记", "本人提交，须由他人审核")
	// In English, the list and the proposal on the listing's page use half-width punctuation.
	for _, p := range []string{"/console/catalog/proposals?lang=en", editPath(draft) + "?lang=en"} {
		_, page := b.get(p)
		for _, bad := range chromePunctuation(page) {
			t.Errorf("%s has full-width punctuation in %q", p, bad)
		}
	}

	// The second admin reviews and publishes.
	b2 := b.another()
	b2.signIn("admin")
	_, page = b2.get("/console/catalog/proposals")
	pageHas(t, "reviewer's list", page, fmt.Sprintf(`href="/console/catalog/listings/%d#status-actions"`, id), "吴清单")
	_, page = b2.get(editPath(draft))
	pageHas(t, "reviewer's page", page, `id="publish"`, "审核通过并发布", `id="proposal-return"`)
	status, _, loc = catalogPost(b2, editPath(draft), editPath(draft)+"/publish", url.Values{"version": {fmt.Sprint(draft.Version)}})
	if status != http.StatusSeeOther {
		t.Fatalf("second admin publishing: %d", status)
	}
	if now, _ := a.Store.Listing(ctx, id); now.Status != tongban.ListingPublished {
		t.Errorf("status %s after the review", now.Status)
	}
	_, page = b2.get("/console/catalog/proposals")
	pageHas(t, "list after publishing", page, "没有待审核的发布申请。")

	// Off (the default): no proposals page, and publishing as before.
	c, a2 := guideSite(t)
	c.signIn("catalog")
	if status, _ := c.get("/console/catalog/proposals"); status != http.StatusNotFound {
		t.Errorf("proposals page with the review off: %d", status)
	}
	l := guideListing(t, a2, "食品经营许可证核发", "511621000000")
	_, list = c.get("/console/catalog")
	if _, page := c.get(editPath(l)); strings.Contains(page, `id="propose"`) || strings.Contains(list, `id="tab-proposals"`) {
		t.Error("the review shows while it is off")
	}
}
