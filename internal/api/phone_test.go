package api_test

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
)

var sixDigits = regexp.MustCompile(`验证码为 (\d{6})`)

// lastCode reads the newest code texted to phone from the demo's SMS sink
// (<data>/sms.log), as someone trying Tongban would.
func lastCode(t *testing.T, dataDir, phone string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(dataDir, "sms.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	code := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if parts := strings.Split(sc.Text(), "\t"); len(parts) == 3 && parts[1] == phone {
			if m := sixDigits.FindStringSubmatch(parts[2]); m != nil {
				code = m[1]
			}
		}
	}
	if code == "" {
		t.Fatalf("no code texted to %s", phone)
	}
	return code
}

// A person registered with a phone they never proved binds it with a code
// (read from the SMS sink); then the number signs them in. A wrong code
// names the field; the code works once.
func TestBindPhoneByCode(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	c := newClient(t, srv)
	if status, body := c.json("POST", "/api/v1/register", map[string]string{"name": "王五", "id_number": "11010519491231002X",
		"phone": "13700137000", "password": "Wangwu#2026"}); status != http.StatusCreated {
		t.Fatalf("register: %d %s", status, body)
	}
	if status, _ := c.json("POST", "/api/v1/login", map[string]string{"login": "13700137000", "password": "Wangwu#2026"}); status == http.StatusOK {
		t.Fatal("an unproved phone signed in")
	}
	if status, body := c.json("POST", "/api/v1/login", map[string]string{"login": "11010519491231002X", "password": "Wangwu#2026"}); status != http.StatusOK {
		t.Fatalf("login: %d %s", status, body)
	}
	status, body := c.json("POST", "/api/v1/me/phone/code", map[string]string{"phone": "137 0013 7000"})
	if status != http.StatusAccepted || !strings.Contains(string(body), "137****7000") {
		t.Fatalf("send a code: %d %s", status, body)
	}
	code := lastCode(t, a.Config.DataDir, "13700137000")
	wrong := strconv.Itoa((mustAtoi(code) + 1) % 1_000_000)
	wrong = strings.Repeat("0", 6-len(wrong)) + wrong
	status, body = c.json("POST", "/api/v1/me/phone/verify", map[string]string{"phone": "13700137000", "code": wrong})
	wantError(t, status, body, 400, "invalid", "code")
	status, body = c.json("POST", "/api/v1/me/phone/verify", map[string]string{"phone": "13700137000", "code": code})
	if status != http.StatusOK || !strings.Contains(string(body), `"phone_verified_at"`) {
		t.Fatalf("verify: %d %s", status, body)
	}
	status, body = c.json("POST", "/api/v1/me/phone/verify", map[string]string{"phone": "13700137000", "code": code})
	wantError(t, status, body, 400, "invalid", "code")
	other := newClient(t, srv)
	if status, body := other.json("POST", "/api/v1/login", map[string]string{"login": "13700137000", "password": "Wangwu#2026"}); status != http.StatusOK {
		t.Errorf("the proved phone does not sign in: %d %s", status, body)
	}
	status, body = c.json("POST", "/api/v1/me/phone/code", map[string]string{"phone": "0826-2301001"})
	wantError(t, status, body, 400, "invalid", "phone")
}

// An account that failed from many addresses asks a correct password for
// a code texted to its proved phone (identity's sign-in ceiling).
func TestSignInCeilingAsksForACode(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	ctx := context.Background()
	u, err := a.Store.UserByLogin(ctx, demo.Citizen.IDNumber)
	if err != nil {
		t.Fatal(err)
	}
	for i := range identity.AccountCeiling {
		if err := a.Store.RecordFailure(ctx, "user:"+strconv.FormatInt(u.ID, 10), time.Now().Add(-time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, srv)
	status, body := c.json("POST", "/api/v1/login", map[string]string{"login": demo.Citizen.IDNumber, "password": demo.Password})
	wantError(t, status, body, 400, "invalid", "code")
	if !strings.Contains(string(body), "138****8000") {
		t.Errorf("the answer does not say where the code went: %s", body)
	}
	code := lastCode(t, a.Config.DataDir, "13800138000")
	status, body = c.json("POST", "/api/v1/login", map[string]string{"login": demo.Citizen.IDNumber, "password": demo.Password, "code": code})
	if status != http.StatusOK {
		t.Fatalf("with the code: %d %s", status, body)
	}
}

func mustAtoi(s string) int { n, _ := strconv.Atoi(s); return n }

// 忘记密码 over the API: an unknown number is answered like a proved one;
// the code texted to the proved one and a new password (twice) reset the
// password, end the old session, and work once.
func TestPasswordResetByCodeOverAPI(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	old := newClient(t, srv)
	if status, body := old.json("POST", "/api/v1/login", map[string]string{"login": demo.Citizen.IDNumber, "password": demo.Password}); status != http.StatusOK {
		t.Fatalf("login: %d %s", status, body)
	}
	c := newClient(t, srv)
	for _, number := range []string{"13700000001", demo.Citizen.Phone} {
		status, body := c.json("POST", "/api/v1/password/code", map[string]string{"phone": number})
		if status != http.StatusAccepted || !strings.Contains(string(body), `"expires_in":300`) {
			t.Fatalf("%s: %d %s", number, status, body)
		}
	}
	code := lastCode(t, a.Config.DataDir, demo.Citizen.Phone)
	reset := map[string]string{"phone": demo.Citizen.Phone, "code": code, "password": "Zhang#2027a", "password_confirm": "Zhang#2027"}
	status, body := c.json("POST", "/api/v1/password/reset", reset)
	wantError(t, status, body, 400, "invalid", "password_confirm")
	reset["password_confirm"] = "Zhang#2027a"
	if status, body := c.json("POST", "/api/v1/password/reset", reset); status != http.StatusNoContent {
		t.Fatalf("reset: %d %s", status, body)
	}
	status, body = c.json("POST", "/api/v1/password/reset", reset)
	wantError(t, status, body, 400, "invalid", "code")
	if status, _ := old.json("GET", "/api/v1/me", nil); status != http.StatusUnauthorized {
		t.Errorf("the old session: %d", status)
	}
	if status, body := c.json("POST", "/api/v1/login", map[string]string{"login": demo.Citizen.Phone, "password": "Zhang#2027a"}); status != http.StatusOK {
		t.Errorf("sign in with the new password: %d %s", status, body)
	}
}
