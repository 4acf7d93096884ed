package identity_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// citizen registers the fixture's citizen with a verified phone.
func (f *fixture) citizen(t *testing.T) *tongban.User {
	t.Helper()
	ctx := context.Background()
	u, err := f.svc.RegisterCitizen(ctx, identity.CitizenRegistration{Name: "李四", IDNumber: "11010519491231002X",
		Phone: "+86 138-0013-8000", Password: goodPassword}, identity.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MarkPhoneVerified(ctx, u.ID, u.Phone, identity.Request{Actor: u}); err != nil {
		t.Fatal(err)
	}
	return u
}

func wantWait(t *testing.T, what string, err error, wait time.Duration) {
	t.Helper()
	e := tongban.AsError(err)
	if e.Code != tongban.ETooManyTries || e.RetryAfter != wait || !hasHan(e.Message) {
		t.Fatalf("%s: %v (retry after %v), want 429 retry after %v", what, err, e.RetryAfter, wait)
	}
}

// TestSignInSlowsDownWithoutLockingOut: five wrong passwords for someone's
// phone locked the owner out for 15 minutes. Now failures slow down only
// the failing (account, address) pair, progressively and without sleeping,
// while the owner signs in from elsewhere; past a ceiling across all
// addresses the account asks for an extra step instead of going silent.
func TestSignInSlowsDownWithoutLockingOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		f, ctx := newFixture(t, d), context.Background()
		owner := f.citizen(t)
		attacker, home := identity.Request{IP: "203.0.113.7"}, identity.Request{IP: "198.51.100.20"}

		for i := 1; i <= identity.FreeFailures+1; i++ {
			_, _, err := f.svc.Login(ctx, "13800138000", "Wrong#pass1", attacker)
			wantField(t, err, tongban.EUnauthorized, "password")
		}
		_, _, err := f.svc.Login(ctx, "13800138000", "Wrong#pass1", attacker)
		wantWait(t, "fourth failure, at once", err, 2*time.Second)
		_, _, err = f.svc.Login(ctx, "13800138000", goodPassword, attacker)
		wantWait(t, "the right password from the failing address", err, 2*time.Second)

		// The owner, from an address that has not been failing, is let in.
		if u, _, err := f.svc.Login(ctx, "13800138000", goodPassword, home); err != nil || u.ID != owner.ID {
			t.Fatalf("owner from home while an attacker fails: %v", err)
		}
		// Each further failure doubles the wait.
		f.clock.Advance(2 * time.Second)
		_, _, err = f.svc.Login(ctx, "13800138000", "Wrong#pass1", attacker)
		wantField(t, err, tongban.EUnauthorized, "password")
		_, _, err = f.svc.Login(ctx, "13800138000", "Wrong#pass1", attacker)
		wantWait(t, "fifth failure", err, 4*time.Second)
		f.clock.Advance(3 * time.Second)
		_, _, err = f.svc.Login(ctx, "13800138000", "Wrong#pass1", attacker)
		wantWait(t, "a second before the wait ends", err, time.Second)
		if got := identity.MaxDelay; got != 15*time.Minute {
			t.Errorf("max delay %v", got)
		}
		// After the window the pair starts afresh.
		f.clock.Advance(identity.FailureWindow)
		if _, _, err := f.svc.Login(ctx, "13800138000", goodPassword, attacker); err != nil {
			t.Fatalf("after the window: %v", err)
		}

		// Past the ceiling across many addresses, the right password asks for
		// the extra step, in words, never a silent lock.
		for i := 0; i < identity.AccountCeiling; i++ {
			f.svc.Login(ctx, "11010519491231002X", "Wrong#pass1", identity.Request{IP: fmt.Sprintf("192.0.2.%d", i)})
		}
		_, _, err = f.svc.Login(ctx, "13800138000", goodPassword, home)
		if e := tongban.AsError(err); e.Code != tongban.ETooManyTries || e.Field != "code" || !strings.Contains(e.Message, "验证") {
			t.Fatalf("past the ceiling without a check installed: %v", err)
		}
		f.svc.ExtraCheck = func(ctx context.Context, u *tongban.User, code string, r identity.Request) error {
			if u.ID != owner.ID || code != "246810" {
				return &tongban.Error{Code: tongban.EUnauthorized, Field: "code", Message: "验证码不正确"}
			}
			return nil
		}
		if _, _, err := f.svc.LoginWithCode(ctx, "13800138000", goodPassword, "111111", home); tongban.AsError(err).Field != "code" {
			t.Fatalf("wrong code: %v", err)
		}
		if _, _, err := f.svc.LoginWithCode(ctx, "13800138000", goodPassword, "246810", home); err != nil {
			t.Fatalf("right code: %v", err)
		}
		// Passing it clears the account's count.
		f.svc.ExtraCheck = nil
		if _, _, err := f.svc.Login(ctx, "13800138000", goodPassword, home); err != nil {
			t.Fatalf("after the extra step: %v", err)
		}
	})
}

