package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

type searchBody struct {
	Total int `json:"total"`
	Hits  []struct {
		ListingID   int64   `json:"listing_id"`
		ListingName string  `json:"listing_name"`
		ItemName    string  `json:"item_name"`
		OrgID       int64   `json:"org_id"`
		OrgName     string  `json:"org_name"`
		RegionCode  string  `json:"region_code"`
		Snippet     string  `json:"snippet"`
		Score       float64 `json:"score"`
	} `json:"hits"`
}

func searchAPI(t *testing.T, c *client, query string) searchBody {
	t.Helper()
	status, body := c.do("GET", "/api/v1/search?"+query, nil)
	if status != http.StatusOK {
		t.Fatalf("search %s: %d %s", query, status, body)
	}
	var out searchBody
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The search API returns ranked listings, best first, each with its ids,
// names, org and a highlighted snippet; it filters by region and audience;
// bad parameters are a 400 naming the parameter.
func TestSearchAPI(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)

	res := searchAPI(t, c, "q=yyzz&limit=5")
	if res.Total < 4 || len(res.Hits) != 5 {
		t.Fatalf("yyzz: total %d, %d hits", res.Total, len(res.Hits))
	}
	h := res.Hits[0]
	if h.ListingName != "个体工商户设立登记" || h.ListingID == 0 || h.ItemName == "" || h.OrgID == 0 || h.OrgName == "" ||
		!strings.Contains(h.Snippet, "<mark>") || h.Score <= 0 {
		t.Errorf("first hit: %+v", h)
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Score > res.Hits[i-1].Score {
			t.Errorf("hit %d scores %v above hit %d's %v", i, res.Hits[i].Score, i-1, res.Hits[i-1].Score)
		}
	}

	res = searchAPI(t, c, "q="+url.QueryEscape("食品经营许可证核发")+"&region=511603000000")
	if len(res.Hits) == 0 || res.Hits[0].ListingName != "食品经营许可证核发" {
		t.Fatalf("region 前锋区: %+v", res.Hits)
	}
	for _, h := range res.Hits {
		if !strings.HasPrefix(h.RegionCode, "511603") {
			t.Errorf("region filter let %s (%s) through", h.ListingName, h.RegionCode)
		}
	}
	res = searchAPI(t, c, "q="+url.QueryEscape("养老")+"&audience=enterprise")
	if len(res.Hits) == 0 || res.Hits[0].ListingName != "养老机构设立备案" {
		t.Errorf("养老 for enterprises: %+v", res.Hits)
	}
	near := searchAPI(t, c, "q=spjy&near=511621000000")
	if len(near.Hits) == 0 || near.Hits[0].RegionCode != "511621000000" {
		t.Errorf("near 岳池县: %+v", near.Hits)
	}
	// Empty q browses.
	if res := searchAPI(t, c, "theme="+url.QueryEscape("开办")); res.Total == 0 {
		t.Error("theme 开办 lists nothing")
	}

	for _, bad := range []struct{ query, field string }{
		{"q=a&limit=0", "limit"}, {"q=a&limit=101", "limit"}, {"q=a&limit=ten", "limit"},
		{"q=a&offset=-1", "offset"}, {"q=a&offset=x", "offset"},
		{"q=a&region=abc", "region"}, {"q=a&near=1", "near"},
		{"q=a&audience=martian", "audience"}, {"q=a&org=x", "org"}, {"q=a&channel=" + url.QueryEscape("飞鸽传书"), "channel"},
		{"q=" + strings.Repeat("办", 201), "q"},
	} {
		status, body := c.do("GET", "/api/v1/search?"+bad.query, nil)
		wantError(t, status, body, http.StatusBadRequest, "invalid", bad.field)
	}
}

// A signed-in citizen's own district comes first without asking.
func TestSearchAPINearTheCitizen(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)
	c.login("511602199003071232") // 广安区
	res := searchAPI(t, c, "q="+url.QueryEscape("食品经营许可证核发"))
	if len(res.Hits) == 0 || res.Hits[0].RegionCode != "511602000000" {
		t.Errorf("广安区 citizen: %+v", res.Hits)
	}
}

// The API follows the catalog: a withdrawn listing leaves the results within
// a poll, a republished one comes back.
func TestSearchAPIFollowsPublishAndWithdraw(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	c := newClient(t, srv)
	ctx := context.Background()
	ls, err := a.Store.Listings(ctx, tongban.ListingFilter{Q: "生育津贴申领", Region: "511621000000"})
	if err != nil || len(ls) != 1 {
		t.Fatalf("listing: %v %v", ls, err)
	}
	l := ls[0]
	found := func() bool {
		for _, h := range searchAPI(t, c, "q="+url.QueryEscape("生育津贴")+"&region=511621").Hits {
			if h.ListingID == l.ID {
				return true
			}
		}
		return false
	}
	if !found() {
		t.Fatal("published listing not found")
	}
	u, err := a.Store.UserByLogin(ctx, "catalog")
	if err != nil {
		t.Fatal(err)
	}
	req := identity.Request{Actor: u}
	if _, err := a.Catalog.Withdraw(ctx, req, l.ID, 0, "测试"); err != nil {
		t.Fatal(err)
	}
	if err := a.SearchSync.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if found() {
		t.Error("withdrawn listing still found")
	}
	if _, err := a.Catalog.Publish(ctx, req, l.ID, 0, "恢复"); err != nil {
		t.Fatal(err)
	}
	if err := a.SearchSync.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if !found() {
		t.Error("republished listing not found")
	}
}
