package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/demo"
)

// TestCaseRefusals: every refusal answers in the error shape with the right
// status and names the field or the state at fault.
func TestCaseRefusals(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	l := demoFoodListing(t, a)
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	approver := signIn(t, srv, "approver")
	c := submitNew(t, citizen, l, "拒绝")

	t.Run("illegal transition names the state", func(t *testing.T) {
		status, body := approver.json("POST", "/api/v1/cases/"+c.Number+"/approve", map[string]string{"opinion": "同意"})
		wantError(t, status, body, 409, "conflict", "")
		if !strings.Contains(string(body), "待受理") {
			t.Errorf("409 does not name the state 待受理: %s", body)
		}
	})
	t.Run("wrong department", func(t *testing.T) {
		other := signIn(t, srv, "approver-gaq") // 广安区市场监督管理局, not the city's
		status, body := other.json("POST", "/api/v1/cases/"+c.Number+"/accept", map[string]any{})
		wantError(t, status, body, 403, "forbidden", "")
		signIn(t, srv, "clerk").act(c.Number, "accept", nil)
		status, body = other.json("POST", "/api/v1/cases/"+c.Number+"/review", map[string]string{"opinion": "同意"})
		wantError(t, status, body, 403, "forbidden", "")
		status, body = other.do("GET", "/api/v1/cases/"+c.Number, nil)
		wantError(t, status, body, 403, "forbidden", "")
	})
	t.Run("permission before the version", func(t *testing.T) {
		// A stale If-Match on someone else's case told them the case exists
		// and moved on (409); now it is refused as theirs to touch (403).
		other := signIn(t, srv, "approver-gaq")
		b, _ := json.Marshal(map[string]string{"opinion": "同意"})
		status, _, body := other.send("POST", "/api/v1/cases/"+c.Number+"/review", b, "If-Match", `"1"`)
		wantError(t, status, body, 403, "forbidden", "")
		status, _, body = approver.send("POST", "/api/v1/cases/"+c.Number+"/review", b, "If-Match", `"1"`)
		wantError(t, status, body, 409, "conflict", "")
	})
	t.Run("applicant cannot act for staff", func(t *testing.T) {
		status, body := citizen.json("POST", "/api/v1/cases/"+c.Number+"/review", map[string]string{"opinion": "同意"})
		wantError(t, status, body, 403, "forbidden", "")
	})
	t.Run("reasons required", func(t *testing.T) {
		approver.act(c.Number, "review", map[string]string{"opinion": "符合"})
		lead := signIn(t, srv, "approver-lead")
		status, body := lead.json("POST", "/api/v1/cases/"+c.Number+"/deny", map[string]any{"reasons": []string{" "}})
		wantError(t, status, body, 400, "invalid", "reasons")
		status, body = approver.json("POST", "/api/v1/cases/"+c.Number+"/review", map[string]string{"opinion": "x"})
		wantError(t, status, body, 409, "conflict", "")
		status, body = approver.json("POST", "/api/v1/cases/"+c.Number+"/deny", map[string]any{"reasons": []string{"a\x00b"}})
		wantError(t, status, body, 400, "invalid", "reasons[0]")
	})
	t.Run("bad If-Match", func(t *testing.T) {
		b, _ := json.Marshal(map[string]string{"opinion": "同意"})
		status, _, body := approver.send("POST", "/api/v1/cases/"+c.Number+"/approve", b, "If-Match", "latest")
		wantError(t, status, body, 400, "invalid", "If-Match")
	})
	t.Run("unknown case", func(t *testing.T) {
		status, body := approver.json("POST", "/api/v1/cases/511600000000-20260302-999999/accept", map[string]any{})
		wantError(t, status, body, 404, "not_found", "")
	})

	m1 := citizen.mustUpload(pdfFile("拒绝-申请书"))
	submit := func(body map[string]any) (int, []byte) {
		b, _ := json.Marshal(body)
		return citizen.do("POST", "/api/v1/cases", b)
	}
	valid := func() map[string]any { return application(l, m1, m1, m1, m1, m1) }
	t.Run("missing blob", func(t *testing.T) {
		app := valid()
		app["materials"].([]map[string]string)[0]["blob_hash"] = "sha256:" + strings.Repeat("0", 64)
		status, body := submit(app)
		wantError(t, status, body, 400, "invalid", "materials[0].blob_hash")
	})
	t.Run("malformed blob hash", func(t *testing.T) {
		app := valid()
		app["materials"].([]map[string]string)[3]["blob_hash"] = "../../etc/passwd"
		status, body := submit(app)
		wantError(t, status, body, 400, "invalid", "materials[3].blob_hash")
	})
	t.Run("online material without upload", func(t *testing.T) {
		app := valid()
		app["materials"].([]map[string]string)[4] = map[string]string{"key": "m5"}
		status, body := submit(app)
		wantError(t, status, body, 400, "invalid", "materials[4].blob_hash")
	})
	t.Run("unknown material", func(t *testing.T) {
		app := valid()
		app["materials"].([]map[string]string)[4] = map[string]string{"key": "m99", "blob_hash": m1}
		status, body := submit(app)
		wantError(t, status, body, 400, "invalid", "materials[4].key")
	})
	t.Run("oversized form", func(t *testing.T) {
		app := valid()
		app["form"] = map[string]string{"说明": strings.Repeat("长", 30000)}
		status, body := submit(app)
		wantError(t, status, body, 400, "invalid", "form")
	})
	t.Run("deep form", func(t *testing.T) {
		var deep any = "底"
		for range 12 {
			deep = map[string]any{"层": deep}
		}
		app := valid()
		app["form"] = deep
		status, body := submit(app)
		wantError(t, status, body, 400, "invalid", "form.层.层.层.层.层.层.层.层")
	})
	t.Run("form not an object", func(t *testing.T) {
		app := valid()
		app["form"] = []string{"a"}
		status, body := submit(app)
		wantError(t, status, body, 400, "invalid", "form")
	})
	t.Run("unknown field", func(t *testing.T) {
		app := valid()
		app["applicant_id"] = 1
		status, body := submit(app)
		wantError(t, status, body, 400, "invalid", "applicant_id")
	})
	t.Run("key reused for another application", func(t *testing.T) {
		other := valid()
		other["listing_id"] = l.ID + 1
		b, _ := json.Marshal(other)
		status, _, body := citizen.send("POST", "/api/v1/cases", b, "Idempotency-Key", "submit-拒绝")
		wantError(t, status, body, 409, "conflict", "idempotency_key")
	})
	t.Run("staff may not apply online", func(t *testing.T) {
		app := valid()
		app["channel"] = "online"
		b, _ := json.Marshal(app)
		status, body := approver.do("POST", "/api/v1/cases", b)
		wantError(t, status, body, 403, "forbidden", "")
	})
}

