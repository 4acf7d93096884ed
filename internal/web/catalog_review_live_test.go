package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/catalog"
)

// With --catalog-review on, the catalog admin's edit of a published
// listing waits as a pending copy: the page names what changed, the guide
// keeps the live text, and a second admin publishes it from the listing's
// page. Suspending is requested by one admin and done by another.
func TestPublishedListingChangesReviewedOnPages(t *testing.T) {
	t.Parallel()
	b, a := guideSiteWith(t, func(c *app.Config) { c.CatalogReview = true })
	ctx := context.Background()
	b.signIn("catalog")
	l := guideListing(t, a, "食品经营许可证核发", "511621000000")
	if l.Status != tongban.ListingPublished {
		t.Fatalf("%s is %s", l.Name, l.Status)
	}
	const phone = "0826-5559999"
	_, page := b.get(editPath(l))
	pageHas(t, "published listing under review", page, `id="edit-pending-hint"`, `id="request-suspend"`, `id="request-withdraw"`)
	if strings.Contains(page, `id="suspend"`) {
		t.Error("the page offers to suspend at once under review")
	}
	form := listingForm(t, b, l)
	form.Set("phone", phone)
	form.Set("reason", "咨询电话变更")
	status, _, loc := catalogPost(b, editPath(l), editPath(l), form)
	if status != http.StatusSeeOther {
		t.Fatalf("saving the edit: %d", status)
	}
	_, page = b.get(loc)
	pageHas(t, "pending edit", page, "修改已提交审核", `id="proposal"`, "发布修改", "咨询电话变更", `id="pending-changes"`,
		catalog.FieldLabel("phone"), `id="proposal-withdraw"`)
	if strings.Contains(page, `id="review-approve"`) {
		t.Error("the editor is offered to approve their own edit")
	}
	if now, _ := a.Store.Listing(ctx, l.ID); now.Phone == phone || now.Version != l.Version {
		t.Fatalf("the pending edit changed the listing: phone %q version %d", now.Phone, now.Version)
	}
	guide := fmt.Sprintf("/guide/%d", l.ID)
	if _, g := b.another().get(guide); strings.Contains(g, phone) {
		t.Error("the public guide shows the pending phone")
	}
	for _, bad := range chromePunctuation(mustGet(t, b, editPath(l)+"?lang=en")) {
		t.Errorf("English page with a pending edit has full-width punctuation in %q", bad)
	}

	b2 := b.another()
	b2.signIn("admin")
	_, page = b2.get(editPath(l))
	pageHas(t, "reviewer's page", page, `id="review-approve"`, "审核通过并发布修改", `id="proposal-return"`)
	status, _, loc = catalogPost(b2, editPath(l), editPath(l)+"/publish", url.Values{"version": {fmt.Sprint(l.Version)}})
	if status != http.StatusSeeOther {
		t.Fatalf("publishing the edit: %d", status)
	}
	_, page = b2.get(loc)
	pageHas(t, "published edit", page, "修改已发布")
	if _, g := b.another().get(guide); !strings.Contains(g, phone) {
		t.Error("the public guide lacks the published phone")
	}
	l, _ = a.Store.Listing(ctx, l.ID)

	// Suspending: requested with a reason, done by the other admin.
	status, _, _ = catalogPost(b, editPath(l), editPath(l)+"/propose",
		url.Values{"version": {fmt.Sprint(l.Version)}, "action": {"suspend"}, "reason": {"系统升级暂停三天"}})
	if status != http.StatusSeeOther {
		t.Fatalf("requesting a suspension: %d", status)
	}
	if now, _ := a.Store.Listing(ctx, l.ID); now.Status != tongban.ListingPublished {
		t.Fatalf("the request suspended the listing: %s", now.Status)
	}
	_, page = b2.get(editPath(l))
	pageHas(t, "suspension request", page, "暂停受理", "系统升级暂停三天", "审核通过并暂停受理")
	status, _, _ = catalogPost(b2, editPath(l), editPath(l)+"/suspend",
		url.Values{"version": {fmt.Sprint(l.Version)}, "reason": {"系统升级暂停三天"}})
	if now, _ := a.Store.Listing(ctx, l.ID); status != http.StatusSeeOther || now.Status != tongban.ListingSuspended {
		t.Errorf("the second admin suspending: %d, %s", status, now.Status)
	}
}

func mustGet(t *testing.T, b *browser, path string) string {
	t.Helper()
	status, page := b.get(path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d", path, status)
	}
	return page
}
