package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/app/apptest"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/workflow"
)

// casesNow is a Monday in March 2026, a plain working week.
var casesNow = time.Date(2026, 3, 2, 10, 0, 0, 0, calendar.Location())

// tinyPDF is a small valid PDF, as an applicant's scan would be.
const tinyPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

type caseSite struct {
	t     *testing.T
	base  string
	app   *app.App
	clock *tongban.ManualClock
}

func newCaseSite(t *testing.T) *caseSite {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, DB: filepath.Join(dir, "t.db"), Demo: true, Secret: strings.Repeat("ab", 32)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	clock := tongban.NewManualClock(casesNow)
	a, err := apptest.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &caseSite{t: t, base: srv.URL, app: a, clock: clock}
}

// as is a browser signed in as login.
func (s *caseSite) as(login string) *browser {
	jar, _ := cookiejar.New(nil)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	b := &browser{t: s.t, base: s.base, c: &http.Client{Jar: jar, CheckRedirect: noRedirect}}
	b.signIn(login)
	return b
}

// foodListing is 食品经营许可证核发 at 广安市市场监督管理局.
func (s *caseSite) foodListing() *tongban.Listing {
	s.t.Helper()
	ctx := context.Background()
	org, err := s.app.Store.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		s.t.Fatal(err)
	}
	ls, err := s.app.Store.Listings(ctx, tongban.ListingFilter{OrgID: org.ID, Q: "食品经营许可证核发", Status: tongban.ListingPublished})
	if err != nil || len(ls) != 1 {
		s.t.Fatalf("food listing: %v %d", err, len(ls))
	}
	return ls[0]
}

