package api

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/httpx"
)

type pushInput struct {
	Records []exchange.PushRecord `json:"records"` // at most 1000 per push, 1 MB
}

type consentInput struct {
	Resource  string `json:"resource"`   // the 有条件 resource's code
	ListingID int64  `json:"listing_id"` // the item being applied for
}

func (a *API) dataRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/data-resources", Summary: "政务信息资源目录：各部门可共享的数据资源、信息项、共享属性和依据", Tag: "exchange",
		Access: signedIn, Out: []tongban.DataResource{}, handle: a.listResources})
	a.add(Route{Method: "PUT", Path: "/api/v1/data-resources/{code}", Summary: "新增或修改一项数据资源（事项管理员）", Tag: "exchange",
		Access: staffOnly, In: tongban.DataResource{}, Out: tongban.DataResource{}, handle: a.putResource})
	a.add(Route{Method: "PUT", Path: "/api/v1/data/{resource}/records", Tag: "exchange", Access: staffOnly,
		Summary: "提供部门推送数据记录（部门接入系统的 API 令牌）：逐条校验，任何一条有误则全部不保存；delete 为 true 的记录删除",
		In:      pushInput{}, Out: exchange.PushResult{}, handle: a.pushRecords})
	a.add(Route{Method: "GET", Path: "/api/v1/me/shared", Summary: "申请某事项时可由共享数据代替的材料及查到的本人数据（脱敏）；有条件共享的须先授权",
		Tag: "exchange", Access: signedIn, Query: []Param{{Name: "listing", Description: "实施清单 ID", Required: true}},
		Out: []exchange.Finding{}, handle: a.mySharedData})
	a.add(Route{Method: "GET", Path: "/api/v1/me/prefill", Summary: "申请表中可由账号信息和共享数据自动填写的申请人信息（企业名称、法定代表人、住所等），附来源",
		Tag: "exchange", Access: signedIn, Query: []Param{{Name: "listing", Description: "实施清单 ID", Required: true}},
		Out: []exchange.PrefillValue{}, handle: a.myPrefill})
	a.add(Route{Method: "GET", Path: "/api/v1/me/consents", Summary: "我的数据授权（有条件共享资源，每项授权只用于一次申请）", Tag: "exchange",
		Access: signedIn, Out: []tongban.Consent{}, handle: a.myConsents})
	a.add(Route{Method: "POST", Path: "/api/v1/me/consents", Summary: "授权本次申请调取一项有条件共享的数据资源（24 小时内有效，用于一件申请）", Tag: "exchange",
		Access: signedIn, In: consentInput{}, Out: tongban.Consent{}, Status: http.StatusCreated, handle: a.addConsent})
	a.add(Route{Method: "DELETE", Path: "/api/v1/me/consents/{id}", Summary: "撤回尚未使用的授权", Tag: "exchange",
		Access: signedIn, Status: http.StatusNoContent, handle: a.revokeConsent})
}

func (a *API) listResources(w http.ResponseWriter, r *http.Request) error {
	list, err := a.Exchange.Data.Resources(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []*tongban.DataResource{}
	}
	return writeJSON(w, http.StatusOK, list)
}

func (a *API) putResource(w http.ResponseWriter, r *http.Request) error {
	var in tongban.DataResource
	if err := decode(w, r, &in); err != nil {
		return err
	}
	in.Code = r.PathValue("code")
	res, err := a.Exchange.Data.SaveResource(r.Context(), a.request(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

func (a *API) pushRecords(w http.ResponseWriter, r *http.Request) error {
	var in pushInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := a.Exchange.Data.Push(r.Context(), a.request(r), r.PathValue("resource"), in.Records)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// listingQuery is the listing named by ?listing=, as the caller may see it.
func (a *API) listingQuery(r *http.Request) (*tongban.Listing, error) {
	id, err := strconv.ParseInt(r.URL.Query().Get("listing"), 10, 64)
	if err != nil {
		return nil, tongban.FieldError("listing", "请指明实施清单 ID")
	}
	return a.Catalog.Listing(r.Context(), httpx.User(r.Context()), id)
}

func (a *API) mySharedData(w http.ResponseWriter, r *http.Request) error {
	l, err := a.listingQuery(r)
	if err != nil {
		return err
	}
	u := httpx.User(r.Context())
	found, err := a.Exchange.Data.Lookup(r.Context(), a.request(r), u, l, l.Materials)
	if err != nil {
		return err
	}
	if found == nil {
		found = []exchange.Finding{}
	}
	return writeJSON(w, http.StatusOK, found)
}

func (a *API) myPrefill(w http.ResponseWriter, r *http.Request) error {
	l, err := a.listingQuery(r)
	if err != nil {
		return err
	}
	out, err := a.Exchange.Data.Prefill(r.Context(), a.request(r), httpx.User(r.Context()), l)
	if err != nil {
		return err
	}
	if out == nil {
		out = []exchange.PrefillValue{}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) myConsents(w http.ResponseWriter, r *http.Request) error {
	list, err := a.Store.Consents(r.Context(), httpx.User(r.Context()).ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*tongban.Consent{}
	}
	return writeJSON(w, http.StatusOK, list)
}

func (a *API) addConsent(w http.ResponseWriter, r *http.Request) error {
	var in consentInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u := httpx.User(r.Context())
	l, err := a.Catalog.Listing(r.Context(), u, in.ListingID)
	if tongban.IsCode(err, tongban.ENotFound) {
		return tongban.FieldError("listing_id", "实施清单不存在")
	} else if err != nil {
		return err
	}
	c, err := a.Exchange.Data.Consent(r.Context(), a.request(r), u, in.Resource, l)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (a *API) revokeConsent(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return tongban.Errorf(tongban.ENotFound, "没有该授权")
	}
	if err := a.Exchange.Data.RevokeConsent(r.Context(), httpx.User(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
