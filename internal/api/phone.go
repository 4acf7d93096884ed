package api

import (
	"net/http"

	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/notify"
)

// Binding a phone by a one-time code (docs/integration.md): the number then
// signs the person in and receives SMS; and the code that proves, at
// registration, the phone a counter recorded for a walk-in.

type phoneInput struct {
	Phone string `json:"phone"`
}

type phoneProof struct {
	Phone string `json:"phone"`
	Code  string `json:"code"`
}

type codeSent struct {
	SentTo    string `json:"sent_to"`    // the number, masked
	ExpiresIn int    `json:"expires_in"` // seconds
}

func (a *API) phoneRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/me/phone/code", Summary: "向要绑定的手机号发送验证码（6位，5分钟有效，每号每分钟1条）",
		Tag: "identity", Access: signedIn, In: phoneInput{}, Out: codeSent{}, Status: http.StatusAccepted, handle: a.sendPhoneCode})
	a.add(Route{Method: "POST", Path: "/api/v1/me/phone/verify", Summary: "以验证码证明持有该手机号：此后可用于登录并接收短信",
		Tag: "identity", Access: signedIn, In: phoneProof{}, Out: account{}, handle: a.verifyPhone})
	a.add(Route{Method: "POST", Path: "/api/v1/register/phone-code", Summary: "注册时向手机号发送验证码：以窗口登记的手机号注册、认领窗口办件记录时须填写（phone_code）",
		Tag: "identity", In: phoneInput{}, Out: codeSent{}, Status: http.StatusAccepted, handle: a.sendRegistrationCode})
}

func (a *API) sendRegistrationCode(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.Codes != nil, "短信验证码"); err != nil {
		return err
	}
	var in phoneInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p, err := a.Codes.SendRegistrationCode(r.Context(), in.Phone, a.request(r).IP)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, codeSent{SentTo: p.Masked(), ExpiresIn: int(notify.CodeTTL.Seconds())})
}

func (a *API) sendPhoneCode(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.Codes != nil, "短信验证码"); err != nil {
		return err
	}
	var in phoneInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p, err := a.Codes.SendBindCode(r.Context(), httpx.User(r.Context()), in.Phone, a.request(r).IP)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, codeSent{SentTo: p.Masked(), ExpiresIn: int(notify.CodeTTL.Seconds())})
}

func (a *API) verifyPhone(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.Codes != nil, "短信验证码"); err != nil {
		return err
	}
	var in phoneProof
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u := httpx.User(r.Context())
	if err := a.Codes.BindPhone(r.Context(), a.Identity, u, in.Phone, in.Code, a.request(r)); err != nil {
		return err
	}
	u, err := a.Store.User(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, accountOf(u))
}