// TestUploadRefusals: wrong types and sizes are refused naming the field;
// a store that cannot write answers 503 and keeps nothing.
func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	citizen := signIn(t, srv, demo.Citizen.IDNumber)

	status, body := citizen.uploadForm("材料.txt", []byte("这不是PDF，只是一段文字。"))
	wantError(t, status, body, 400, "invalid", "file")
	if !strings.Contains(string(body), "PDF") {
		t.Errorf("the refusal should say what is accepted: %s", body)
	}
	status, body = citizen.uploadRaw("text/plain", []byte("hello"))
	wantError(t, status, body, 400, "invalid", "file")
	status, body = citizen.uploadRaw("application/pdf", []byte("<html>not a pdf</html>"))
	wantError(t, status, body, 400, "invalid", "file")
	status, body = citizen.uploadRaw("application/pdf", nil)
	wantError(t, status, body, 400, "invalid", "file")
	big := append(pdfFile("大文件"), bytes.Repeat([]byte{' '}, 20<<20)...)
	status, body = citizen.uploadRaw("application/pdf", big)
	wantError(t, status, body, 400, "invalid", "file")
	status, body = citizen.uploadForm("大文件.pdf", big)
	wantError(t, status, body, 400, "invalid", "file")

	anonymous := newClient(t, srv)
	status, body = anonymous.uploadRaw("application/pdf", pdfFile("匿名"))
	wantError(t, status, body, 401, "unauthorized", "")

	// The store's temporary directory becomes a file: every write fails.
	root := filepath.Join(a.Config.DataDir, "blobs")
	if err := os.RemoveAll(filepath.Join(root, "tmp")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "tmp"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	status, body = citizen.uploadRaw("application/pdf", pdfFile("存储不可用"))
	wantError(t, status, body, 503, "unavailable", "")
	if !strings.Contains(string(body), "文件存储") {
		t.Errorf("503 message: %s", body)
	}
	filepath.WalkDir(filepath.Join(root, "sealed"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("a failed upload left %s", path)
		}
		return nil
	})
	if status, _ := citizen.do("GET", "/api/v1/cases", nil); status != http.StatusOK {
		t.Errorf("the API is unwell after a store failure: %d", status)
	}
}
