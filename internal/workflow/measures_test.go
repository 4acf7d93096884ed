package workflow_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// TestRollupsRebuildFromEvents: cases run through the workflow while the
// aggregator folds their events in as a running server does, between
// actions that change the case afterwards (a supplement adds a material, a
// 容缺 material arrives, visits accrue). Rebuilding every rollup from the
// events then gives the same measures, on both engines, and both engines
// give the same numbers — which are also checked by hand.
func TestRollupsRebuildFromEvents(t *testing.T) {
	byEngine := map[sqldb.Dialect]tongban.RollupCounts{}
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		agg := stats.NewAggregator(w.st, nil)
		fold := func() {
			t.Helper()
			w.must(agg.Refresh(ctx))
		}

		// A: at the counter, the business licence spared by an e-licence;
		// a correction, a supplement that adds a material, 容缺, pickup.
		a := w.step(at(2026, 2, 10, 9, 30), "A submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				ApplicantID: w.li.ID, Channel: tongban.ChannelCounter,
				Materials: append(provided("m1", "m3", "m5"), eLicence("m2", w.li))})
		})
		fold()
		a = w.step(at(2026, 2, 10, 9, 45), "A notice", func() (*tongban.Case, error) {
			return wf.RequestCorrection(ctx, as(w.clerk), a.ID, []tongban.Deficiency{{Key: "m6", Reason: "未提交平面图"}})
		})
		a = w.step(at(2026, 2, 12, 10, 0), "A supplement", func() (*tongban.Case, error) {
			return wf.Supplement(ctx, as(w.clerk2), a.ID, provided("m6"))
		})
		a = w.step(at(2026, 2, 12, 10, 10), "A accept with 容缺", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), a.ID, workflow.AcceptInput{Owed: []string{"m4"}, OwedDays: 3})
		})
		fold()
		for i, opinion := range []string{"材料符合要求", "现场核查合格"} {
			a = w.step(at(2026, 2, 13+i, 10, 0), "A review", func() (*tongban.Case, error) {
				return wf.Review(ctx, as(w.boardApprover), a.ID, opinion)
			})
		}
		a = w.step(at(2026, 2, 25, 10, 0), "A approve", func() (*tongban.Case, error) {
			return wf.Approve(ctx, as(w.decider), a.ID, "准予许可")
		})
		a = w.step(at(2026, 2, 26, 10, 0), "A issue", func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.boardApprover), a.ID, "JY26116020000088")
		})
		fold()
		a = w.step(at(2026, 2, 27, 9, 50), "A owed material", func() (*tongban.Case, error) {
			return wf.ProvideOwed(ctx, as(w.handout), a.ID, provided("m4"), false)
		})
		a = w.step(at(2026, 2, 27, 10, 0), "A pickup", func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.handout), a.ID, workflow.DeliverInput{Collector: tongban.CollectorSelf, IdentityChecked: true})
		})

		// B: on the phone, accepted at a window, denied late, closed.
		b := w.step(at(2026, 3, 2, 9, 0), "B submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.wang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				Channel: tongban.ChannelMobile, Materials: provided("m1", "m2", "m3", "m4", "m5", "m6", "m7")})
		})
		b = w.step(at(2026, 3, 2, 14, 0), "B accept", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), b.ID, workflow.AcceptInput{})
		})
		fold()
		for i := range 2 {
			b = w.step(at(2026, 3, 3+i, 9, 0), "B review", func() (*tongban.Case, error) {
				return wf.Review(ctx, as(w.reviewer), b.ID, "审查")
			})
		}
		b = w.step(at(2026, 3, 20, 10, 0), "B deny", func() (*tongban.Case, error) {
			return wf.Deny(ctx, as(w.decider), b.ID, []string{"经营场所位于居民住宅楼内"})
		})
		b = w.step(at(2026, 3, 20, 15, 0), "B decision mailed", func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.decider), b.ID, workflow.DeliverInput{Method: tongban.DeliveryExpress, TrackingNo: "EMS1234567890"})
		})

		// C: at the counter, refused (不予受理). D: an instant card, handed over.
		c := w.step(at(2026, 3, 4, 9, 0), "C submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				ApplicantID: w.zhang.ID, Channel: tongban.ChannelCounter, Materials: provided("m1")})
		})
		w.step(at(2026, 3, 4, 9, 10), "C reject", func() (*tongban.Case, error) {
			return wf.Reject(ctx, as(w.clerk), c.ID, []string{"不属于本部门职权范围"})
		})
		dc := w.step(at(2026, 3, 3, 9, 0), "D submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.card.ID, ListingVersion: 1,
				ApplicantID: w.zhang.ID, Channel: tongban.ChannelCounter, Materials: provided("c1", "c2")})
		})
		fold()
		dc = w.step(at(2026, 3, 3, 9, 5), "D accept", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), dc.ID, workflow.AcceptInput{})
		})
		dc = w.step(at(2026, 3, 3, 9, 20), "D issue", func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.clerk), dc.ID, "")
		})
		w.step(at(2026, 3, 3, 9, 25), "D hand over", func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.handout), dc.ID, workflow.DeliverInput{Method: tongban.DeliveryPickup, Collector: tongban.CollectorSelf, IdentityChecked: true})
		})
		fold()

		f := tongban.RollupFilter{From: "2026-01-01", To: "2026-03-31", Region: "511600000000"}
		live, err := stats.Compute(ctx, w.st, f)
		w.must(err)
		w.must(agg.Rebuild(ctx))
		rebuilt, err := stats.Compute(ctx, w.st, f)
		w.must(err)
		if live.Total.Cases.RollupCounts != rebuilt.Total.Cases.RollupCounts {
			t.Fatalf("rebuilt rollups differ:\n live    %+v\n rebuilt %+v", live.Total.Cases.RollupCounts, rebuilt.Total.Cases.RollupCounts)
		}
		for i := range live.Rows {
			if live.Rows[i].OrgID != rebuilt.Rows[i].OrgID || live.Rows[i].Cases.RollupCounts != rebuilt.Rows[i].Cases.RollupCounts {
				t.Errorf("%s: live %+v, rebuilt %+v", live.Rows[i].OrgName, live.Rows[i].Cases.RollupCounts, rebuilt.Rows[i].Cases.RollupCounts)
			}
		}
		// By hand. Asked at submission: A the six required materials, B six
		// and the conditional one it gave, C six, D two; spared: A's licence.
		// Closed: A (3 visits, decided 02-25 against 03-04), B (denied after
		// its 03-16 due date, no visit), D (instant, 1 visit).
		want := tongban.RollupCounts{Submitted: 4, CounterSubmitted: 3, CounterAcceptedAtWindow: 2, Accepted: 3,
			Decided: 3, Closed: 3, ClosedOnTime: 2, Visits: 4, OneTripCases: 2, MaterialsAsked: 21,
			MaterialsNotHanded: 1, MaterialsByLicense: 1, Denied: 1, Rejected: 1}
		if got := rebuilt.Total.Cases.RollupCounts; got != want {
			t.Errorf("measures %+v\n want     %+v", got, want)
		}
		if m := rebuilt.Total.Cases.MaterialsSaved; m == nil || *m != 1.0/21 {
			t.Errorf("材料减少率 = %v, want 1/21", m)
		}
		byEngine[d] = rebuilt.Total.Cases.RollupCounts
	})
	if sq, pg := byEngine[sqldb.SQLite], byEngine[sqldb.Postgres]; len(byEngine) == 2 && sq != pg {
		t.Errorf("engines differ:\n sqlite   %+v\n postgres %+v", sq, pg)
	}
}
