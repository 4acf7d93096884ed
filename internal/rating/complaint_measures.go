package rating

import (
	"context"
	"slices"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
)

// ComplaintMeasure is one department's complaint measures for a period,
// counted from complaint events (OrgID 0: received, not dispatched).
type ComplaintMeasure struct {
	OrgID int64 `json:"org_id"`
	tongban.ComplaintCounts
	// OnTimeRate is 按时回复率 = replied on time ÷ replied; SatisfiedRate
	// 满意率 = 满意 ÷ rated. Nil when nothing was replied or rated.
	OnTimeRate    *float64 `json:"on_time_rate"`
	SatisfiedRate *float64 `json:"satisfied_rate"`
}

// ComplaintMeasures is the region's figures for [From, To).
type ComplaintMeasures struct {
	Region string             `json:"region"`
	From   time.Time          `json:"from"`
	To     time.Time          `json:"to"`
	Depts  []ComplaintMeasure `json:"depts"`
	Total  ComplaintMeasure   `json:"total"`
}

func rate(n, d int64) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(n) / float64(d)
	return &v
}

func (m *ComplaintMeasure) rates() {
	m.OnTimeRate, m.SatisfiedRate = rate(m.RepliedOnTime, m.Replied), rate(m.Satisfied, m.Rated)
}

// MeasureComplaints sums the complaint rollups (the complaint events
// folded by the stats aggregator, a few seconds behind) of a region for
// the days of [from, to), for whoever supervises it or dispatches there.
func (s *Service) MeasureComplaints(ctx context.Context, r identity.Request, region string, from, to time.Time) (*ComplaintMeasures, error) {
	sc, err := s.scope(ctx, r, "您无权查看投诉统计", identity.PermSupervise, identity.PermComplaintDispatch)
	if err != nil {
		return nil, err
	}
	if region == "" && len(sc.Regions) > 0 {
		region = sc.Regions[0]
	}
	if !slices.ContainsFunc(sc.Regions, func(reg string) bool { return tongban.RegionContains(reg, region) }) {
		return nil, tongban.FieldError("region", "您无权查看该行政区划的投诉统计")
	}
	// The rollups count by China day: [from, to) is the days from's to
	// the one before to's (callers give day boundaries, China time).
	f := tongban.ComplaintRollupFilter{Region: region}
	if !from.IsZero() {
		f.From = calendar.DateOf(from).String()
	}
	if !to.IsZero() {
		f.To = calendar.DateOf(to.Add(-time.Nanosecond)).String()
	}
	counts, err := s.Store.SumComplaintRollups(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &ComplaintMeasures{Region: region, From: from, To: to}
	for id, c := range counts {
		m := ComplaintMeasure{OrgID: id, ComplaintCounts: c}
		m.rates()
		out.Depts = append(out.Depts, m)
		out.Total.Add(c)
	}
	out.Total.rates()
	slices.SortFunc(out.Depts, func(a, b ComplaintMeasure) int { return int(a.OrgID - b.OrgID) })
	return out, nil
}
