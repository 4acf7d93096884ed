package notify

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// Binding a phone (绑定手机号): a person proves they hold a mobile number
// with a code sent to it; only then does the number sign them in, receive
// SMS, and reach department systems (identity.Service.MarkPhoneVerified).

func parseMobile(raw string) (tongban.Phone, error) {
	p, err := tongban.ParsePhone(strings.TrimSpace(raw))
	if err != nil || !p.IsMobile() {
		return "", tongban.FieldError("phone", "请输入11位手机号码")
	}
	return p, nil
}

// SendBindCode texts u a code for binding the number raw.
func (c *Codes) SendBindCode(ctx context.Context, u *tongban.User, raw, ip string) (tongban.Phone, error) {
	if u == nil {
		return "", tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	p, err := parseMobile(raw)
	if err != nil {
		return "", err
	}
	return p, c.Send(ctx, tongban.CodeBindPhone, p, u.ID, ip)
}

// BindPhone checks the code sent to raw for u and marks the number u's,
// proved (taking it from any other account that had proved it: whoever
// holds the SIM now is who it signs in).
func (c *Codes) BindPhone(ctx context.Context, ids *identity.Service, u *tongban.User, raw, code string, r identity.Request) error {
	if u == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	p, err := parseMobile(raw)
	if err != nil {
		return err
	}
	if _, err := c.Redeem(ctx, tongban.CodeBindPhone, p, code, u.ID); err != nil {
		return err
	}
	return ids.MarkPhoneVerified(ctx, u.ID, p, r)
}

// SignInCheck is the extra step of a sign-in to an account that failed too
// often from too many places (identity.ExtraCheck): a code texted to the
// account's proved phone. Without a code it sends one and asks for it.
func (c *Codes) SignInCheck(ctx context.Context, u *tongban.User, code string, r identity.Request) error {
	if !PhoneProved(u) {
		return &tongban.Error{Code: tongban.ETooManyTries, Field: "code",
			Message: "该账号近期在多处登录失败次数过多，需要短信验证，但账号未绑定已验证的手机号。请携带身份证件到政务服务大厅窗口办理。"}
	}
	if strings.TrimSpace(code) == "" {
		if err := c.Send(ctx, tongban.CodeSignIn, u.Phone, u.ID, r.IP); err != nil && !tongban.IsCode(err, tongban.ETooManyTries) {
			return err
		}
		return tongban.FieldError("code", "该账号近期在多处登录失败次数过多。为确认是您本人，验证码已发送到 %s，请输入验证码后再次登录。", u.Phone.Masked())
	}
	_, err := c.Redeem(ctx, tongban.CodeSignIn, u.Phone, code, u.ID)
	return err
}
