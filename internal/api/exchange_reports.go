package api

import (
	"net/http"

	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/stats"
)

func (a *API) reportRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/stats/no-submit", Tag: "supervision", Access: staffOnly,
		Summary: "免提交率（按实施清单）：申请时由平台核验的电子证照、材料库复用、共享数据代替的材料数 ÷ 事项要求的材料数，分项列出（来自统计汇总）",
		Query: []Param{{Name: "from", Description: "起始日 YYYY-MM-DD，默认本季度第一天"},
			{Name: "to", Description: "截止日 YYYY-MM-DD（含），默认今天"},
			{Name: "region", Description: "行政区划代码；默认为本人监察的地区"}, {Name: "org", Description: "只看该部门"},
			{Name: "item", Description: "只看该基本目录事项"}, {Name: "listing", Description: "只看该实施清单"},
			{Name: "channel", Description: "online、counter、mobile、kiosk 或 agent"}},
		Out: []exchange.ListingSpared{}, handle: a.noSubmit})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/sparable", Tag: "catalog", Access: staffOnly,
		Summary: "可免提交而仍要求申请人提交的材料：其标准材料已有共享数据资源或电子证照类型，清单却仍标为申请人自备等（事项管理员）",
		Query:   []Param{{Name: "region", Description: "行政区划代码：该区划及其下级"}},
		Out:     []exchange.Sparable{}, handle: a.sparable})
}

func (a *API) noSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := stats.FilterFromQuery(r.URL.Query(), a.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	rows, err := a.Exchange.Reports.NoSubmit(r.Context(), a.request(r), f)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []exchange.ListingSpared{}
	}
	return writeJSON(w, http.StatusOK, rows)
}

func (a *API) sparable(w http.ResponseWriter, r *http.Request) error {
	rows, err := a.Exchange.Reports.Sparable(r.Context(), a.request(r), r.URL.Query().Get("region"))
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []exchange.Sparable{}
	}
	return writeJSON(w, http.StatusOK, rows)
}
