package bench

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// CaseWorkload is one of the case scenarios' loads on fixture f, for runs
// outside the plan (profiling): "submit", "lifecycle", "status" or
// "ratings-page" (the public 成绩单). Lifecycle and status first submit
// cases for prepare at 8 clients.
func CaseWorkload(ctx context.Context, f *CaseFixture, name string, prepare time.Duration) (Load, error) {
	r := &caseRun{f: f}
	switch name {
	case "submit":
		return r.submitLoad(), nil
	case "ratings-page": // the public 成绩单, no sign-in
		return Load{Request: get(f.Clerk.Base + "/ratings")}, nil
	case "lifecycle", "status":
	default:
		return Load{}, fmt.Errorf("unknown workload %q: submit, lifecycle, status or ratings-page", name)
	}
	l := r.submitLoad()
	l.Clients, l.Duration = 8, prepare
	if _, err := l.Run(ctx); err != nil {
		return Load{}, err
	}
	if name == "lifecycle" {
		return r.lifecycleLoad(new(atomic.Int64)), nil
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
