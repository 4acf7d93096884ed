package notify

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
)

// A walk-in record (identity.ClaimWalkIn) is claimed at registration only
// by whoever proves the phone the counter recorded: a code texted to it,
// typed into the registration as phone_code. Registration is anonymous, so
// the code goes to whatever mobile number is asked, under the usual limits.

// SendRegistrationCode texts a code proving raw for a registration.
func (c *Codes) SendRegistrationCode(ctx context.Context, raw, ip string) (tongban.Phone, error) {
	p, err := parseMobile(raw)
	if err != nil {
		return "", err
	}
	return p, c.Send(ctx, tongban.CodeBindPhone, p, 0, ip)
}

// ProveWalkInPhone is identity.PhoneProof: it spends the code texted to
// phone, or names phone_code.
func (c *Codes) ProveWalkInPhone(ctx context.Context, userID int64, phone tongban.Phone, code string) error {
	if strings.TrimSpace(code) == "" {
		return tongban.FieldError("phone_code", "您在窗口办理时登记了这个手机号：请获取短信验证码并填写后再注册")
	}
	_, err := c.Redeem(ctx, tongban.CodeBindPhone, phone, code, userID)
	if e := tongban.AsError(err); err != nil && e.Field == "code" {
		return &tongban.Error{Code: e.Code, Field: "phone_code", Message: e.Message, Err: e.Err}
	}
	return err
}
