package api

import (
	"context"
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

type tokenInput struct {
	Name string `json:"name"`
}

type tokenCreated struct {
	Token string `json:"token"` // shown once; store it safely
	tongban.APIToken
}

// fullAccount shows personal fields in full, for roles allowed to see them
// (the read is audited by the identity service).
type fullAccount struct {
	account
	FullIDNumber string `json:"full_id_number,omitempty"`
	FullPhone    string `json:"full_phone,omitempty"`
}

func (a *API) userRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/users/{id}", Summary: "查看账号（申请人须说明用途：办件或窗口受理；个人信息默认脱敏，full=1 须填事由，记入审计和本人的数据使用记录）", Tag: "identity",
		Access: staffOnly, Query: []Param{
			{Name: "case", Description: "用途：您可查看的办件编号，此人为其申请人"},
			{Name: "counter", Description: "用途：1 = 您正在窗口受理的申请人（须先按身份证号核验：POST /api/v1/applicants/lookup）"},
			{Name: "full", Description: "1 = 显示完整身份证号和手机号"},
			{Name: "reason", Description: "查看完整信息的事由（full=1 时必填）"}}, Out: fullAccount{}, handle: a.getUser})
	a.add(Route{Method: "POST", Path: "/api/v1/applicants/lookup", Summary: "窗口按申请人出示的身份证号（或统一社会信用代码）核验身份；此后4小时内可为受理查看其信息", Tag: "identity",
		Access: staffOnly, In: lookupInput{}, Out: account{}, handle: a.lookupApplicant})
	a.add(Route{Method: "POST", Path: "/api/v1/staff", Summary: "创建工作人员账号并授予角色", Tag: "identity", Access: staffOnly,
		In: identity.StaffAccount{}, Out: account{}, Status: http.StatusCreated, handle: a.createStaff})
	a.add(Route{Method: "GET", Path: "/api/v1/orgs/{id}/staff", Summary: "机构的工作人员", Tag: "identity", Access: staffOnly,
		Out: []account{}, handle: a.orgStaff})
	a.add(Route{Method: "POST", Path: "/api/v1/users/{id}/roles", Summary: "授予角色", Tag: "identity", Access: staffOnly,
		In: tongban.RoleGrant{}, Status: http.StatusNoContent, handle: a.grantRole})
	a.add(Route{Method: "DELETE", Path: "/api/v1/users/{id}/roles", Summary: "收回角色", Tag: "identity", Access: staffOnly,
		In: tongban.RoleGrant{}, Status: http.StatusNoContent, handle: a.revokeRole})
	a.add(Route{Method: "GET", Path: "/api/v1/tokens", Summary: "我的 API 令牌", Tag: "identity", Access: signedIn,
		Out: []tongban.APIToken{}, handle: a.listTokens})
	a.add(Route{Method: "POST", Path: "/api/v1/tokens", Summary: "创建 API 令牌（部门业务系统调用用）", Tag: "identity", Access: signedIn,
		In: tokenInput{}, Out: tokenCreated{}, Status: http.StatusCreated, handle: a.createToken})
	a.add(Route{Method: "DELETE", Path: "/api/v1/tokens/{id}", Summary: "吊销 API 令牌", Tag: "identity", Access: signedIn,
		Status: http.StatusNoContent, handle: a.revokeToken})
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	full := q.Get("full") == "1"
	why := identity.Purpose{CaseNumber: q.Get("case"), Counter: q.Get("counter") == "1", Reason: q.Get("reason")}
	u, err := a.Identity.ReadUser(r.Context(), id, full, why, a.request(r))
	if err != nil {
		return err
	}
	out := fullAccount{account: accountOf(u)}
	if full {
		out.FullIDNumber, out.FullPhone = u.IDNumber.Reveal(), u.Phone.Reveal()
	}
	return writeJSON(w, http.StatusOK, out)
}

type lookupInput struct {
	IDNumber string `json:"id_number"` // 身份证号或统一社会信用代码, as presented at the window
}

func (a *API) lookupApplicant(w http.ResponseWriter, r *http.Request) error {
	var in lookupInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.Identity.CounterLookup(r.Context(), in.IDNumber, a.request(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, accountOf(u))
}

func (a *API) createStaff(w http.ResponseWriter, r *http.Request) error {
	var in identity.StaffAccount
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.Identity.CreateStaff(r.Context(), in, a.request(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, accountOf(u))
}

func (a *API) orgStaff(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	users, err := a.Identity.StaffOf(r.Context(), id, a.request(r))
	if err != nil {
		return err
	}
	out := make([]account, len(users))
	for i, u := range users {
		out[i] = accountOf(u)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) grantRole(w http.ResponseWriter, r *http.Request) error {
	return a.changeRole(w, r, a.Identity.GrantRole)
}

func (a *API) revokeRole(w http.ResponseWriter, r *http.Request) error {
	return a.changeRole(w, r, a.Identity.RevokeRole)
}

func (a *API) changeRole(w http.ResponseWriter, r *http.Request, change func(ctx context.Context, id int64, g tongban.RoleGrant, req identity.Request) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var g tongban.RoleGrant
	if err := decode(w, r, &g); err != nil {
		return err
	}
	if err := change(r.Context(), id, g, a.request(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) error {
	u := a.request(r).Actor
	tokens, err := a.Store.APITokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(tokens))
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	plain, t, err := a.Identity.CreateAPIToken(r.Context(), in.Name, a.request(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, tokenCreated{Token: plain, APIToken: *t})
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.Identity.RevokeAPIToken(r.Context(), id, a.request(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
