package stats

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// TrendMonth is one month of a region's trend on the supervision page:
// the cases closed and 按时办结率, the ratings given and 好评率, and the
// 差评 tickets closed and 整改按时率 of that month's ratings.
type TrendMonth struct {
	Month         string `json:"month"` // YYYY-MM
	Closed        int64  `json:"closed"`
	OnTimeRate    Ratio  `json:"on_time_rate"`
	Rated         int64  `json:"rated"`
	GoodRate      Ratio  `json:"good_rate"`
	TicketsShut   int64  `json:"tickets_closed"`
	RectifyOnTime Ratio  `json:"rectify_on_time_rate"`
}

// Trend reads the twelve months to the one starting at last, oldest first,
// for the region (and below), from the case and rating rollups.
func Trend(ctx context.Context, st tongban.Store, region string, last time.Time) ([]TrendMonth, error) {
	first := last.AddDate(0, -11, 0)
	ratings, err := st.SumRatingRollups(ctx, tongban.RatingRollupFilter{From: first.Format(time.DateOnly),
		To: last.AddDate(0, 1, -1).Format(time.DateOnly), Region: region}, tongban.ByRatingMonth)
	if err != nil {
		return nil, err
	}
	var out []TrendMonth
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		sums, err := st.SumRollups(ctx, tongban.RollupFilter{From: m.Format(time.DateOnly),
			To: m.AddDate(0, 1, -1).Format(time.DateOnly), Region: region})
		if err != nil {
			return nil, err
		}
		var c tongban.RollupCounts
		for _, s := range sums {
			c.Add(s)
		}
		r := ratings[m.Format("2006-01")]
		out = append(out, TrendMonth{Month: m.Format("2006-01"), Closed: c.Closed, OnTimeRate: ratio(c.ClosedOnTime, c.Closed),
			Rated: r.Rated, GoodRate: ratio(r.Good, r.Rated), TicketsShut: r.Closed, RectifyOnTime: ratio(r.ClosedOnTime, r.Closed)})
	}
	return out, nil
}
