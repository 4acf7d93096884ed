package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
)

// The hotline takes a complaint at the console and dispatches it; past its
// reply deadline it is listed as overdue on the supervision page, where the
// supervisor 督办-es it; unanswered, the 督办 turns 红牌 and is counted under
// its department; the department answers the 督办 and replies; the hotline
// calls back and records the 评价; the month's measures show it.
func TestComplaintLoopInTheConsole(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	dept, err := s.app.Store.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	hotline := s.as("hotline")
	_, body := hotline.get("/console/complaints")
	mustContain(t, "hotline's page", body, `id="complaint-form"`, `name="phone"`)
	status, body, _ := hotline.post("/console/complaints", "/console/complaints", url.Values{"kind": {"cannot_do"},
		"content": {"个体工商户变更登记跑了三趟仍未办成"}, "name": {"王五"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "请填写电话号码") {
		t.Fatalf("without a phone: %d %s", status, errorOf(body))
	}
	status, _, loc := hotline.post("/console/complaints", "/console/complaints", url.Values{"kind": {"cannot_do"},
		"content": {"个体工商户变更登记跑了三趟仍未办成"}, "name": {"王五"}, "phone": {"13700137000"}})
	number := regexp.MustCompile(`TS20260302\d{6}$`).FindString(loc)
	if status != http.StatusSeeOther || number == "" {
		t.Fatalf("take: %d → %s", status, loc)
	}
	page := "/console/complaints/" + number
	_, body = hotline.get(page)
	mustContain(t, "taken complaint", body, `id="dispatch-form"`, "王*", "137****7000", "已受理")
	if strings.Contains(body, "13700137000") {
		t.Error("the page shows the full phone number")
	}
	if status, _, _ := hotline.post(page, page, url.Values{"action": {"dispatch"}, "org_id": {strconv.FormatInt(dept.ID, 10)}}); status != http.StatusSeeOther {
		t.Fatalf("dispatch: %d", status)
	}
	admin := s.as("deptadmin")
	_, body = admin.get(page)
	mustContain(t, "dispatched complaint", body, `id="reply-form"`, `id="reply-due">2026-03-09<`)

	s.clock.Set(casesNow.AddDate(0, 0, 8))              // Tuesday 03-10: the reply is overdue
	sup, admin := s.as("supervisor"), s.as("deptadmin") // signed in again: sessions end after days
	_, body = sup.get("/console/supervision")
	mustContain(t, "supervision page", body, `id="overdue-complaints"`, number)
	if status, _, _ := sup.post("/console/supervision", "/console/notices", url.Values{"subject": {"complaint"}, "ref": {number},
		"demand": {"请限期答复反映人"}, "days": {"2"}}); status != http.StatusSeeOther {
		t.Fatalf("督办: %d", status)
	}
	_, body = admin.get("/console/notices")
	mustContain(t, "department's 督办", body, number, "请限期答复反映人", `class="stacked answer-form"`, "2026-03-12")

	s.clock.Set(casesNow.AddDate(0, 0, 15)) // Tuesday 03-17: three working days past 03-12
	sup, admin, hotline = s.as("supervisor"), s.as("deptadmin"), s.as("hotline")
	_, body = sup.get("/console/supervision")
	depts := body[strings.Index(body, `id="notice-depts"`):]
	depts = depts[:strings.Index(depts, "</table>")]
	mustContain(t, "督办 by department", depts, "广安市市场监督管理局", `<span class="badge red">1</span>`)
	_, body = sup.get("/console/notices")
	mustContain(t, "supervisor's 督办", body, "红牌")

	n, err := s.app.Ratings.Notices(ctx, identityOf(s, "deptadmin"), false)
	if err != nil || len(n) != 1 {
		t.Fatalf("notices: %v %d", err, len(n))
	}
	if status, _, _ := admin.post("/console/notices", "/console/notices/"+strconv.FormatInt(n[0].Notice.ID, 10),
		url.Values{"text": {"已答复反映人"}, "version": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("answer 督办: %d", status)
	}
	if status, _, _ := admin.post(page, page, url.Values{"action": {"reply"}, "text": {"已并联办理并电话告知"}}); status != http.StatusSeeOther {
		t.Fatalf("reply: %d", status)
	}
	if status, _, _ := hotline.post(page, page, url.Values{"action": {"visit"}, "text": {"反映人确认已办成"}}); status != http.StatusSeeOther {
		t.Fatalf("visit: %d", status)
	}
	if status, _, _ := hotline.post(page, page, url.Values{"action": {"rate"}, "level": {"4"}}); status != http.StatusSeeOther {
		t.Fatalf("rate: %d", status)
	}
	_, body = hotline.get(page)
	mustContain(t, "closed complaint", body, `id="complaint-state">已评价<`, `id="complaint-satisfaction">满意<`)
	if strings.Contains(body, "rate-form") {
		t.Error("the 评价 is offered twice")
	}
	if err := s.app.Stats.Refresh(context.Background()); err != nil { // the measures read the rollups
		t.Fatal(err)
	}
	_, body = sup.get("/console/complaints")
	mustContain(t, "measures", body, `id="complaint-measures"`, `id="measure-on-time">0.0%<`)
}

// A citizen files a complaint about their own case on the website and
// follows it; staff are sent to the console.
func TestCitizenComplaintPage(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	c := s.onlineCase()
	citizen := s.as(demo.Citizen.IDNumber)
	status, body, _ := citizen.post("/complaints", "/complaints", url.Values{"kind": {"complaint"}, "content": {"网上申请后一直没有人联系我"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "请选择反映事项所在的行政区划") {
		t.Fatalf("no region: %d %s", status, errorOf(body))
	}
	status, _, loc := citizen.post("/complaints", "/complaints", url.Values{"kind": {"complaint"}, "content": {"网上申请后一直没有人联系我"},
		"case_number": {c.Number}})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/complaints/TS") {
		t.Fatalf("file: %d → %s", status, loc)
	}
	_, body = citizen.get(loc)
	mustContain(t, "citizen's complaint", body, demo.Citizen.Name, c.Number, "已受理")
	_, body = citizen.get("/complaints")
	mustContain(t, "citizen's list", body, strings.TrimPrefix(loc, "/complaints/"))
	if status, _ := s.as("clerk").get("/complaints"); status != http.StatusForbidden {
		t.Errorf("staff on the citizen's page: %d", status)
	}
}

func identityOf(s *caseSite, login string) identity.Request {
	return identity.Request{Actor: s.user(login)}
}

// A complaint taken at the console and refused for a field its form has no
// input for (a region: the console's form takes the clerk's own) shows why
// above the form, not nowhere.
func TestComplaintRefusedForAFieldTheFormHasNotSaysWhy(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	status, body, _ := s.as("hotline").post("/console/complaints", "/console/complaints", url.Values{"kind": {"cannot_do"},
		"content": {"个体工商户变更登记跑了三趟仍未办成"}, "name": {"王五"}, "phone": {"13700137000"}, "region_code": {"519999999999"}})
	if status != http.StatusBadRequest {
		t.Fatalf("a region that is not: %d %s", status, errorOf(body))
	}
	mustContain(t, "a region that is not", body, `<p class="error" role="alert">行政区划 519999999999 不存在</p>`)
}
