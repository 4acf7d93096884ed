package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
)

// 户籍信息 is shared without condition: applying for 城乡居民基本养老保险参保登记
// the citizen sees his record masked and takes it instead of uploading the
// 居民户口簿; the approver sees it in full on the case; the read is in the
// citizen's data record.
func TestSharedDataOnTheApplicationForm(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	l := s.cityListing("城乡居民基本养老保险参保登记")
	hukou := keyOf(t, l, "BZ0102")
	citizen := s.as(demo.Citizen.IDNumber)
	path := "/apply/" + itoa(l.ID)
	_, page := citizen.get(path)
	mustContain(t, "apply page", page, `id="shared-offer-`+hukou+`"`, "广安市公安局", "户籍信息", `name="share_`+hukou+`" id="share_`+hukou+`" value="1" checked`)
	if strings.Contains(page, "北辰路38号2单元501室") || strings.Contains(page, "511602199003071232") {
		t.Error("the applicant's page shows the record unmasked")
	}
	v := url.Values{"csrf_token": {citizen.csrf(page)}, "idempotency_key": {hidden(t, page, "idempotency_key")},
		"listing_version": {itoa(int64(l.Version))}, "contact": {"张三"}, "phone": {"13800138000"}, "delivery": {"pickup"},
		"share_" + hukou: {"1"}}
	status, page, loc := citizen.postFiles(path, v, map[string]string{"file_" + keyOf(t, l, "BZ0101"): tinyPDF + "%id"})
	if status != http.StatusSeeOther {
		t.Fatalf("apply: %d %s", status, errorsOf(page))
	}
	number := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cases/")
	if m, _ := s.caseNow(number).Material(hukou); m.Status != tongban.MaterialShared || m.Ref == nil || !m.Spared() {
		t.Fatalf("户口簿 = %+v", m)
	}
	approver := s.as("approver-rsj")
	_, page = approver.get("/console/cases/" + number)
	mustContain(t, "approver's case page", page, `id="shared-record-`+hukou+`"`, "四川省广安市广安区北辰街道金安社区北辰路38号2单元501室", "来自共享数据「户籍信息」")
	uses, err := s.app.Store.DataUses(t.Context(), s.user(demo.Citizen.IDNumber).ID, 10, 0)
	if err != nil || len(uses) != 1 || uses[0].Resource != "GA-HJXX" || uses[0].CaseNumber != number {
		t.Errorf("data uses = %+v, %v", uses, err)
	}
	_, page = citizen.get("/account/data-uses")
	mustContain(t, "data record", page, `data-kind="shared_lookup"`, "户籍信息（广安市公安局）", number, "广安市人力资源和社会保障局")
	resp, err := citizen.c.Get(citizen.base + "/account/data-uses.csv")
	if err != nil {
		t.Fatal(err)
	}
	csv, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(csv), "\ufeff")), "\n")
	if resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || len(lines) != 2 || !strings.HasPrefix(lines[0], "时间,方式,使用者") ||
		!strings.Contains(lines[1], number) || !strings.Contains(lines[1], "共享数据查询") {
		t.Errorf("CSV export: %s %q", resp.Header.Get("Content-Type"), csv)
	}
}

// The application form fills the applicant part in from the account and
// shared data and says where each value came from: the enterprise's name
// from its account, its 住所 from 企业登记信息; a citizen's 户籍地址 masked on
// the page and in full on the application.
func TestApplicationFormPrefill(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	food := s.foodListing()
	firm := s.as("91511602MA6AB1C2DE")
	_, page := firm.get("/apply/" + itoa(food.ID))
	mustContain(t, "enterprise's form", page, `id="prefill"`, `data-field="企业名称"`, "广安市蜀味餐饮管理有限公司",
		"来自账号信息", `data-field="住所"`, "四川省广安市广安区建设路58号1楼", "来自共享数据「企业登记信息」（广安市市场监督管理局）")

	l := s.cityListing("城乡居民基本养老保险参保登记")
	citizen := s.as(demo.Citizen.IDNumber)
	path := "/apply/" + itoa(l.ID)
	_, page = citizen.get(path)
	mustContain(t, "citizen's form", page, `data-field="户籍地址"`, "来自共享数据「户籍信息」（广安市公安局）")
	if strings.Contains(page, "北辰路38号2单元501室") {
		t.Error("the 户籍地址 is shown unmasked")
	}
	v := url.Values{"csrf_token": {citizen.csrf(page)}, "idempotency_key": {hidden(t, page, "idempotency_key")},
		"listing_version": {itoa(int64(l.Version))}, "contact": {"张三"}, "phone": {"13800138000"}, "delivery": {"pickup"},
		"share_" + keyOf(t, l, "BZ0102"): {"1"}, "户籍地址": {"伪造的地址"}}
	status, page, loc := citizen.postFiles(path, v, map[string]string{"file_" + keyOf(t, l, "BZ0101"): tinyPDF + "%id"})
	if status != http.StatusSeeOther {
		t.Fatalf("apply: %d %s", status, errorsOf(page))
	}
	c := s.caseNow(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cases/"))
	if form := string(c.Form); !strings.Contains(form, "四川省广安市广安区北辰街道金安社区北辰路38号2单元501室") ||
		!strings.Contains(form, "户籍信息") || strings.Contains(form, "伪造") {
		t.Errorf("the application's form = %s", form)
	}
	_, page = s.as("approver-rsj").get("/console/cases/" + c.Number)
	mustContain(t, "approver's case page", page, "户籍地址", "北辰路38号2单元501室（共享数据「户籍信息」（广安市公安局））")
}
