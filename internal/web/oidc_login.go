package web

import (
	"net/http"
	"net/url"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/oidc"
)

// The sign-in page of the OIDC provider (统一身份认证): a department system
// sends the person here (oidc.LoginPath?id=…); Tongban's own sign-in runs
// first if needed, then the person allows the system what it asks for
// (once per system, remembered), and the provider's callback issues the code.

type oidcConsentPage struct {
	Base
	Pending *oidc.Pending
	Scopes  []scopeView
}

type scopeView struct {
	Scope, Label string
	Sensitive    bool
}

func (w *Web) registerOIDC(mux *http.ServeMux) {
	if w.OIDC == nil {
		return
	}
	mux.HandleFunc("GET "+oidc.LoginPath, w.handle(w.oidcLogin))
	mux.HandleFunc("POST "+oidc.LoginPath, w.handle(w.oidcDecide))
}

func (w *Web) oidcLogin(rw http.ResponseWriter, r *http.Request) error {
	id := r.URL.Query().Get("id")
	u := httpx.User(r.Context())
	pd, err := w.OIDC.Pending(r.Context(), id, u)
	if err != nil {
		return err
	}
	if u == nil || pd.NeedsConsent() {
		if pd.NoPrompt { // prompt=none: the client wants an answer, not a page
			code := "login_required"
			if u != nil {
				code = "consent_required"
			}
			return w.oidcRefuse(rw, r, id, code, "需要登录或授权")
		}
		if u == nil {
			http.Redirect(rw, r, "/login?next="+url.QueryEscape(oidc.LoginPath+"?id="+id), http.StatusSeeOther)
			return nil
		}
		p := oidcConsentPage{Base: w.base(rw, r, "授权登录"), Pending: pd}
		for _, s := range pd.Scopes {
			p.Scopes = append(p.Scopes, scopeView{Scope: s, Label: p.Lang.T(oidc.ScopeLabel(s)), Sensitive: s == oidc.ScopeIDNumber})
		}
		return w.render(rw, r, http.StatusOK, "oidc_consent", p)
	}
	return w.oidcApprove(rw, r, pd, u)
}

func (w *Web) oidcDecide(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	id := r.PostFormValue("id")
	pd, err := w.OIDC.Pending(r.Context(), id, u)
	if err != nil {
		return err
	}
	if r.PostFormValue("decision") != "allow" {
		return w.oidcRefuse(rw, r, id, "access_denied", "用户拒绝授权")
	}
	return w.oidcApprove(rw, r, pd, u)
}

func (w *Web) oidcApprove(rw http.ResponseWriter, r *http.Request, pd *oidc.Pending, u *tongban.User) error {
	next, err := w.OIDC.Approve(r.Context(), pd, u)
	if err != nil {
		return err
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
	return nil
}

func (w *Web) oidcRefuse(rw http.ResponseWriter, r *http.Request, id, code, why string) error {
	next, err := w.OIDC.Refuse(r.Context(), id, code, why)
	if err != nil {
		return err
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
	return nil
}
