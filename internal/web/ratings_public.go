package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
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
	// Body is the rendered publicRatingsBody (kept per board: publicBodies).
	Body template.HTML
}

// publicRatingsBody is what the page shows inside the layout.
type publicRatingsBody struct {
	Lang  Lang
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

// trendPoint is one month of the chart: what ratings_chart.js draws.
type trendPoint struct {
	Month    string      `json:"month"`
	Rated    int64       `json:"rated"`
	GoodRate stats.Ratio `json:"good_rate"`
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
		d := &publicRatingsBody{Lang: p.Lang, Error: tongban.AsError(err).Message, Month: r.URL.Query().Get("month")}
		if p.Body, err = w.renderPublicBody(d); err != nil {
			return err
		}
		return w.render(rw, r, http.StatusBadRequest, "ratings_public", p)
	}
	board, err := w.publicBoard(r.Context(), first)
	if err != nil {
		return err
	}
	d, err := publicRatingsBodyOf(board, p.Lang)
	if err != nil {
		return err
	}
	if w.PublicRatings != nil { // boards are shared: render each once
		p.Body, err = w.publicBodies.body(w, board, d)
	} else {
		p.Body, err = w.renderPublicBody(d)
	}
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "ratings_public", p)
}

func publicRatingsBodyOf(pub *stats.PublicRatings, l Lang) (*publicRatingsBody, error) {
	d := &publicRatingsBody{Lang: l, Month: pub.Month, Total: publicRatingRowOf(pub.Total),
		AsOf: pub.AsOf.In(calendar.Location()).Format("15:04")}
	for _, r := range pub.Departments {
		d.Rows = append(d.Rows, publicRatingRowOf(r))
	}
	points := make([]trendPoint, 0, len(pub.Trend))
	for _, m := range pub.Trend {
		d.Trend = append(d.Trend, publicRatingRowOf(m))
		points = append(points, trendPoint{Month: m.Month, Rated: m.Rated, GoodRate: m.GoodRate})
	}
	b, err := json.Marshal(points)
	if err != nil {
		return nil, err
	}
	d.TrendJSON = string(b)
	return d, nil
}

// publicBoard is the month's 成绩单, through the shared PublicRatings when wired.
func (w *Web) publicBoard(ctx context.Context, first time.Time) (*stats.PublicRatings, error) {
	if w.PublicRatings != nil {
		return w.PublicRatings.Get(ctx, first)
	}
	return stats.Public(ctx, w.Store, first, w.Ratings.Clock.Now())
}
