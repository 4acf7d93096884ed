package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
)

// A case waiting for the applicant's 补正 ages on its own threshold
// (--correction-stall-days, 5 working days by default): past it, the
// supervisor sees it as 补正停滞 under its department, apart from the
// cases stalled on the office's side; one asked for correction lately is
// not listed.
func TestSupervisionAgesCorrections(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	clerk := s.user("clerk")
	old, recent := s.onlineCase(), s.onlineCase()
	ask := func(c *tongban.Case) {
		t.Helper()
		if _, err := s.app.Workflow.RequestCorrection(ctx, workflow.Request{Actor: clerk}, c.ID,
			[]tongban.Deficiency{{Key: "m2", Reason: "营业执照复印件不清晰"}}); err != nil {
			t.Fatal(err)
		}
	}
	ask(old)
	s.clock.Set(casesNow.AddDate(0, 0, 7)) // the next Monday: 5 working days later
	ask(recent)
	s.clock.Set(casesNow.AddDate(0, 0, 8)) // Tuesday: 6 working days for the first, 1 for the second

	_, page := s.as("supervisor").get("/console/supervision")
	mustContain(t, "supervision", page, `id="total-correction-stalled">1<`, `id="correction-stalled"`, "6 个工作日未补正",
		"待补正超过 5 个工作日")
	stalled := page[strings.Index(page, `id="correction-stalled"`):]
	stalled = stalled[:strings.Index(stalled, "</table>")]
	if !strings.Contains(stalled, old.Number) || strings.Contains(stalled, recent.Number) {
		t.Errorf("correction-stalled list: old listed %v, recent listed %v", strings.Contains(stalled, old.Number), strings.Contains(stalled, recent.Number))
	}
	if i := strings.Index(page, `id="stalled"`); i >= 0 && strings.Contains(page[i:strings.Index(page[i:], "</table>")+i], old.Number) {
		t.Error("a case waiting for the applicant is listed as stalled by the office")
	}
	if !strings.Contains(page, `<div class="table-wrap">`+"\n"+`<table class="list" id="by-dept">`) {
		t.Error("the department table does not scroll in its box")
	}
}
