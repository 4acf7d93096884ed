package web

import (
	"context"
	"html/template"
	"time"

	"github.com/tongban/tongban"
)

// Staff alerts on the supervision page: reads of personal data that look
// like harvesting (identity raises them). A small section of its own,
// in templates/supervision_alerts.html.

// alertDays is how far back the supervision page lists staff alerts.
const alertDays = 30

// registerSupervisionAlerts parses the supervision page again with its
// alerts section (after registerCases parsed it with the case partials).
func (w *Web) registerSupervisionAlerts() {
	w.pages["supervision"] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
		"templates/layout.html", "templates/cases_parts.html", "templates/supervision_alerts.html", "templates/supervision.html"))
	delete(w.pages, "supervision_alerts") // partial only, not a page
}

// staffAlerts lists the last alertDays of alerts about staff of region.
func (w *Web) staffAlerts(ctx context.Context, region string, now time.Time) ([]*tongban.StaffAlert, error) {
	all, err := w.Store.StaffAlerts(ctx, tongban.StaffAlertFilter{Since: now.AddDate(0, 0, -alertDays), Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []*tongban.StaffAlert
	for _, a := range all {
		if tongban.RegionContains(region, a.RegionCode) {
			out = append(out, a)
		}
	}
	return out, nil
}