func (s *caseSite) user(login string) *tongban.User {
	u, err := s.app.Store.UserByLogin(context.Background(), login)
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// onlineCase files an online application for the citizen, m5 left out
// (it may be owed).
func (s *caseSite) onlineCase() *tongban.Case {
	s.t.Helper()
	return s.onlineCaseOf(demo.Citizen.IDNumber)
}

// onlineCaseOf is onlineCase applied for by the account of login.
func (s *caseSite) onlineCaseOf(login string) *tongban.Case {
	s.t.Helper()
	l := s.foodListing()
	var ms []tongban.CaseMaterial
	for _, k := range []string{"m1", "m2", "m3", "m4"} {
		ms = append(ms, tongban.CaseMaterial{Key: k, Status: tongban.MaterialProvided})
	}
	c, err := s.app.Workflow.Submit(context.Background(), workflow.Request{Actor: s.user(login)},
		workflow.Application{ListingID: l.ID, Channel: tongban.ChannelOnline, Materials: ms})
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

func (s *caseSite) caseNow(number string) *tongban.Case {
	c, err := s.app.Store.CaseByNumber(context.Background(), number)
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// post sends a form with the CSRF token of the page at from.
func (b *browser) post(from, path string, v url.Values) (int, string, string) {
	b.t.Helper()
	_, page := b.get(from)
	if v == nil {
		v = url.Values{}
	}
	v.Set("csrf_token", b.csrf(page))
	resp, err := b.c.PostForm(b.base+path, v)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

// postFiles sends a multipart form: fields, and files by field name.
func (b *browser) postFiles(path string, v url.Values, files map[string]string) (int, string, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range v {
		for _, x := range vs {
			mw.WriteField(k, x)
		}
	}
	for field, content := range files {
		fw, _ := mw.CreateFormFile(field, field+".pdf")
		fw.Write([]byte(content))
	}
	mw.Close()
	resp, err := b.c.Post(b.base+path, mw.FormDataContentType(), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out), resp.Header.Get("Location")
}

func hidden(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page has no hidden %s", name)
	}
	return m[1]
}

func mustContain(t *testing.T, what, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// An online application whose submit fails keeps the files already
// uploaded; the retry needs only what was wrong, and a repeated post with
// the same idempotency key files one case.
func TestApplyKeepsUploadsAndFilesOneCase(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	l := s.foodListing()
	b := s.as(demo.Citizen.IDNumber)
	apply := "/apply/" + itoa(l.ID)
	status, page := b.get(apply)
	if status != http.StatusOK {
		t.Fatalf("apply page: %d", status)
	}
	mustContain(t, "apply page", page, "食品经营许可申请书", `name="file_m1"`, `name="situation_s1"`, "可容缺")
	if strings.Contains(page, "免提交") {
		t.Error("the apply page promises a material is spared while nothing resolves it")
	}
	key := hidden(t, page, "idempotency_key")
	form := url.Values{"csrf_token": {b.csrf(page)}, "idempotency_key": {key}, "listing_version": {itoa(int64(l.Version))},
		"situation_s1": {"a2"}, "situation_s3": {"a2"}, "situation_s4": {"a1"},
		"contact": {"张三"}, "phone": {"13800138000"}, "delivery": {"pickup"}}

	// m4 is a text file: refused; m1 is stored and comes back with the form.
	status, page, _ = b.postFiles(apply, form, map[string]string{"file_m1": tinyPDF, "file_m4": "just text"})
	if status != http.StatusBadRequest {
		t.Fatalf("bad upload: status %d", status)
	}
	mustContain(t, "refused form", page, "只接受 PDF、JPEG、PNG 或 OFD 文件", "已上传的文件已保存", `id="uploaded-m1"`)
	m1 := hidden(t, page, "blob_m1")
	if !strings.HasPrefix(m1, "hmac-sm3:") {
		t.Fatalf("kept upload %q", m1)
	}
	if n, _ := s.app.Store.CountCases(context.Background(), tongban.CaseFilter{}); n != 0 {
		t.Fatalf("a refused form filed %d cases", n)
	}

	// The retry sends m2, m3 and m4; m1 travels as its hash.
	form.Set("blob_m1", m1)
	form.Set("blobname_m1", hidden(t, page, "blobname_m1"))
	retry := map[string]string{"file_m2": tinyPDF + "%licence", "file_m3": tinyPDF + "%id", "file_m4": tinyPDF + "%layout"}
	status, _, loc := b.postFiles(apply, form, retry)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("retry: %d → %q", status, loc)
	}
	number := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cases/")
	// A double-click posts the same form again: the same case.
	status, _, loc2 := b.postFiles(apply, form, retry)
	if status != http.StatusSeeOther || loc2 != loc {
		t.Errorf("repeat: %d → %q, want %q", status, loc2, loc)
	}
	if n, _ := s.app.Store.CountCases(context.Background(), tongban.CaseFilter{}); n != 1 {
		t.Errorf("%d cases filed, want 1", n)
	}
	c := s.caseNow(number)
	if m, _ := c.Material("m1"); m.BlobHash != m1 || m.Status != tongban.MaterialProvided {
		t.Errorf("m1 = %+v", m)
	}
	if m, _ := c.Material("m2"); m.Status != tongban.MaterialProvided || m.BlobHash == "" {
		t.Errorf("m2 = %+v, want the uploaded licence copy", m)
	}
	if _, owed := c.Material("m5"); owed {
		t.Error("m5 was left out and should not be on the case")
	}

	_, page = b.get(loc)
	mustContain(t, "status page", page, number, "申请已提交", "待受理", "/cases/"+number+"/materials/m1", `id="withdraw"`)
	_, page = b.get("/cases")
	mustContain(t, "my cases", page, number, "未开始计时")
	resp, err := b.c.Get(b.base + "/cases/" + number + "/materials/m1")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Type") != "application/pdf" || string(pdf) != tinyPDF {
		t.Errorf("material download: %s %q", resp.Header.Get("Content-Type"), pdf)
	}
}

// Missing required files and unanswered questions are named on the form.
func TestApplyNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	l := s.foodListing()
	b := s.as(demo.Citizen.IDNumber)
	apply := "/apply/" + itoa(l.ID)
	_, page := b.get(apply)
	form := url.Values{"csrf_token": {b.csrf(page)}, "idempotency_key": {hidden(t, page, "idempotency_key")},
		"contact": {"张三"}, "phone": {"12345"}, "delivery": {"express"}}
	status, page, _ := b.postFiles(apply, form, nil)
	if status != http.StatusBadRequest {
		t.Fatalf("empty form: %d", status)
	}
	mustContain(t, "refused form", page, "请上传「食品经营许可申请书」", "请回答情形", "快递送达请填写邮寄地址")
	if strings.Contains(page, "请上传「食品安全规章制度目录清单」") {
		t.Error("a 容缺-able material was demanded")
	}
}

// Staff see only the cases of their region: a district clerk gets 403 on
// a city department's case, on its page, its actions and its notices.
func TestClerkOfAnotherRegionIsRefused(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	c := s.onlineCase()
	b := s.as("clerk2")
	for _, path := range []string{"/console/cases/" + c.Number, "/cases/" + c.Number, "/cases/" + c.Number + "/qr.png"} {
		if status, _ := b.get(path); status != http.StatusForbidden {
			t.Errorf("clerk2 GET %s: %d, want 403", path, status)
		}
	}
	if status, _, _ := b.post("/console", "/console/cases/"+c.Number+"/accept", nil); status != http.StatusForbidden {
		t.Errorf("clerk2 accept: %d, want 403", status)
	}
	if got := s.caseNow(c.Number); got.State != tongban.CaseSubmitted {
		t.Errorf("state after refused accept: %s", got.State)
	}
	// The city hall's clerk serves the city: the case is in their inbox.
	_, page := s.as("clerk").get("/console/counter")
	mustContain(t, "clerk inbox", page, c.Number)
}

// Reasons are required to refuse: the field error shows on the form the
// refusal came from, and nothing changes.
func TestRefusalsNeedReasons(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	c := s.onlineCase()
	casePage := "/console/cases/" + c.Number
	clerk := s.as("clerk")
	status, page, _ := clerk.post(casePage, casePage+"/reject", url.Values{"version": {itoa(int64(c.Version))}, "reasons": {"  \n "}})
	if status != http.StatusBadRequest {
		t.Fatalf("reject without reasons: %d", status)
	}
	mustContain(t, "reject form", page, `<p class="field-error" role="alert">不予受理须说明理由</p>`, `id="reject-panel"`)

	// A correction item without its reason is named on its line.
	status, page, _ = clerk.post(casePage, casePage+"/correct", url.Values{"version": {itoa(int64(c.Version))},
		"item_m1": {"on"}, "reason_m1": {"未签字"}, "item_m4": {"on"}})
	if status != http.StatusBadRequest {
		t.Fatalf("correction without a reason: %d", status)
	}
	mustContain(t, "correction form", page, "请说明「主要设备设施、经营布局和操作流程说明」需要补正的理由", `value="未签字"`)

	if status, _, _ := clerk.post(casePage, casePage+"/accept", url.Values{"version": {itoa(int64(c.Version))}, "owed_m5": {"on"}}); status != http.StatusSeeOther {
		t.Fatalf("accept: %d", status)
	}
	approver := s.as("approver")
	status, page, _ = approver.post(casePage, casePage+"/review", url.Values{"opinion": {""}})
	if status != http.StatusBadRequest || !strings.Contains(page, "请填写「审查（含现场核查）」环节意见") {
		t.Errorf("review without opinion: %d", status)
	}
	if status, _, _ := approver.post(casePage, casePage+"/review", url.Values{"opinion": {"现场核查符合要求"}}); status != http.StatusSeeOther {
		t.Fatalf("review: %d", status)
	}
	// The reviewer is offered no decision (审核与审批分离); the lead decides.
	if _, page := approver.get(casePage); strings.Contains(page, `id="deny-panel"`) {
		t.Error("the reviewer is offered the decision")
	}
	lead := s.as("approver-lead")
	status, page, _ = lead.post(casePage, casePage+"/deny", url.Values{"reasons": {""}})
	if status != http.StatusBadRequest {
		t.Fatalf("deny without reasons: %d", status)
	}
	mustContain(t, "deny form", page, `id="deny-error">不予办理须说明理由和依据`, `<details open id="deny-panel">`)
	if got := s.caseNow(c.Number); got.State != tongban.CaseInReview || len(got.Reasons) != 0 {
		t.Errorf("after refused denial: %s %v", got.State, got.Reasons)
	}
}

// The whole back office and handout on pages: the handout is refused while
// 容缺 materials are owed, with the message on the case's line.
func TestHandoutWaitsForOwedMaterials(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	c := s.onlineCaseOf(demo.Enterprise.CreditCode) // a 食品经营许可证 is held by an org
	casePage := "/console/cases/" + c.Number
	clerk, approver, lead := s.as("clerk"), s.as("approver"), s.as("approver-lead")
	steps := []struct {
		b      *browser
		action string
		v      url.Values
	}{
		{clerk, "accept", url.Values{"owed_m5": {"on"}}},
		{approver, "review", url.Values{"opinion": {"符合条件"}}},
		{lead, "approve", url.Values{"opinion": {"准予许可"}}},
		{approver, "issue", url.Values{"result_no": {"JY15116000000123"}, "face_entity_name": {demo.Enterprise.Name},
			"face_credit_code": {demo.Enterprise.CreditCode}, "face_legal_rep": {"张三"}, "face_premises": {"广安区建设路58号1楼"},
			"face_business_form": {"餐饮服务经营者（小型餐馆）"}, "face_business_items": {"热食类食品制售"}}},
	}
	for _, st := range steps {
		if st.action == "issue" {
			// The result is a 食品经营许可证: the approver sees its face to
			// confirm, and issuing without the items the form lacks is
			// refused on the form, naming one.
			_, page := st.b.get(casePage)
			mustContain(t, "face to confirm", page, "电子证照照面", `name="face_entity_name"`, "经营场所", "主体业态")
			status, page, _ := st.b.post(casePage, casePage+"/issue", url.Values{"result_no": {"JY15116000000123"}})
			if status != http.StatusUnprocessableEntity && status != http.StatusBadRequest {
				t.Fatalf("issue without the face: %d\n%s", status, errorOf(page))
			}
			// The refusal shows beside the item it names, not only the
			// item's label the form always has.
			mustContain(t, "issue without the face", page, `id="face_premises" value="" required aria-invalid="true">`,
				`<p class="field-error" role="alert" id="face_premises-error">证照照面项「经营场所」未填写（申请表中没有），请审批人核对填写后再签发`)
		}
		if status, page, _ := st.b.post(casePage, casePage+"/"+st.action, st.v); status != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", st.action, status, errorOf(page))
		}
	}
	_, page := approver.get("/console/queue")
	if strings.Contains(page, c.Number) {
		t.Error("an issued case is still in the approver's queue")
	}
	status, page := clerk.get("/console/handout")
	if status != http.StatusOK {
		t.Fatalf("handout page: %d", status)
	}
	mustContain(t, "handout", page, c.Number, "食品安全规章制度目录清单", "JY15116000000123", "待领取", demo.Enterprise.CreditCode)
	// Searched by ID number, name or number it is found; by another, not.
	for q, found := range map[string]bool{demo.Enterprise.CreditCode: true, demo.Enterprise.Name: true, c.Number: true, "李四": false} {
		if _, page := clerk.get("/console/handout?q=" + url.QueryEscape(q)); strings.Contains(page, `data-number="`+c.Number+`"`) != found {
			t.Errorf("handout search %q: found %v, want %v", q, !found, found)
		}
	}
	version := itoa(int64(s.caseNow(c.Number).Version))
	status, page, _ = clerk.post("/console/handout", "/console/handout/"+c.Number, url.Values{"version": {version}, "method": {"pickup"}})
	if status != http.StatusConflict {
		t.Fatalf("handout while owed: %d", status)
	}
	mustContain(t, "refused handout", page, `id="handout-error"`, "容缺材料「食品安全规章制度目录清单」尚未补齐")

	if status, _, _ := clerk.post(casePage, casePage+"/owed", url.Values{"received_m5": {"on"}}); status != http.StatusSeeOther {
		t.Fatalf("owed received: %d", status)
	}
	version = itoa(int64(s.caseNow(c.Number).Version))
	status, page, _ = clerk.post("/console/handout", "/console/handout/"+c.Number, url.Values{"version": {version}, "method": {"pickup"}, "collector": {"self"}})
	mustContain(t, "handout without the ID checked", page, `id="handout-error"`, "请核验领取人本人的身份证件")
	// A refusal naming a field the row has no input of that name for is
	// shown on the row all the same.
	status, page, _ = clerk.post("/console/handout", "/console/handout/"+c.Number, url.Values{"version": {version}, "method": {"drone"}})
	if status != http.StatusBadRequest {
		t.Fatalf("handout by an unknown method: %d", status)
	}
	mustContain(t, "handout by an unknown method", page, `<p class="error" role="alert" id="handout-error">送达方式应为 pickup 或 express</p>`)
	if status, _, _ := clerk.post("/console/handout", "/console/handout/"+c.Number, url.Values{"version": {version}, "method": {"pickup"},
		"collector": {"self"}, "identity_checked": {"on"}}); status != http.StatusSeeOther {
		t.Fatalf("handout: %d", status)
	}
	// Handed over again from a page shown before (another clerk's): the
	// row is gone from the list, its refusal is shown above it.
	status, page, _ = clerk.post("/console/handout", "/console/handout/"+c.Number, url.Values{"version": {version}, "method": {"pickup"},
		"collector": {"self"}, "identity_checked": {"on"}})
	if status != http.StatusConflict {
		t.Fatalf("handout twice: %d", status)
	}
	mustContain(t, "handout twice", page, `<p class="error" role="alert" id="handout-error">办件 `+c.Number+` 已被他人更新，请刷新后重试</p>`)
	_, page = clerk.get("/console/handout")
	mustContain(t, "collected today", page, `id="collected"`, "已领取", "本人领取", "统一出件窗口")
	got := s.caseNow(c.Number)
	if got.State != tongban.CaseClosed || got.Visits != 1 {
		t.Errorf("after pickup: %s, %d visits", got.State, got.Visits)
	}

	// The applicant sees the result and the notices, as a page and as PDF.
	citizen := s.as(demo.Enterprise.CreditCode)
	_, page = citizen.get("/cases/" + c.Number)
	mustContain(t, "status page", page, "已办结", "JY15116000000123", "/notices/acceptance", "/notices/completion")
	status, page = citizen.get("/cases/" + c.Number + "/notices/completion")
	if status != http.StatusOK {
		t.Fatalf("completion notice: %d", status)
	}
	mustContain(t, "completion notice", page, "办结通知书", c.Number, "广安市市场监督管理局", "准予许可", "食品经营许可证",
		"2026年3月2日", `src="/cases/`+c.Number+`/qr.png"`, "领取方式：窗口领取")
	_, page = citizen.get("/cases/" + c.Number + "/notices/acceptance")
	mustContain(t, "acceptance notice", page, "容缺受理通知书", "承诺办理时限为3个工作日，自受理之次日起计算，将于2026年3月5日前作出决定",
		"「食品安全规章制度目录清单」", "签收")
	for path, prefix := range map[string]string{"/notices/completion.pdf": "%PDF-", "/qr.png": "\x89PNG"} {
		resp, err := citizen.c.Get(s.base + "/cases/" + c.Number + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), prefix) {
			t.Errorf("%s: %d %q", path, resp.StatusCode, body[:min(len(body), 8)])
		}
	}
	if status, _ := citizen.get("/cases/" + c.Number + "/notices/rejection"); status != http.StatusNotFound {
		t.Errorf("a notice the case does not have: %d", status)
	}
}

