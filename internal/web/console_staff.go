package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/notice"
)

// 人员管理 (/console/staff): system and department admins create staff,
// grant and revoke roles, disable accounts and issue password links within
// their scope. The identity service decides each action by the grant table
// (internal/identity/grants.go), as for the API; a refusal shows its reason.

type staffPage struct {
	Base
	Orgs      []*tongban.Org // the orgs whose staff the admin may see
	Org       *tongban.Org   // the one shown
	Staff     []*tongban.User
	CanManage bool
	Grantable []tongban.Role
	Form      form
	// ResetLink is the one-time password link just issued, shown once.
	ResetLink *issuedLink
	ResetFor  string
}

func (w *Web) registerConsoleStaff(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/staff", w.handle(w.consoleStaff))
	mux.HandleFunc("POST /console/staff", w.handle(w.staffCreate))
	mux.HandleFunc("POST /console/staff/{id}/roles", w.handle(w.staffRoles))
	mux.HandleFunc("POST /console/staff/{id}/account", w.handle(w.staffAccount))
}

// staffPageOf builds the page for the org in ?org= (or the form's org_id),
// else the admin's own first org.
func (w *Web) staffPageOf(rw http.ResponseWriter, r *http.Request) (*staffPage, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return nil, err
	}
	if err := w.Identity.Require(u, identity.PermStaffRead); err != nil {
		return nil, err
	}
	p := &staffPage{Base: w.base(rw, r, "人员管理"), Form: newForm(), Grantable: identity.GrantableRoles(u)}
	all, err := w.Store.Orgs(r.Context(), tongban.OrgFilter{})
	if err != nil {
		return nil, err
	}
	for _, o := range all {
		if w.Identity.RequireOrg(r.Context(), u, identity.PermStaffRead, o.ID) == nil {
			p.Orgs = append(p.Orgs, o)
		}
	}
	orgID, _ := strconv.ParseInt(r.URL.Query().Get("org"), 10, 64)
	if orgID == 0 {
		orgID = formInt(r, "org_id")
	}
	if orgID == 0 && len(u.Roles) > 0 {
		orgID = u.Roles[0].OrgID
	}
	if p.Org, err = w.Store.Org(r.Context(), orgID); err != nil {
		return nil, err
	}
	if p.Staff, err = w.Identity.StaffOf(r.Context(), orgID, w.request(r)); err != nil {
		return nil, err
	}
	p.CanManage = w.Identity.RequireOrg(r.Context(), u, identity.PermStaffManage, orgID) == nil
	return p, nil
}

func (w *Web) consoleStaff(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.staffPageOf(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "staff", p)
}

// staffCreateFields are the create form's inputs with an error place
// (staff.html). The list's role and account buttons have none: their
// refusals, a grant's "role" or "org_id" among them, go above the page.
var staffCreateFields = []string{"username", "name", "phone", "password", "role"}

// staffRefused shows the page again with the reason an action was refused
// or the input that was wrong, beside it when shown lists it.
func (w *Web) staffRefused(rw http.ResponseWriter, r *http.Request, p *staffPage, err error, shown ...string) error {
	switch tongban.ErrorCodeOf(err) {
	case tongban.EInternal, tongban.EUnavailable, tongban.EUnauthorized:
		return err
	}
	if tongban.IsCode(err, tongban.EForbidden) {
		p.Form.Error = tongban.AsError(err).Message
	} else {
		p.Form.failOn(err, shown...)
	}
	return w.render(rw, r, tongban.HTTPStatus(err), "staff", p)
}

func (w *Web) staffBack(p *staffPage) string {
	return "/console/staff?org=" + strconv.FormatInt(p.Org.ID, 10)
}

func (w *Web) staffCreate(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.staffPageOf(rw, r)
	if err != nil {
		return err
	}
	in := identity.StaffAccount{Username: r.PostFormValue("username"), Name: r.PostFormValue("name"),
		Phone: r.PostFormValue("phone"), Password: r.PostFormValue("password"),
		Roles: []tongban.RoleGrant{{Role: tongban.Role(r.PostFormValue("role")), OrgID: p.Org.ID}}}
	u, err := w.Identity.CreateStaff(r.Context(), in, w.request(r))
	if err != nil {
		for _, k := range []string{"username", "name", "phone", "role"} {
			p.Form.Values[k] = r.PostFormValue(k)
		}
		if e := tongban.AsError(err); e.Field == "roles[0].role" || e.Field == "roles[0].org_id" {
			e.Field = "role"
		}
		return w.staffRefused(rw, r, p, err, staffCreateFields...)
	}
	return w.done(rw, r, w.staffBack(p), "已创建工作人员账号 "+u.Username)
}

func (w *Web) staffRoles(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.staffPageOf(rw, r)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	g := tongban.RoleGrant{Role: tongban.Role(r.PostFormValue("role")), OrgID: formInt(r, "grant_org_id")}
	if g.OrgID == 0 {
		g.OrgID = p.Org.ID
	}
	change, msg := w.Identity.GrantRole, "已授予角色"
	switch r.PostFormValue("action") {
	case "grant":
	case "revoke":
		change, msg = w.Identity.RevokeRole, "已收回角色"
	default:
		return tongban.FieldError("action", "未知操作")
	}
	if err := change(r.Context(), id, g, w.request(r)); err != nil {
		return w.staffRefused(rw, r, p, err)
	}
	return w.done(rw, r, w.staffBack(p), msg+"「"+g.Role.Label()+"」")
}

// staffAccount disables or restores an account, or issues a one-time
// password link the admin hands over in person (shown on this answer only).
func (w *Web) staffAccount(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.staffPageOf(rw, r)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	switch action := r.PostFormValue("action"); action {
	case "disable", "enable":
		if err := w.Identity.SetStaffDisabled(r.Context(), id, action == "disable", w.request(r)); err != nil {
			return w.staffRefused(rw, r, p, err)
		}
		msg := "已启用账号"
		if action == "disable" {
			msg = "已停用账号，其登录和API令牌已失效"
		}
		return w.done(rw, r, w.staffBack(p), msg)
	case "reset":
		token, expires, err := w.Identity.IssueStaffResetLink(r.Context(), id, w.request(r))
		if err != nil {
			return w.staffRefused(rw, r, p, err)
		}
		for _, s := range p.Staff {
			if s.ID == id {
				p.ResetFor = s.Name
			}
		}
		link := w.PublicURL + "/reset?token=" + token
		png, err := notice.QRPNG(link)
		if err != nil {
			return err
		}
		p.ResetLink = &issuedLink{URL: link, Expires: expires, QR: png}
		return w.render(rw, r, http.StatusOK, "staff", p)
	}
	return tongban.FieldError("action", "未知操作")
}
