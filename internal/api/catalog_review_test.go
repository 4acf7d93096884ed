package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/catalog"
)

// Over the API with --catalog-review on: publishing needs a proposal; the
// proposer cannot publish it; a second admin lists and publishes it.
func TestCatalogPublicationReviewAPI(t *testing.T) {
	t.Parallel()
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

// Over the API with --catalog-review on, a published listing changes only
// with a second admin: PUT answers with the pending edit while everyone
// still reads the live listing; a suspension is requested, then done by
// another admin.
func TestPublishedListingPendingEditAPI(t *testing.T) {
	t.Parallel()
	srv, _ := siteWith(t, func(c *app.Config) { c.CatalogReview = true })
	c := newClient(t, srv)
	c.login("catalog")
	if status, body := c.upload("one.csv", catalogFile(t, catalog.FormatCSV, foodListing("T-LIVE", "广安市市场监督管理局", "511600000000"))); status != 200 {
		t.Fatalf("import: %d %s", status, body)
	}
	id := c.listingID("T-LIVE")
	path := "/api/v1/listings/" + itoa(id)
	admin := newClient(t, srv)
	admin.login("admin")
	if status, body := c.json("POST", path+"/propose", map[string]any{"reason": "已核对"}); status != 201 {
		t.Fatalf("propose: %d %s", status, body)
	}
	if status, body := admin.json("POST", path+"/publish", map[string]any{}); status != 200 {
		t.Fatalf("publish: %d %s", status, body)
	}
	read := func(cl *client) tongban.Listing {
		t.Helper()
		status, body := cl.do("GET", path, nil)
		var l tongban.Listing
		decodeInto(t, body, &l)
		if status != 200 {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
		return l
	}
	live := read(c)
	edit := map[string]any{}
	b, _ := json.Marshal(live)
	json.Unmarshal(b, &edit)
	edit["phone"], edit["reason"] = "0826-2220000", "改咨询电话"
	status, body := c.json("PUT", path, edit)
	var res catalog.Result
	decodeInto(t, body, &res)
	if status != 200 || res.Proposal == nil || res.Proposal.Action != tongban.ProposeToEdit || res.Proposal.Proposed == nil ||
		res.Proposal.Proposed.Phone != "0826-2220000" || res.Listing.Version != live.Version {
		t.Fatalf("PUT of a published listing under review: %d %s", status, body)
	}
	if got := read(newClient(t, srv)); got.Phone != live.Phone || got.Version != live.Version {
		t.Errorf("the public reads phone %q version %d; want the live %q, %d", got.Phone, got.Version, live.Phone, live.Version)
	}
	if status, body := c.json("POST", path+"/publish", map[string]any{}); status != 403 {
		t.Errorf("the editor publishing their own edit: %d %s", status, body)
	}
	if status, body := admin.json("POST", path+"/publish", map[string]any{"reason": "审核通过"}); status != 200 {
		t.Fatalf("the second admin publishing the edit: %d %s", status, body)
	}
	if got := read(newClient(t, srv)); got.Phone != "0826-2220000" || got.Version != live.Version+1 {
		t.Errorf("after publishing the public reads phone %q version %d", got.Phone, got.Version)
	}

	if status, body := c.json("POST", path+"/suspend", map[string]any{"reason": "系统升级"}); status != 409 {
		t.Errorf("suspending without a request: %d %s", status, body)
	}
	if status, body := c.json("POST", path+"/propose", map[string]any{"action": "suspend"}); status != 400 || !strings.Contains(string(body), `"reason"`) {
		t.Errorf("requesting a suspension without a reason: %d %s", status, body)
	}
	if status, body := c.json("POST", path+"/propose", map[string]any{"action": "suspend", "reason": "系统升级"}); status != 201 {
		t.Fatalf("requesting a suspension: %d %s", status, body)
	}
	if status, body := c.json("POST", path+"/suspend", map[string]any{"reason": "系统升级"}); status != 403 {
		t.Errorf("suspending on one's own request: %d %s", status, body)
	}
	status, body = admin.json("POST", path+"/suspend", map[string]any{"reason": "系统升级"})
	var l tongban.Listing
	decodeInto(t, body, &l)
	if status != 200 || l.Status != tongban.ListingSuspended {
		t.Errorf("the second admin suspending: %d %s", status, body)
	}
}
