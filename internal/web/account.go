package web

import (
	"net/http"
	"slices"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
)

type accountPage struct {
	Base
	Account *tongban.User
	Form    form
}

func (w *Web) signedIn(r *http.Request) (*tongban.User, error) {
	u := httpx.User(r.Context())
	if u == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	return u, nil
}

func (w *Web) account(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "account", accountPage{Base: w.base(rw, r, "我的账户"), Account: u, Form: newForm()})
}

func (w *Web) changePassword(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	err = w.Identity.ChangePassword(r.Context(), u, r.PostFormValue("old_password"), r.PostFormValue("new_password"),
		httpx.SessionToken(r.Context()), w.request(r))
	if err != nil {
		if c := tongban.ErrorCodeOf(err); c == tongban.EInternal || c == tongban.EUnavailable {
			return err
		}
		p := accountPage{Base: w.base(rw, r, "我的账户"), Account: u, Form: newForm()}
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "account", p)
	}
	w.redirectFlash(rw, r, "/account", "密码已修改，其他设备上的登录和API令牌已失效。")
	return nil
}

// consoleLink is one entry of the staff console's menu, shown only to those
// whose roles grant its permission.
type consoleLink struct {
	Label, Href string
	Perm        identity.Permission
}

var consoleLinks = []consoleLink{
	{"受理办件", "/console/counter", identity.PermCaseAccept},
	{"统一出件", "/console/handout", identity.PermCaseHandout},
	{"审批办件", "/console/queue", identity.PermCaseReview},
	{"时限监察", "/console/supervision", identity.PermSupervise},
	{"监管指标", "/console/measures", identity.PermSupervise},
	{"成绩单", "/console/ratings", identity.PermSupervise},
	{"窗口评价器", "/console/window-devices", identity.PermCaseAccept},
	{"人员管理", "/console/staff", identity.PermStaffRead},
	{"审计日志", "/console/audit", identity.PermAuditRead},
	{"节假日安排", "/console/calendar", identity.PermCalendarEdit},
	{"事项清单管理", "/console/catalog", identity.PermCatalogEdit},
	{"清单质检", "/console/catalog/quality", identity.PermCatalogEdit},
	{"三统一比对", "/console/catalog/consistency", identity.PermCatalogEdit},
	{"搜索同义词", "/console/catalog/synonyms", identity.PermCatalogPublish},
	{"接入系统", "/console/oidc", identity.PermIntegrationManage},
	{"事件推送", "/console/webhooks", identity.PermWebhookManage},
	{"集成运行状态", "/console/integration", identity.PermIntegrationManage},
	// The 好差评 loop: a link shows once however many of its permissions the
	// person holds.
	{"差评整改", "/console/rectifications", identity.PermRatingAnswer},
	{"差评整改", "/console/rectifications", identity.PermSupervise},
	{"督办", "/console/notices", identity.PermNoticeAnswer},
	{"督办", "/console/notices", identity.PermSupervise},
	{"12345投诉工单", "/console/complaints", identity.PermComplaintIntake},
	{"12345投诉工单", "/console/complaints", identity.PermComplaintHandle},
	{"12345投诉工单", "/console/complaints", identity.PermComplaintDispatch},
	{"电子证照管理", "/console/licenses", identity.PermLicenseManage},
	// 一件事: the lead department's applications; measures for supervisors.
	{"一件事办件", "/console/bundles", identity.PermCaseReview},
	{"一件事办件", "/console/bundles", identity.PermSupervise},
	{"一件事定义", "/console/catalog/bundles", identity.PermCatalogEdit},
}

type consolePage struct {
	Base
	Grants   []grantView
	Links    []consoleLink
	Warnings []string
}

type grantView struct {
	Role    string
	OrgName string
	OrgKind string
	Region  string
}

func (w *Web) console(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	if err := w.Identity.Require(u, identity.PermConsole); err != nil {
		return err
	}
	p := consolePage{Base: w.base(rw, r, "工作台"), Warnings: w.consoleWarnings(u)}
	for _, g := range u.Roles {
		o, err := w.Store.Org(r.Context(), g.OrgID)
		if err != nil {
			return err
		}
		region := o.RegionCode
		if reg, err := w.Store.Region(r.Context(), o.RegionCode); err == nil {
			region = reg.Name
		}
		if o.ParentID != 0 { // a window or board: name its hall
			if parent, err := w.Store.Org(r.Context(), o.ParentID); err == nil {
				region += " · " + parent.Name
			}
		}
		p.Grants = append(p.Grants, grantView{Role: p.Lang.T(g.Role.Label()), OrgName: o.Name, OrgKind: p.Lang.T(o.Kind.Label()), Region: region})
	}
	for _, l := range consoleLinks {
		if w.Identity.Can(u, l.Perm) && !slices.ContainsFunc(p.Links, func(m consoleLink) bool { return m.Href == l.Href }) {
			p.Links = append(p.Links, l)
		}
	}
	return w.render(rw, r, http.StatusOK, "console", p)
}
