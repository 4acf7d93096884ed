package bench

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// CaseWorkload is one of the case scenarios' loads on fixture f, for runs
// outside the plan (profiling): "submit", "lifecycle", "status",
// "ratings-page" (the public 成绩单), "verify" (the verify pages of
// licences the lifecycle issued), "issue" or "issue-plain" (issuing staged
// approved cases, signed licence or plain result). Lifecycle, status and
// verify first submit cases for prepare at 8 clients. "once-only" submits
// the once-only listing with its three materials spared by reference,
// "once-only-uploads" the same listing with the three files uploaded
// (both stage NewOnceOnlyFixture's enterprises first).
func CaseWorkload(ctx context.Context, f *CaseFixture, name string, prepare time.Duration) (Load, error) {
	r := &caseRun{f: f}
	switch name {
	case "submit":
		return r.submitLoad(), nil
	case "ratings-page": // the public 成绩单, no sign-in
		return Load{Request: get(f.Clerk.Base + "/ratings")}, nil
	case "issue", "issue-plain":
		return issueWorkload(ctx, f, name == "issue-plain")
	case "once-only", "once-only-uploads":
		return onceOnlyWorkload(ctx, f, name == "once-only")
	case "lifecycle", "status", "verify":
	default:
		return Load{}, fmt.Errorf("unknown workload %q: submit, lifecycle, status, ratings-page, verify, issue, issue-plain, once-only or once-only-uploads", name)
	}
	l := r.submitLoad()
	l.Clients, l.Duration = 8, prepare
	if _, err := l.Run(ctx); err != nil {
		return Load{}, err
	}
	if name == "lifecycle" {
		// Its issue step signs a licence, whose face the approver completes
		// as the scenario's does.
		if err := f.LearnFace(ctx); err != nil {
			return Load{}, err
		}
		return r.lifecycleLoad(new(atomic.Int64)), nil
	}
	if name == "verify" {
		return verifyWorkload(ctx, r, prepare)
	}
	subs := append([]submitted(nil), r.submitted...)
	if len(subs) == 0 {
		return Load{}, fmt.Errorf("no case submitted to read")
	}
	return Load{Request: func(c, n int) (*http.Request, error) {
		s := subs[(c*7919+n*31)%len(subs)]
		return f.StatusRequest(s.applicant, s.number)
	}}, nil
}

// verifyWorkload issues licences through the lifecycle for prepare, then
// opens their verify pages.
func verifyWorkload(ctx context.Context, r *caseRun, prepare time.Duration) (Load, error) {
	if err := r.f.LearnFace(ctx); err != nil {
		return Load{}, err
	}
	l := r.lifecycleLoad(new(atomic.Int64))
	l.Clients, l.Duration, l.MaxRequests = 8, prepare, 64*len(Lifecycle)
	if res, err := l.Run(ctx); err != nil && err != errNoCases {
		return Load{}, err
	} else if res.Errors > 0 {
		return Load{}, fmt.Errorf("lifecycle: %d errors, first: %v", res.Errors, res.FirstErr)
	}
	paths, err := r.verifyPaths(ctx, 64)
	if err != nil {
		return Load{}, err
	}
	return Load{Request: func(c, n int) (*http.Request, error) {
		return http.NewRequest("GET", r.f.Clerk.Base+paths[(c*7919+n*31)%len(paths)], nil)
	}}, nil
}

// issueWorkload stages 2,000 approved cases, then issues them: on f's
// listing (a signed licence) or, plain, on a listing of the same
// department whose result is not a licence.
func issueWorkload(ctx context.Context, f *CaseFixture, plain bool) (Load, error) {
	const n = 2000
	if plain {
		p, err := NewPlainCaseFixture(ctx, f.Clerk.Base, 8, 10_000)
		if err != nil {
			return Load{}, err
		}
		f = p
	}
	numbers, err := stageApproved(ctx, f, n, "profile-issue")
	if err != nil {
		return Load{}, err
	}
	var next atomic.Int64
	return Load{MaxRequests: n, Request: func(c, k int) (*http.Request, error) {
		i := next.Add(1) - 1
		if int(i) >= len(numbers) {
			return nil, errNoCases
		}
		return f.StepRequest(Lifecycle[2], numbers[i])
	}}, nil
}

// onceOnlyWorkload stages the once-only scenario's enterprises (as many as
// f has applicants) and submits their listing, by reference or uploading.
func onceOnlyWorkload(ctx context.Context, f *CaseFixture, refs bool) (Load, error) {
	of, err := NewOnceOnlyFixture(ctx, f.Clerk.Base, len(f.Applicants), 20_000)
	if err != nil {
		return Load{}, err
	}
	var seq atomic.Int64
	return Load{Request: func(c, n int) (*http.Request, error) {
		key := fmt.Sprintf("profile-once-%d", seq.Add(1))
		if refs {
			return of.RefsRequest(c, key)
		}
		return of.SubmitRequest(c, key)
	}, Check: func(c, n int, resp *http.Response, body []byte) error {
		if resp.StatusCode != http.StatusCreated || caseNumber(body) == "" {
			return fmt.Errorf("submit: %d %s", resp.StatusCode, trim(body))
		}
		return nil
	}}, nil
}
