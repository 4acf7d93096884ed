package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// Saving the edit form unchanged makes no version (the history had one
// labelled 首个版本 for it), and the page names fields by their Chinese
// labels, never by codes like promised_days.
func TestCatalogSaveUnchangedAndChineseFieldNames(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	ctx := context.Background()
	b.signIn("catalog")
	l := guideListing(t, a, "食品经营许可证核发", "511621000000")
	before, err := a.Store.ListingVersions(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	form := listingForm(t, b, l)
	form.Set("reason", "只是看看")
	status, page, where := catalogPost(b, editPath(l), editPath(l), form)
	if status != http.StatusSeeOther {
		t.Fatalf("unchanged save: %d\n%s", status, errorOf(page))
	}
	after, err := a.Store.ListingVersions(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now, _ := a.Store.Listing(ctx, l.ID); now.Version != l.Version || len(after) != len(before) {
		t.Errorf("unchanged save: version %d → %d, versions %d → %d", l.Version, now.Version, len(before), len(after))
	}
	if _, page = b.get(where); !strings.Contains(page, "没有修改，未生成新版本") {
		t.Error("the page does not say nothing was saved")
	}
	// A real change still makes a version.
	form = listingForm(t, b, l)
	form.Set("phone", "0826-2220000")
	form.Set("reason", "更换电话")
	if status, page, _ = catalogPost(b, editPath(l), editPath(l), form); status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", status, errorOf(page))
	}
	if now, _ := a.Store.Listing(ctx, l.ID); now.Version != l.Version+1 {
		t.Errorf("a change made version %d, want %d", now.Version, l.Version+1)
	}

	now, _ := a.Store.Listing(ctx, l.ID)
	form = listingForm(t, b, now)
	form.Set("promised_days", "99")
	_, page, _ = catalogPost(b, editPath(now), editPath(now), form)
	if !strings.Contains(page, "· 承诺时限）") || strings.Contains(page, "promised_days）") {
		t.Errorf("refused save names the field by its code:\n%s", errorOf(page))
	}
}
