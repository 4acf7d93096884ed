package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
)

// issueSigning: the approver issuing results (POST …/issue) on cases
// already accepted and approved, for the lifecycle's listing, whose result
// is a licence — signed SM2-SM3 and stored with its face in the issue's
// transaction — against issuing on a listing of the same department whose
// result is not a licence, alternately at 32 clients (issue 10's goal:
// ≥ 0.85 ×). Each run issues cases staged beforehand, outside the runs.
func (r *caseRun) issueSigning(ctx context.Context) ([]Row, []Goal, error) {
	const scenario, c = "issue (licence signed vs plain result)", 32
	if r.f.Listing.Result.LicenseType == "" {
		return nil, nil, errors.New("issue: the lifecycle's listing does not issue a licence")
	}
	plain, err := NewPlainCaseFixture(ctx, r.t.URL(""), 8, 10_000)
	if err != nil {
		return nil, nil, err
	}
	perRun := 400
	if r.p.Quick {
		perRun = 150
	}
	pairs := r.p.pairsAt(c)
	r.p.logf("%s/%s: staging %d accepted and approved cases on each listing", scenario, r.t.Engine, perRun*pairs)
	signed, err := stageApproved(ctx, r.f, perRun*pairs, "bench-issue-signed")
	if err != nil {
		return nil, nil, err
	}
	unsigned, err := stageApproved(ctx, plain, perRun*pairs, "bench-issue-plain")
	if err != nil {
		return nil, nil, err
	}
	issue := func(f *CaseFixture, numbers []string) func() Load {
		var next atomic.Int64
		return func() Load {
			return Load{
				MaxRequests: perRun,
				Request: func(c, n int) (*http.Request, error) {
					i := next.Add(1) - 1
					if int(i) >= len(numbers) {
						return nil, errNoCases
					}
					return f.StepRequest(Lifecycle[2], numbers[i])
				},
				Check: func(c, n int, resp *http.Response, body []byte) error {
					if resp.StatusCode != http.StatusOK {
						return fmt.Errorf("issue: %d %s", resp.StatusCode, trim(body))
					}
					return nil
				},
			}
		}
	}
	run := func(l func() Load) func(context.Context) (Measurement, error) {
		return func(ctx context.Context) (Measurement, error) {
			ld := l()
			ld.Warmup = 0 // every staged case is measured
			ld.Clients, ld.Duration = c, r.p.Duration
			res, err := ld.Run(ctx)
			if err != nil {
				return Measurement{}, err
			}
			if res.Errors > 0 {
				return FromResult(res), fmt.Errorf("%d of %d issues failed, first: %v", res.Errors, res.Requests, res.FirstErr)
			}
			return FromResult(res), nil
		}
	}
	r.p.logf("%s/%s: %d clients, %d pairs, up to %d issues or %s each", scenario, r.t.Engine, c, pairs, perRun, r.p.Duration)
	ms, err := AlternateN(ctx, pairs, run(issue(plain, unsigned)), run(issue(r.f, signed)))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", scenario, err)
	}
	cmp := Comparison{Ref: ms[0], Subject: ms[1]}
	row := Row{Scenario: scenario, Engine: r.t.Engine, Clients: c, Unit: "issues/s", Subject: cmp.MedianSubject(),
		RefName: "issue of a plain result", Ref: cmp.MedianRef(), Ratios: cmp.Ratios(),
		Note: fmt.Sprintf("signed: 「%s」 (licence type %s); plain: 「%s」", r.f.Listing.Name, r.f.Listing.Result.LicenseType, plain.Listing.Name)}
	goal := Goal{Name: fmt.Sprintf("issue with signing ≥ 0.85 × issue without at 32 clients (%s)", r.t.Engine),
		Got: fmt.Sprintf("%.2f × (%.0f vs %.0f/s)", row.Ratio(), row.Subject.Throughput, row.Ref.Throughput),
		Met: row.Ratio() >= 0.85, Gap: pct(row.Ratio()/0.85, "of the goal")}
	own, err := r.issueOwnSQL(ctx, plain, c, pairs)
	if err != nil {
		return []Row{row}, []Goal{goal}, fmt.Errorf("%s: %w", scenario, err)
	}
	return []Row{row, own}, []Goal{goal}, nil
}

