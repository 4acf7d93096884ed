package web

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
)

// 忘记密码 by SMS (/forgot/code, /forgot/reset): the number an account
// proved receives a one-time code, which with a new password typed twice
// sets the password. The page answers every number alike, so it tells
// nobody whether a number has an account (notify/reset.go).

type forgotPage struct {
	Base
	SMS   bool   // the platform sends codes
	Phone string // the number a code was asked for
	Sent  bool
	Form  form
}

func (w *Web) forgotPage(rw http.ResponseWriter, r *http.Request) forgotPage {
	return forgotPage{Base: w.base(rw, r, "忘记密码"), SMS: w.Codes != nil, Form: newForm()}
}

func (w *Web) registerSMSReset(mux *http.ServeMux) {
	if w.Codes == nil {
		return
	}
	mux.HandleFunc("POST /forgot/code", w.handle(w.forgotCode))
	mux.HandleFunc("POST /forgot/reset", w.handle(w.forgotReset))
}

func (w *Web) forgotCode(rw http.ResponseWriter, r *http.Request) error {
	p := w.forgotPage(rw, r)
	raw := r.PostFormValue("phone")
	p.Form.Values["phone"] = raw
	phone, err := w.Codes.SendResetCode(r.Context(), raw, httpx.ClientIP(r, w.Proxies))
	if err != nil {
		if !formError(err) {
			return err
		}
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "forgot", p)
	}
	p.Phone, p.Sent = phone.Reveal(), true
	return w.render(rw, r, http.StatusOK, "forgot", p)
}

func (w *Web) forgotReset(rw http.ResponseWriter, r *http.Request) error {
	p := w.forgotPage(rw, r)
	raw := r.PostFormValue("phone")
	_, err := w.Codes.ResetPassword(r.Context(), w.Identity, raw, r.PostFormValue("code"),
		r.PostFormValue("password"), r.PostFormValue("password_confirm"), w.request(r))
	if err != nil {
		if !formError(err) {
			return err
		}
		p.Phone, p.Sent = raw, true
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "forgot", p)
	}
	return w.done(rw, r, "/login", "新密码已设置，所有设备上的登录已退出，请用新密码登录。")
}
