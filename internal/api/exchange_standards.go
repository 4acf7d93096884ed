package api

import (
	"net/http"
	"strings"

	"github.com/tongban/tongban"
)

func (a *API) standardRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/standard-materials", Summary: "标准材料目录：同一材料在各事项中的统一编码", Tag: "exchange",
		Out: []tongban.StandardMaterial{}, handle: a.listStandards})
	a.add(Route{Method: "PUT", Path: "/api/v1/standard-materials/{code}", Summary: "新增或修改一项标准材料（事项管理员）", Tag: "exchange",
		Access: staffOnly, In: tongban.StandardMaterial{}, Out: tongban.StandardMaterial{}, handle: a.putStandard})
}

func (a *API) listStandards(w http.ResponseWriter, r *http.Request) error {
	list, err := a.Exchange.Standards.List(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []*tongban.StandardMaterial{}
	}
	return writeJSON(w, http.StatusOK, list)
}

func (a *API) putStandard(w http.ResponseWriter, r *http.Request) error {
	var in tongban.StandardMaterial
	if err := decode(w, r, &in); err != nil {
		return err
	}
	code := strings.ToUpper(r.PathValue("code"))
	if in.Code != "" && strings.ToUpper(strings.TrimSpace(in.Code)) != code {
		return tongban.FieldError("code", "请求体中的编码与路径不一致")
	}
	in.Code = code
	m, err := a.Exchange.Standards.Save(r.Context(), a.request(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}
