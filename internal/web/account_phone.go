package web

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
)

// 绑定手机号: a person proves they hold a mobile number with a code texted to
// it (/account/phone); the number then signs them in and receives SMS.

type phonePage struct {
	Base
	Account  *tongban.User
	Verified bool
	Phone    string // the number being bound, once a code went to it
	Sent     bool
	Form     form
}

func (w *Web) registerPhone(mux *http.ServeMux) {
	if w.Codes == nil {
		return
	}
	mux.HandleFunc("GET /account/phone", w.handle(w.phone))
	mux.HandleFunc("POST /account/phone/code", w.handle(w.phoneCode))
	mux.HandleFunc("POST /account/phone/verify", w.handle(w.phoneVerify))
}

func (w *Web) phonePage(rw http.ResponseWriter, r *http.Request) (phonePage, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return phonePage{}, err
	}
	return phonePage{Base: w.base(rw, r, "绑定手机号"), Account: u, Verified: u.PhoneVerifiedAt != nil, Form: newForm()}, nil
}

func (w *Web) phone(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.phonePage(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "account_phone", p)
}

func (w *Web) phoneCode(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.phonePage(rw, r)
	if err != nil {
		return err
	}
	raw := r.PostFormValue("phone")
	phone, err := w.Codes.SendBindCode(r.Context(), p.Account, raw, httpx.ClientIP(r, w.Proxies))
	p.Form.Values["phone"] = raw
	if err != nil {
		if !formError(err) {
			return err
		}
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "account_phone", p)
	}
	p.Phone, p.Sent = phone.Reveal(), true
	return w.render(rw, r, http.StatusOK, "account_phone", p)
}

func (w *Web) phoneVerify(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.phonePage(rw, r)
	if err != nil {
		return err
	}
	raw := r.PostFormValue("phone")
	if err := w.Codes.BindPhone(r.Context(), w.Identity, p.Account, raw, r.PostFormValue("code"), w.request(r)); err != nil {
		if !formError(err) {
			return err
		}
		p.Phone, p.Sent = raw, true
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "account_phone", p)
	}
	return w.done(rw, r, "/account", "手机号已验证，可用于登录和接收短信通知。")
}
