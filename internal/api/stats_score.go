package api

import (
	"net/http"

	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/stats"
)

// scoreRoutes: the supervisor's 成绩单, the same ranking as /console/ratings.
func (a *API) scoreRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/stats/score", Tag: "supervision", Access: staffOnly,
		Summary: "成绩单（监察人员）：本人监察范围内的部门和区县按本市公布的权重（--score-weights）计分排名；" +
			"各项为按时办结率、好评率、整改按时率、一窗受理率、网上可办率，无分母的为 null 且不计入得分（weighed 为得分所依据的权重）；formula 为计分公式",
		Query: []Param{{Name: "month", Description: "月份 YYYY-MM；给出时代替 from 和 to"},
			{Name: "from", Description: "起始日 YYYY-MM-DD，默认本季度第一天"}, {Name: "to", Description: "截止日 YYYY-MM-DD（含），默认今天"},
			{Name: "region", Description: "行政区划代码；默认为本人监察的地区"}, {Name: "org", Description: "只看该部门"}},
		Out: stats.Scorecard{}, handle: a.scoreStats})
}

func (a *API) scoreStats(w http.ResponseWriter, r *http.Request) error {
	f, err := stats.ScoreFilterFromQuery(r.URL.Query(), a.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	if f, err = stats.Scope(r.Context(), a.Store, httpx.User(r.Context()), f); err != nil {
		return err
	}
	sc, err := stats.Score(r.Context(), a.Store, f, a.ScoreWeights)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sc)
}
