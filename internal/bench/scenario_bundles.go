package bench

import (
	"context"
	"fmt"
	"net/http"
)

// bundles: the demo enterprise applying for 开办餐饮店“一件事” (four
// components, three departments: the parent, its four sub-case rows and
// the started registration written in one transaction), each with a fresh
// Idempotency-Key, against the endpoint's own SQL run alternately on the
// same database (issue 12's goal: ≥ 0.5 × at 32 clients).
func (r *caseRun) bundles(ctx context.Context) ([]Row, []Goal, error) {
	f, err := NewBundleFixture(ctx, r.t.URL(""))
	if err != nil {
		return nil, nil, err
	}
	if _, err := f.Submit(ctx, "bench-bundle-first"); err != nil { // the prototype the reference copies
		return nil, nil, fmt.Errorf("first bundle application: %w", err)
	}
	ref, err := LoadBundleReference(ctx, r.db, f)
	if err != nil {
		return nil, nil, err
	}
	ref.Name = r.refName("endpoint SQL")
	run := r.runs.Add(1)
	load := func() Load {
		run++
		return Load{
			Request: func(c, n int) (*http.Request, error) {
				return f.SubmitRequest(fmt.Sprintf("bench-bundle-%d-%d-%d", run, c, n))
			},
			Check: func(c, n int, resp *http.Response, body []byte) error {
				if resp.StatusCode != http.StatusCreated || caseNumber(body) == "" {
					return fmt.Errorf("bundle application: %d %s", resp.StatusCode, trim(body))
				}
				return nil
			},
		}
	}
	const scenario = "bundle applications (4 components)"
	rows, err := r.compare(ctx, scenario, "bundles/s", []*Reference{ref}, load)
	return rows, r.goals(rows, scenario, ref.Name, 0.5), err
}
