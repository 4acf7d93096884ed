package notify

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

// One-time codes: 6 digits, good for 5 minutes and 5 tries.
const (
	CodeDigits = 6
	CodeTTL    = 5 * time.Minute
	CodeTries  = 5
)

// codeLimits bound how many codes go to one number and from one address.
var codeLimits = []struct {
	window          time.Duration
	perPhone, perIP int
	wait            string
}{
	{time.Minute, 1, 0, "1分钟"},
	{time.Hour, 5, 20, "1小时"},
	{24 * time.Hour, 10, 50, "明天"},
}

// Codes sends and checks one-time codes. Only an HMAC of a code is stored
// (keyed with Key, derived from the platform secret); each check is counted
// in its own statement before the comparison, so neither a rollback nor a
// second server resets the count; using a code is a compare-and-set, so a
// code works once.
type Codes struct {
	Store tongban.Store
	Clock tongban.Clock
	SMS   SMS
	Key   []byte
	Sign  string // SMS signature; "通办" if empty
	Log   *slog.Logger
}

func (c *Codes) mac(purpose tongban.CodePurpose, phone tongban.Phone, code string) string {
	m := hmac.New(sha256.New, c.Key)
	fmt.Fprintf(m, "%s|%s|%s", purpose, phone.Reveal(), code)
	return hex.EncodeToString(m.Sum(nil))
}

func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic("notify: no randomness: " + err.Error())
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// Send texts a new code for purpose to phone. userID is the account it is
// for when known (a person binding their phone); ip is the requester's
// address, for the limits.
func (c *Codes) Send(ctx context.Context, purpose tongban.CodePurpose, phone tongban.Phone, userID int64, ip string) error {
	return c.issue(ctx, purpose, phone, userID, ip, true)
}

// issue is Send; without deliver it records the code under the same limits
// but texts nothing, so a number that must not get one (no account proved
// it) is answered, limited and checked exactly like one that does.
func (c *Codes) issue(ctx context.Context, purpose tongban.CodePurpose, phone tongban.Phone, userID int64, ip string, deliver bool) error {
	if !purpose.Valid() {
		return tongban.Errorf(tongban.EInternal, "notify: unknown code purpose %q", purpose)
	}
	if !phone.IsMobile() {
		return tongban.FieldError("phone", "请输入11位手机号码")
	}
	if c.SMS == nil {
		return tongban.Errorf(tongban.EUnavailable, "短信通道未开通，无法发送验证码")
	}
	now := c.Clock.Now()
	for _, l := range codeLimits {
		n, err := c.Store.CountCodes(ctx, phone, "", now.Add(-l.window))
		if err != nil {
			return err
		}
		if n >= l.perPhone {
			return &tongban.Error{Code: tongban.ETooManyTries, Field: "phone",
				Message: "该号码获取验证码过于频繁，请" + l.wait + "后再试"}
		}
		if l.perIP > 0 && ip != "" {
			if n, err = c.Store.CountCodes(ctx, "", ip, now.Add(-l.window)); err != nil {
				return err
			}
			if n >= l.perIP {
				return &tongban.Error{Code: tongban.ETooManyTries, Field: "phone",
					Message: "您的网络获取验证码过于频繁，请" + l.wait + "后再试"}
			}
		}
	}
	code := newCode()
	rec := &tongban.OneTimeCode{Purpose: purpose, Phone: phone, UserID: userID, MAC: c.mac(purpose, phone, code), IP: ip,
		CreatedAt: now, ExpiresAt: now.Add(CodeTTL)}
	if err := c.Store.CreateCode(ctx, rec); err != nil {
		return err
	}
	if !deliver {
		return nil
	}
	sign := "【通办】"
	if c.Sign != "" {
		sign = "【" + c.Sign + "】"
	}
	text := sign + codeText(purpose, code)
	sendErr := c.SMS.SendSMS(ctx, phone, text)
	msg := &tongban.Message{UserID: userID, Channel: tongban.MessageSMS, Template: "验证码", To: phone.Reveal(),
		ToMasked: phone.Masked(), Body: strings.Replace(text, code, strings.Repeat("*", CodeDigits), 1),
		Status: tongban.MessageSent, Attempts: 1, NextAt: now, CreatedAt: now, SentAt: c.Clock.Now()}
	if sendErr != nil {
		msg.Status, msg.SentAt, msg.LastError = tongban.MessageFailed, time.Time{}, sendErr.Error()
	}
	if _, err := c.Store.QueueMessage(ctx, msg); err != nil {
		c.log().Warn("记录验证码短信失败", "err", err)
	}
	if sendErr != nil {
		c.log().Warn("验证码短信发送失败", "to", phone, "err", sendErr)
		return tongban.Wrap(tongban.EUnavailable, sendErr, "短信发送失败，请稍后再试")
	}
	return nil
}

func (c *Codes) log() *slog.Logger {
	if c.Log == nil {
		return slog.Default()
	}
	return c.Log
}

// Check counts an attempt at the latest code for purpose and phone and
// compares it with what the person typed. userID, when not 0, must be the
// account the code was sent for. The code returned is then Used by the
// action it allows.
func (c *Codes) Check(ctx context.Context, purpose tongban.CodePurpose, phone tongban.Phone, typed string, userID int64) (*tongban.OneTimeCode, error) {
	typed = strings.TrimSpace(typed)
	if len(typed) != CodeDigits || strings.Trim(typed, "0123456789") != "" {
		return nil, tongban.FieldError("code", "请输入6位数字验证码")
	}
	gone := tongban.FieldError("code", "验证码已失效，请重新获取")
	rec, err := c.Store.LatestCode(ctx, purpose, phone, c.Clock.Now())
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, gone
	}
	if err != nil {
		return nil, err
	}
	if userID != 0 && rec.UserID != 0 && rec.UserID != userID {
		return nil, gone
	}
	ok, err := c.Store.CountCodeAttempt(ctx, rec.ID, CodeTries)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &tongban.Error{Code: tongban.ETooManyTries, Field: "code", Message: "验证码错误次数过多，请重新获取"}
	}
	if !hmac.Equal([]byte(rec.MAC), []byte(c.mac(purpose, phone, typed))) {
		left := CodeTries - rec.Attempts - 1
		if left <= 0 {
			return nil, &tongban.Error{Code: tongban.ETooManyTries, Field: "code", Message: "验证码错误次数过多，请重新获取"}
		}
		return nil, tongban.FieldError("code", "验证码不正确，还可尝试%d次", left)
	}
	rec.Attempts++
	return rec, nil
}

// Use spends a checked code inside tx; a code already used is refused.
func (c *Codes) Use(ctx context.Context, tx tongban.Store, rec *tongban.OneTimeCode) error {
	ok, err := tx.UseCode(ctx, rec.ID, c.Clock.Now())
	if err != nil {
		return err
	}
	if !ok {
		return tongban.FieldError("code", "验证码已使用，请重新获取")
	}
	return nil
}

// Redeem checks a code and spends it, in one call, for actions that make
// their own transaction afterwards.
func (c *Codes) Redeem(ctx context.Context, purpose tongban.CodePurpose, phone tongban.Phone, typed string, userID int64) (*tongban.OneTimeCode, error) {
	rec, err := c.Check(ctx, purpose, phone, typed, userID)
	if err != nil {
		return nil, err
	}
	return rec, c.Store.Transact(ctx, func(tx tongban.Store) error { return c.Use(ctx, tx, rec) })
}
