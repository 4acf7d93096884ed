package api_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/catalog"
)

// Over the API with --catalog-review on: publishing needs a proposal; the
// proposer cannot publish it; a second admin lists and publishes it.
func TestCatalogPublicationReviewAPI(t *testing.T) {
	srv, _ := siteWith(t, func(c *app.Config) { c.CatalogReview = true })
	c := newClient(t, srv)
	c.login("catalog")
	status, body := c.upload("one.csv", catalogFile(t, catalog.FormatCSV, foodListing("T-REVIEW", "广安市市场监督管理局", "511600000000")))
	if status != 200 {
		t.Fatalf("import: %d %s", status, body)
	}
	id := c.listingID("T-REVIEW")
	path := "/api/v1/listings/" + itoa(id)
	if status, body := c.json("POST", path+"/publish", map[string]any{"reason": "上线"}); status != 409 {
		t.Errorf("publish without a proposal: %d %s", status, body)
	}
	status, body = c.json("POST", path+"/propose", map[string]any{"reason": "已核对"})
	var p tongban.ListingProposal
	decodeInto(t, body, &p)
	if status != 201 || p.Status != tongban.ProposalOpen || p.ListingID != id || p.Reason != "已核对" {
		t.Fatalf("propose: %d %s", status, body)
	}
	if status, body := c.json("POST", path+"/publish", map[string]any{}); status != 403 {
		t.Errorf("proposer publishing: %d %s", status, body)
	}
	admin := newClient(t, srv)
	admin.login("admin")
	status, body = admin.do("GET", "/api/v1/catalog/proposals", nil)
	var views []catalog.ProposalView
	decodeInto(t, body, &views)
	if status != 200 || len(views) != 1 || views[0].Listing.ID != id || !views[0].CanPublish || views[0].Own {
		t.Fatalf("proposals: %d %s", status, body)
	}
	status, body = admin.json("POST", path+"/publish", map[string]any{"reason": "审核通过"})
	var res catalog.Result
	decodeInto(t, body, &res)
	if status != 200 || res.Listing.Status != tongban.ListingPublished {
		t.Fatalf("second admin publishing: %d %s", status, body)
	}
	if status, body := admin.json("POST", path+"/proposal/close", map[string]any{"reason": "x"}); status != 404 {
		t.Errorf("closing a proposal already published: %d %s", status, body)
	}
}
