package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/demo"
)

// The applicant's case page shows the step bar with dates and the trips;
// applying again for a listing with an application still open asks for a
// confirmation first.
func TestCaseStagesAndApplyingAgain(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	c := s.onlineCase()
	citizen := s.as(demo.Citizen.IDNumber)
	_, page := citizen.get("/cases/" + c.Number)
	mustContain(t, "status page", page, `id="case-stages"`, `class="stage done"><b>申请</b>`, `class="stage current"><b>受理</b>`,
		`id="case-visits">0`)
	if strings.Contains(page, `id="case-closed-at"`) {
		t.Error("an open case shows a 办结 time")
	}

	const pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
	l := s.foodListing()
	applyPath := "/apply/" + itoa(l.ID)
	_, page = citizen.get(applyPath)
	mustContain(t, "apply page", page, `id="open-case"`, c.Number, `name="apply_again"`)
	v := url.Values{"csrf_token": {citizen.csrf(page)}, "idempotency_key": {hidden(t, page, "idempotency_key")}, "contact": {"张三"}, "phone": {demo.Citizen.Phone}, "delivery": {"pickup"},
		"situation_s1": {"a2"}, "situation_s3": {"a2"}, "situation_s4": {"a1"}}
	status, page, _ := citizen.postFiles(applyPath, v, map[string]string{"file_m1": pdf, "file_m4": pdf, "file_m5": pdf})
	if status != http.StatusBadRequest || !strings.Contains(page, `id="apply-again-error"`) {
		t.Fatalf("applying again without confirming: %d\n%s", status, errorOf(page))
	}
}
