package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/demo"
)

// An applicant past the day's upload quota gets a 429 in Chinese naming
// the file field (the quota is lowered here; it is 500 MB by default).
func TestUploadQuotaOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	a.Uploads.DailyQuota = 100
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	citizen.mustUpload(pdfFile("一" + strings.Repeat(" ", 40)))
	citizen.mustUpload(pdfFile("二" + strings.Repeat(" ", 40)))
	status, body := citizen.uploadRaw("application/pdf", pdfFile("三"))
	wantError(t, status, body, http.StatusTooManyRequests, "too_many_requests", "file")
	if !strings.Contains(string(body), "今日上传已达上限") {
		t.Errorf("message: %s", body)
	}
}
