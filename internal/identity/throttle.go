package identity

import (
	"context"
	"math"
	"strconv"
	"time"

	"github.com/tongban/tongban"
)

// Sign-in throttling slows a guesser down without locking the owner out.
// Failures are counted per (account, client address), per account across
// every address, and per address across accounts, in the database so the
// delays hold across app servers. Nothing sleeps: a sign-in that comes too
// early is answered 429 with Retry-After at once.
//
//   - An (account, address) pair may fail FreeFailures times in
//     FailureWindow; each further failure doubles the wait before the next
//     try from that address (2 s, 4 s, … up to MaxDelay). A correct password
//     from an address that has not been failing is not slowed by others'.
//   - An account that failed AccountCeiling times across all addresses in
//     CeilingWindow asks any sign-in, even with the right password, for an
//     extra verification step (Service.ExtraCheck), never a silent lock.
//   - An address failing IPFailures times in FailureWindow, whatever the
//     accounts, waits for the window to pass.
const (
	FreeFailures   = 3
	FailureWindow  = 15 * time.Minute
	MaxDelay       = 15 * time.Minute
	AccountCeiling = 30
	CeilingWindow  = 24 * time.Hour
	IPFailures     = 20
)

// ExtraCheck is the extra verification step asked of a sign-in to an
// account past AccountCeiling. code is what the person entered for it
// ("" when nothing yet: the check may then send a one-time code and ask
// for it). It returns nil when the person passed. The integration
// engineer fills it with a one-time code sent to the account's verified
// phone; until then Service.ExtraCheck is nil and such a sign-in is told,
// in plain Chinese, how to get in.
type ExtraCheck func(ctx context.Context, u *tongban.User, code string, r Request) error

// errExtraCheckUnavailable is the answer while no ExtraCheck is installed.
func errExtraCheckUnavailable() error {
	return &tongban.Error{Code: tongban.ETooManyTries, Field: "code", RetryAfter: time.Hour,
		Message: "该账号近期在多处登录失败次数过多，为保护您的账号，需要额外验证身份后才能登录。" +
			"短信验证码验证尚未开通，请携带身份证件到政务服务大厅窗口办理，或一小时后再试。"}
}

// failureDelay is how long after its last failure an (account, address)
// pair with n failures must wait.
func failureDelay(n int) time.Duration {
	if n <= FreeFailures {
		return 0
	}
	exp := n - FreeFailures
	if exp > 20 {
		return MaxDelay
	}
	d := time.Duration(math.Pow(2, float64(exp))) * time.Second
	return min(d, MaxDelay)
}

func pairKey(userID int64, ip string) string {
	return "acct:" + strconv.FormatInt(userID, 10) + "@" + ip
}
func ipKey(ip string) string { return "ip:" + ip }

// tooSoon returns a 429 if the address or the (account, address) pair
// must still wait; u is nil for an unknown account.
func (s *Service) tooSoon(ctx context.Context, u *tongban.User, r Request, now time.Time) error {
	if n, err := s.Store.Failures(ctx, ipKey(r.IP), now.Add(-FailureWindow)); err != nil {
		return err
	} else if n >= IPFailures {
		return s.wait(ctx, ipKey(r.IP), now, FailureWindow, "该网络地址登录失败次数过多")
	}
	if u == nil {
		return nil
	}
	key := pairKey(u.ID, r.IP)
	n, err := s.Store.Failures(ctx, key, now.Add(-FailureWindow))
	if err != nil || n <= FreeFailures {
		return err
	}
	return s.wait(ctx, key, now, failureDelay(n), "登录失败次数较多")
}

// wait answers 429 while now is within delay of the key's last failure.
func (s *Service) wait(ctx context.Context, key string, now time.Time, delay time.Duration, why string) error {
	last, err := s.Store.LastFailure(ctx, key, now.Add(-FailureWindow))
	if err != nil || last.IsZero() {
		return err
	}
	left := last.Add(delay).Sub(now)
	if left <= 0 {
		return nil
	}
	secs := int(math.Ceil(left.Seconds()))
	return &tongban.Error{Code: tongban.ETooManyTries, RetryAfter: time.Duration(secs) * time.Second,
		Message: why + "，请" + waitText(secs) + "后再试"}
}

func waitText(secs int) string {
	if secs < 60 {
		return strconv.Itoa(secs) + "秒"
	}
	return strconv.Itoa((secs+59)/60) + "分钟"
}

// pastCeiling reports whether the account failed AccountCeiling times
// across all addresses within CeilingWindow.
func (s *Service) pastCeiling(ctx context.Context, u *tongban.User, now time.Time) (bool, error) {
	n, err := s.Store.Failures(ctx, userObject(u.ID), now.Add(-CeilingWindow))
	return n >= AccountCeiling, err
}
