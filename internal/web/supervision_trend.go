package web

import (
	"context"
	"encoding/json"
	"time"

	"github.com/tongban/tongban/internal/stats"
)

// trendRow is one month of the supervision page's trend, formatted.
type trendRow struct {
	Month                 string
	Closed, Rated, Shut   int64
	OnTime, Good, Rectify string // percentages, "—" without a denominator
}

// supervisionTrend fills the region's twelve months to now's: 办结 and
// 按时办结率, 评价 and 好评率, 差评整改 and 整改按时率, from the rollups.
func (w *Web) supervisionTrend(ctx context.Context, region string, now time.Time, p *supervisionPage) error {
	last, err := stats.ParseMonth("", now)
	if err != nil {
		return err
	}
	months, err := stats.Trend(ctx, w.Store, region, last)
	if err != nil {
		return err
	}
	for _, m := range months {
		p.Trend = append(p.Trend, trendRow{Month: m.Month, Closed: m.Closed, Rated: m.Rated, Shut: m.TicketsShut,
			OnTime: pct(m.OnTimeRate), Good: pct(m.GoodRate), Rectify: pct(m.RectifyOnTime)})
	}
	b, err := json.Marshal(months)
	p.TrendJSON = string(b)
	return err
}
