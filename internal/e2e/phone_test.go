package e2e

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

var codeInText = regexp.MustCompile(`验证码为 (\d{6})`)

// smsCode reads the newest code texted to phone from the SMS sink file the
// demo writes (--sms=file), as a person trying Tongban would.
func smsCode(t *testing.T, site *Site, phone string) string {
	t.Helper()
	f, err := os.Open(site.App.Config.Integration.SMSFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	code := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) == 3 && parts[1] == phone {
			if m := codeInText.FindStringSubmatch(parts[2]); m != nil {
				code = m[1]
			}
		}
	}
	if code == "" {
		t.Fatalf("no code texted to %s", phone)
	}
	return code
}

// A citizen who registered with a phone binds it with the code texted to it
// (read from the SMS sink), then signs in with the phone number; signed out,
// they use 忘记密码 to set a new password with another code, and sign in
// with it.
func TestCitizenBindsPhoneWithCode(t *testing.T) {
	clock := tongban.NewManualClock(time.Now())
	site := StartSite(t, sqldb.SQLite, clock)
	ctx := Browser(t)
	const phone = "13912345678"
	var status string
	err := chromedp.Run(ctx,
		chromedp.Navigate(site.URL+"/register"),
		chromedp.WaitVisible("#id_number", chromedp.ByID),
		chromedp.SendKeys("#name", "李梅", chromedp.ByID),
		chromedp.SendKeys("#id_number", "511602198703041232", chromedp.ByID),
		chromedp.SendKeys("#phone", phone, chromedp.ByID),
		chromedp.SendKeys("#password", "Limei#2026!", chromedp.ByID),
		chromedp.SendKeys("#password_confirm", "Limei#2026!", chromedp.ByID),
		chromedp.Click("#accepted_agreements", chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.SendKeys("#login", "511602198703041232", chromedp.ByID),
		chromedp.SendKeys("#password", "Limei#2026!", chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#link-phone", chromedp.ByID),
		chromedp.Click("#link-phone", chromedp.ByID),
		chromedp.WaitVisible("#phone-status", chromedp.ByID),
		chromedp.Text("#phone-status", &status, chromedp.ByID),
		chromedp.SendKeys("#phone", phone, chromedp.ByID),
		chromedp.Click("#phone-send-code", chromedp.ByID),
		chromedp.WaitVisible("#code-sent", chromedp.ByID),
	)
	if err != nil {
		Screenshot(t, ctx, "phone-failed")
		t.Fatal(err)
	}
	if !strings.Contains(status, "未验证") {
		t.Errorf("before binding the page says %q", status)
	}
	Screenshot(t, ctx, "phone-01-code-sent")
	var flash string
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#code", smsCode(t, site, phone), chromedp.ByID),
		chromedp.Click("#phone-confirm", chromedp.ByID),
		chromedp.WaitVisible("#account-name", chromedp.ByID), // back on the account page
		chromedp.Text(".flash", &flash, chromedp.ByQuery),
		chromedp.Navigate(site.URL+"/account/phone"),
		chromedp.WaitVisible("#phone-status", chromedp.ByID),
		chromedp.Text("#phone-status", &status, chromedp.ByID),
		chromedp.Click("#logout", chromedp.ByID),
		chromedp.WaitVisible("#nav-login", chromedp.ByID), // signed out
		chromedp.Click("#nav-login", chromedp.ByID),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.SendKeys("#login", phone, chromedp.ByID),
		chromedp.SendKeys("#password", "Limei#2026!", chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#account-name", chromedp.ByID),
	)
	if err != nil {
		Screenshot(t, ctx, "phone-failed")
		t.Fatal(err)
	}
	if !strings.Contains(flash, "手机号已验证") || !strings.Contains(status, "已验证") || strings.Contains(status, "未验证") {
		t.Errorf("after binding: flash %q, status %q", flash, status)
	}

	Screenshot(t, ctx, "phone-02-bound")

	// 忘记密码: a minute later (one code a minute to a number), signed out.
	clock.Set(clock.Now().Add(2 * time.Minute))
	err = chromedp.Run(ctx,
		chromedp.Click("#logout", chromedp.ByID),
		chromedp.WaitVisible("#nav-login", chromedp.ByID),
		chromedp.Click("#nav-login", chromedp.ByID),
		chromedp.WaitVisible("#forgot-link", chromedp.ByID),
		chromedp.Click("#forgot-link", chromedp.ByID),
		chromedp.WaitVisible("#forgot-send", chromedp.ByID),
		chromedp.SendKeys("#phone", phone, chromedp.ByID),
		chromedp.Click("#forgot-send-code", chromedp.ByID),
		chromedp.WaitVisible("#forgot-reset-form", chromedp.ByID),
	)
	if err != nil {
		Screenshot(t, ctx, "forgot-failed")
		t.Fatal(err)
	}
	Screenshot(t, ctx, "phone-03-forgot-code-sent")
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#code", smsCode(t, site, phone), chromedp.ByID),
		chromedp.SendKeys("#password", "Xinmima#2026", chromedp.ByID),
		chromedp.SendKeys("#password_confirm", "Xinmima#2026", chromedp.ByID),
		chromedp.Click("#forgot-reset", chromedp.ByID),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.Text(".flash", &flash, chromedp.ByQuery),
		chromedp.SendKeys("#login", phone, chromedp.ByID),
		chromedp.SendKeys("#password", "Xinmima#2026", chromedp.ByID),
		chromedp.Click("#submit", chromedp.ByID),
		chromedp.WaitVisible("#account-name", chromedp.ByID),
	)
	if err != nil {
		Screenshot(t, ctx, "forgot-failed")
		t.Fatal(err)
	}
	if !strings.Contains(flash, "新密码已设置") {
		t.Errorf("after the reset the login page says %q", flash)
	}
}
