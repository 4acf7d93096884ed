package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/stats"
)

// publicRatingsPage is the public 好差评成绩单 (no sign-in): a month's
// figures by department, and the city's trend over twelve months.
type publicRatingsPage struct {
	Base
	Month string
	// AsOf is when the figures were read, HH:MM China time (they are kept
	// in memory for a few seconds: stats.PublicCache).
	AsOf  string
	Error string
	Rows  []publicRatingRow
	Total publicRatingRow
	Trend []publicRatingRow
	// TrendJSON is the trend for the chart (ratings_chart.js).
	TrendJSON string
}

type publicRatingRow struct {
	Name, Month           string
	Rated, Bad, Tickets   int64
	Excluded              int64  // out of 好评率 by an upheld appeal, printed beside it
	Good, Rectify, OnTime string // percentages, "—" without a denominator
}

func (w *Web) registerPublicRatings(mux *http.ServeMux) {
	mux.HandleFunc("GET /ratings", w.handle(w.publicRatings))
}

// pct writes a ratio as a percentage; "—" when it has no denominator.
func pct(v stats.Ratio) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

func publicRatingRowOf(r stats.PublicRatingRow) publicRatingRow {
	return publicRatingRow{Name: r.OrgName, Month: r.Month, Rated: r.Rated, Bad: r.Bad, Tickets: r.Tickets,
		Excluded: r.Excluded, Good: pct(r.GoodRate), Rectify: pct(r.RectifyRate), OnTime: pct(r.OnTimeRate)}
}

func (w *Web) publicRatings(rw http.ResponseWriter, r *http.Request) error {
	p := &publicRatingsPage{Base: w.base(rw, r, "好差评成绩单")}
	first, err := stats.ParseMonth(r.URL.Query().Get("month"), w.Ratings.Clock.Now())
	if err != nil {
		p.Error, p.Month = tongban.AsError(err).Message, r.URL.Query().Get("month")
		return w.render(rw, r, http.StatusBadRequest, "ratings_public", p)
	}
	pub, err := w.publicBoard(r.Context(), first)
	if err != nil {
		return err
	}
	p.Month, p.Total = pub.Month, publicRatingRowOf(pub.Total)
	p.AsOf = pub.AsOf.In(calendar.Location()).Format("15:04")
	for _, d := range pub.Departments {
		p.Rows = append(p.Rows, publicRatingRowOf(d))
	}
	for _, m := range pub.Trend {
		p.Trend = append(p.Trend, publicRatingRowOf(m))
	}
	b, err := json.Marshal(pub.Trend)
	if err != nil {
		return err
	}
	p.TrendJSON = string(b)
	return w.render(rw, r, http.StatusOK, "ratings_public", p)
}

// publicBoard is the month's 成绩单, through the shared PublicRatings when wired.
func (w *Web) publicBoard(ctx context.Context, first time.Time) (*stats.PublicRatings, error) {
	if w.PublicRatings != nil {
		return w.PublicRatings.Get(ctx, first)
	}
	return stats.Public(ctx, w.Store, first, w.Ratings.Clock.Now())
}
