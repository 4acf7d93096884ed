package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
)

// form is a submitted form shown again with its errors: the message of each
// field at fault, and a message for the form as a whole.
type form struct {
	Values map[string]string
	Errors map[string]string
	Error  string
}

func newForm() form { return form{Values: map[string]string{}, Errors: map[string]string{}} }

// fail records err against its field, or the whole form.
func (f *form) fail(err error) {
	e := tongban.AsError(err)
	if e.Field != "" && e.Field != "body" {
		f.Errors[e.Field] = e.Message
		return
	}
	f.Error = e.Message
}

type loginPage struct {
	Base
	Form form
	Next string
}

// safeNext keeps redirects after sign-in on this site (httpx.LocalPath).
func safeNext(next string) string { return httpx.LocalPath(next) }

func (w *Web) loginPage(rw http.ResponseWriter, r *http.Request) error {
	p := loginPage{Base: w.base(rw, r, "登录"), Form: newForm(), Next: safeNext(r.URL.Query().Get("next"))}
	return w.render(rw, r, http.StatusOK, "login", p)
}

func (w *Web) loginSubmit(rw http.ResponseWriter, r *http.Request) error {
	login := strings.TrimSpace(r.PostFormValue("login"))
	u, token, err := w.Identity.LoginWithCode(r.Context(), login, r.PostFormValue("password"), r.PostFormValue("code"), w.request(r))
	if err != nil {
		if tongban.ErrorCodeOf(err) == tongban.EInternal || tongban.ErrorCodeOf(err) == tongban.EUnavailable {
			return err
		}
		if e := tongban.AsError(err); e.RetryAfter > 0 {
			rw.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
		}
		p := loginPage{Base: w.base(rw, r, "登录"), Form: newForm(), Next: safeNext(r.PostFormValue("next"))}
		p.Form.Values["login"] = login
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "login", p)
	}
	w.Auth.SetSession(rw, token, w.Identity.SessionTTL)
	next := safeNext(r.PostFormValue("next"))
	if next == "" {
		next = "/account"
		if u.Kind == tongban.UserStaff {
			next = "/console"
		}
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
	return nil
}

func (w *Web) logout(rw http.ResponseWriter, r *http.Request) error {
	if token := httpx.SessionToken(r.Context()); token != "" {
		if err := w.Identity.Logout(r.Context(), token, w.request(r)); err != nil {
			return err
		}
	}
	w.Auth.ClearSession(rw)
	http.Redirect(rw, r, "/", http.StatusSeeOther)
	return nil
}

type registerPage struct {
	Base
	Kind string // "citizen" or "enterprise"
	Form form
	// Codes says the platform texts codes: the phone_code field and its
	// button (register_code.go) are shown; CodeSent once one went out.
	Codes, CodeSent bool
	// AgreementsVersion is the 用户协议 and 隐私政策 version shown and accepted.
	AgreementsVersion string
}

func (w *Web) registerPage(rw http.ResponseWriter, r *http.Request) error {
	kind := "citizen"
	if r.URL.Query().Get("kind") == "enterprise" {
		kind = "enterprise"
	}
	return w.render(rw, r, http.StatusOK, "register", registerPage{Base: w.base(rw, r, "注册"), Kind: kind, Form: newForm(),
		AgreementsVersion: identity.AgreementsVersion, Codes: w.Codes != nil})
}

func (w *Web) registerSubmit(rw http.ResponseWriter, r *http.Request) error {
	kind, f := registerForm(r)
	// The password is asked twice, and the 用户协议 and 隐私政策 shown on
	// the page must be accepted; the version accepted is recorded.
	err := registrationChecks(r)
	agreed := r.PostFormValue("accepted_agreements")
	switch {
	case err != nil:
	case kind == "enterprise":
		_, err = w.Identity.RegisterEnterprise(r.Context(), identity.EnterpriseRegistration{
			Name: f.Values["name"], CreditCode: f.Values["credit_code"], LegalRepName: f.Values["legal_rep_name"],
			LegalRepID: f.Values["legal_rep_id_number"], Phone: f.Values["phone"], PhoneCode: f.Values["phone_code"],
			Password: r.PostFormValue("password"), AcceptedAgreements: agreed,
		}, w.request(r))
	default:
		_, err = w.Identity.RegisterCitizen(r.Context(), identity.CitizenRegistration{
			Name: f.Values["name"], IDNumber: f.Values["id_number"], Phone: f.Values["phone"], PhoneCode: f.Values["phone_code"],
			Password: r.PostFormValue("password"), AcceptedAgreements: agreed,
		}, w.request(r))
	}
	if err != nil {
		if c := tongban.ErrorCodeOf(err); c == tongban.EInternal || c == tongban.EUnavailable {
			return err
		}
		f.fail(err)
		p := registerPage{Base: w.base(rw, r, "注册"), Kind: kind, Form: f, AgreementsVersion: identity.AgreementsVersion,
			Codes: w.Codes != nil}
		return w.render(rw, r, tongban.HTTPStatus(err), "register", p)
	}
	w.redirectFlash(rw, r, "/login", "注册成功，请登录。")
	return nil
}
