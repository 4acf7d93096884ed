package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/demo"
)

// TestCounterSubmissionOverHTTP: a clerk takes an application at the window
// for an applicant identified by ID number or credit code.
func TestCounterSubmissionOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	l := demoFoodListing(t, a)
	clerk := signIn(t, srv, "clerk")
	paper := map[string]any{"listing_id": l.ID, "applicant_id_number": demo.Citizen.IDNumber,
		"form": map[string]string{"经营者名称": "广安张三小吃店"},
		"materials": []map[string]string{{"key": "m1"}, {"key": "m2"}, {"key": "m3"},
			{"key": "m4"}, {"key": "m5"}}}
	b, _ := json.Marshal(paper)
	status, _, body := clerk.send("POST", "/api/v1/cases", b, "Idempotency-Key", "window-1")
	c := decodeCase(t, status, body, http.StatusCreated)
	if c.Channel != "counter" || c.Visits != 1 || c.Applicant != demo.Citizen.Name {
		t.Fatalf("counter case: %+v", c)
	}
	status, _, body = clerk.send("POST", "/api/v1/cases", b, "Idempotency-Key", "window-1")
	if again := decodeCase(t, status, body, http.StatusOK); again.Number != c.Number || again.Visits != 1 {
		t.Fatalf("a retried counter submit: %+v", again)
	}
	c = clerk.act(c.Number, "accept", nil)
	if c.State != "accepted" {
		t.Fatalf("accepted: %+v", c)
	}
	// The applicant sees the case the window filed for them.
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	if got := citizen.getCase(c.Number); got.Channel != "counter" {
		t.Errorf("citizen's view: %+v", got)
	}

	ent := map[string]any{"listing_id": l.ID, "applicant_credit_code": demo.Enterprise.CreditCode,
		"materials": []map[string]string{{"key": "m1"}}}
	b, _ = json.Marshal(ent)
	status, _, body = clerk.send("POST", "/api/v1/cases", b)
	if e := decodeCase(t, status, body, http.StatusCreated); e.Applicant != demo.Enterprise.Name {
		t.Errorf("enterprise applicant: %+v", e)
	}

	refuse := func(who *client, body map[string]any, wantStatus int, wantCode, wantField string) {
		t.Helper()
		b, _ := json.Marshal(body)
		status, resp := who.do("POST", "/api/v1/cases", b)
		wantError(t, status, resp, wantStatus, wantCode, wantField)
	}
	with := func(k string, v any) map[string]any {
		m := map[string]any{"listing_id": l.ID}
		if k != "" {
			m[k] = v
		}
		return m
	}
	refuse(clerk, with("applicant_id_number", "110105194912310021"), 400, "invalid", "applicant_id_number") // check digit
	refuse(clerk, with("applicant_id_number", "11010519491231002X"), 400, "invalid", "applicant_name")      // no account: the counter records a name
	refuse(clerk, with("", nil), 400, "invalid", "applicant_id_number")                                     // counter needs an applicant
	refuse(signIn(t, srv, "approver"), with("applicant_id_number", demo.Citizen.IDNumber), 403, "forbidden", "")
	refuse(citizen, with("applicant_id_number", demo.Citizen.IDNumber), 403, "forbidden", "")
	// The window of 广安区 does not serve a city department's listing.
	refuse(signIn(t, srv, "clerk2"), with("applicant_id_number", demo.Citizen.IDNumber), 403, "forbidden", "")
}

