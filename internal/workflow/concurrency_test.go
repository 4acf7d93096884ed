package workflow_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// Two clerks press 受理 on the same case at once: exactly one succeeds, the
// other is told the case is already accepted, and one event is written.
func TestConcurrentAcceptsExactlyOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		for round := 0; round < 5; round++ {
			c := w.step(at(2026, 3, 2, 9, round), "submit", func() (*tongban.Case, error) {
				return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
					ApplicantID: w.li.ID, Channel: tongban.ChannelCounter, Materials: provided("m1", "m2", "m3", "m4", "m5", "m6")})
			})
			start := make(chan struct{})
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, clerk := range []*tongban.User{w.clerk, w.clerk2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = wf.Accept(ctx, as(clerk), c.ID, workflow.AcceptInput{})
				}()
			}
			close(start)
			wg.Wait()
			ok, conflicts := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case tongban.IsCode(err, tongban.EConflict):
					conflicts++
				default:
					t.Errorf("round %d: unexpected error %v", round, err)
				}
			}
			if ok != 1 || conflicts != 1 {
				t.Fatalf("round %d: %d successes, %d conflicts (%v)", round, ok, conflicts, errs)
			}
			evs, err := w.st.CaseEvents(ctx, c.ID)
			if err != nil || len(evs) != 2 || evs[1].Action != tongban.ActionAccept {
				t.Fatalf("round %d: events %+v, %v", round, evs, err)
			}
			got, _ := w.st.Case(ctx, c.ID)
			if got.State != tongban.CaseAccepted || got.Version != 2 {
				t.Errorf("round %d: %s version %d", round, got.State, got.Version)
			}
		}
	})
}

// Twenty retries of one submission with one Idempotency-Key, all at once,
// make one case; every caller gets that case.
func TestRetriedSubmitsMakeOneCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		w.clock.Set(at(2026, 3, 2, 9, 0))
		const n = 20
		start := make(chan struct{})
		cases := make([]*tongban.Case, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				cases[i], errs[i] = wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
					Channel: tongban.ChannelOnline, Materials: provided("m1"), IdempotencyKey: "7f3c1e9a-retry"})
			}()
		}
		close(start)
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("submit %d: %v", i, errs[i])
			}
			if cases[i].ID != cases[0].ID || cases[i].Number != cases[0].Number {
				t.Errorf("submit %d got case %s, submit 0 got %s", i, cases[i].Number, cases[0].Number)
			}
		}
		all, err := w.st.Cases(ctx, tongban.CaseFilter{ApplicantID: w.zhang.ID})
		if err != nil || len(all) != 1 {
			t.Fatalf("%d cases stored, %v", len(all), err)
		}
		if all[0].Number != "511602000000-20260302-000001" {
			t.Errorf("number %s: a lost race must not burn a sequence number", all[0].Number)
		}
		if evs, _ := w.st.CaseEvents(ctx, all[0].ID); len(evs) != 1 {
			t.Errorf("%d events for one submission", len(evs))
		}
		// The key is per applicant, and not for another application.
		if _, err := wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.card.ID, ListingVersion: 1,
			Channel: tongban.ChannelOnline, IdempotencyKey: "7f3c1e9a-retry"}); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("key reused for another listing: %v", err)
		}
		other, err := wf.Submit(ctx, as(w.li), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
			Channel: tongban.ChannelOnline, IdempotencyKey: "7f3c1e9a-retry"})
		if err != nil || other.ID == all[0].ID {
			t.Errorf("another applicant's same key: %v, %v", other, err)
		}
	})
}

// A listing suspended after the applicant read it refuses an application
// naming the version they read, not only one naming none.
func TestSuspendedListingRefusesPinnedVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		w.clock.Set(at(2026, 3, 2, 9, 0))
		read := w.food.Version
		l, err := w.st.Listing(ctx, w.food.ID)
		w.must(err)
		l.Status = tongban.ListingSuspended
		w.must(w.st.UpdateListing(ctx, l))
		v := tongban.NewListingVersion(*l, 0, w.clock.Now(), "暂停：系统升级")
		w.must(w.st.InsertListingVersion(ctx, &v))
		for _, version := range []int{read, 0} {
			w.refuse(fmt.Sprintf("apply naming version %d of a suspended listing", version), tongban.EConflict, func() (*tongban.Case, error) {
				return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: version,
					Channel: tongban.ChannelOnline, Materials: provided("m1")})
			}, "暂停")
		}
	})
}
