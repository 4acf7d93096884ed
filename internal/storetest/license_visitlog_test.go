package storetest

import (
	"context"
	"sync"
	"testing"

	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestVisitLogWritesEveryVisit: visits opened together through the
// group-commit log are each stored once, with what each showed, and every
// page waits for its own; after Stop, visits are written one by one.
func TestVisitLogWritesEveryVisit(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, _ := storedLicence(t, st)
		face, err := license.FaceLinkOf(ctx, st, l, t0)
		if err != nil {
			t.Fatal(err)
		}
		log := license.StartVisitLog(st)
		const visits = 60
		var wg sync.WaitGroup
		errs := make([]error, visits)
		for i := range visits {
			wg.Go(func() {
				v, err := license.OpenLink(ctx, st, log, face.Token, t0)
				if err == nil && v.Verification.Verdict != license.VerdictValid {
					t.Errorf("visit %d showed %s", i, v.Verification.Verdict)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("visit %d: %v", i, err)
			}
		}
		log.Stop()
		if _, err := license.OpenLink(ctx, st, log, face.Token, t0); err != nil {
			t.Fatalf("a visit after Stop: %v", err)
		}
		got, err := st.LicenseVisits(ctx, l.ID, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != visits+1 {
			t.Fatalf("%d visits stored, want %d", len(got), visits+1)
		}
		ids := map[int64]bool{}
		for _, v := range got {
			if ids[v.ID] || v.Outcome != license.VerdictValid || v.LinkID != face.ID {
				t.Fatalf("visit stored wrong or twice: %+v", v)
			}
			ids[v.ID] = true
		}
	})
}
