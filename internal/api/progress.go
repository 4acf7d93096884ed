package api

import (
	"net/http"

	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/workflow"
)

// progressRoutes: 办件查询 without signing in.
func (a *API) progressRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/progress/{number}", Tag: "cases", Access: public,
		Summary: "办件查询（免登录）：凭办件编号和申请人姓名（或身份证号、统一社会信用代码后6位）查询办理进度、时间线、" +
			"办理时限、待补材料和结果领取方式；编号不存在与姓名不符的回答完全相同；每个地址15分钟内最多查询30次",
		Query: []Param{{Name: "name", Required: true, Description: "申请人姓名（全名），或其身份证号、统一社会信用代码后6位"}},
		Out:   workflow.Progress{}, handle: a.progress})
}

func (a *API) progress(w http.ResponseWriter, r *http.Request) error {
	p, err := a.Workflow.Progress(r.Context(), httpx.ClientIP(r, a.Proxies), r.PathValue("number"), r.URL.Query().Get("name"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, p)
}
