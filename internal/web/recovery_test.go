package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
)

// A clerk who checked the ID card issues a one-time link at the counter; it
// sets the password once, asks it twice, ends old sessions, is audited, and
// expires. 忘记密码 explains both ways back in.
func TestCounterResetLink(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	clerk := s.as("clerk")
	zhang := s.user(demo.Citizen.IDNumber)
	from := "/console/counter?id_number=" + demo.Citizen.IDNumber // the clerk looks the ID card up first
	applicant := url.Values{"applicant": {itoa(zhang.ID)}}

	_, page, _ := clerk.post(from, "/console/counter/reset-link", applicant)
	mustContain(t, "link without the ID checked", page, `id="counter-error"`, "请先核验申请人的身份证件原件")
	if strings.Contains(page, "reset-link-url") {
		t.Fatal("a link was issued without the ID checked")
	}
	applicant.Set("id_checked", "on")
	_, page, _ = clerk.post(from, "/console/counter/reset-link", applicant)
	m := regexp.MustCompile(`id="reset-link-url">([^<]+)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no link issued:\n%s", errorOf(page))
	}
	link, _ := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
	if link.Path != "/reset" || !strings.Contains(page, `src="data:image/png;base64,`) {
		t.Fatalf("issued link %q", m[1])
	}
	token := link.Query().Get("token")

	jar, _ := cookiejar.New(nil)
	anon := &browser{t: t, base: s.base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	_, page = anon.get("/forgot")
	mustContain(t, "忘记密码", page, `id="sms-reset"`, `id="counter-reset"`, "身份证原件")
	resetPath := "/reset?token=" + url.QueryEscape(token)
	status, page, _ := anon.post(resetPath, "/reset", url.Values{"token": {token}, "password": {"Zhang#2027a"}, "password_confirm": {"Zhang#2027b"}})
	if status != http.StatusBadRequest || !strings.Contains(page, "两次输入的密码不一致") {
		t.Errorf("mismatched passwords: %d", status)
	}
	status, _, where := anon.post(resetPath, "/reset", url.Values{"token": {token}, "password": {"Zhang#2027a"}, "password_confirm": {"Zhang#2027a"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(where, "/login") {
		t.Fatalf("reset: %d %s", status, where)
	}
	if _, _, err := s.app.Identity.Login(t.Context(), demo.Citizen.IDNumber, "Zhang#2027a", identity.Request{IP: "198.51.100.1"}); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	// Once only.
	if status, page := anon.get(resetPath); status != http.StatusNotFound || !strings.Contains(page, "重置链接无效或已过期") {
		t.Errorf("a used link: %d", status)
	}
	// A fresh link expires after a day.
	_, page, _ = clerk.post(from, "/console/counter/reset-link", applicant)
	token2 := regexp.MustCompile(`token=([A-Za-z0-9_-]+)`).FindStringSubmatch(page)[1]
	s.clock.Set(s.clock.Now().Add(identity.ResetLinkTTL + time.Minute))
	if status, _ := anon.get("/reset?token=" + token2); status != http.StatusNotFound {
		t.Errorf("an expired link: %d", status)
	}
	entries, err := audit.Entries(t.Context(), s.app.Store, 0, 1000) // links what is queued first
	if err != nil {
		t.Fatal(err)
	}
	var issued, used int
	for _, e := range entries {
		switch e.Action {
		case identity.AuditResetIssued:
			issued++
		case identity.AuditResetUsed:
			used++
		}
	}
	if issued != 2 || used != 1 {
		t.Errorf("audit: %d issued, %d used", issued, used)
	}
}
