package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
)

// TestOnlineCaseOverHTTP walks one online case through its whole life as
// the demo enterprise (a 食品经营许可证 is held by an org), clerk and
// approver.
func TestOnlineCaseOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	l := demoFoodListing(t, a)
	citizen := signIn(t, srv, demo.Enterprise.CreditCode)

	// Three materials: a multipart PDF, a raw PNG and a raw JPEG.
	status, body := citizen.uploadForm("申请书.pdf", pdfFile("申请书"))
	var m1 uploaded
	if status != http.StatusCreated || json.Unmarshal(body, &m1) != nil || m1.MediaType != "application/pdf" || !strings.HasPrefix(m1.Hash, "hmac-sm3:") {
		t.Fatalf("multipart upload: %d %s", status, body)
	}
	if again := citizen.mustUpload(pdfFile("申请书")); again != m1.Hash {
		t.Errorf("the same bytes uploaded again got %s, want %s", again, m1.Hash)
	}
	m4, m5 := citizen.mustUpload(pngFile("布局图")), citizen.mustUpload(jpegFile("制度目录"))
	m2, m3 := citizen.mustUpload(pdfFile("营业执照")), citizen.mustUpload(pdfFile("身份证明"))

	// Submit, then retry the same submission five times: one case.
	b, _ := json.Marshal(application(l, m1.Hash, m2, m3, m4, m5))
	status, hdr, body := citizen.send("POST", "/api/v1/cases", b, "Idempotency-Key", "online-1")
	first := decodeCase(t, status, body, http.StatusCreated)
	if hdr.Get("Location") != "/api/v1/cases/"+first.Number || first.State != "submitted" || first.Channel != "online" ||
		!slices.Contains(first.Actions, "withdraw") || first.Time.Started {
		t.Fatalf("first submit: %s %+v", hdr.Get("Location"), first)
	}
	for i := range 5 {
		status, hdr, body := citizen.send("POST", "/api/v1/cases", b, "Idempotency-Key", "online-1")
		again := decodeCase(t, status, body, http.StatusOK)
		if again.Number != first.Number || hdr.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry %d: %s, replayed %q; want %s", i, again.Number, hdr.Get("Idempotent-Replayed"), first.Number)
		}
	}
	status, body = citizen.do("GET", "/api/v1/cases", nil)
	var mine struct {
		Total int        `json:"total"`
		Cases []caseJSON `json:"cases"`
	}
	if status != 200 || json.Unmarshal(body, &mine) != nil || mine.Total != 1 || len(mine.Cases) != 1 {
		t.Fatalf("my cases after 6 submits: %d %s", status, body)
	}
	if n, _ := a.Store.CountCases(context.Background(), tongban.CaseFilter{ApplicantID: userID(t, a, demo.Enterprise.CreditCode)}); n != 1 {
		t.Fatalf("%d cases stored, want 1", n)
	}

	// The clerk at the city's comprehensive window accepts.
	clerk := signIn(t, srv, "clerk")
	if got := clerk.getCase(first.Number); !slices.Contains(got.Actions, "accept") || slices.Contains(got.Actions, "approve") {
		t.Errorf("clerk's actions on a submitted case: %v", got.Actions)
	}
	c := clerk.act(first.Number, "accept", map[string]any{"note": "材料齐全"})
	if c.State != "accepted" || !c.Time.Started || !c.Time.Running || c.Time.Due != "2026-03-05" || c.Time.DaysLeft != 3 ||
		c.StepName != "审查（含现场核查）" {
		t.Fatalf("accepted: %+v", c)
	}

	// The approver of 广安市市场监督管理局 finds it in the department queue.
	approver := signIn(t, srv, "approver")
	status, body = approver.do("GET", "/api/v1/cases", nil)
	if status != 200 || !strings.Contains(string(body), first.Number) || strings.Contains(string(body), "张三") {
		t.Fatalf("approver's queue (names masked): %d %s", status, body)
	}
	if got := approver.getCase(first.Number); !slices.Contains(got.Actions, "review") || slices.Contains(got.Actions, "approve") {
		t.Errorf("approver's actions at the first step: %v", got.Actions)
	}
	c = approver.act(first.Number, "review", map[string]string{"opinion": "现场核查符合要求"}, "If-Match", strconv.Itoa(c.Version))
	// 审核与审批分离: the reviewer is offered no decision and is refused one;
	// the 分管负责人 decides.
	if c.State != "in_review" || c.StepName != "许可决定" || slices.Contains(c.Actions, "approve") {
		t.Fatalf("reviewed: %+v", c)
	}
	status, body = approver.json("POST", "/api/v1/cases/"+first.Number+"/approve", map[string]string{"opinion": "同意"})
	wantError(t, status, body, 403, "forbidden", "")
	lead := signIn(t, srv, "approver-lead")
	if got := lead.getCase(first.Number); !slices.Contains(got.Actions, "approve") {
		t.Errorf("the lead's actions at the deciding step: %v", got.Actions)
	}
	stale, _ := json.Marshal(map[string]string{"opinion": "同意"})
	status, _, body = lead.send("POST", "/api/v1/cases/"+first.Number+"/approve", stale, "If-Match", `"`+strconv.Itoa(c.Version-1)+`"`)
	wantError(t, status, body, 409, "conflict", "")
	c = lead.act(first.Number, "approve", map[string]string{"opinion": "准予许可"}, "If-Match", `"`+strconv.Itoa(c.Version)+`"`)
	if c.State != "approved" {
		t.Fatalf("approved: %+v", c)
	}
	// The result is a 食品经营许可证: the form has none of its face (the
	// account gives the name, credit code and legal representative), so
	// issuing without it is refused naming the first missing item, and the
	// approver fills it in.
	status, body = approver.json("POST", "/api/v1/cases/"+first.Number+"/issue", map[string]string{"result_no": "JY15116000000001"})
	wantError(t, status, body, 400, "invalid", "face.premises")
	c = approver.act(first.Number, "issue", map[string]any{"result_no": "JY15116000000001", "face": foodLicenceFace})
	if c.State != "result_issued" || c.ResultNo != "JY15116000000001" {
		t.Fatalf("issued: %+v", c)
	}
	held, err := a.Store.LicensesOfHolder(context.Background(), userID(t, a, demo.Enterprise.CreditCode))
	if err != nil || len(held) == 0 || held[0].Face["经营场所"] != foodLicenceFace["经营场所"] || held[0].TypeName != "食品经营许可证" {
		t.Fatalf("the licence issued: %v %+v", err, held)
	}

	// The result is picked up at the unified window: a visit, and closed.
	status, body = clerk.json("POST", "/api/v1/cases/"+first.Number+"/deliver", map[string]string{"method": "pickup"})
	wantError(t, status, body, 400, "invalid", "collector")
	c = clerk.act(first.Number, "deliver", map[string]any{"method": "pickup", "collector": "self", "identity_checked": true})
	if c.State != "closed" || c.Visits != 1 || c.Delivery.WindowID == 0 {
		t.Fatalf("delivered: %+v", c)
	}
	var actions []string
	for _, e := range c.Events {
		actions = append(actions, e.Action)
	}
	if want := []string{"submit", "accept", "review", "approve", "issue", "deliver"}; !slices.Equal(actions, want) {
		t.Errorf("events %v, want %v", actions, want)
	}
	status, body = citizen.do("GET", "/api/v1/cases/"+first.Number+"/events", nil)
	if status != 200 || !strings.Contains(string(body), `"action_label":"受理"`) {
		t.Errorf("events: %d %s", status, body)
	}

	// Notices: the completion notice carries the case number.
	got := citizen.getCase(first.Number)
	if !slices.Equal(got.Notices, []string{"acceptance", "completion"}) || len(got.Actions) != 0 {
		t.Errorf("closed case: notices %v, actions %v", got.Notices, got.Actions)
	}
	status, hdr, body = citizen.send("GET", "/api/v1/cases/"+first.Number+"/notices/completion.pdf", nil)
	if status != 200 || hdr.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF")) {
		t.Fatalf("completion notice: %d %s %.40q", status, hdr.Get("Content-Type"), body)
	}
	if text, ok := pdfText(t, body); ok {
		if err := hasAll(text, first.Number, "办结通知书", "广安市市场监督管理局", "食品经营许可证", "窗口领取"); err != nil {
			t.Errorf("completion notice text: %v\n%s", err, text)
		}
	}
	status, _, body = citizen.send("GET", "/api/v1/cases/"+first.Number+"/notices/acceptance.pdf", nil)
	if text, ok := pdfText(t, body); status != 200 || ok && hasAll(text, "受理通知书", "2026年3月5日") != nil {
		t.Errorf("acceptance notice: %d %s", status, text)
	}
	status, body = citizen.do("GET", "/api/v1/cases/"+first.Number+"/notices/rejection.pdf", nil)
	wantError(t, status, body, 409, "conflict", "")
	if !strings.Contains(string(body), "已办结") {
		t.Errorf("a notice not produced should name the state: %s", body)
	}
	status, body = citizen.do("GET", "/api/v1/cases/"+first.Number+"/notices/permit.pdf", nil)
	wantError(t, status, body, 404, "not_found", "")
	status, hdr, body = citizen.send("GET", "/api/v1/cases/"+first.Number+"/qr.png", nil)
	if status != 200 || hdr.Get("Content-Type") != "image/png" || !bytes.HasPrefix(body, []byte("\x89PNG")) {
		t.Errorf("qr: %d %s", status, hdr.Get("Content-Type"))
	}

	// Uploads are read back by the case's parties only, naming the case.
	status, hdr, body = citizen.send("GET", "/api/v1/uploads/"+m1.Hash+"?case="+first.Number, nil)
	if status != 200 || !bytes.Equal(body, pdfFile("申请书")) || hdr.Get("Content-Type") != "application/pdf" {
		t.Errorf("applicant reads own upload: %d %q", status, body)
	}
	if status, _, _ := approver.send("GET", "/api/v1/uploads/"+m4+"?case="+first.Number, nil); status != 200 {
		t.Errorf("the deciding department reads the upload: %d", status)
	}
	status, body = citizen.do("GET", "/api/v1/uploads/"+m1.Hash, nil)
	wantError(t, status, body, 400, "invalid", "case")
	other := signIn(t, srv, "approver-gaq")
	status, body = other.do("GET", "/api/v1/uploads/"+m1.Hash+"?case="+first.Number, nil)
	wantError(t, status, body, 403, "forbidden", "")
	person := signIn(t, srv, demo.Citizen.IDNumber)
	status, body = person.do("GET", "/api/v1/uploads/"+m1.Hash+"?case="+first.Number, nil)
	wantError(t, status, body, 403, "forbidden", "")
	stranger := person.mustUpload(pdfFile("别人的文件"))
	status, body = citizen.do("GET", "/api/v1/uploads/"+stranger+"?case="+first.Number, nil)
	wantError(t, status, body, 404, "not_found", "")
}

