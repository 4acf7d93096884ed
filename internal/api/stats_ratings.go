package api

import (
	"net/http"

	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/stats"
)

// ratingStatsRoutes: the supervisor's 好差评 measures, grouped one way.
func (a *API) ratingStatsRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/stats/ratings", Tag: "supervision", Access: staffOnly,
		Summary: "好差评指标（监察人员）：好评率、差评率、实名差评回访率、差评整改率、差评整改按时率、答复满意率，按部门、地区、实施清单、评价渠道或月份分组；" +
			"由评价事件汇总而来（约数秒内更新），按评价作出的日期计；没有分母的比率为 null",
		Query: []Param{{Name: "by", Description: "分组：org（默认）、region、listing、channel 或 month"},
			{Name: "from", Description: "起始日 YYYY-MM-DD，默认本季度第一天"}, {Name: "to", Description: "截止日 YYYY-MM-DD（含），默认今天"},
			{Name: "region", Description: "行政区划代码；默认为本人监察的地区"}, {Name: "org", Description: "只看该部门"},
			{Name: "listing", Description: "只看该实施清单"},
			{Name: "rating_channel", Description: "只看该评价渠道：web、mobile、window_device、qr 或 sms"}},
		Out: stats.RatingTable{}, handle: a.ratingStats})
}

func (a *API) ratingStats(w http.ResponseWriter, r *http.Request) error {
	f, rf, g, err := stats.RatingFilterFromQuery(r.URL.Query(), a.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	if f, err = stats.Scope(r.Context(), a.Store, httpx.User(r.Context()), f); err != nil {
		return err
	}
	rf.Region, rf.OrgID = f.Region, f.OrgID
	t, err := stats.RatingsBy(r.Context(), a.Store, rf, g)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}
