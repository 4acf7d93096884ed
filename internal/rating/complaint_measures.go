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

// MeasureComplaints counts the complaint events of a region in [from, to)
// for whoever supervises it or dispatches there.
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
	es, err := s.Store.ComplaintEventsIn(ctx, tongban.ComplaintCountFilter{From: from, To: to, Region: region})
	if err != nil {
		return nil, err
	}
	counts := CountComplaints(es)
	out := &ComplaintMeasures{Region: region, From: from, To: to}
	for id, c := range counts {
		m := ComplaintMeasure{OrgID: id, ComplaintCounts: c}
		m.rates()
		out.Depts = append(out.Depts, m)
		t := &out.Total.ComplaintCounts
		t.Received, t.Dispatched, t.Replied = t.Received+c.Received, t.Dispatched+c.Dispatched, t.Replied+c.Replied
		t.RepliedOnTime, t.Rated, t.Satisfied = t.RepliedOnTime+c.RepliedOnTime, t.Rated+c.Rated, t.Satisfied+c.Satisfied
		t.Returned, t.Reopened = t.Returned+c.Returned, t.Reopened+c.Reopened
	}
	out.Total.rates()
	slices.SortFunc(out.Depts, func(a, b ComplaintMeasure) int { return int(a.OrgID - b.OrgID) })
	return out, nil
}

// CountComplaints folds complaint events: each counts once for the
// department it names. A reply is on time when its China date is not past
// the deadline recorded in the event.
func CountComplaints(es []*tongban.ComplaintEvent) map[int64]tongban.ComplaintCounts {
	out := map[int64]tongban.ComplaintCounts{}
	for _, e := range es {
		c := out[e.OrgID]
		switch e.Action {
		case tongban.ComplaintActReceive:
			c.Received++
		case tongban.ComplaintActDispatch:
			c.Dispatched++
		case tongban.ComplaintActReply:
			c.Replied++
			if e.Due != "" && calendar.DateOf(e.At).String() <= e.Due {
				c.RepliedOnTime++
			}
		case tongban.ComplaintActRate:
			c.Rated++
			if e.Level.Good() {
				c.Satisfied++
			}
		case tongban.ComplaintActReturn:
			c.Returned++
		case tongban.ComplaintActReopen:
			c.Reopened++
		default:
			continue
		}
		out[e.OrgID] = c
	}
	return out
}