// TestCorrectionRoundOverHTTP: the back office asks for two materials in
// ONE notice; the clock pauses until the applicant supplements both.
func TestCorrectionRoundOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, clock := caseSite(t)
	l := demoFoodListing(t, a)
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	clerk := signIn(t, srv, "clerk")
	approver := signIn(t, srv, "approver")
	c := submitNew(t, citizen, l, "补正")
	c = clerk.act(c.Number, "accept", nil)

	clock.Advance(24 * time.Hour) // Tuesday; sessions last 12 hours
	citizen, approver = signIn(t, srv, demo.Citizen.IDNumber), signIn(t, srv, "approver")
	c = approver.act(c.Number, "correction", map[string]any{"items": []map[string]string{
		{"key": "m4", "reason": "布局图未标明各功能区"},
		{"key": "m5", "reason": "缺少从业人员健康管理制度"},
	}})
	if c.State != "awaiting_correction" || !c.Time.Paused || c.Time.DaysLeft != 2 ||
		!slices.Contains(c.Notices, "correction") || len(c.Actions) != 0 {
		t.Fatalf("awaiting correction: %+v", c)
	}
	if got := citizen.getCase(c.Number); !slices.Equal(got.Actions, []string{"supplement", "withdraw"}) {
		t.Errorf("the applicant's actions while asked to correct: %v", got.Actions)
	}
	// The correction notice lists every deficiency at once.
	status, _, body := citizen.send("GET", "/api/v1/cases/"+c.Number+"/notices/correction.pdf", nil)
	if status != 200 || !bytes.HasPrefix(body, []byte("%PDF")) {
		t.Fatalf("correction notice: %d", status)
	}
	if text, ok := pdfText(t, body); ok {
		if err := hasAll(text, "一次性告知书", c.Number, "布局图未标明各功能区", "缺少从业人员健康管理制度"); err != nil {
			t.Errorf("correction notice: %v\n%s", err, text)
		}
	}
	// While paused, the days left stay frozen.
	clock.Advance(48 * time.Hour) // Thursday
	citizen = signIn(t, srv, demo.Citizen.IDNumber)
	if got := citizen.getCase(c.Number); !got.Time.Paused || got.Time.DaysLeft != 2 {
		t.Errorf("paused clock moved: %+v", got.Time)
	}
	// Supplementing only one of the two is refused, naming the field.
	m4 := citizen.mustUpload(pngFile("新布局图"))
	half, _ := json.Marshal(map[string]any{"materials": []map[string]string{{"key": "m4", "blob_hash": m4}}})
	status, body = citizen.do("POST", "/api/v1/cases/"+c.Number+"/supplement", half)
	wantError(t, status, body, 400, "invalid", "materials")
	m5 := citizen.mustUpload(jpegFile("新制度目录"))
	c = citizen.act(c.Number, "supplement", map[string]any{"materials": []map[string]string{
		{"key": "m4", "blob_hash": m4}, {"key": "m5", "blob_hash": m5}}})
	if c.State != "accepted" || c.Time.Paused || c.Time.Due <= "2026-03-05" {
		t.Fatalf("supplemented: %+v", c.Time)
	}
	if m, _ := materialOf(c, "m5"); m.BlobHash != m5 {
		t.Errorf("m5 after supplement: %+v", m)
	}
}

func materialOf(c caseJSON, key string) (tongban.CaseMaterial, bool) {
	for _, m := range c.Materials {
		if m.Key == key {
			return m, true
		}
	}
	return tongban.CaseMaterial{}, false
}
