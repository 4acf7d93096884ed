package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/notice"
)

// Account recovery and registration terms: 忘记密码 (the ways back in), the
// page of a counter-issued one-time link, the link's issue at the counter,
// and the 用户协议 and 隐私政策 a registration accepts.

// registrationChecks are the page's own: the password typed twice, and
// the agreements accepted.
func registrationChecks(r *http.Request) error {
	if r.PostFormValue("password") != r.PostFormValue("password_confirm") {
		return tongban.FieldError("password_confirm", "两次输入的密码不一致")
	}
	if r.PostFormValue("accepted_agreements") == "" {
		return tongban.FieldError("accepted_agreements", "请阅读并同意《用户协议》和《隐私政策》")
	}
	return nil
}

type agreementPage struct {
	Base
	Doc, Version string
}

// agreement shows the 用户协议 (terms) or 隐私政策 (privacy) in force.
func (w *Web) agreement(rw http.ResponseWriter, r *http.Request) error {
	doc := r.PathValue("doc")
	title := map[string]string{identity.DocTerms: "用户协议", identity.DocPrivacy: "隐私政策"}[doc]
	if title == "" {
		return tongban.Errorf(tongban.ENotFound, "没有这份文件")
	}
	return w.render(rw, r, http.StatusOK, "agreement", agreementPage{Base: w.base(rw, r, title), Doc: doc, Version: identity.AgreementsVersion})
}

// forgot is 忘记密码: the ways to set a new password (the SMS way in
// recovery_sms.go).
func (w *Web) forgot(rw http.ResponseWriter, r *http.Request) error {
	return w.render(rw, r, http.StatusOK, "forgot", w.forgotPage(rw, r))
}

type resetPage struct {
	Base
	Token string
	Form  form
	Dead  string // why the link does not work
}

func (w *Web) resetPage(rw http.ResponseWriter, r *http.Request) error {
	p := resetPage{Base: w.base(rw, r, "设置新密码"), Token: r.URL.Query().Get("token"), Form: newForm()}
	if err := w.Identity.ResetLinkValid(r.Context(), p.Token); err != nil {
		if !tongban.IsCode(err, tongban.ENotFound) {
			return err
		}
		p.Dead = tongban.AsError(err).Message
		return w.render(rw, r, http.StatusNotFound, "reset", p)
	}
	return w.render(rw, r, http.StatusOK, "reset", p)
}

func (w *Web) resetSubmit(rw http.ResponseWriter, r *http.Request) error {
	p := resetPage{Base: w.base(rw, r, "设置新密码"), Token: r.PostFormValue("token"), Form: newForm()}
	_, err := w.Identity.SetPasswordByReset(r.Context(), p.Token, r.PostFormValue("password"), r.PostFormValue("password_confirm"), w.request(r))
	switch code := tongban.ErrorCodeOf(err); {
	case err == nil:
		http.Redirect(rw, r, "/login?flash="+templateEscapeQuery("新密码已设置，请登录。"), http.StatusSeeOther)
		return nil
	case code == tongban.ENotFound:
		p.Dead = tongban.AsError(err).Message
	case code == tongban.EInvalid:
		p.Form.fail(err)
	default:
		return err
	}
	return w.render(rw, r, tongban.HTTPStatus(err), "reset", p)
}

// counterResetLink issues a one-time link for the applicant identified at
// the window, once the clerk has checked their ID card; the page shows the
// link and its QR code to hand over.
func (w *Web) counterResetLink(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.counterBase(rw, r)
	if err != nil {
		return err
	}
	if r.PostFormValue("id_checked") == "" {
		p.Form.Error = p.Lang.T("请先核验申请人的身份证件原件，再签发重置链接")
	} else {
		uid, _ := strconv.ParseInt(r.PostFormValue("applicant"), 10, 64)
		token, expires, err := w.Identity.IssueResetLink(r.Context(), uid, w.request(r))
		if err != nil {
			return err
		}
		link := w.PublicURL + "/reset?token=" + token
		png, err := notice.QRPNG(link)
		if err != nil {
			return err
		}
		p.ResetLink = &issuedLink{URL: link, Expires: expires, QR: png}
	}
	uid, _ := strconv.ParseInt(r.PostFormValue("applicant"), 10, 64)
	u, err := w.Identity.ReadUser(r.Context(), uid, false, identity.Purpose{Counter: true}, w.request(r))
	if err != nil {
		return err
	}
	p.Applicant = applicantOf(p.Lang, u, false)
	return w.render(rw, r, http.StatusOK, "cases_counter", p)
}

// issuedLink is a reset link just issued, shown once.
type issuedLink struct {
	URL     string
	Expires time.Time
	QR      []byte
}

// QRData is the QR code as a data URL for the page's img.
func (l *issuedLink) QRData() template.URL {
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(l.QR))
}