// At the counter: identify the applicant (masked; the full view audited),
// find the item, take the application (a visit) and correct it in one
// notice that the applicant then sees.
func TestCounterTakesAnApplication(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	clerk := s.as("clerk")
	status, page := clerk.get("/console/counter?id_number=" + demo.Citizen.IDNumber)
	if status != http.StatusOK {
		t.Fatalf("identify: %d", status)
	}
	mustContain(t, "identified", page, "5116**********1232", "张*")
	if strings.Contains(page, demo.Citizen.IDNumber) && !strings.Contains(page, `value="`+demo.Citizen.IDNumber+`"`) {
		t.Error("the full ID number is shown unasked")
	}
	zhang := s.user(demo.Citizen.IDNumber)
	if status, _, _ = clerk.post("/console/counter", "/console/counter/reveal", url.Values{"applicant": {itoa(zhang.ID)}}); status != http.StatusBadRequest {
		t.Errorf("reveal without a reason: %d", status)
	}
	status, page, _ = clerk.post("/console/counter", "/console/counter/reveal", url.Values{"applicant": {itoa(zhang.ID)}, "reason": {"核对联系电话"}})
	if status != http.StatusOK || !strings.Contains(page, `id="applicant-id">`+demo.Citizen.IDNumber) {
		t.Errorf("reveal: %d", status)
	}
	entries, _ := audit.Entries(context.Background(), s.app.Store, 0, 10000)
	if last := entries[len(entries)-1]; last.Action != tongban.AuditPIIRead || last.Object != "user:"+itoa(zhang.ID) {
		t.Errorf("full read not audited: %+v", last)
	}
	// The applicant's data record names both reads in words.
	_, record := s.as(demo.Citizen.IDNumber).get("/account/data-uses")
	mustContain(t, "the applicant's data record", record, `data-kind="counter_lookup"`, "实名账号信息",
		`data-kind="staff_reveal"`, "居民身份证号<br><span class=\"hint\">居民身份证号、手机号码</span>", "核对联系电话")
	if strings.Contains(record, "id_number") || strings.Contains(record, ">account<") {
		t.Error("the data record shows the account's items by their keys")
	}

	_, page = clerk.get("/console/counter?applicant=" + itoa(zhang.ID) + "&q=" + url.QueryEscape("食品经营许可证核发"))
	l := s.foodListing()
	link := "/console/counter/apply/" + itoa(l.ID) + "?applicant=" + itoa(zhang.ID)
	mustContain(t, "listing search", page, `href="`+link+`"`)
	_, page = clerk.get(link)
	mustContain(t, "counter form", page, `id="counter-applicant"`, "张*", `name="got_m1"`)
	form := url.Values{"csrf_token": {clerk.csrf(page)}, "idempotency_key": {hidden(t, page, "idempotency_key")},
		"applicant": {itoa(zhang.ID)}, "listing_version": {itoa(int64(l.Version))}, "delivery": {"pickup"},
		"got_m1": {"on"}, "got_m2": {"on"}, "got_m3": {"on"}}
	status, _, loc := clerk.postFiles("/console/counter/apply/"+itoa(l.ID), form, nil)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/cases/") {
		t.Fatalf("counter submit: %d → %q", status, loc)
	}
	number := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/console/cases/")
	c := s.caseNow(number)
	if c.Channel != tongban.ChannelCounter || c.ApplicantID != zhang.ID || c.Visits != 1 {
		t.Errorf("counter case: %s applicant %d visits %d", c.Channel, c.ApplicantID, c.Visits)
	}
	_, page = clerk.get(loc)
	mustContain(t, "case page", page, "缺少必要材料，不能直接受理", "主要设备设施、经营布局和操作流程说明", `id="owed_m5"`)

	casePage := "/console/cases/" + number
	status, _, _ = clerk.post(casePage, casePage+"/correct", url.Values{"item_m4": {"on"}, "reason_m4": {"未提交布局图"}})
	if status != http.StatusSeeOther {
		t.Fatalf("correction: %d", status)
	}
	citizen := s.as(demo.Citizen.IDNumber)
	_, page = citizen.get("/cases/" + number)
	mustContain(t, "applicant's page", page, "待补正", "未提交布局图", `id="supplement"`, "/notices/correction")
	_, page = citizen.get("/cases/" + number + "/notices/correction")
	mustContain(t, "correction notice", page, "一次性告知书", "主要设备设施、经营布局和操作流程说明：未提交布局图")

	// The supplement: a refused file keeps nothing but says why; a PDF goes through.
	supplement := "/cases/" + number + "/supplement"
	status, page, _ = citizen.postFiles(supplement, url.Values{"csrf_token": {citizen.csrf(page)}}, map[string]string{"file_m4": "GIF89a"})
	if status != http.StatusBadRequest || !strings.Contains(page, "只接受 PDF") {
		t.Errorf("bad supplement: %d", status)
	}
	status, _, _ = citizen.postFiles(supplement, url.Values{"csrf_token": {citizen.csrf(page)}}, map[string]string{"file_m4": tinyPDF})
	if status != http.StatusSeeOther {
		t.Fatalf("supplement: %d", status)
	}
	if c := s.caseNow(number); c.State != tongban.CaseSubmitted {
		t.Errorf("after supplement: %s", c.State)
	}
}