// issueOwnSQL replays the two issues' own SQL without Tongban
// (refsql/issue_signed.sql against refsql/issue_plain.sql), alternately in
// pairs at c clients on the same database: how much of the signed issue's
// cost is its database work, the bound on what Tongban's ratio can reach.
// Information, not a goal. It runs after Tongban's pairs, so the copies of
// approved cases it acts on are not in the tables while those are measured.
func (r *caseRun) issueOwnSQL(ctx context.Context, plain *CaseFixture, c, pairs int) (_ Row, err error) {
	const scenario = "issue's own SQL: licence vs plain"
	n := max(2000, int(1000*r.p.Duration.Seconds())*pairs)
	r.p.logf("%s/%s: %d copies of approved cases of each listing for the references", scenario, r.t.Engine, n)
	plainRef, err := r.issueReference(ctx, plain, "issue_plain.sql", "bench-issue-ref-plain", n)
	if err != nil {
		return Row{}, err
	}
	signedRef, err := r.issueReference(ctx, r.f, "issue_signed.sql", "bench-issue-ref-signed", n)
	if err != nil {
		return Row{}, err
	}
	r.p.logf("%s/%s: %d clients, %d pairs, %s each", scenario, r.t.Engine, c, pairs, r.p.Duration)
	// The script's licences end in a fixed check character, not a valid
	// identifier, and are held by the bench's applicants: the steps after
	// this one read their wallets, so they go when the pairs are done.
	defer func() {
		lo, _ := strconv.ParseInt(signedRef.Defines["ref_min"], 10, 64)
		hi, _ := strconv.ParseInt(signedRef.Defines["ref_max"], 10, 64)
		if _, derr := r.db.ExecContext(context.WithoutCancel(ctx), `DELETE FROM licenses WHERE case_id BETWEEN $1 AND $2`, lo, hi); derr != nil && err == nil {
			err = fmt.Errorf("removing the reference's licences: %w", derr)
		}
	}()
	ms, err := AlternateN(ctx, pairs, r.side(plainRef, c), r.side(signedRef, c))
	if err != nil {
		return Row{}, err
	}
	cmp := Comparison{Ref: ms[0], Subject: ms[1]}
	return Row{Scenario: scenario, Engine: r.t.Engine, Clients: c, Unit: "issues/s", Subject: cmp.MedianSubject(),
		RefName: plainRef.Name, Ref: cmp.MedianRef(), Ratios: cmp.Ratios(),
		Note: fmt.Sprintf("not Tongban: %s's rate over %s's, without Tongban, on its database (each on %d copies of approved cases); "+
			"the bound on the Tongban row's ratio, not a goal", signedRef.Name, plainRef.Name, n)}, nil
}

// issueReference loads refsql/file for f's listing on n copies of
// approved cases (with their events), made in SQL from one staged through
// the API for each of up to 64 of f's applicants, so the licences have as
// many holders as Tongban's; one more staged case is issued through the
// API first, so caches are warm and, for a licence, the reference has
// Tongban's own licence to copy its values from.
func (r *caseRun) issueReference(ctx context.Context, f *CaseFixture, file, prefix string, n int) (*Reference, error) {
	k := min(len(f.Applicants), 64)
	nums, err := stageApproved(ctx, f, k+1, prefix)
	if err != nil {
		return nil, err
	}
	if err := f.Step(ctx, Lifecycle[2], nums[k]); err != nil {
		return nil, fmt.Errorf("issuing %s: %w", nums[k], err)
	}
	lo, hi, err := copyApproved(ctx, r.db, nums[:k], nums[0]+"-ref-", n)
	if err != nil {
		return nil, err
	}
	ref, err := LoadReference(ctx, r.db, f, file)
	if err != nil {
		return nil, err
	}
	ref.Name = r.refName(file)
	ref.Defines["ref_min"], ref.Defines["ref_max"] = strconv.FormatInt(lo, 10), strconv.FormatInt(hi, 10)
	if lt := f.Listing.Result.LicenseType; lt != "" {
		ref.Defines["license_type"] = lt
	}
	return ref, nil
}

// stageApproved submits n cases of f's listing and takes each through
// accept and approve, 16 at a time, returning their numbers.
func stageApproved(ctx context.Context, f *CaseFixture, n int, prefix string) ([]string, error) {
	if err := f.LearnFace(ctx); err != nil {
		return nil, err
	}
	out := make([]string, n)
	err := Parallel(ctx, n, 16, func(i int) error {
		num, err := f.Submit(ctx, i, fmt.Sprintf("%s-%d", prefix, i))
		for _, s := range Lifecycle[:2] {
			if err == nil {
				err = f.Step(ctx, s, num)
			}
		}
		if err != nil {
			return fmt.Errorf("staging case %d: %w", i, err)
		}
		out[i] = num
		return nil
	})
	return out, err
}
