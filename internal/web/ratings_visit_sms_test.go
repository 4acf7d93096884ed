package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/workflow"
)

var ratingLinkInSMS = regexp.MustCompile(`/r/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)`)

// visitInviteSMS waits for the SMS sink to hold the text inviting the
// rating of a visit of the case numbered number, and returns it.
func visitInviteSMS(t *testing.T, s *caseSite, number string) string {
	t.Helper()
	for range 100 {
		sms, _ := os.ReadFile(s.app.Config.Integration.SMSFile)
		for _, line := range strings.Split(string(sms), "\n") {
			if strings.Contains(line, demo.Citizen.Phone) && strings.Contains(line, number) && strings.Contains(line, "一次一评") {
				return line
			}
		}
		time.Sleep(50 * time.Millisecond) // the notifier sends in the background
	}
	t.Fatalf("no SMS invites the rating of a visit of %s", number)
	return ""
}

// A counter submission is a visit: after it the applicant is texted a
// signed link rating that visit alone (一次一评, 短信). Following it, the
// form names the visit; a 差评 without a reason is refused; the rating is
// stored for the visit through sms; the link then says it is rated. An
// altered link and, later, the expired one are refused with the reason.
func TestVisitRatedFromTheSMSLink(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	var ms []tongban.CaseMaterial
	for _, k := range []string{"m1", "m2", "m3", "m4"} {
		ms = append(ms, tongban.CaseMaterial{Key: k, Status: tongban.MaterialProvided})
	}
	zhang := s.user(demo.Citizen.IDNumber)
	if err := s.app.Publisher.RunOnce(ctx); err != nil { // the consumers' cursors start here
		t.Fatal(err)
	}
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
	if err := s.app.Publisher.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	m := ratingLinkInSMS.FindStringSubmatch(visitInviteSMS(t, s, c.Number))
	if m == nil {
		t.Fatal("the invitation carries no rating link")
	}
	link := "/r/" + m[1]

	citizen := s.as(demo.Citizen.IDNumber)
	_, page := citizen.get(link)
	mustContain(t, "the visit's SMS link", page, `id="rate"`, `id="rating-link-visit"`, "提交申请", "短信", c.Number)

	status, refused, _ := citizen.post(link, link, url.Values{"level": {"2"}})
	if status != http.StatusBadRequest {
		t.Errorf("a 差评 without a reason: %d", status)
	}
	mustContain(t, "the refusal", refused, `id="rating-link-error"`, "差评须选择或填写原因")
	if rs, _ := s.app.Store.CaseRatings(ctx, c.ID); len(rs) != 0 {
		t.Fatalf("a refused rating was stored: %+v", rs)
	}
	if status, _, _ := citizen.post(link, link, url.Values{"level": {"4"}}); status != http.StatusSeeOther {
		t.Fatalf("rate the visit: %d", status)
	}
	rs, err := s.app.Store.CaseRatings(ctx, c.ID)
	if err != nil || len(rs) != 1 || rs[0].Encounter != visit || rs[0].Channel != tongban.RatingSMS || rs[0].Level != 4 {
		t.Fatalf("ratings: %+v %v", rs, err)
	}
	_, page = citizen.get(link)
	mustContain(t, "the link once rated", page, `id="rating-link-done"`)

	// The visit's signature under another encounter's payload (the
	// case's own 一事一评): refused as altered.
	_, sig, _ := strings.Cut(m[1], ".")
	other, _, _ := strings.Cut(s.app.Ratings.Links.Sign(c.Number, tongban.EncounterCase, tongban.RatingSMS), ".")
	status, page = citizen.get("/r/" + other + "." + sig)
	if status != http.StatusBadRequest || !strings.Contains(page, "评价链接无效") {
		t.Errorf("an altered link: %d", status)
	}
	s.clock.Set(s.clock.Now().Add(31 * 24 * time.Hour))
	status, page = citizen.get(link)
	if status != http.StatusBadRequest || !strings.Contains(page, "过期") {
		t.Errorf("the expired link: %d", status)
	}
}
