package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The department returns a misdispatched complaint (退单) from its console
// page with a reason; the complaint is the hotline's again, to dispatch;
// the supervisor's measures page counts the 退单 under the department.
func TestComplaintReturnInTheConsole(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	dept, err := s.app.Store.OrgByCode(context.Background(), "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	hotline := s.as("hotline")
	status, _, loc := hotline.post("/console/complaints", "/console/complaints", url.Values{"kind": {"complaint"},
		"content": {"医保报销材料被要求重复提交"}, "name": {"赵六"}, "phone": {"13700137006"}})
	number := regexp.MustCompile(`TS\d{14}$`).FindString(loc)
	if status != http.StatusSeeOther || number == "" {
		t.Fatalf("take: %d → %s", status, loc)
	}
	page := "/console/complaints/" + number
	if status, _, _ := hotline.post(page, page, url.Values{"action": {"dispatch"}, "org_id": {strconv.FormatInt(dept.ID, 10)}}); status != http.StatusSeeOther {
		t.Fatalf("dispatch: %d", status)
	}
	admin := s.as("deptadmin")
	_, body := admin.get(page)
	mustContain(t, "dispatched complaint", body, `id="return-form"`, `value="return"`)
	if status, body, _ := admin.post(page, page, url.Values{"action": {"return"}, "text": {" "}}); status != http.StatusBadRequest || !strings.Contains(body, "请填写退单理由") {
		t.Errorf("退单 without a reason: %d %s", status, errorOf(body))
	}
	if status, _, _ := admin.post(page, page, url.Values{"action": {"return"}, "text": {"医保报销属医疗保障局职责"}}); status != http.StatusSeeOther {
		t.Fatalf("退单: %d", status)
	}
	if status, _ := admin.get(page); status != http.StatusNotFound {
		t.Errorf("the department reads the returned complaint: %d", status)
	}
	_, body = hotline.get(page)
	mustContain(t, "returned complaint", body, `id="complaint-state">已受理<`, "<b>退单</b>", "医保报销属医疗保障局职责", `id="dispatch-form"`)

	if err := s.app.Stats.Refresh(context.Background()); err != nil { // the measures read the rollups
		t.Fatal(err)
	}
	_, body = s.as("supervisor").get("/console/measures")
	i := strings.Index(body, `id="measures-complaints"`)
	if i < 0 {
		t.Fatalf("no complaint measures on the measures page")
	}
	table := body[i : i+strings.Index(body[i:], "</table>")]
	// 广安市市场监督管理局: dispatched 1, returned 1; the total: 1 taken.
	mustContain(t, "complaint measures", table, "<tr><td>广安市市场监督管理局</td><td>0</td><td>1</td><td>0</td><td>—</td><td>0</td><td>—</td><td>1</td><td>0</td></tr>",
		"<tfoot><tr><th>合计</th><td>1</td><td>1</td>")
}
