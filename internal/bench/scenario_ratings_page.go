package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
)

// ratingsPage: anyone opening the public 好差评成绩单 (GET /ratings: this
// month's figures by department and the city's twelve-month trend, from
// the rating rollups), against the applicants' case-status reads on the
// same server, alternately at 32 clients (issue 13's goal); then the page
// alone at 64 clients for the tail.
func (r *caseRun) ratingsPage(ctx context.Context) ([]Row, []Goal, error) {
	const scenario = "public ratings page (成绩单)"
	status, err := r.statusLoad()
	if err != nil {
		return nil, nil, err
	}
	page := func() Load {
		return Load{
			Request: get(r.t.URL("/ratings")),
			Check: func(c, n int, resp *http.Response, body []byte) error {
				if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("好评率")) {
					return fmt.Errorf("ratings page: %d %s", resp.StatusCode, trim(body))
				}
				return nil
			},
		}
	}
	note := "GET /ratings (this month, every department, the twelve-month trend); reference: the applicants' GET /api/v1/cases/{number}, alternately"
	return r.versusStatus(ctx, scenario, "pages/s", "public ratings page/s", 0.5, note, status, page)
}
