package api

import (
	"context"
	"net/http"
	"time"

	"github.com/tongban/tongban/internal/stats"
)

// publicRatingRoutes: the public 成绩单 of 好差评, without signing in.
func (a *API) publicRatingRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/public/ratings", Tag: "ratings", Access: public,
		Summary: "好差评成绩单（免登录）：某月各部门的评价数、好评率（满意和非常满意 ÷ 评价数）、差评整改率（已整改或核实无效的差评工单 ÷ 差评工单）" +
			"和整改按时率（按期办结 ÷ 已办结），以该月作出的评价计，及截至该月12个月的全市趋势；没有评价的部门不列出，比率在没有分母时为 null；as_of 为数据的读取时间（成绩单在内存中保留至多5秒）",
		Query: []Param{{Name: "month", Description: "月份 YYYY-MM，默认本月"}},
		Out:   stats.PublicRatings{}, handle: a.publicRatings})
}

func (a *API) publicRatings(w http.ResponseWriter, r *http.Request) error {
	first, err := stats.ParseMonth(r.URL.Query().Get("month"), a.Ratings.Clock.Now())
	if err != nil {
		return err
	}
	p, err := a.publicBoard(r.Context(), first)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	return writeJSON(w, http.StatusOK, p)
}

// publicBoard is the month's 成绩单, through the shared PublicRatings when wired.
func (a *API) publicBoard(ctx context.Context, first time.Time) (*stats.PublicRatings, error) {
	if a.PublicRatings != nil {
		return a.PublicRatings.Get(ctx, first)
	}
	return stats.Public(ctx, a.Store, first, a.Ratings.Clock.Now())
}