// TestUnknownAccountCostsTheSame: an unknown account's password is checked
// against a dummy hash of the same cost, so the answer takes as long as a
// known account's and says the same.
func TestUnknownAccountCostsTheSame(t *testing.T) {
	f, ctx := newFixture(t, sqldb.SQLite), context.Background()
	f.citizen(t)
	var calls atomic.Int32
	var hashes []string
	f.svc.PasswordCheck = func(encoded, pw string) bool {
		calls.Add(1)
		hashes = append(hashes, encoded[:strings.LastIndexByte(encoded[:strings.LastIndexByte(encoded, '$')], '$')])
		return identity.CheckPassword(encoded, pw)
	}
	_, _, errKnown := f.svc.Login(ctx, "13800138000", "Wrong#pass1", identity.Request{IP: "10.9.9.1"})
	_, _, errUnknown := f.svc.Login(ctx, "13900139000", "Wrong#pass1", identity.Request{IP: "10.9.9.2"})
	if calls.Load() != 2 || hashes[0] != hashes[1] {
		t.Fatalf("hash checks %d with %v: an unknown account must cost one check of the same parameters", calls.Load(), hashes)
	}
	if errKnown.Error() != errUnknown.Error() {
		t.Errorf("answers differ: %v / %v", errKnown, errUnknown)
	}
}

// TestPasswordChangeThrottledAuditedAndEndsTokens: wrong old passwords are
// throttled and audited; a change ends other sessions and API tokens.
func TestPasswordChangeThrottledAuditedAndEndsTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		f, ctx := newFixture(t, d), context.Background()
		u := f.citizen(t)
		req := identity.Request{Actor: u, IP: "10.0.0.5"}
		_, session, err := f.svc.Login(ctx, "13800138000", goodPassword, req)
		if err != nil {
			t.Fatal(err)
		}
		bearer, _, err := f.svc.CreateAPIToken(ctx, "记账软件", req)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < identity.PasswordFailures; i++ {
			err := f.svc.ChangePassword(ctx, u, "Guess#00000"+fmt.Sprint(i), "Another#2026", session, req)
			wantField(t, err, tongban.EInvalid, "old_password")
		}
		err = f.svc.ChangePassword(ctx, u, goodPassword, "Another#2026", session, req)
		wantWait(t, "after five wrong old passwords", err, identity.FailureWindow)
		if n := countAction(t, f.st, identity.AuditPasswordChangeFailed); n != identity.PasswordFailures {
			t.Errorf("%d failed changes audited, want %d", n, identity.PasswordFailures)
		}
		f.clock.Advance(identity.FailureWindow)
		if err := f.svc.ChangePassword(ctx, u, goodPassword, "Another#2026", session, req); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateToken(ctx, bearer); !tongban.IsCode(err, tongban.EUnauthorized) {
			t.Errorf("API token works after the password changed: %v", err)
		}
		if _, err := f.svc.Authenticate(ctx, session); err != nil {
			t.Errorf("the changing session ended: %v", err)
		}
	})
}

// TestPasswordPolicy: at least 10 characters, not a common password, not
// containing the person's ID number or phone; the demo password passes.
func TestPasswordPolicy(t *testing.T) {
	id, phone := "11010519491231002X", "13800138000"
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"Tongban@2026", true},
		{"Tongban#2026", true},
		{"Gh7#kq2!", false},     // 8 characters
		{"Password123", false},  // common
		{"Qwertyuiop1", false},  // common, any case
		{"woaini1314520", true}, // not on the list, two kinds
		{"1qaz2wsx3edc", false}, // common
		{"x11010519491231002x", false},
		{"Abc#31002X", false}, // the ID's last six
		{"Phone13800138000", false},
		{"1234567890", false}, // one kind
	} {
		err := identity.ValidatePassword("password", tc.pw, id, phone)
		if (err == nil) != tc.ok {
			t.Errorf("%q: %v, want ok=%v", tc.pw, err, tc.ok)
		}
		if err != nil && tongban.AsError(err).Field != "password" {
			t.Errorf("%q: %v does not name the field", tc.pw, err)
		}
	}
}

// TestSignInNormalisesLikeRegistration: full-width digits and +86 sign in
// as registration stored them.
func TestSignInNormalisesLikeRegistration(t *testing.T) {
	f, ctx := newFixture(t, sqldb.SQLite), context.Background()
	u := f.citizen(t) // registered as "+86 138-0013-8000"
	for _, login := range []string{"１３８００１３８０００", "+8613800138000", "+86 138 0013 8000", "008613800138000",
		"１１０１０５１９４９１２３１００２ｘ", " 11010519491231002x "} {
		if got, _, err := f.svc.Login(ctx, login, goodPassword, identity.Request{IP: "10.0.0.8"}); err != nil || got.ID != u.ID {
			t.Errorf("sign in as %q: %v", login, err)
		}
	}
}

// TestFutureBirthDateRefused: an ID number with a valid check digit and a
// birth date still to come is refused at registration.
func TestFutureBirthDateRefused(t *testing.T) {
	f, ctx := newFixture(t, sqldb.SQLite), context.Background() // the clock says 2026-03-02
	for _, tc := range []struct {
		birth string
		ok    bool
	}{{"20260303", false}, {"20991231", false}, {"20260301", true}} {
		id := withCheckDigit("110105" + tc.birth + "123")
		_, err := f.svc.RegisterCitizen(ctx, identity.CitizenRegistration{Name: "未来", IDNumber: id,
			Phone: "13700137000", Password: goodPassword}, identity.Request{})
		if tc.ok != (err == nil) || !tc.ok && tongban.AsError(err).Field != "id_number" {
			t.Errorf("born %s: %v, want ok=%v", tc.birth, err, tc.ok)
		}
	}
}

// withCheckDigit appends the GB 11643 check character to 17 digits.
func withCheckDigit(body string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}
