package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
)

// 忘记密码 by SMS: an unknown number is answered like the citizen's proved
// one; the code texted to the proved one (read from the demo's SMS sink)
// and a new password typed twice set the password, end the citizen's other
// sessions, and the new password signs in.
func TestForgotPasswordBySMS(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	signedIn := s.as(demo.Citizen.IDNumber)
	jar, _ := cookiejar.New(nil)
	anon := &browser{t: t, base: s.base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	_, page := anon.get("/forgot")
	mustContain(t, "忘记密码", page, `id="forgot-send"`, `id="counter-reset"`)

	status, unknown, _ := anon.post("/forgot", "/forgot/code", url.Values{"phone": {"13700000001"}})
	mustContain(t, "an unknown number", unknown, `id="code-sent"`, `id="forgot-reset-form"`)
	status2, known, _ := anon.post("/forgot", "/forgot/code", url.Values{"phone": {demo.Citizen.Phone}})
	mustContain(t, "the citizen's number", known, `id="code-sent"`, `id="forgot-reset-form"`)
	if status != http.StatusOK || status2 != http.StatusOK || strings.Contains(known, demo.Citizen.Name) {
		t.Errorf("answers %d and %d; the page names the account: %v", status, status2, strings.Contains(known, demo.Citizen.Name))
	}
	sms, err := os.ReadFile(s.app.Config.Integration.SMSFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sms), "13700000001") {
		t.Error("a number no account proved was texted")
	}
	codes := regexp.MustCompile(demo.Citizen.Phone+`\t[^\n]*找回密码[^\n]*验证码为 (\d{6})`).FindAllStringSubmatch(string(sms), -1)
	if len(codes) == 0 {
		t.Fatalf("no reset code in the sink:\n%s", sms)
	}
	code := codes[len(codes)-1][1]

	form := url.Values{"phone": {demo.Citizen.Phone}, "code": {code}, "password": {"Zhang#2027a"}, "password_confirm": {"Zhang#2027b"}}
	status, page, _ = anon.post("/forgot", "/forgot/reset", form)
	if status != http.StatusBadRequest || !strings.Contains(page, "两次输入的密码不一致") || !strings.Contains(page, `id="forgot-reset-form"`) {
		t.Errorf("mismatched passwords: %d", status)
	}
	form.Set("password_confirm", "Zhang#2027a")
	status, _, where := anon.post("/forgot", "/forgot/reset", form)
	if status != http.StatusSeeOther || !strings.HasPrefix(where, "/login") {
		t.Fatalf("reset: %d %s", status, where)
	}
	if status, page, _ := anon.post("/forgot", "/forgot/reset", form); status != http.StatusBadRequest || !strings.Contains(page, "验证码") {
		t.Errorf("the code again: %d", status)
	}
	if status, _ := signedIn.get("/account"); status == http.StatusOK {
		t.Error("the session from before the reset lives on")
	}
	if _, _, err := s.app.Identity.Login(t.Context(), demo.Citizen.Phone, "Zhang#2027a", identity.Request{IP: "198.51.100.1"}); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
}

// Registering with the ID number of a walk-in record claims it only with
// the code texted to the phone the counter recorded: the form's 获取验证码
// button sends it and keeps what was typed.
func TestRegistrationClaimsWalkInWithCode(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	const id, phone = "511602198807150011", "13912345678"
	if _, _, err := s.app.Identity.Applicant(t.Context(), identity.WalkIn{IDNumber: id, Name: "王小明", Phone: phone},
		identity.Request{Actor: s.user("clerk")}); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	anon := &browser{t: t, base: s.base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	form := url.Values{"kind": {"citizen"}, "name": {"王小明"}, "id_number": {id}, "phone": {phone},
		"password": {"Wxm@2026pass"}, "password_confirm": {"Wxm@2026pass"}, "accepted_agreements": {identity.AgreementsVersion}}
	status, page, _ := anon.post("/register", "/register", form)
	if status != http.StatusBadRequest || !strings.Contains(page, "请获取短信验证码") {
		t.Fatalf("claim without a code: %d\n%s", status, errorOf(page))
	}
	status, page, _ = anon.post("/register", "/register/code", form)
	mustContain(t, "code sent", page, `id="register-code-sent"`, `value="`+id+`"`)
	sms, err := os.ReadFile(s.app.Config.Integration.SMSFile)
	if err != nil || status != http.StatusOK {
		t.Fatal(status, err)
	}
	code := regexp.MustCompile(phone + `\t[^\n]*验证码为 (\d{6})`).FindStringSubmatch(string(sms))
	if code == nil {
		t.Fatalf("no code in the sink:\n%s", sms)
	}
	form.Set("phone_code", code[1])
	if status, _, where := anon.post("/register", "/register", form); status != http.StatusSeeOther || !strings.HasPrefix(where, "/login") {
		t.Fatalf("claim with the code: %d %s", status, where)
	}
	u := s.user(phone) // the proved phone now signs in
	if u.IDNumber.Reveal() != id || !identity.Registered(u) {
		t.Errorf("claimed record: %+v", u)
	}
}