// TestSupervisionOverHTTP: overdue and stalled cases by department, the
// denials list (否定备案) and post-check sampling.
func TestSupervisionOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, clock := caseSite(t)
	l := demoFoodListing(t, a)
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	clerk := signIn(t, srv, "clerk")
	approver := signIn(t, srv, "approver")

	late := submitNew(t, citizen, l, "超期")
	clerk.act(late.Number, "accept", nil)
	denied := submitNew(t, citizen, l, "不予")
	clerk.act(denied.Number, "accept", nil)
	approver.act(denied.Number, "review", map[string]string{"opinion": "现场核查"})
	// Who reviewed may not also decide (审核与审批分离).
	status, body := approver.json("POST", "/api/v1/cases/"+denied.Number+"/deny", map[string]any{"reasons": []string{"x"}})
	wantError(t, status, body, 403, "forbidden", "")
	d := signIn(t, srv, "approver-lead").act(denied.Number, "deny", map[string]any{"reasons": []string{"经营场所与有毒有害场所距离不足25米"}})
	if d.State != "denied" || !strings.Contains(strings.Join(d.Notices, ","), "denial") {
		t.Fatalf("denied: %+v", d)
	}
	waiting := submitNew(t, citizen, l, "未受理")

	// A week later: due 2026-03-05, now 2026-03-10.
	clock.Set(time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC))
	citizen, approver = signIn(t, srv, demo.Citizen.IDNumber), signIn(t, srv, "approver") // sessions lapsed over the week
	supervisor := signIn(t, srv, "supervisor")
	status, body = supervisor.do("GET", "/api/v1/supervision/overdue", nil)
	var sv struct {
		StalledDays int `json:"stalled_days"`
		Overdue     int `json:"overdue"`
		Stalled     int `json:"stalled"`
		Departments []struct {
			OrgName      string     `json:"org_name"`
			OverdueCount int        `json:"overdue_count"`
			StalledCount int        `json:"stalled_count"`
			Overdue      []caseJSON `json:"overdue"`
			Stalled      []struct {
				Number   string `json:"number"`
				IdleDays int    `json:"idle_days"`
			} `json:"stalled"`
		} `json:"departments"`
	}
	if status != 200 || json.Unmarshal(body, &sv) != nil || len(sv.Departments) != 1 {
		t.Fatalf("overdue: %d %s", status, body)
	}
	dep := sv.Departments[0]
	if sv.StalledDays != 3 || sv.Overdue != 1 || sv.Stalled != 2 || dep.OrgName != "广安市市场监督管理局" ||
		dep.OverdueCount != 1 || dep.Overdue[0].Number != late.Number || dep.Overdue[0].Time.Level != "red" ||
		dep.StalledCount != 2 || dep.Stalled[0].IdleDays != 6 {
		t.Errorf("overdue by department: %s", body)
	}
	if strings.Contains(string(body), demo.Citizen.Name) {
		t.Errorf("supervision lists must mask names: %s", body)
	}
	if !strings.Contains(string(body), waiting.Number) {
		t.Errorf("a case waiting a week for acceptance is stalled: %s", body)
	}
	status, body = supervisor.do("GET", "/api/v1/supervision/overdue?stalled_days=10", nil)
	if status != 200 || !strings.Contains(string(body), `"stalled":0`) {
		t.Errorf("stalled_days=10: %d %s", status, body)
	}
	status, body = supervisor.do("GET", "/api/v1/supervision/overdue?stalled_days=0", nil)
	wantError(t, status, body, 400, "invalid", "stalled_days")

	status, body = supervisor.do("GET", "/api/v1/supervision/denials", nil)
	if status != 200 || !strings.Contains(string(body), denied.Number) || !strings.Contains(string(body), "距离不足25米") {
		t.Errorf("denials: %d %s", status, body)
	}
	status, body = supervisor.do("GET", "/api/v1/supervision/post-checks?sample=3", nil)
	if status != 200 || strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("post-check sample: %d %s", status, body)
	}
	status, body = citizen.do("GET", "/api/v1/supervision/denials", nil)
	wantError(t, status, body, 403, "forbidden", "")

	// The department's queue can be narrowed to its overdue cases.
	status, body = approver.do("GET", "/api/v1/cases?overdue=1", nil)
	if status != 200 || !strings.Contains(string(body), late.Number) || strings.Contains(string(body), waiting.Number) {
		t.Errorf("overdue queue: %d %s", status, body)
	}
	status, body = approver.do("GET", "/api/v1/cases?state=bogus", nil)
	wantError(t, status, body, 400, "invalid", "state")
	status, body = approver.do("GET", "/api/v1/cases?state=submitted", nil)
	if status != 200 || !strings.Contains(string(body), waiting.Number) || strings.Contains(string(body), late.Number) {
		t.Errorf("state filter: %d %s", status, body)
	}

	// The denial decision states the reasons, the 复议机关, the court and
	// the limits, and the QR code leads to the public progress page.
	status, _, pdf := citizen.send("GET", "/api/v1/cases/"+denied.Number+"/notices/denial.pdf", nil)
	if status != 200 {
		t.Fatalf("denial notice: %d %s", status, pdf)
	}
	if text, ok := pdfText(t, pdf); ok && hasAll(strings.Join(strings.Fields(text), ""), "不予行政许可决定书", "距离不足25米", "六十日内向广安市人民政府申请行政复议",
		"六个月内向广安市广安区人民法院提起行政诉讼") != nil {
		t.Errorf("denial notice text:\n%s", text)
	}
	status, _, _ = citizen.send("GET", "/api/v1/cases/"+denied.Number+"/notices/completion.pdf", nil)
	if status != 409 {
		t.Errorf("a denied case has no 办结通知书: %d", status)
	}
	// It is handed over at the hall's result window like a result, which
	// closes the case; closing it by hand is refused.
	status, body = approver.json("POST", "/api/v1/cases/"+denied.Number+"/close", map[string]string{})
	wantError(t, status, body, 409, "conflict", "")
	clerk = signIn(t, srv, "clerk")
	if d := clerk.act(denied.Number, "deliver", map[string]any{"method": "pickup",
		"collector": "proxy", "collector_name": "李四", "collector_id_number": "511602198807150011", "power_of_attorney": true}); d.State != "closed" || d.Visits != 1 {
		t.Errorf("denial delivered: %+v", d)
	}
}
