package bench

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// DashboardPath is the supervisor dashboard's API call: the measures of
// this quarter so far by department, in the supervisor's own region.
const DashboardPath = "/api/v1/stats/measures"

// dashboardBody is what the scenario checks of a dashboard answer.
type dashboardBody struct {
	Filter struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"filter"`
	Rows  []struct{} `json:"rows"`
	Total struct {
		Cases struct {
			Submitted int64 `json:"submitted"`
			Closed    int64 `json:"closed"`
		} `json:"cases"`
	} `json:"total"`
}

// dashboard: the demo supervisor loading the measures dashboard, on the
// server and database of the case scenarios (after them, so the rollups
// hold their cases), against the applicants' case-status reads measured
// alternately in the same run at 32 clients; then the dashboard alone at
// 64 clients for the tail.
func (r *caseRun) dashboard(ctx context.Context) ([]Row, []Goal, error) {
	const scenario = "dashboard (measures by department)"
	sup, err := TokenFor(ctx, r.t.URL(""), "supervisor", DemoPassword)
	if err != nil {
		return nil, nil, err
	}
	r.mu.Lock()
	want := int64(len(r.submitted))
	r.mu.Unlock()
	d, err := waitRollups(ctx, sup, want, 30*time.Second)
	if err != nil {
		return nil, nil, err
	}
	status, err := r.statusLoad()
	if err != nil {
		return nil, nil, err
	}
	load := func() Load {
		return Load{Request: func(c, n int) (*http.Request, error) {
			req, err := http.NewRequest("GET", sup.Base+DashboardPath, nil)
			if err != nil {
				return nil, err
			}
			sup.Sign(req)
			return req, nil
		}}
	}
	note := fmt.Sprintf("GET %s as the demo supervisor (default period %s – %s, the supervisor's region, %d department rows; "+
		"the rollups held %d submitted and %d closed cases when the runs began: the %d the API took, the reference scripts' and the demo's); "+
		"reference: the applicants' "+
		"GET /api/v1/cases/{number} on the same server, alternately", DashboardPath, d.Filter.From, d.Filter.To, len(d.Rows),
		d.Total.Cases.Submitted, d.Total.Cases.Closed, want)

	r.p.logf("dashboard/%s: %s", r.t.Engine, note)
	return r.versusStatus(ctx, scenario, "req/s", "dashboard requests/s", 0.5, note, status, load)
}

// versusStatus measures load against the applicants' case-status reads
// (status), alternately at 32 clients, then load alone at 64 clients for
// the tail, and judges the ratio against want.
func (r *caseRun) versusStatus(ctx context.Context, scenario, unit, goal string, want float64, note string, status, load func() Load) ([]Row, []Goal, error) {
	var rows []Row
	ResetPeakRSS(r.t.Pid())
	const c = 32
	r.p.logf("%s/%s: %d clients, %d pairs of case-status reads and Tongban, %s each", scenario, r.t.Engine, c, r.p.pairsAt(c), r.p.Duration)
	ms, err := AlternateN(ctx, r.p.pairsAt(c), r.subject(status, c), r.subject(load, c))
	if err != nil {
		return rows, nil, fmt.Errorf("%s at %d clients: %w", scenario, c, err)
	}
	cmp := Comparison{Ref: ms[0], Subject: ms[1]}
	rows = append(rows, Row{Scenario: scenario, Engine: r.t.Engine, Clients: c, Unit: unit,
		Subject: cmp.MedianSubject(), RefName: "case-status reads", Ref: cmp.MedianRef(), Ratios: cmp.Ratios(), Note: note})
	goals := func() []Goal {
		var goals []Goal
		for _, row := range rows {
			if row.Clients != tailClients {
				goals = append(goals, Goal{Name: fmt.Sprintf("%s ≥ %.2g × case-status reads at 32 clients (%s)", goal, want, r.t.Engine),
					Got: fmt.Sprintf("%.2f × (%.0f vs %.0f/s)", row.Ratio(), row.Subject.Throughput, row.Ref.Throughput),
					Met: row.Ratio() >= want, Gap: pct(row.Ratio()/want, "of the goal")})
			} else {
				goals = append(goals, tailGoal(scenario+" ("+r.t.Engine+")", row))
			}
		}
		return goals
	}
	row, err := r.tail(ctx, scenario, unit, load)
	if err != nil {
		return rows, goals(), err
	}
	rows = append(rows, row)
	return rows, goals(), nil
}

// waitRollups reads the dashboard until its rollups count at least want
// submitted cases (the aggregator folds events in every few seconds), or
// until timeout, and returns the last answer.
func waitRollups(ctx context.Context, sup *API, want int64, timeout time.Duration) (dashboardBody, error) {
	deadline := time.Now().Add(timeout)
	for {
		var d dashboardBody
		if err := sup.Do(ctx, "GET", DashboardPath, nil, &d); err != nil {
			return d, fmt.Errorf("dashboard: %w", err)
		}
		if d.Total.Cases.Submitted >= want || time.Now().After(deadline) {
			return d, nil
		}
		select {
		case <-ctx.Done():
			return d, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
