package stats

import (
	"context"
	"strconv"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// PublicRatings is the public 成绩单 of a month (no sign-in): each rated
// department's 好评率, number of ratings, 差评整改率 and 整改按时率, and
// the city's trend over the twelve months to it.
type PublicRatings struct {
	Month string `json:"month"` // YYYY-MM
	// AsOf is when the figures were read from the rating rollups (which
	// follow the rating events within RefreshEvery).
	AsOf        time.Time         `json:"as_of"`
	Departments []PublicRatingRow `json:"departments"`
	Total       PublicRatingRow   `json:"total"`
	Trend       []PublicRatingRow `json:"trend"` // one row a month, oldest first; Month set, no org
}

// PublicRatingRow is one department's (or a month's) published figures.
type PublicRatingRow struct {
	Month    string `json:"month,omitempty"`
	OrgID    int64  `json:"org_id,omitempty"`
	OrgName  string `json:"org_name,omitempty"`
	Rated    int64  `json:"rated"`
	Good     int64  `json:"good"`
	Bad      int64  `json:"bad"`
	GoodRate Ratio  `json:"good_rate"` // 好评率
	// Excluded are ratings out of 好评率 by an upheld appeal (申诉成立).
	Excluded    int64 `json:"excluded"`
	Tickets     int64 `json:"tickets"`      // 差评 tickets
	RectifyRate Ratio `json:"rectify_rate"` // 差评整改率
	OnTimeRate  Ratio `json:"on_time_rate"` // 整改按时率
}

func publicRow(m RatingMeasures) PublicRatingRow {
	return PublicRatingRow{Rated: m.Rated, Good: m.Good, Bad: m.Bad, GoodRate: m.GoodRate, Excluded: m.Excluded, Tickets: m.Tickets,
		RectifyRate: m.RectifyRate, OnTimeRate: m.OnTimeRate}
}

// ParseMonth reads a YYYY-MM month; "" is now's month, China time.
func ParseMonth(s string, now time.Time) (time.Time, error) {
	if s == "" {
		t := now.In(calendar.Location())
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, calendar.Location()), nil
	}
	t, err := time.ParseInLocation("2006-01", s, calendar.Location())
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, tongban.FieldError("month", "月份应为 YYYY-MM 格式，如 2026-10")
	}
	return t, nil
}

// Public computes the public 成绩单 of the month starting at first from
// the rollups as they stand at now.
func Public(ctx context.Context, st tongban.Store, first, now time.Time) (*PublicRatings, error) {
	last := first.AddDate(0, 1, -1)
	f := tongban.RatingRollupFilter{From: first.Format(time.DateOnly), To: last.Format(time.DateOnly)}
	t, err := RatingsBy(ctx, st, f, tongban.ByRatingOrg)
	if err != nil {
		return nil, err
	}
	p := &PublicRatings{Month: first.Format("2006-01"), AsOf: now, Departments: []PublicRatingRow{}, Total: publicRow(t.Total)}
	for _, r := range t.Rows {
		row := publicRow(r.RatingMeasures)
		row.OrgID, _ = strconv.ParseInt(r.Key, 10, 64)
		row.OrgName = r.Name
		p.Departments = append(p.Departments, row)
	}
	year := tongban.RatingRollupFilter{From: first.AddDate(0, -11, 0).Format(time.DateOnly), To: f.To}
	months, err := st.SumRatingRollups(ctx, year, tongban.ByRatingMonth)
	if err != nil {
		return nil, err
	}
	for m := first.AddDate(0, -11, 0); !m.After(first); m = m.AddDate(0, 1, 0) {
		row := publicRow(RatingMeasuresOf(months[m.Format("2006-01")]))
		row.Month = m.Format("2006-01")
		p.Trend = append(p.Trend, row)
	}
	return p, nil
}
