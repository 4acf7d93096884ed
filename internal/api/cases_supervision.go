package api

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/tongban/tongban"
)

// DefaultStalledDays is how many working days without an event make a
// running case stalled (停滞) on the supervision list.
const DefaultStalledDays = 3

// timeSupervision is the 电子监察 list: overdue and stalled cases by
// department, with counts.
type timeSupervision struct {
	Region      string     `json:"region,omitempty"`
	OrgID       int64      `json:"org_id,omitempty"`
	StalledDays int        `json:"stalled_days"`
	Overdue     int        `json:"overdue"`
	Stalled     int        `json:"stalled"`
	Departments []deptTime `json:"departments"` // most cases first
}

type deptTime struct {
	OrgID        int64         `json:"org_id"`
	OrgName      string        `json:"org_name"`
	OverdueCount int           `json:"overdue_count"`
	StalledCount int           `json:"stalled_count"`
	Overdue      []caseItem    `json:"overdue"`
	Stalled      []stalledItem `json:"stalled"`
}

type stalledItem struct {
	caseItem
	IdleDays int `json:"idle_days"` // working days since the last event
}

func (a *API) supervisionRoutes() {
	region := Param{Name: "region", Description: "行政区划代码；默认为本人监察的地区"}
	a.add(Route{Method: "GET", Path: "/api/v1/supervision/overdue", Tag: "supervision", Access: staffOnly,
		Summary: "电子监察：按部门列出超期办件和停滞办件（连续 N 个工作日无办理记录）及数量",
		Query: []Param{region, {Name: "stalled_days", Description: "停滞天数 N（工作日），默认 3"},
			{Name: "org", Description: "只看该部门"}},
		Out: timeSupervision{}, handle: a.supervisionOverdue})
	a.add(Route{Method: "GET", Path: "/api/v1/supervision/denials", Tag: "supervision", Access: staffOnly,
		Summary: "否定备案：不予受理和不予办理的办件及理由（新的在前）",
		Query:   []Param{region, {Name: "limit", Description: "每页条数，默认 100"}, {Name: "offset", Description: "跳过条数"}},
		Out:     []caseItem{}, handle: a.supervisionDenials})
	a.add(Route{Method: "GET", Path: "/api/v1/supervision/post-checks", Tag: "supervision", Access: staffOnly,
		Summary: "事后核查：从待核查的告知承诺办件中随机抽取 sample 件（双随机）",
		Query:   []Param{region, {Name: "sample", Description: "抽取件数，1 至 100，默认 5"}},
		Out:     []caseItem{}, handle: a.supervisionPostChecks})
}

func (a *API) supervisionOverdue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	req, _ := a.caseRequest(r)
	n, err := intParam(r, "stalled_days", DefaultStalledDays, 1, 60)
	if err != nil {
		return err
	}
	f := tongban.CaseFilter{Limit: 1000}
	if f.Within, err = queryRegion(r, "region"); err != nil {
		return err
	}
	if f.OrgID, err = queryID(r, "org"); err != nil {
		return err
	}
	if f.Within == "" && f.OrgID == 0 {
		if f, err = a.staffScope(ctx, req.Actor, f); err != nil {
			return err
		}
	}
	now := a.Workflow.Clock.Now()
	overdue, err := a.Workflow.Overdue(ctx, req, f, now)
	if err != nil {
		return err
	}
	f.States = []tongban.CaseState{tongban.CaseSubmitted, tongban.CaseAccepted, tongban.CaseInReview}
	running, err := a.Workflow.List(ctx, req, f)
	if err != nil {
		return err
	}
	sched, err := a.Workflow.Calendar.Schedule(ctx)
	if err != nil {
		return err
	}
	out := timeSupervision{Region: f.Within, OrgID: f.OrgID, StalledDays: n, Departments: []deptTime{}}
	depts := map[int64]*deptTime{}
	dept := func(id int64) *deptTime {
		if depts[id] == nil {
			depts[id] = &deptTime{OrgID: id, Overdue: []caseItem{}, Stalled: []stalledItem{}}
		}
		return depts[id]
	}
	items, err := a.items(ctx, overdue, now)
	if err != nil {
		return err
	}
	for _, it := range items {
		d := dept(it.OrgID)
		d.Overdue, d.OverdueCount = append(d.Overdue, it), d.OverdueCount+1
		out.Overdue++
	}
	for _, c := range running {
		// A 特别程序 pauses work on purpose; waiting on it is not stalling.
		if !c.PausedSince.IsZero() {
			continue
		}
		idle, _ := sched.WorkdaysBetween(c.UpdatedAt, now)
		if idle < n {
			continue
		}
		its, err := a.items(ctx, []*tongban.Case{c}, now)
		if err != nil {
			return err
		}
		d := dept(c.OrgID)
		d.Stalled, d.StalledCount = append(d.Stalled, stalledItem{caseItem: its[0], IdleDays: idle}), d.StalledCount+1
		out.Stalled++
	}
	for _, d := range depts {
		if err := a.nameOrg(ctx, d); err != nil {
			return err
		}
		slices.SortStableFunc(d.Stalled, func(x, y stalledItem) int { return y.IdleDays - x.IdleDays })
		out.Departments = append(out.Departments, *d)
	}
	slices.SortFunc(out.Departments, func(x, y deptTime) int {
		return cmp.Or(cmp.Compare(y.OverdueCount+y.StalledCount, x.OverdueCount+x.StalledCount), cmp.Compare(x.OrgID, y.OrgID))
	})
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) nameOrg(ctx context.Context, d *deptTime) error {
	org, err := a.Store.Org(ctx, d.OrgID)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	d.OrgName = org.Name
	return nil
}

func (a *API) supervisionDenials(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := pageOf(r)
	if err != nil {
		return err
	}
	region, err := queryRegion(r, "region")
	if err != nil {
		return err
	}
	req, _ := a.caseRequest(r)
	cs, err := a.Workflow.Denials(r.Context(), req, region, limit, offset)
	if err != nil {
		return err
	}
	items, err := a.items(r.Context(), cs, a.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, items)
}

func (a *API) supervisionPostChecks(w http.ResponseWriter, r *http.Request) error {
	n, err := intParam(r, "sample", 5, 1, 100)
	if err != nil {
		return err
	}
	region, err := queryRegion(r, "region")
	if err != nil {
		return err
	}
	req, _ := a.caseRequest(r)
	cs, err := a.Workflow.SamplePostChecks(r.Context(), req, region, n)
	if err != nil {
		return err
	}
	items, err := a.items(r.Context(), cs, a.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, items)
}

// intParam reads an integer query parameter within [lo, hi].
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, tongban.FieldError(name, "应为 %d 至 %d 之间的整数", lo, hi)
	}
	return n, nil
}
