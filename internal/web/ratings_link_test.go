package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/workflow"
)

// The decision notice carries the rating QR; its signed link asks a
// stranger to sign in, refuses a forged or expired link in Chinese, staff
// and anyone but the applicant; the applicant rates through it (channel
// 二维码), a 差评 without a reason comes back, and a second visit says the
// service is rated.
func TestRatingLinkFromTheNotice(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	c := s.onlineCase()
	citizen := s.as(demo.Citizen.IDNumber)
	if _, page := citizen.get("/cases/" + c.Number + "/qr.png"); page == "" {
		t.Fatal("no progress QR")
	}
	if status, _ := citizen.get("/cases/" + c.Number + "/rating-qr.png"); status != http.StatusNotFound {
		t.Errorf("a rating QR before the decision: %d", status)
	}
	if _, err := s.app.Workflow.Reject(ctx, workflow.Request{Actor: s.user("clerk")}, c.ID, []string{"不属于本机关职权范围"}); err != nil {
		t.Fatal(err)
	}
	_, page := citizen.get("/cases/" + c.Number + "/notices/rejection")
	mustContain(t, "rejection notice", page, `id="notice-rating-qr"`, `src="/cases/`+c.Number+`/rating-qr.png"`, "扫码评价本次服务")
	if status, png := citizen.get("/cases/" + c.Number + "/rating-qr.png"); status != http.StatusOK || !strings.HasPrefix(png, "\x89PNG") {
		t.Errorf("rating QR: %d", status)
	}
	// The PDF carries it too: two QR images, where a notice of an undecided
	// case (the acceptance's) has the progress QR alone.
	if status, pdf := citizen.get("/cases/" + c.Number + "/notices/rejection.pdf"); status != http.StatusOK || strings.Count(pdf, "/Subtype /Image") != 2 {
		t.Errorf("the rejection PDF: %d, %d images; want the progress and the rating QR", status, strings.Count(pdf, "/Subtype /Image"))
	}

	link := s.app.Ratings.LinkURL("", c.Number, tongban.RatingQR)
	jar, _ := cookiejar.New(nil)
	anon := &browser{t: t, base: s.base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if status, _ := anon.get(link); status != http.StatusSeeOther {
		t.Errorf("a stranger opening the link: %d; want the sign-in page", status)
	}
	forged := link[:len(link)-3] + "AAA"
	if status, page := anon.get(forged); status != http.StatusBadRequest || !strings.Contains(page, "评价链接无效") {
		t.Errorf("a forged link: %d", status)
	}
	if status, page := s.as("clerk").get(link); status != http.StatusForbidden || !strings.Contains(page, "工作人员不能代替申请人评价") {
		t.Errorf("a clerk opening the link: %d", status)
	}
	if status, _ := s.as(demo.Enterprise.CreditCode).get(link); status != http.StatusForbidden {
		t.Errorf("another applicant opening the link: %d", status)
	}
	_, page = citizen.get(link)
	mustContain(t, "the link's page", page, `id="rate"`, `id="rating-link-channel"`, "二维码", `name="ind_办事效率"`)
	status, page, _ := citizen.post(link, link, url.Values{"level": {"2"}})
	if status != http.StatusBadRequest || !strings.Contains(page, "差评须选择或填写原因") {
		t.Fatalf("a 差评 without a reason: %d %s", status, errorOf(page))
	}
	if status, _, loc := citizen.post(link, link, url.Values{"level": {"2"}, "reasons": {"政策解释不清"}}); status != http.StatusSeeOther || loc != "/cases/"+c.Number {
		t.Fatalf("rating from the link: %d → %s", status, loc)
	}
	rs, err := s.app.Store.CaseRatings(ctx, c.ID)
	if err != nil || len(rs) != 1 || rs[0].Channel != tongban.RatingQR || rs[0].Encounter != "case" || rs[0].RaterID != s.user(demo.Citizen.IDNumber).ID {
		t.Fatalf("stored = %+v, %v", rs, err)
	}
	_, page = citizen.get(link)
	mustContain(t, "rated", page, `id="rating-link-done"`)

	s.clock.Set(s.clock.Now().Add(31 * 24 * time.Hour))
	if status, page := citizen.get(link); status != http.StatusBadRequest || !strings.Contains(page, "评价链接已于") || !strings.Contains(page, "过期") {
		t.Errorf("an expired link: %d", status)
	}
}
