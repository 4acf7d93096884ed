package notify_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// 忘记密码 by SMS: a code goes only to a number an account proved, but an
// unknown or unproved number is answered and limited alike; the code and
// a new password (policy, twice) set the password once, end every session
// and API token, and are audited.
func TestPasswordResetByCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ids := identity.New(w.st, w.clock, quiet)
		ids.Argon2 = identity.Argon2Params{Memory: 64, Time: 1, Threads: 1}
		zhang := w.zhang // proved 13800138000; 李四 has 13900139000 unproved
		w.must(w.st.CreateSession(w.ctx, &tongban.Session{TokenHash: identity.HashToken("zhang-session"), UserID: zhang.ID,
			CreatedAt: w.clock.Now(), ExpiresAt: w.clock.Now().Add(24 * time.Hour)}))
		token, _, err := ids.CreateAPIToken(w.ctx, "办事助手", identity.Request{Actor: zhang})
		w.must(err)

		for _, number := range []string{"139 0013 9000", "13700000001"} { // unproved, unknown
			if _, err := w.codes.SendResetCode(w.ctx, number, "10.0.0.9"); err != nil {
				t.Fatalf("%s: %v", number, err)
			}
			_, again := w.codes.SendResetCode(w.ctx, number, "10.0.0.9")
			if !tongban.IsCode(again, tongban.ETooManyTries) {
				t.Errorf("%s: a second code within the minute: %v", number, again)
			}
		}
		if texts := w.texts(); len(texts) != 0 {
			t.Fatalf("texted numbers no account proved: %v", texts)
		}
		p, err := w.codes.SendResetCode(w.ctx, "13800138000", "10.0.0.9")
		w.must(err)
		if p.Masked() != "138****8000" {
			t.Errorf("sent to %q", p.Masked())
		}
		if _, again := w.codes.SendResetCode(w.ctx, "13800138000", "10.0.0.9"); !tongban.IsCode(again, tongban.ETooManyTries) {
			t.Errorf("known number, a second code within the minute: %v", again)
		}
		texts := w.texts()
		if len(texts) != 1 || texts[0][0] != "13800138000" || !strings.Contains(texts[0][1], "找回密码") {
			t.Fatalf("SMS: %v", texts)
		}
		code := w.lastCode()
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}

		// Unproved and unknown numbers answer a typed code like a wrong one.
		for _, number := range []string{"13900139000", "13700000001"} {
			_, err := w.codes.ResetPassword(w.ctx, ids, number, wrong, "Xinmima#2026", "Xinmima#2026", identity.Request{})
			if e := tongban.AsError(err); e.Code != tongban.EInvalid || e.Field != "code" || !strings.Contains(e.Message, "还可尝试4次") {
				t.Errorf("%s: %v", number, err)
			}
		}
		// The password is checked before the code, so these spend no try.
		for _, c := range []struct{ pw, confirm, field string }{{"short1", "short1", "password"}, {"Xinmima#2026", "Xinmima#2027", "password_confirm"}} {
			_, err := w.codes.ResetPassword(w.ctx, ids, "13800138000", code, c.pw, c.confirm, identity.Request{})
			if e := tongban.AsError(err); e.Code != tongban.EInvalid || e.Field != c.field {
				t.Errorf("%s: %v", c.field, err)
			}
		}
		_, err = w.codes.ResetPassword(w.ctx, ids, "13800138000", wrong, "Xinmima#2026", "Xinmima#2026", identity.Request{})
		if e := tongban.AsError(err); e.Field != "code" || !strings.Contains(e.Message, "还可尝试4次") {
			t.Errorf("wrong code: %v", err)
		}
		u, err := w.codes.ResetPassword(w.ctx, ids, "13800138000", code, "Xinmima#2026", "Xinmima#2026", identity.Request{IP: "10.0.0.9"})
		w.must(err)
		if u.ID != zhang.ID {
			t.Fatalf("reset account %d, want %d", u.ID, zhang.ID)
		}
		if _, err := w.codes.ResetPassword(w.ctx, ids, "13800138000", code, "Xinmima#2027", "Xinmima#2027", identity.Request{}); err == nil {
			t.Error("the code worked twice")
		}
		if _, _, err := ids.Login(w.ctx, "13800138000", "Xinmima#2026", identity.Request{IP: "10.0.0.9"}); err != nil {
			t.Errorf("sign in with the new password: %v", err)
		}
		if _, err := w.st.SessionByTokenHash(w.ctx, identity.HashToken("zhang-session"), w.clock.Now()); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("the old session lives on: %v", err)
		}
		if _, err := ids.AuthenticateToken(w.ctx, token); err == nil {
			t.Error("the API token still works")
		}
		entries, err := audit.Entries(w.ctx, w.st, 0, 100)
		w.must(err)
		var audited bool
		for _, e := range entries {
			audited = audited || (e.Action == identity.AuditResetUsed && e.Object == "user:"+strconv.FormatInt(zhang.ID, 10) && strings.Contains(e.Detail, "短信验证码"))
		}
		if !audited {
			t.Error("the reset is not in the audit log")
		}
	})
}
