package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
)

// 全市通办 over the API: 广安区's window clerk takes 岳池县's 社会保障卡申领,
// which is flagged, and is refused 岳池县's listings that are not, with a
// 403 that says why and where they are taken instead of a bare error.
func TestCounterTakesOtherDistrictsListingOnlyWhenCitywide(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	ctx := context.Background()
	ls, err := a.Store.Listings(ctx, tongban.ListingFilter{Region: "511621000000", Status: tongban.ListingPublished})
	if err != nil {
		t.Fatal(err)
	}
	var flagged, plain *tongban.Listing
	for _, l := range ls {
		switch {
		case l.Flags.CrossRegion && strings.Contains(l.Name, "社会保障卡申领") && flagged == nil:
			flagged = l
		case !l.Flags.CrossRegion && plain == nil:
			plain = l
		}
	}
	if flagged == nil || plain == nil {
		t.Fatalf("岳池县's demo listings lack a flagged 社会保障卡申领 (%v) or an unflagged one (%v)", flagged, plain)
	}
	every := func(l *tongban.Listing) []map[string]string {
		var out []map[string]string
		for _, m := range l.Materials {
			out = append(out, map[string]string{"key": m.Key})
		}
		return out
	}
	clerk := signIn(t, srv, "clerk2") // 广安区政务服务中心
	status, body := clerk.json("POST", "/api/v1/cases", map[string]any{"listing_id": plain.ID,
		"applicant_id_number": demo.Citizen.IDNumber, "applicant_name": demo.Citizen.Name, "materials": every(plain)})
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil || status != http.StatusForbidden || e.Error.Code != "forbidden" ||
		!strings.Contains(e.Error.Message, "“"+plain.Name+"”未开通全市通办") || !strings.Contains(e.Error.Message, "岳池县") {
		t.Fatalf("广安区 taking 岳池县's unflagged %s: %d %s; want 403 saying it is not 全市通办 and is taken in 岳池县", plain.Name, status, body)
	}
	status, body = clerk.json("POST", "/api/v1/cases", map[string]any{"listing_id": flagged.ID,
		"applicant_id_number": demo.Citizen.IDNumber, "applicant_name": demo.Citizen.Name, "materials": every(flagged)})
	if c := decodeCase(t, status, body, http.StatusCreated); c.Channel != "counter" {
		t.Errorf("广安区 taking 岳池县's 全市通办 %s: %+v", flagged.Name, c)
	}
}
