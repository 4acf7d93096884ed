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

// TestLicencesConsole: the 市场监管局's department admin sees its licences
// (the demo's 历史导入 food licence among them), loads a CSV — a bad row
// refuses the whole file, naming its line — 注销s a licence with a reason
// and rotates the seal key; a clerk may not open the page.
func TestLicencesConsole(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	admin := s.as("deptadmin")
	status, page := admin.get("/console/licenses")
	if status != http.StatusOK {
		t.Fatalf("page: %d %s", status, page)
	}
	mustContain(t, "licences page", page, "电子证照管理", "广安市市场监督管理局", "JY25116000001236", "历史导入", "轮换密钥", "历史证照导入")
	o, err := s.app.Store.OrgByCode(context.Background(), "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	org := strconv.FormatInt(o.ID, 10)
	upload := func(csv string) (int, string, string) {
		_, page := admin.get("/console/licenses")
		return admin.postFiles("/console/licenses/import?org="+org, url.Values{"csrf_token": {admin.csrf(page)}},
			map[string]string{"file": csv})
	}
	header := "证照类型代码,证照编号,持证主体,持证主体代码,发证日期,有效期至,姓名,社会保障号码\n"
	good := "11100000000013127D001,BZ5116000999001,张三,511602199003071232,2020-01-02,2030-01-01,张三,511602199003071232\n"
	bad := "11100000000013127D001,BZ5116000999002,张三,511602199003071233,2020-01-02,2030-01-01,张三,511602199003071233\n"
	status, page, _ = upload(header + good + bad)
	if status != http.StatusBadRequest || !strings.Contains(page, "第3行") || !strings.Contains(page, "全部未导入") {
		t.Fatalf("bad upload: %d %s", status, errorOf(page))
	}
	if _, page := admin.get("/console/licenses"); strings.Contains(page, "BZ5116000999001") {
		t.Fatal("a refused upload stored a row")
	}
	// 社会保障卡 is not this department's to issue in real life, but any
	// department loads what it issued; the type decides the face.
	if status, _, loc := upload(header + good); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/licenses") {
		t.Fatalf("good upload: %d %s", status, loc)
	}
	_, page = admin.get("/console/licenses")
	mustContain(t, "after import", page, "BZ5116000999001")
	id := regexp1(t, page, `data-identifier="([^"]+)"><td>社会保障卡 BZ5116000999001`)

	if status, page, _ := admin.post("/console/licenses", "/console/licenses/revoke?org="+org, url.Values{"identifier": {id}}); status != http.StatusBadRequest ||
		!strings.Contains(page, "原因") {
		t.Fatalf("revoke without a reason: %d %s", status, errorOf(page))
	}
	if status, _, _ := admin.post("/console/licenses", "/console/licenses/revoke?org="+org, url.Values{"identifier": {id}, "reason": {"持证人申请注销"}}); status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", status)
	}
	_, page = admin.get("/console/licenses")
	if !strings.Contains(page, `data-identifier="`+id+`"`) || !strings.Contains(page[strings.Index(page, `data-identifier="`+id+`"`):], "已注销") {
		t.Fatal("the revoked licence is not shown 已注销")
	}
	before := regexp1(t, page, `<code id="seal-key">([0-9a-f]+)</code>`)
	if status, _, _ := admin.post("/console/licenses", "/console/licenses/rotate?org="+org, nil); status != http.StatusSeeOther {
		t.Fatalf("rotate: %d", status)
	}
	_, page = admin.get("/console/licenses")
	if after := regexp1(t, page, `<code id="seal-key">([0-9a-f]+)</code>`); after == before {
		t.Fatal("rotation kept the key")
	}
	if status, _ := s.as("clerk").get("/console/licenses"); status != http.StatusForbidden {
		t.Fatalf("a clerk opened the page: %d", status)
	}
}

// regexp1 is the first group of pattern's first match in page.
func regexp1(t *testing.T, page, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %s in the page", pattern)
	}
	return m[1]
}
