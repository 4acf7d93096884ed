package web

import (
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
)

// The registration form's 获取验证码 button (/register/code, the same form
// posted elsewhere, so it works without JavaScript): a code texted to the
// phone typed, which proves the phone a counter recorded when the
// registration claims a walk-in record (identity.ClaimWalkIn). The page
// comes back with what was typed, passwords aside.

// registerForm reads the registration form's kind and fields.
func registerForm(r *http.Request) (string, form) {
	kind := r.PostFormValue("kind")
	if kind != "enterprise" {
		kind = "citizen"
	}
	f := newForm()
	for _, k := range []string{"name", "id_number", "phone", "phone_code", "credit_code", "legal_rep_name", "legal_rep_id_number"} {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	return kind, f
}

func (w *Web) registerCode(rw http.ResponseWriter, r *http.Request) error {
	kind, f := registerForm(r)
	p := registerPage{Base: w.base(rw, r, "注册"), Kind: kind, Form: f, AgreementsVersion: identity.AgreementsVersion, Codes: true}
	if _, err := w.Codes.SendRegistrationCode(r.Context(), f.Values["phone"], httpx.ClientIP(r, w.Proxies)); err != nil {
		if !formError(err) {
			return err
		}
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "register", p)
	}
	p.CodeSent = true
	return w.render(rw, r, http.StatusOK, "register", p)
}