// The supervisor sees an overdue case in red under its department and a
// stalled one, and the denial with its reasons (否定备案).
func TestSupervisionListsOverdueStalledAndDenials(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	clerk, approver := s.user("clerk"), s.user("approver")
	late, denied, fresh := s.onlineCase(), s.onlineCase(), s.onlineCase()
	for _, c := range []*tongban.Case{late, denied} {
		if _, err := s.app.Workflow.Accept(ctx, workflow.Request{Actor: clerk}, c.ID, workflow.AcceptInput{Owed: []string{"m5"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.app.Workflow.Review(ctx, workflow.Request{Actor: approver}, denied.ID, "核查"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.Workflow.Deny(ctx, workflow.Request{Actor: s.user("approver-lead")}, denied.ID, []string{"经营场所与有毒有害场所距离不足"}); err != nil {
		t.Fatal(err)
	}
	s.clock.Set(casesNow.AddDate(0, 0, 8)) // Tuesday next week: 3 working days promised, 6 gone
	_ = fresh

	b := s.as("supervisor")
	status, page := b.get("/console/supervision")
	if status != http.StatusOK {
		t.Fatalf("supervision: %d", status)
	}
	mustContain(t, "supervision", page, late.Number, denied.Number, "广安市市场监督管理局", "超期 3 个工作日",
		"经营场所与有毒有害场所距离不足", `id="total-overdue">1<`, `id="total-stalled">2<`)
	if status, _ := s.as("clerk").get("/console/supervision"); status != http.StatusForbidden {
		t.Errorf("clerk on supervision: %d", status)
	}

	// The approver's queue: the overdue case first, in red.
	_, page = s.as("approver").get("/console/queue")
	mustContain(t, "queue", page, late.Number, `badge red`, "审查（含现场核查）")
	if i, j := strings.Index(page, late.Number), strings.Index(page, denied.Number); i < 0 || j < 0 || i > j {
		t.Error("queue is not sorted by time left")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// errorOf pulls a page's error message, for failure output.
func errorOf(page string) string {
	if m := regexp.MustCompile(`class="(?:error|field-error)"[^>]*>([^<]*)`).FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}
