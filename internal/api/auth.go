package api

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
)

type loginInput struct {
	Login    string `json:"login"` // 身份证号、统一社会信用代码、手机号或工作人员用户名
	Password string `json:"password"`
	// Code answers the extra verification step an account that failed
	// many sign-ins from many addresses asks for (a one-time code).
	Code string `json:"code,omitempty"`
}

type passwordInput struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// account is how an account is shown to its owner and to staff: personal
// fields masked (the types marshal masked).
type account struct {
	*tongban.User
	Permissions []identity.Permission `json:"permissions,omitempty"`
}

func accountOf(u *tongban.User) account {
	var perms []identity.Permission
	seen := map[identity.Permission]bool{}
	for _, g := range u.Roles {
		for _, p := range identity.PermissionsOf(g.Role) {
			if !seen[p] {
				seen[p] = true
				perms = append(perms, p)
			}
		}
	}
	return account{User: u, Permissions: perms}
}

func (a *API) authRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/register", Summary: "自然人注册（姓名、居民身份证号、手机号、密码）", Tag: "identity",
		In: identity.CitizenRegistration{}, Out: account{}, Status: http.StatusCreated, handle: a.registerCitizen})
	a.add(Route{Method: "POST", Path: "/api/v1/register/enterprise", Summary: "法人注册（企业名称、统一社会信用代码、法定代表人）", Tag: "identity",
		In: identity.EnterpriseRegistration{}, Out: account{}, Status: http.StatusCreated, handle: a.registerEnterprise})
	a.add(Route{Method: "POST", Path: "/api/v1/login", Summary: "登录，成功后设置会话 Cookie", Tag: "identity",
		In: loginInput{}, Out: account{}, handle: a.login})
	a.add(Route{Method: "POST", Path: "/api/v1/logout", Summary: "退出登录", Tag: "identity", Access: signedIn,
		Status: http.StatusNoContent, handle: a.logout})
	a.add(Route{Method: "GET", Path: "/api/v1/me", Summary: "当前账号", Tag: "identity", Access: signedIn,
		Out: account{}, handle: a.me})
	a.add(Route{Method: "POST", Path: "/api/v1/me/password", Summary: "修改密码（其他会话随之失效）", Tag: "identity", Access: signedIn,
		In: passwordInput{}, Status: http.StatusNoContent, handle: a.changePassword})
}

func (a *API) registerCitizen(w http.ResponseWriter, r *http.Request) error {
	var in identity.CitizenRegistration
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.Identity.RegisterCitizen(r.Context(), in, a.request(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, accountOf(u))
}

func (a *API) registerEnterprise(w http.ResponseWriter, r *http.Request) error {
	var in identity.EnterpriseRegistration
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.Identity.RegisterEnterprise(r.Context(), in, a.request(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, accountOf(u))
}

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var in loginInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, token, err := a.Identity.LoginWithCode(r.Context(), in.Login, in.Password, in.Code, a.request(r))
	if err != nil {
		return err
	}
	a.Auth.SetSession(w, token, a.Identity.SessionTTL)
	w.Header().Set("X-CSRF-Token", a.CSRF.Token(w, r))
	return writeJSON(w, http.StatusOK, accountOf(u))
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	if token := httpx.SessionToken(r.Context()); token != "" {
		if err := a.Identity.Logout(r.Context(), token, a.request(r)); err != nil {
			return err
		}
	}
	a.Auth.ClearSession(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, accountOf(httpx.User(r.Context())))
}

func (a *API) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in passwordInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u := httpx.User(r.Context())
	if err := a.Identity.ChangePassword(r.Context(), u, in.OldPassword, in.NewPassword, httpx.SessionToken(r.Context()), a.request(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
