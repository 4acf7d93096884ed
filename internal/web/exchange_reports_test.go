package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// Catalog admins see the demo's materials that shared data or a licence
// could spare but listings still ask for; supervisors see 免提交率 by
// listing; neither page is anyone else's.
func TestExchangeReportPages(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	status, page := s.as("catalog").get("/console/catalog/sparable")
	if status != http.StatusOK {
		t.Fatalf("sparable: %d", status)
	}
	mustContain(t, "sparable", page, `id="sparable"`, "可由此获取", "共享数据「")
	if strings.Count(page, "<tr data-listing=") == 0 {
		t.Error("the demo catalog has no material that could be spared, though its districts ask 居民户口簿 of applicants")
	}
	status, page = s.as("catalog").get("/console/catalog/resources")
	if status != http.StatusOK {
		t.Fatalf("resources: %d", status)
	}
	mustContain(t, "resources", page, `data-code="GA-HJXX"`, "户籍信息", "广安市公安局", "有条件共享", "居民户口簿", "部门推送")
	status, page = s.as("supervisor").get("/console/measures/no-submit")
	if status != http.StatusOK {
		t.Fatalf("no-submit: %d", status)
	}
	mustContain(t, "no-submit", page, `id="no-submit"`, "免提交率")
	if status, _ := s.as("clerk").get("/console/measures/no-submit"); status != http.StatusForbidden {
		t.Errorf("a clerk opened the 免提交率 page: %d", status)
	}
	if status, _ := s.as("clerk").get("/console/catalog/sparable"); status != http.StatusForbidden {
		t.Errorf("a clerk opened the sparable report: %d", status)
	}
}
