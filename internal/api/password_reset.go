package api

import (
	"net/http"

	"github.com/tongban/tongban/internal/notify"
)

// 忘记密码 by SMS (docs/integration.md): a code texted to the number an
// account proved, then the code and a new password. Every number is
// answered alike, so the API tells nobody whether a number has an account.

type passwordResetInput struct {
	Phone           string `json:"phone"`
	Code            string `json:"code"`
	Password        string `json:"password"`
	PasswordConfirm string `json:"password_confirm"`
}

func (a *API) passwordResetRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/password/code", Summary: "找回密码：向已验证的手机号发送验证码（未验证或未注册的号码同样应答，但不发送）",
		Tag: "identity", In: phoneInput{}, Out: codeSent{}, Status: http.StatusAccepted, handle: a.sendResetCode})
	a.add(Route{Method: "POST", Path: "/api/v1/password/reset", Summary: "找回密码：凭验证码设置新密码（两次输入），该账号的全部会话和令牌随之失效",
		Tag: "identity", In: passwordResetInput{}, Status: http.StatusNoContent, handle: a.resetPassword})
}

func (a *API) sendResetCode(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.Codes != nil, "短信验证码"); err != nil {
		return err
	}
	var in phoneInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p, err := a.Codes.SendResetCode(r.Context(), in.Phone, a.request(r).IP)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, codeSent{SentTo: p.Masked(), ExpiresIn: int(notify.CodeTTL.Seconds())})
}

func (a *API) resetPassword(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.Codes != nil, "短信验证码"); err != nil {
		return err
	}
	var in passwordResetInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if _, err := a.Codes.ResetPassword(r.Context(), a.Identity, in.Phone, in.Code, in.Password, in.PasswordConfirm, a.request(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
