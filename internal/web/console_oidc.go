package web

import (
	"context"
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/oidc"
)

// 接入系统: the system admin registers department systems that sign people
// in through Tongban (/console/oidc).

type oidcClientsPage struct {
	Base
	Clients []*tongban.OIDCClient
	Orgs    []*tongban.Org
	Form    form
	// Created is the client just registered, with its secret shown once.
	Created *tongban.OIDCClient
	Secret  string
	Issuer  string
}

func (w *Web) registerConsoleOIDC(mux *http.ServeMux) {
	if w.OIDC == nil {
		return
	}
	mux.HandleFunc("GET /console/oidc", w.handle(w.consoleOIDC))
	mux.HandleFunc("POST /console/oidc", w.handle(w.consoleOIDCRegister))
	mux.HandleFunc("POST /console/oidc/{client_id}", w.handle(w.consoleOIDCChange))
}

func (w *Web) oidcPage(rw http.ResponseWriter, r *http.Request) (oidcClientsPage, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return oidcClientsPage{}, err
	}
	p := oidcClientsPage{Base: w.base(rw, r, "接入系统"), Form: newForm(), Issuer: w.PublicURL}
	if p.Clients, err = w.OIDC.Clients(r.Context(), w.request(r)); err != nil {
		return p, err
	}
	p.Orgs, err = w.manageableOrgs(r.Context(), u, identity.PermIntegrationManage)
	return p, err
}

func (w *Web) consoleOIDC(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.oidcPage(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "console_oidc", p)
}

func (w *Web) consoleOIDCRegister(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.oidcPage(rw, r)
	if err != nil {
		return err
	}
	in := oidc.ClientInput{Name: r.PostFormValue("name"), OrgID: formInt(r, "org_id"),
		RedirectURIs: lines(r.PostFormValue("redirect_uris")), PostLogoutURIs: lines(r.PostFormValue("post_logout_redirect_uris")),
		Public: r.PostFormValue("public") == "on", IDNumber: r.PostFormValue("id_number") == "on",
		IDTokenAlg: r.PostFormValue("id_token_alg")}
	c, secret, err := w.OIDC.Register(r.Context(), w.request(r), in)
	if err != nil {
		if !formError(err) {
			return err
		}
		p.Form.fail(err)
		for _, k := range []string{"name", "redirect_uris", "post_logout_redirect_uris"} {
			p.Form.Values[k] = r.PostFormValue(k)
		}
		return w.render(rw, r, tongban.HTTPStatus(err), "console_oidc", p)
	}
	// The secret is shown on this answer only: no redirect that could lose it.
	p.Created, p.Secret = c, secret
	p.Clients = append(p.Clients, c)
	return w.render(rw, r, http.StatusCreated, "console_oidc", p)
}

func (w *Web) consoleOIDCChange(rw http.ResponseWriter, r *http.Request) error {
	id, req := r.PathValue("client_id"), w.request(r)
	switch r.PostFormValue("action") {
	case "disable", "enable":
		if err := w.OIDC.SetDisabled(r.Context(), req, id, r.PostFormValue("action") == "disable"); err != nil {
			return err
		}
		return w.done(rw, r, "/console/oidc", "已更新接入系统 "+id)
	case "secret":
		secret, err := w.OIDC.NewSecret(r.Context(), req, id)
		if err != nil {
			return err
		}
		p, err := w.oidcPage(rw, r)
		if err != nil {
			return err
		}
		for _, c := range p.Clients {
			if c.ClientID == id {
				p.Created = c
			}
		}
		p.Secret = secret
		return w.render(rw, r, http.StatusOK, "console_oidc", p)
	}
	return tongban.FieldError("action", "未知操作")
}

// manageableOrgs lists the orgs u may manage perm for, for a form's choice.
func (w *Web) manageableOrgs(ctx context.Context, u *tongban.User, perm identity.Permission) ([]*tongban.Org, error) {
	if err := w.Identity.Require(u, perm); err != nil {
		return nil, err
	}
	all, err := w.Store.Orgs(ctx, tongban.OrgFilter{})
	if err != nil {
		return nil, err
	}
	var out []*tongban.Org
	for _, o := range all {
		if o.Kind == tongban.OrgDepartment && w.Identity.RequireOrg(ctx, u, perm, o.ID) == nil {
			out = append(out, o)
		}
	}
	return out, nil
}

// formError reports whether err is the person's to correct (shown on the
// form) rather than the server's.
func formError(err error) bool {
	c := tongban.ErrorCodeOf(err)
	return c != tongban.EInternal && c != tongban.EUnavailable && c != tongban.EForbidden && c != tongban.EUnauthorized
}
