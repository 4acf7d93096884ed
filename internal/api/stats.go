package api

import (
	"net/http"

	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/stats"
)

func (a *API) statsRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/stats/measures", Tag: "supervision", Access: staffOnly,
		Summary: "监管指标：按部门列出网上可办率、全程网办率、一窗受理率、即办件比例、承诺时限压缩率、按时办结率、跑动次数、材料减少率（来自统计汇总，约数秒内更新）",
		Query: []Param{{Name: "from", Description: "起始日 YYYY-MM-DD，默认本季度第一天"},
			{Name: "to", Description: "截止日 YYYY-MM-DD（含），默认今天"},
			{Name: "region", Description: "行政区划代码；默认为本人监察的地区"}, {Name: "org", Description: "只看该部门"},
			{Name: "item", Description: "只看该基本目录事项（其全部实施清单）"},
			{Name: "listing", Description: "只看该实施清单"}, {Name: "channel", Description: "online、counter、mobile、kiosk 或 agent"}},
		Out: stats.Dashboard{}, handle: a.statsMeasures})
}

func (a *API) statsMeasures(w http.ResponseWriter, r *http.Request) error {
	f, err := stats.FilterFromQuery(r.URL.Query(), a.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	if f, err = stats.Scope(r.Context(), a.Store, httpx.User(r.Context()), f); err != nil {
		return err
	}
	if a.Dashboards != nil {
		body, err := a.Dashboards.Encoded(r.Context(), f)
		if err != nil {
			return err
		}
		return writeJSONBody(w, http.StatusOK, body)
	}
	d, err := stats.Compute(r.Context(), a.Store, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}
