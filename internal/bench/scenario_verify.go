package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// verifyPage: anyone opening a licence's verify page (the QR on its face,
// GET /v/{token}), for the licences the lifecycle issued to the bench's
// applicants, against pgbench's primary-key select (SQLBench on SQLite)
// alternately at every client count — the case-read goal of issue 10.
func (r *caseRun) verifyPage(ctx context.Context) ([]Row, []Goal, error) {
	paths, err := r.verifyPaths(ctx, 64)
	if err != nil {
		return nil, nil, err
	}
	pk, err := r.reference(ctx, "status_pk.sql", "primary-key select")
	if err != nil {
		return nil, nil, err
	}
	load := func() Load {
		return Load{
			Request: func(c, n int) (*http.Request, error) {
				return http.NewRequest("GET", r.t.URL(paths[(c*7919+n*31)%len(paths)]), nil)
			},
			Check: func(c, n int, resp *http.Response, body []byte) error {
				if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("有效")) {
					return fmt.Errorf("verify page: %d %s", resp.StatusCode, trim(body))
				}
				return nil
			},
		}
	}
	r.p.logf("licence verify page/%s: %d licences issued by the lifecycle", r.t.Engine, len(paths))
	rows, err := r.compare(ctx, "licence verify page", "pages/s", []*Reference{pk}, load)
	return rows, r.goals(rows, "licence verify page", pk.Name, 0.25), err
}

// verifyPaths collects up to max verify-page paths from the applicants'
// wallets (each holder sees their licence's QR link).
func (r *caseRun) verifyPaths(ctx context.Context, max int) ([]string, error) {
	var paths []string
	for _, app := range r.f.Applicants {
		var held []struct {
			Identifier string `json:"identifier"`
		}
		if err := app.Do(ctx, "GET", "/api/v1/licenses", nil, &held); err != nil {
			return nil, fmt.Errorf("wallet: %w", err)
		}
		for _, l := range held {
			var d struct {
				VerifyURL string `json:"verify_url"`
			}
			if err := app.Do(ctx, "GET", "/api/v1/licenses/"+url.PathEscape(l.Identifier), nil, &d); err != nil {
				return nil, fmt.Errorf("licence %s: %w", l.Identifier, err)
			}
			_, token, ok := strings.Cut(d.VerifyURL, "/v/")
			if !ok {
				return nil, fmt.Errorf("licence %s has no verify link: %q", l.Identifier, d.VerifyURL)
			}
			if paths = append(paths, "/v/"+token); len(paths) == max {
				return paths, nil
			}
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("the lifecycle issued no licence to verify (is the bench listing's result a licence type?)")
	}
	return paths, nil
}
