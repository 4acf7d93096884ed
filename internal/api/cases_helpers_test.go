package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/app/apptest"
)

// caseSite is site on a manual clock, Monday 2026-03-02 09:00 in China, so
// due dates and overdue lists are the same on every run.
// publicURL is where the test city says people reach it; links and QR
// codes must use it, never the test server's own address.
const publicURL = "https://zwfw.guangan.example"

func caseSite(t *testing.T) (*httptest.Server, *app.App, *tongban.ManualClock) {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, DB: filepath.Join(dir, "t.db"), Demo: true, Secret: strings.Repeat("ab", 32),
		PublicURL: publicURL}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
	a, err := apptest.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := contractServer(t, a)
	return srv, a, clock
}

// send is do with the response headers.
func (c *client) send(method, path string, body []byte, headers ...string) (int, http.Header, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	return c.roundTrip(req, body != nil, headers...)
}

// roundTrip sends req with the client's CSRF token and the headers (raw
// values, as given), and keeps any new token the answer carries.
func (c *client) roundTrip(req *http.Request, jsonBody bool, headers ...string) (int, http.Header, []byte) {
	c.t.Helper()
	if jsonBody {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header[http.CanonicalHeaderKey(headers[i])] = []string{headers[i+1]}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if tok := resp.Header.Get("X-CSRF-Token"); tok != "" {
		c.csrf = tok
	}
	return resp.StatusCode, resp.Header, out
}

func signIn(t *testing.T, srv *httptest.Server, login string) *client {
	c := newClient(t, srv)
	c.login(login)
	return c
}

type uploaded struct {
	Hash      string `json:"hash"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
}

// Small files of each accepted kind; tag makes each one distinct.
func pdfFile(tag string) []byte { return []byte("%PDF-1.4\n% " + tag + "\n%%EOF\n") }
func pngFile(tag string) []byte { return append([]byte("\x89PNG\r\n\x1a\n"), tag...) }
func jpegFile(tag string) []byte {
	return append([]byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), tag...)
}

// uploadRaw posts data as the request body with its media type.
func (c *client) uploadRaw(mediaType string, data []byte) (int, []byte) {
	status, _, body := c.send("POST", "/api/v1/uploads", data, "Content-Type", mediaType)
	return status, body
}

// uploadForm posts data as the file field of a multipart form.
func (c *client) uploadForm(name string, data []byte) (int, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("note", "申请材料")
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	status, _, body := c.send("POST", "/api/v1/uploads", b.Bytes(), "Content-Type", mw.FormDataContentType())
	return status, body
}

func (c *client) mustUpload(data []byte) string {
	c.t.Helper()
	status, body := c.uploadRaw(http.DetectContentType(data), data)
	var u uploaded
	if status != http.StatusCreated || json.Unmarshal(body, &u) != nil {
		c.t.Fatalf("upload: %d %s", status, body)
	}
	return u.Hash
}

// caseJSON is the part of a case view the tests read.
type caseJSON struct {
	Number     string `json:"number"`
	State      string `json:"state"`
	Version    int    `json:"version"`
	Visits     int    `json:"visits"`
	Channel    string `json:"channel"`
	StepName   string `json:"step_name"`
	Applicant  string `json:"applicant_name"`
	DueDate    string `json:"due_date"`
	Reasons    []string
	Materials  []tongban.CaseMaterial `json:"materials"`
	Actions    []string               `json:"actions"`
	Notices    []string               `json:"notices"`
	Time       timeJSON               `json:"time"`
	Events     []eventJSON            `json:"events"`
	Delivery   tongban.Delivery       `json:"delivery"`
	ResultNo   string                 `json:"result_no"`
	Commitment bool                   `json:"commitment"`
}

type timeJSON struct {
	Started  bool   `json:"started"`
	Running  bool   `json:"running"`
	Paused   bool   `json:"paused"`
	Due      string `json:"due"`
	DaysLeft int    `json:"days_left"`
	Level    string `json:"level"`
}

type eventJSON struct {
	Action string `json:"action"`
	To     string `json:"to"`
	Reason string `json:"reason"`
	Visit  bool   `json:"visit"`
}

func decodeCase(t *testing.T, status int, body []byte, want int) caseJSON {
	t.Helper()
	var c caseJSON
	if status != want || json.Unmarshal(body, &c) != nil || c.Number == "" {
		t.Fatalf("got %d %s; want %d and a case", status, body, want)
	}
	return c
}

// act posts an action and returns the case, failing unless it succeeds.
func (c *client) act(number, action string, in any, headers ...string) caseJSON {
	c.t.Helper()
	b, _ := json.Marshal(in)
	status, _, body := c.send("POST", "/api/v1/cases/"+number+"/"+action, b, headers...)
	return decodeCase(c.t, status, body, http.StatusOK)
}

func (c *client) getCase(number string) caseJSON {
	c.t.Helper()
	status, _, body := c.send("GET", "/api/v1/cases/"+number, nil)
	return decodeCase(c.t, status, body, http.StatusOK)
}

// demoFoodListing is 食品经营许可证核发 of 广安市市场监督管理局: steps 受理, 审查,
// 许可决定, 制证发证; materials m1…m5 required (m2, m3 e-licences).
func demoFoodListing(t *testing.T, a *app.App) *tongban.Listing {
	t.Helper()
	ctx := context.Background()
	org, err := a.Store.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	ls, err := a.Store.Listings(ctx, tongban.ListingFilter{OrgID: org.ID, ItemCode: "511A0005200004", Status: tongban.ListingPublished})
	if err != nil || len(ls) != 1 {
		t.Fatalf("食品经营许可证核发 of 广安市市场监督管理局: %v %d listings", err, len(ls))
	}
	return ls[0]
}

// application is a complete online application for the food listing with
// an upload for each of m1…m5.
func application(l *tongban.Listing, m1, m2, m3, m4, m5 string) map[string]any {
	return map[string]any{
		"listing_id": l.ID,
		"form": map[string]any{"经营者名称": "广安张三小吃店", "经营场所": "广安区北辰路12号",
			"经营项目": []string{"热食类食品制售"}, "负责人": map[string]any{"姓名": "张三", "电话": "13800138000"}},
		"materials": []map[string]string{
			{"key": "m1", "blob_hash": m1}, {"key": "m2", "blob_hash": m2}, {"key": "m3", "blob_hash": m3},
			{"key": "m4", "blob_hash": m4}, {"key": "m5", "blob_hash": m5},
		},
	}
}

// submitNew uploads five materials and submits a fresh application.
func submitNew(t *testing.T, citizen *client, l *tongban.Listing, tag string) caseJSON {
	t.Helper()
	m1, m4, m5 := citizen.mustUpload(pdfFile(tag+"申请书")), citizen.mustUpload(pngFile(tag+"布局")), citizen.mustUpload(jpegFile(tag+"制度"))
	m2, m3 := citizen.mustUpload(pdfFile(tag+"营业执照")), citizen.mustUpload(pdfFile(tag+"身份证明"))
	b, _ := json.Marshal(application(l, m1, m2, m3, m4, m5))
	status, _, body := citizen.send("POST", "/api/v1/cases", b, "Idempotency-Key", "submit-"+tag)
	return decodeCase(t, status, body, http.StatusCreated)
}

// pdfText extracts a PDF's text with pdftotext; without it the check is
// skipped, except on CI where the tool is required.
func pdfText(t *testing.T, pdf []byte) (string, bool) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is required on CI (poppler-utils)")
		}
		t.Log("pdftotext not installed; PDF text not checked")
		return "", false
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out), true
}

func hasAll(s string, subs ...string) error {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return fmt.Errorf("missing %q", sub)
		}
	}
	return nil
}

// foodLicenceFace is what the approver fills into a 食品经营许可证's face
// (照面) when the application form lacks it.
var foodLicenceFace = map[string]string{"经营者名称": "张三小吃店", "社会信用代码（身份证号码）": "92511602MA6BXXXX0X",
	"法定代表人（负责人）": "张三", "经营场所": "广安区建设路58号1楼", "主体业态": "餐饮服务经营者（小型餐馆）", "经营项目": "热食类食品制售"}
