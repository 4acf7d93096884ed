package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/stats"
)

// measuresPage is 监管指标: every measure of DESIGN.md by department for a
// period, read from the rollups (a few seconds behind the cases).
type measuresPage struct {
	Base
	From, To, Channel string
	Channels          []tongban.Channel
	Rows              []measuresRow
	Total             measuresRow
	NoRatings         string
}

// measuresRow is one department's measures, formatted; "—" where a measure
// has no denominator yet.
type measuresRow struct {
	Name                                               string
	Listings                                           int
	Online, FullyOnline, Instant, Compression          string
	Submitted, Closed                                  int64
	OneWindow, OnTime, Visits, OneTrip, MaterialsSaved string
}

func (w *Web) registerMeasures(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/measures", w.handle(w.measures))
}

func (w *Web) measures(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.staff(r, identity.PermSupervise)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	from, to := stats.Quarter(w.Workflow.Clock.Now())
	f := tongban.RollupFilter{From: from, To: to, Channel: tongban.Channel(q.Get("channel"))}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(p.name); v != "" {
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				return tongban.FieldError(p.name, "日期应为 YYYY-MM-DD")
			}
			*p.dst = v
		}
	}
	if !f.Channel.Valid() {
		f.Channel = ""
	}
	if f, err = stats.Scope(r.Context(), w.Store, u, f); err != nil {
		return err
	}
	d, err := w.dashboard(r.Context(), f)
	if err != nil {
		return err
	}
	p := measuresPage{Base: w.base(rw, r, "监管指标"), From: f.From, To: f.To, Channel: string(f.Channel),
		Channels: []tongban.Channel{tongban.ChannelOnline, tongban.ChannelCounter, tongban.ChannelMobile,
			tongban.ChannelKiosk, tongban.ChannelAgent}, NoRatings: stats.NoRatings, Total: measuresRowOf(d.Total)}
	for _, row := range d.Rows {
		p.Rows = append(p.Rows, measuresRowOf(row))
	}
	return w.render(rw, r, http.StatusOK, "measures", p)
}

func measuresRowOf(r stats.Row) measuresRow {
	pct := func(v stats.Ratio) string {
		if v == nil {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", *v*100)
	}
	visits := "—"
	if r.Cases.VisitsPerCase != nil {
		visits = fmt.Sprintf("%.2f", *r.Cases.VisitsPerCase)
	}
	return measuresRow{Name: r.OrgName, Listings: r.Catalog.Listings, Online: pct(r.Catalog.OnlineRate),
		FullyOnline: pct(r.Catalog.FullyOnline), Instant: pct(r.Catalog.InstantRate), Compression: pct(r.Catalog.Compression),
		Submitted: r.Cases.Submitted, Closed: r.Cases.Closed, OneWindow: pct(r.Cases.OneWindowRate),
		OnTime: pct(r.Cases.OnTimeRate), Visits: visits, OneTrip: pct(r.Cases.OneTripRate),
		MaterialsSaved: pct(r.Cases.MaterialsSaved)}
}

// dashboard is the measures for f, through the shared Dashboards when wired.
func (w *Web) dashboard(ctx context.Context, f tongban.RollupFilter) (*stats.Dashboard, error) {
	if w.Dashboards != nil {
		return w.Dashboards.Get(ctx, f)
	}
	return stats.Compute(ctx, w.Store, f)
}
