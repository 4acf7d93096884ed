package notify

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// 忘记密码 by SMS: a person types the mobile number they proved on their
// account, receives a code, and sets a new password with it. A number no
// account proved (unknown, unverified, a staff account's, a walk-in
// record's) gets a code recorded but never texted: the answer, the limits
// and the tries are the same, so the form tells nobody whether the number
// has an account.

// SendResetCode texts a password-reset code to raw if a registered
// citizen or enterprise account proved that number.
func (c *Codes) SendResetCode(ctx context.Context, raw, ip string) (tongban.Phone, error) {
	p, err := parseMobile(raw)
	if err != nil {
		return "", err
	}
	var owner int64
	u, err := c.Store.UserByLogin(ctx, p.Reveal())
	switch {
	case err == nil && resettable(u, p):
		owner = u.ID
	case err != nil && !tongban.IsCode(err, tongban.ENotFound):
		return "", err
	}
	return p, c.issue(ctx, tongban.CodeResetPassword, p, owner, ip, owner != 0)
}

// resettable reports whether u may set a new password with a code texted to
// p: staff passwords are reset by an administrator, and a walk-in record is
// opened at a window or by registering.
func resettable(u *tongban.User, p tongban.Phone) bool {
	return u.Kind != tongban.UserStaff && identity.Registered(u) && PhoneProved(u) && u.Phone == p
}

// ResetPassword sets a new password for the account whose proved phone raw
// received code. The password is checked first, so a weak one spends no
// try; the code is spent in the transaction that sets the password, which
// ends every session and token of the account (identity.SetPasswordByCode).
func (c *Codes) ResetPassword(ctx context.Context, ids *identity.Service, raw, code, password, confirm string, r identity.Request) (*tongban.User, error) {
	p, err := parseMobile(raw)
	if err != nil {
		return nil, err
	}
	if err := identity.ValidatePassword("password", password, p.Reveal()); err != nil {
		return nil, err
	}
	if password != confirm {
		return nil, tongban.FieldError("password_confirm", "两次输入的密码不一致")
	}
	rec, err := c.Check(ctx, tongban.CodeResetPassword, p, code, 0)
	if err != nil {
		return nil, err
	}
	if rec.UserID == 0 { // never texted: whoever typed it guessed
		return nil, tongban.FieldError("code", "验证码不正确，还可尝试%d次", max(CodeTries-rec.Attempts, 0))
	}
	return ids.SetPasswordByCode(ctx, rec.UserID, password, confirm, func(tx tongban.Store) error {
		u, err := tx.User(ctx, rec.UserID)
		if err != nil {
			return err
		}
		if !resettable(u, p) { // the number moved to another account since
			return tongban.FieldError("code", "验证码已失效，请重新获取")
		}
		return c.Use(ctx, tx, rec)
	}, r)
}
