package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
)

// TestRollupsCountByHand stores three cases with the events the workflow
// writes, folds them in, and checks every counter and measure against a
// hand count; folding again changes nothing.
func TestRollupsCountByHand(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		day := func(dd int) time.Time { return time.Date(2026, 3, dd, 10, 0, 0, 0, time.UTC) }
		mk := func(n int, ch tongban.Channel, visits int, decided time.Time, ms ...tongban.MaterialStatus) *tongban.Case {
			c := newCase(dept, u, fmt.Sprintf("511602000000-20260302-%06d", n), fmt.Sprint("k", n))
			c.Channel, c.Visits, c.DueDate, c.DecidedAt, c.Materials = ch, visits, "2026-03-10", decided, nil
			for i, s := range ms {
				m := tongban.CaseMaterial{Key: fmt.Sprint("m", i), Name: "材料", Status: s}
				if s == tongban.MaterialELicense { // resolved; other spared statuses here are only declared
					m.Ref = &tongban.MaterialRef{Kind: tongban.RefLicense, ID: "1.2.156.3005.2.test", Version: 1}
				}
				c.Materials = append(c.Materials, m)
			}
			if err := st.CreateCase(ctx, c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		ev := func(c *tongban.Case, at time.Time, org *tongban.Org, a tongban.CaseAction, to tongban.CaseState) {
			e := &tongban.CaseEvent{CaseID: c.ID, At: at, ActorName: "李四", Role: "clerk", OrgID: org.ID, Action: a, To: to}
			if err := st.AppendCaseEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		// A: counter, accepted at the comprehensive window, approved on time, picked up (2 visits).
		a := mk(1, tongban.ChannelCounter, 2, day(5), tongban.MaterialProvided, tongban.MaterialELicense)
		ev(a, day(2), window, tongban.ActionSubmit, tongban.CaseSubmitted)
		ev(a, day(2), window, tongban.ActionAccept, tongban.CaseAccepted)
		ev(a, day(5), dept, tongban.ActionApprove, tongban.CaseApproved)
		ev(a, day(6), window, tongban.ActionDeliver, tongban.CaseClosed)
		// B: online, accepted by the department, denied late, closed; its
		// "shared" material was declared, never resolved, so it is not spared.
		b := mk(2, tongban.ChannelOnline, 0, day(20), tongban.MaterialProvided, tongban.MaterialShared)
		ev(b, day(2), dept, tongban.ActionSubmit, tongban.CaseSubmitted)
		ev(b, day(3), dept, tongban.ActionAccept, tongban.CaseAccepted)
		ev(b, day(20), dept, tongban.ActionDeny, tongban.CaseDenied)
		agg := stats.NewAggregator(st, nil)
		if err := agg.Refresh(ctx); err != nil { // a first fold halfway, as the app would
			t.Fatal(err)
		}
		ev(b, day(21), dept, tongban.ActionClose, tongban.CaseClosed)
		// C: counter, not accepted by the department at the window, rejected.
		c := mk(3, tongban.ChannelCounter, 1, time.Time{}, tongban.MaterialProvided)
		ev(c, day(4), window, tongban.ActionSubmit, tongban.CaseSubmitted)
		ev(c, day(4), window, tongban.ActionReject, tongban.CaseRejected)

		f := tongban.RollupFilter{From: "2026-01-01", To: "2026-03-31", Region: "511600000000"}
		want := tongban.RollupCounts{Submitted: 3, CounterSubmitted: 2, CounterAcceptedAtWindow: 1, Accepted: 2,
			Decided: 2, Closed: 2, ClosedOnTime: 1, Visits: 2, OneTripCases: 1, MaterialsAsked: 5,
			MaterialsNotHanded: 1, MaterialsByLicense: 1, Denied: 1, Rejected: 1} // A's licence (免提交率)
		for i := 0; i < 2; i++ { // the second fold must change nothing
			if err := agg.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			dash, err := stats.Compute(ctx, st, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(dash.Rows) != 1 || dash.Rows[0].OrgID != dept.ID || dash.Total.Cases.RollupCounts != want {
				t.Fatalf("fold %d: %+v, want %+v", i, dash.Total.Cases.RollupCounts, want)
			}
			m := dash.Rows[0].Cases
			for name, got := range map[string]stats.Ratio{"一窗受理率": m.OneWindowRate, "按时办结率": m.OnTimeRate,
				"跑动次数": m.VisitsPerCase, "最多跑一次": m.OneTripRate, "材料减少率": m.MaterialsSaved} {
				exp := map[string]float64{"一窗受理率": 0.5, "按时办结率": 0.5, "跑动次数": 1, "最多跑一次": 0.5, "材料减少率": 0.2}[name]
				if got == nil || *got != exp {
					t.Errorf("%s = %v, want %v", name, got, exp)
				}
			}
			if m.Ratings != stats.NoRatings {
				t.Errorf("ratings = %q", m.Ratings)
			}
		}
		// Filters: another period, region, org or channel.
		for _, g := range []tongban.RollupFilter{{To: "2026-03-01"}, {Region: "511603000000"}, {OrgID: window.ID}} {
			if sums, err := st.SumRollups(ctx, g); err != nil || len(sums) != 0 {
				t.Errorf("filter %+v: %v, %v", g, sums, err)
			}
		}
		sums, err := st.SumRollups(ctx, tongban.RollupFilter{Channel: tongban.ChannelCounter, From: "2026-03-06", To: "2026-03-06"})
		if err != nil || sums[dept.ID] != (tongban.RollupCounts{Closed: 1, ClosedOnTime: 1, Visits: 2}) {
			t.Errorf("counter on 3-06: %+v, %v", sums, err)
		}
	})
}

func TestCatalogMeasures(t *testing.T) {
	ls := []tongban.ListingFact{
		{OnlineDepth: tongban.DepthFullyOnline, CaseType: tongban.CaseInstant, StatutoryDays: 20, PromisedDays: 0},
		{OnlineDepth: tongban.DepthOnlineVerify, CaseType: tongban.CasePromised, StatutoryDays: 20, PromisedDays: 15},
		{OnlineDepth: tongban.DepthOnSite, CaseType: tongban.CasePromised, PromisedDays: 5},
		{OnlineDepth: tongban.DepthOnSite, CaseType: tongban.CasePromised, StatutoryDays: 10, PromisedDays: 5},
	}
	m := stats.Catalog(ls)
	for name, c := range map[string][2]any{"网上可办率": {m.OnlineRate, 0.5}, "全程网办率": {m.FullyOnline, 0.25},
		"即办件比例": {m.InstantRate, 0.25}, "承诺时限压缩率": {m.Compression, 1.75 / 3}, "压缩≥50%": {m.CompressionMet, 2.0 / 3}} {
		got, want := c[0].(stats.Ratio), c[1].(float64)
		if got == nil || *got-want > 1e-9 || want-*got > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if e := stats.Catalog(nil); e.OnlineRate != nil || e.Compression != nil {
		t.Errorf("empty catalog: %+v", e)
	}
}

// Dashboards computes a filter's dashboard once per TTL: requests within it
// share one computation (even when they arrive together), and a fold of
// new events shows once the TTL has passed.
func TestDashboardsServeWithinTTL(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		add := func(n int64, watermark int64) {
			err := st.Transact(ctx, func(tx tongban.Store) error {
				if _, err := tx.RollupWatermark(ctx); err != nil {
					return err
				}
				key := tongban.RollupKey{Day: "2026-03-02", RegionCode: dept.RegionCode, OrgID: dept.ID, ListingID: 1, Channel: tongban.ChannelOnline}
				return tx.ApplyRollups(ctx, map[tongban.RollupKey]tongban.RollupCounts{key: {Submitted: n}}, watermark)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		clock := tongban.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		dash := &stats.Dashboards{Store: st, Clock: clock, TTL: 5 * time.Second}
		f := tongban.RollupFilter{From: "2026-01-01", To: "2026-03-31"}

		add(3, 1)
		first, err := dash.Get(ctx, f)
		if err != nil || first.Total.Cases.Submitted != 3 || len(first.Rows) != 1 || first.Rows[0].OrgName != dept.Name {
			t.Fatalf("first: %+v, %v", first, err)
		}
		add(2, 2)
		clock.Advance(3 * time.Second) // before the renewal (stats.RenewAhead)
		if again, _ := dash.Get(ctx, f); again != first {
			t.Errorf("within the TTL the dashboard was computed again (%d submitted)", again.Total.Cases.Submitted)
		}
		clock.Advance(2 * time.Second)
		if later, _ := dash.Get(ctx, f); later.Total.Cases.Submitted != 5 {
			t.Errorf("after the TTL: %d submitted, want 5", later.Total.Cases.Submitted)
		}
		fresh, _ := stats.Compute(ctx, st, f)
		if fresh.Total.Cases.Submitted != 5 {
			t.Errorf("Compute: %d submitted", fresh.Total.Cases.Submitted)
		}

		g := tongban.RollupFilter{From: "2026-03-01", To: "2026-03-31", OrgID: dept.ID}
		got := make([]*stats.Dashboard, 8)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() { got[i], _ = dash.Get(ctx, g) })
		}
		wg.Wait()
		for i := range got {
			if got[i] == nil || got[i] != got[0] {
				t.Fatalf("request %d got its own computation or none", i)
			}
		}
	})
}
