package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/directory"
	"github.com/tongban/tongban/internal/identity"
)

// defaultStallDays is when a case with no event counts as stalled (停滞),
// unless the supervisor asks for another threshold.
const defaultStallDays = 3

// defaultCorrectionStallDays is the --correction-stall-days default.
const defaultCorrectionStallDays = 5

// supervisionPage is 电子监察 of time: every open case of the region with
// its working days left and warning level, the overdue and stalled ones
// by department with counts, and the 否定备案 list.
type supervisionPage struct {
	Base
	RegionName string
	StallDays  int
	Depts      []deptStats
	Total      deptStats
	Overdue    []caseRow
	Stalled    []stalledRow
	// CorrectionStalled wait for the applicant's 补正 longer than
	// CorrectionDays working days (--correction-stall-days).
	CorrectionStalled []stalledRow
	CorrectionDays    int
	Open              []caseRow
	Denials           []caseRow
	Alerts            []*tongban.StaffAlert // supervision_alerts.go
	Loop              loopSupervision       // supervision_loop.go
	// Trend is the region's twelve months (supervision_trend.go), drawn
	// from TrendJSON when script runs; the table stands without it.
	Trend     []trendRow
	TrendJSON string
}

type deptStats struct {
	OrgID                      int64
	Name, RegionCode           string
	Open, Yellow, Red, Stalled int
	CorrectionStalled          int
}

type stalledRow struct {
	caseRow
	Idle int // working days since the last event
}

// openStates are the undecided states; of them, those waiting on the
// applicant cannot stall on the office's side.
var openStates = []tongban.CaseState{tongban.CaseSubmitted, tongban.CaseAwaitingCorrection, tongban.CaseAccepted, tongban.CaseInReview}

// supervisedRegion is the region of the person's first supervision grant.
func (w *Web) supervisedRegion(ctx context.Context, u *tongban.User) (string, error) {
	for _, g := range u.Roles {
		if slices.Contains(identity.PermissionsOf(g.Role), identity.PermSupervise) {
			org, err := w.Store.Org(ctx, g.OrgID)
			if err != nil {
				return "", err
			}
			return org.RegionCode, nil
		}
	}
	return "", tongban.Errorf(tongban.EForbidden, "您不负责监察任何地区")
}

func (w *Web) supervision(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.staff(r, identity.PermSupervise)
	if err != nil {
		return err
	}
	ctx := r.Context()
	region, err := w.supervisedRegion(ctx, u)
	if err != nil {
		return err
	}
	p := supervisionPage{Base: w.base(rw, r, "时限监察"), RegionName: region, StallDays: defaultStallDays,
		CorrectionDays: cmp.Or(w.CorrectionStallDays, defaultCorrectionStallDays)}
	if reg, err := w.Store.Region(ctx, region); err == nil {
		p.RegionName = reg.Name
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("days")); err == nil && n >= 1 && n <= 60 {
		p.StallDays = n
	}
	sched, err := w.Workflow.Calendar.Schedule(ctx)
	if err != nil {
		return err
	}
	now := w.Workflow.Clock.Now()
	req := w.wf(r)

	open, err := w.Workflow.List(ctx, req, tongban.CaseFilter{Within: region, States: openStates, Limit: 2000})
	if err != nil {
		return err
	}
	overdue, err := w.Workflow.Overdue(ctx, req, tongban.CaseFilter{Within: region, Limit: 2000}, now)
	if err != nil {
		return err
	}
	denials, err := w.Workflow.Denials(ctx, req, region, 100, 0)
	if err != nil {
		return err
	}
	if p.Alerts, err = w.staffAlerts(ctx, region, now); err != nil {
		return err
	}
	if p.Loop, err = w.loopSupervision(ctx, r, now); err != nil {
		return err
	}
	if err := w.supervisionTrend(ctx, region, now, &p); err != nil {
		return err
	}
	p.Open = w.rows(p.Lang, open, sched, now, true)
	p.Overdue = w.rows(p.Lang, overdue, sched, now, true)
	p.Denials = w.rows(p.Lang, denials, sched, now, true)

	names := w.orgNames()
	depts := map[int64]*deptStats{}
	dept := func(c *tongban.Case) *deptStats {
		d, ok := depts[c.OrgID]
		if !ok {
			d = &deptStats{OrgID: c.OrgID, Name: names.name(ctx, c.OrgID)}
			if org, err := w.Store.Org(ctx, c.OrgID); err == nil {
				d.RegionCode = org.RegionCode
			}
			depts[c.OrgID] = d
		}
		return d
	}
	for i, row := range p.Open {
		p.Open[i].OrgName = names.name(ctx, row.OrgID)
		d := dept(row.Case)
		d.Open++
		if row.Time.Running && row.Time.Level == calendar.Yellow {
			d.Yellow++
		}
		// The last event is the last update: every transition writes one.
		idle, _ := sched.WorkdaysBetween(row.UpdatedAt, now)
		if row.State == tongban.CaseAwaitingCorrection {
			// Waiting on the applicant: it ages on its own threshold.
			if idle >= p.CorrectionDays {
				p.CorrectionStalled = append(p.CorrectionStalled, stalledRow{caseRow: p.Open[i], Idle: idle})
				d.CorrectionStalled++
			}
			continue
		}
		if idle >= p.StallDays {
			p.Stalled = append(p.Stalled, stalledRow{caseRow: p.Open[i], Idle: idle})
			d.Stalled++
		}
	}
	for i, row := range p.Overdue {
		p.Overdue[i].OrgName = names.name(ctx, row.OrgID)
		dept(row.Case).Red++
	}
	for i, row := range p.Denials {
		p.Denials[i].OrgName = names.name(ctx, row.OrgID)
	}
	slices.SortStableFunc(p.Open, byTimeLeft)
	longestIdle := func(a, b stalledRow) int { return cmp.Compare(b.Idle, a.Idle) }
	slices.SortStableFunc(p.Stalled, longestIdle)
	slices.SortStableFunc(p.CorrectionStalled, longestIdle)
	for _, d := range depts {
		p.Depts = append(p.Depts, *d)
		p.Total.Open, p.Total.Yellow, p.Total.Red, p.Total.Stalled = p.Total.Open+d.Open, p.Total.Yellow+d.Yellow,
			p.Total.Red+d.Red, p.Total.Stalled+d.Stalled
		p.Total.CorrectionStalled += d.CorrectionStalled
	}
	directory.SortByLevelAndName(p.Depts, func(d deptStats) string { return d.RegionCode }, func(d deptStats) string { return d.Name })
	return w.render(rw, r, http.StatusOK, "supervision", p)
}
