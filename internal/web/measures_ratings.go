package web

import (
	"context"
	"net/url"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/stats"
)

// ratingMeasures is the 好差评指标 table of the measures page: every rating
// measure of the page's period, region, department and listing, from the
// rating rollups (stats.RatingsBy, the API's GET /api/v1/stats/ratings),
// grouped as the viewer chooses and narrowed to one rating channel if asked.
type ratingMeasures struct {
	By, Channel string
	Groups      []option
	Channels    []option
	Rows        []ratingMeasuresRow
	Total       *ratingMeasuresRow
	// Note says why there is no table: a filter ratings are not counted by.
	Note string
}

// ratingMeasuresRow is one group's rating measures, formatted; "—" where a
// measure has no denominator.
type ratingMeasuresRow struct {
	Name                             string
	Rated, Good, Bad, Excluded       int64
	Tickets, Visited, Closed, OnTime int64
	GoodRate, BadRate, VisitRate     string
	RectifyRate, OnTimeRate          string
	Verdicts                         int64
	SatisfiedRate                    string
}

var ratingGroupLabels = []option{{"org", "按部门"}, {"region", "按地区"}, {"listing", "按实施清单"},
	{"channel", "按评价渠道"}, {"month", "按月份"}}

// measureRatings fills p.Ratings for f (already scoped to the viewer) and
// the page's rating_by and rating_channel choices.
func (w *Web) measureRatings(ctx context.Context, q url.Values, f tongban.RollupFilter, p *measuresPage) error {
	m := &ratingMeasures{By: q.Get("rating_by"), Channel: q.Get("rating_channel")}
	p.Ratings = m
	for _, g := range ratingGroupLabels {
		m.Groups = append(m.Groups, option{g.Value, p.Lang.T(g.Label)})
	}
	for _, ch := range tongban.RatingChannels {
		m.Channels = append(m.Channels, option{string(ch), p.Lang.T(ch.Label())})
	}
	if f.ItemID != 0 || f.Channel != "" {
		m.Note = stats.RatingsNotFiltered
		return nil
	}
	if m.By == "" {
		m.By = "org"
	}
	g, ok := stats.RatingGroups[m.By]
	if !ok {
		return tongban.FieldError("rating_by", "分组应为 org、region、listing、channel 或 month")
	}
	rf := tongban.RatingRollupFilter{From: f.From, To: f.To, Region: f.Region, OrgID: f.OrgID, ListingID: f.ListingID,
		Channel: tongban.RatingChannel(m.Channel)}
	if rf.Channel != "" && !rf.Channel.Valid() {
		return tongban.FieldError("rating_channel", "评价渠道应为 web、mobile、window_device、qr 或 sms")
	}
	t, err := stats.RatingsBy(ctx, w.Store, rf, g)
	if err != nil {
		return err
	}
	for _, r := range t.Rows {
		row := ratingMeasuresRowOf(r.RatingMeasures)
		row.Name = r.Name
		if g == tongban.ByRatingChannel {
			row.Name = p.Lang.T(r.Name)
		}
		m.Rows = append(m.Rows, row)
	}
	if len(m.Rows) > 0 {
		total := ratingMeasuresRowOf(t.Total)
		total.Name = p.Lang.T("合计")
		m.Total = &total
	}
	return nil
}

func ratingMeasuresRowOf(m stats.RatingMeasures) ratingMeasuresRow {
	return ratingMeasuresRow{Rated: m.Rated, Good: m.Good, Bad: m.Bad, Excluded: m.Excluded, Tickets: m.Tickets,
		Visited: m.Visited, Closed: m.Closed, OnTime: m.ClosedOnTime, Verdicts: m.Verdicts,
		GoodRate: pct(m.GoodRate), BadRate: pct(m.BadRate), VisitRate: pct(m.VisitRate),
		RectifyRate: pct(m.RectifyRate), OnTimeRate: pct(m.OnTimeRate), SatisfiedRate: pct(m.SatisfiedRate)}
}
