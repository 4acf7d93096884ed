package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/workflow"
)

// A counter submission is a visit: the case's history offers the visit's
// rating QR (一次一评, 二维码) — an image for the visit, 404 for an event
// that is not one — and the signed link of that visit rates it.
func TestVisitRatingQR(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	var ms []tongban.CaseMaterial
	for _, k := range []string{"m1", "m2", "m3", "m4"} {
		ms = append(ms, tongban.CaseMaterial{Key: k, Status: tongban.MaterialProvided})
	}
	zhang := s.user(demo.Citizen.IDNumber)
	c, err := s.app.Workflow.Submit(ctx, workflow.Request{Actor: s.user("clerk")}, workflow.Application{ListingID: s.foodListing().ID,
		Channel: tongban.ChannelCounter, ApplicantID: zhang.ID, Materials: ms})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.app.Store.CaseEvents(ctx, c.ID)
	if err != nil || len(evs) == 0 || !evs[0].Visit {
		t.Fatalf("events: %+v %v", evs, err)
	}
	visit := strconv.FormatInt(evs[0].ID, 10)
	qr := "/cases/" + c.Number + "/visits/" + visit + "/rating-qr.png"
	clerk := s.as("clerk")
	_, page := clerk.get("/console/cases/" + c.Number)
	mustContain(t, "history", page, `class="visit-rating-qr"`, qr)
	if status, png := clerk.get(qr); status != http.StatusOK || !strings.HasPrefix(png, "\x89PNG") {
		t.Errorf("the visit's QR: %d", status)
	}
	if status, _ := clerk.get("/cases/" + c.Number + "/visits/999999/rating-qr.png"); status != http.StatusNotFound {
		t.Errorf("a QR for no visit: %d", status)
	}

	token := s.app.Ratings.Links.Sign(c.Number, visit, tongban.RatingQR)
	citizen := s.as(demo.Citizen.IDNumber)
	_, page = citizen.get("/r/" + token)
	mustContain(t, "the visit's link", page, `id="rate"`, "二维码")
	if status, _, _ := citizen.post("/r/"+token, "/r/"+token, url.Values{"level": {"4"}}); status != http.StatusSeeOther {
		t.Fatalf("rate the visit: %d", status)
	}
	rs, err := s.app.Store.CaseRatings(ctx, c.ID)
	if err != nil || len(rs) != 1 || rs[0].Encounter != visit || rs[0].Channel != tongban.RatingQR {
		t.Fatalf("ratings: %+v %v", rs, err)
	}
}
