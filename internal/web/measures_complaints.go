package web

import (
	"net/http"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// complaintMeasuresRow is one department's complaint measures on the
// measures page (12345 and 办不成事), formatted.
type complaintMeasuresRow struct {
	Name                                 string
	Received, Dispatched, Replied, Rated int64
	Returned, Reopened                   int64
	OnTime, Satisfied                    string
}

// measureComplaints fills the page's complaint table: the complaint
// events of the page's period and region, by the department they name
// (rating.MeasureComplaints). Only the region filters complaints: they have
// no item, listing or channel, and a department filter shows its row.
func (w *Web) measureComplaints(r *http.Request, f tongban.RollupFilter, p *measuresPage) error {
	ctx := r.Context()
	from, err := time.ParseInLocation(time.DateOnly, f.From, calendar.Location())
	if err != nil {
		return err
	}
	to, err := time.ParseInLocation(time.DateOnly, f.To, calendar.Location())
	if err != nil {
		return err
	}
	m, err := w.Ratings.MeasureComplaints(ctx, w.request(r), f.Region, from, to.AddDate(0, 0, 1))
	if tongban.AsError(err).Field == "region" {
		return nil // a supervisor of departments, not of a region: complaints are counted by region
	}
	if err != nil {
		return err
	}
	p.ComplaintsShown = true
	names := w.orgNames()
	row := func(name string, c tongban.ComplaintCounts, onTime, satisfied *float64) complaintMeasuresRow {
		return complaintMeasuresRow{Name: name, Received: c.Received, Dispatched: c.Dispatched, Replied: c.Replied,
			Rated: c.Rated, Returned: c.Returned, Reopened: c.Reopened, OnTime: pct(onTime), Satisfied: pct(satisfied)}
	}
	for _, d := range m.Depts {
		if f.OrgID != 0 && d.OrgID != f.OrgID {
			continue
		}
		name := p.Lang.T("未派单")
		if d.OrgID != 0 {
			name = names.name(ctx, d.OrgID)
		}
		p.Complaints = append(p.Complaints, row(name, d.ComplaintCounts, d.OnTimeRate, d.SatisfiedRate))
	}
	if f.OrgID == 0 {
		t := row(p.Lang.T("合计"), m.Total.ComplaintCounts, m.Total.OnTimeRate, m.Total.SatisfiedRate)
		p.ComplaintTotal = &t
	}
	return nil
}
