package bench

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ratingSubmit: applicants rating their decided cases (POST
// /api/v1/cases/{number}/ratings, 一事一评 through the website, 非常满意),
// against the endpoint's own SQL (refsql/rating_submit.sql) run alternately
// on the same database (issue 13's goal: ≥ 0.5 × at 32 clients). Each
// encounter is rated once, so every request rates a case of its own: the
// scenario stages decided cases for the applicants before each run.
func (r *caseRun) ratingSubmit(ctx context.Context) ([]Row, []Goal, error) {
	pool, err := r.newRatingPool(ctx)
	if err != nil {
		return nil, nil, err
	}
	ref, err := r.reference(ctx, "rating_submit.sql", "endpoint SQL")
	if err != nil {
		return nil, nil, err
	}
	load := func() Load {
		if err := pool.stage(ctx, r.p.Duration); err != nil {
			return Load{Request: func(int, int) (*http.Request, error) { return nil, err }}
		}
		return Load{
			Request: func(c, n int) (*http.Request, error) {
				rc, err := pool.next()
				if err != nil {
					return nil, err
				}
				req, err := http.NewRequest("POST", r.t.URL("/api/v1/cases/"+rc.number+"/ratings"), strings.NewReader(RatingBody))
				if err != nil {
					return nil, err
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+r.f.Applicants[rc.applicant].Bearer)
				return req, nil
			},
			Check: func(c, n int, resp *http.Response, body []byte) error {
				if resp.StatusCode != http.StatusCreated {
					return fmt.Errorf("rating: %d %s", resp.StatusCode, trim(body))
				}
				return nil
			},
		}
	}
	const scenario = "rating submissions (一事一评)"
	rows, err := r.compare(ctx, scenario, "ratings/s", []*Reference{ref}, load)
	return rows, r.goals(rows, scenario, ref.Name, 0.5), err
}

// ratingPool is the staged decided cases not rated yet, handed out once
// each: copies of one submitted case per applicant, closed.
type ratingPool struct {
	r      *caseRun
	protos []submitted // one case per applicant, the prototype of its copies

	mu       sync.Mutex
	cases    []submitted
	taken    atomic.Int64
	lastMark int64 // taken at the previous stage
	batch    int
}

func (r *caseRun) newRatingPool(ctx context.Context) (*ratingPool, error) {
	p := &ratingPool{r: r}
	seen := map[int]bool{}
	r.mu.Lock()
	for _, s := range r.submitted {
		if !seen[s.applicant] {
			seen[s.applicant] = true
			p.protos = append(p.protos, s)
		}
	}
	r.mu.Unlock()
	if len(p.protos) == 0 {
		return nil, fmt.Errorf("rating submissions: no submitted case to stage decided cases from")
	}
	return p, nil
}

// ratingStageFloor is the least number of ratings a second of load is
// staged for; the pool then keeps four times the last run's use.
const ratingStageFloor = 4000

// stage tops the pool up before a run of length d: at least the floor's
// rate for d, and four times what the last run used.
func (p *ratingPool) stage(ctx context.Context, d time.Duration) error {
	taken := p.taken.Load()
	used := taken - p.lastMark
	p.lastMark = taken
	want := max(int64(ratingStageFloor*d.Seconds()), 4*used)
	p.mu.Lock()
	left := int64(len(p.cases)) - taken
	p.mu.Unlock()
	if left >= want {
		return nil
	}
	per := int((want-left)/int64(len(p.protos))) + 1
	p.batch++
	for _, proto := range p.protos {
		prefix := fmt.Sprintf("%s-r%d-", proto.number, p.batch)
		if err := p.copyClosed(ctx, proto.number, prefix, per); err != nil {
			return fmt.Errorf("stage decided cases: %w", err)
		}
		p.mu.Lock()
		for i := 1; i <= per; i++ {
			p.cases = append(p.cases, submitted{applicant: proto.applicant, number: fmt.Sprintf("%s%d", prefix, i)})
		}
		p.mu.Unlock()
	}
	// Interleave applicants so concurrent clients rate different people's
	// cases, as real raters would.
	p.mu.Lock()
	taken = min(taken, int64(len(p.cases)))
	rest := p.cases[taken:]
	byApplicant := map[int][]submitted{}
	var order []int
	for _, c := range rest {
		if byApplicant[c.applicant] == nil {
			order = append(order, c.applicant)
		}
		byApplicant[c.applicant] = append(byApplicant[c.applicant], c)
	}
	mixed := make([]submitted, 0, len(rest))
	for len(mixed) < len(rest) {
		for _, a := range order {
			if cs := byApplicant[a]; len(cs) > 0 {
				mixed, byApplicant[a] = append(mixed, cs[0]), cs[1:]
			}
		}
	}
	copy(p.cases[taken:], mixed)
	p.mu.Unlock()
	return nil
}

// copyClosed writes n copies of the case numbered proto, closed (decided
// and handed over, so its 一事一评 is open), numbered prefix1 … prefixN.
func (p *ratingPool) copyClosed(ctx context.Context, proto, prefix string, n int) error {
	_, err := p.r.db.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < CAST($3 AS INTEGER))
		INSERT INTO cases (`+caseCopyColumns+`)
		SELECT CAST($2 AS TEXT) || CAST(s.i AS TEXT), listing_id, listing_version, item_name, listing_name, org_id, region_code, board_id,
		  applicant_id, applicant_name, channel, 'closed', 'approved', step, form, materials, corrections, owed_due,
		  commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days,
		  created_at, due_date, provisional, paused_days, paused_since, CURRENT_TIMESTAMP, visits,
		  delivery_method, tracking_no, pickup_window_id, reasons, result_no, NULL,
		  created_at, CURRENT_TIMESTAMP, 1
		FROM cases, s WHERE number = $1`, proto, prefix, n)
	return err
}

// next hands out a staged case not rated yet.
func (p *ratingPool) next() (submitted, error) {
	i := p.taken.Add(1) - 1
	p.mu.Lock()
	defer p.mu.Unlock()
	if i >= int64(len(p.cases)) {
		return submitted{}, fmt.Errorf("rating submissions: the %d staged decided cases are all rated", len(p.cases))
	}
	return p.cases[i], nil
}
