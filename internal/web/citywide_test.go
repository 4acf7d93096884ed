package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
)

// At 广安区's window, a 岳池县 listing that is not 全市通办 is refused on the
// counter form itself: 403, the reason and the place in Chinese, the ticks
// kept, no case made.
func TestCounterRefusesOtherDistrictsListingClearly(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	ls, err := s.app.Store.Listings(ctx, tongban.ListingFilter{Region: "511621000000", Status: tongban.ListingPublished})
	if err != nil {
		t.Fatal(err)
	}
	var plain *tongban.Listing
	for _, l := range ls {
		if !l.Flags.CrossRegion && len(l.Materials) > 0 {
			plain = l
			break
		}
	}
	if plain == nil {
		t.Fatal("no unflagged 岳池县 listing in the demo")
	}
	clerk := s.as("clerk2") // 广安区政务服务中心
	zhang := s.user(demo.Citizen.IDNumber)
	link := "/console/counter/apply/" + itoa(plain.ID) + "?applicant=" + itoa(zhang.ID)
	clerk.get("/console/counter?id_number=" + demo.Citizen.IDNumber) // the ID card shown at the window
	status, page := clerk.get(link)
	if status != http.StatusOK {
		t.Fatalf("counter form of %s: %d %s", plain.Name, status, page)
	}
	first := plain.Materials[0].Key
	form := url.Values{"csrf_token": {clerk.csrf(page)}, "idempotency_key": {hidden(t, page, "idempotency_key")},
		"applicant": {itoa(zhang.ID)}, "listing_version": {itoa(int64(plain.Version))}, "delivery": {"pickup"},
		"got_" + first: {"on"}}
	status, page, _ = clerk.postFiles("/console/counter/apply/"+itoa(plain.ID), form, nil)
	if status != http.StatusForbidden {
		t.Fatalf("submitting 岳池县's unflagged %s at 广安区: %d; want 403", plain.Name, status)
	}
	mustContain(t, "refusal on the form", page, "未开通全市通办", "只能在岳池县的政务服务大厅", `id="apply-form"`,
		`name="got_`+first+`" id="got_`+first+`" checked`)
	cs, err := s.app.Store.Cases(ctx, tongban.CaseFilter{ApplicantID: zhang.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.ListingID == plain.ID {
			t.Errorf("the refusal left case %s", c.Number)
		}
	}
}
