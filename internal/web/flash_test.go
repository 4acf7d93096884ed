package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestFlashIsNeverTakenFromTheURL: ?flash= text was rendered on the page,
// so a link could make Tongban say anything ("请拨打 400… 办理退款").
// Messages now come only from the server, once, after its own redirect.
func TestFlashIsNeverTakenFromTheURL(t *testing.T) {
	t.Parallel()
	b, _ := calendarSite(t)
	const planted = "您的账号存在风险请拨打4001234567"
	for _, path := range []string{"/login?flash=", "/?flash=", "/search?q=x&flash="} {
		if _, page := b.get(path + planted); strings.Contains(page, planted) {
			t.Errorf("%s rendered the URL's flash text", path)
		}
	}
	b.signIn("admin")
	status, _, loc := b.upload("2027", "2027.csv", notice2027)
	if status != http.StatusSeeOther || strings.Contains(loc, "flash") {
		t.Fatalf("upload: %d → %q", status, loc)
	}
	if _, page := b.get(loc); !strings.Contains(page, "已导入 2027 年节假日安排") {
		t.Error("the server's own message is not shown after its redirect")
	}
	if _, page := b.get(loc); strings.Contains(page, "已导入 2027 年节假日安排") {
		t.Error("the message shows twice")
	}
}
