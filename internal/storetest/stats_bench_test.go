package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
)

// BenchmarkDashboard1M times the supervisor dashboard (every measure, by
// department, one quarter) over a year of 1,000,000 cases. The cases' events
// are simulated and go through the aggregator's own Fold and ApplyRollups,
// so the rollups are what the app would have built; the generation time is
// reported as gen-s. Run with: go test ./internal/storetest -run '^$' -bench Dashboard1M -benchtime 20x
func BenchmarkDashboard1M(b *testing.B) {
	for _, d := range Engines {
		b.Run(string(d), func(b *testing.B) { benchDashboard(b, d, 1_000_000) })
	}
}

// BenchmarkDashboard10M is the same at ten times the cases: the cells of a
// day saturate at departments × listings × channels, so the quarter grows
// far less than tenfold.
func BenchmarkDashboard10M(b *testing.B) {
	for _, d := range Engines {
		b.Run(string(d), func(b *testing.B) { benchDashboard(b, d, 10_000_000) })
	}
}

func benchDashboard(b *testing.B, d sqldb.Dialect, cases int) {
	st, ctx := Open(b, d), context.Background()
	start := time.Now()
	const chunk = 50_000
	for lo := 0; lo < cases; lo += chunk {
		evs := simulate(lo, min(lo+chunk, cases), cases)
		if err := st.Transact(ctx, func(tx tongban.Store) error {
			return tx.ApplyRollups(ctx, stats.Fold(evs), 0)
		}); err != nil {
			b.Fatal(err)
		}
	}
	gen := time.Since(start)
	var cells int
	if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM case_rollups`).Scan(&cells); err != nil {
		b.Fatal(err)
	}
	if d == sqldb.Postgres {
		if _, err := st.DB().ExecContext(ctx, `ANALYZE case_rollups`); err != nil {
			b.Fatal(err)
		}
	}
	f := tongban.RollupFilter{From: "2025-04-01", To: "2025-06-30", Region: "511600000000"}
	var dash *stats.Dashboard
	b.ResetTimer()
	for b.Loop() {
		var err error
		if dash, err = stats.Compute(ctx, st, f); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if len(dash.Rows) != benchOrgs || dash.Total.Cases.Submitted == 0 {
		b.Fatalf("dashboard: %d rows, %+v", len(dash.Rows), dash.Total.Cases.RollupCounts)
	}
	b.ReportMetric(gen.Seconds(), "gen-s")
	b.ReportMetric(float64(cells), "cells")
	b.Logf("%s: %d cases → %d rollup cells in %v; quarter: %d submitted, %d closed",
		d, cases, cells, gen.Round(time.Millisecond), dash.Total.Cases.Submitted, dash.Total.Cases.Closed)
}

const (
	benchOrgs     = 50 // departments, 20 listings each, over 5 counties
	benchListings = 20
)

var benchChannels = []tongban.Channel{tongban.ChannelOnline, tongban.ChannelCounter, tongban.ChannelMobile,
	tongban.ChannelKiosk, tongban.ChannelAgent}

// simulate returns the rollup-relevant events of cases [lo, hi) of n spread
// evenly over 2025: submit, accept (or reject), decide, close.
func simulate(lo, hi, n int) []tongban.RollupEvent {
	year := time.Date(2025, 1, 1, 1, 0, 0, 0, time.UTC)
	out := make([]tongban.RollupEvent, 0, (hi-lo)*4)
	for i := lo; i < hi; i++ {
		at := year.Add(time.Duration(i) * (365 * 24 * time.Hour / time.Duration(n)))
		org := i % benchOrgs
		base := tongban.RollupEvent{RegionCode: []string{"511602000000", "511603000000", "511621000000", "511622000000", "511623000000"}[org%5],
			OrgID: int64(org + 1), ListingID: int64(org*benchListings + (i/benchOrgs)%benchListings + 1),
			Channel: benchChannels[i%len(benchChannels)], DueDate: at.AddDate(0, 0, 10).Format(time.DateOnly), CaseVisits: i % 3}
		ev := func(a tongban.CaseAction, to tongban.CaseState, days int) tongban.RollupEvent {
			e := base
			e.Action, e.To, e.At = a, to, at.AddDate(0, 0, days)
			return e
		}
		sub := ev(tongban.ActionSubmit, tongban.CaseSubmitted, 0)
		sub.Materials, sub.NotHandedIn = 5, i%3
		out = append(out, sub)
		if i%20 == 1 {
			out = append(out, ev(tongban.ActionReject, tongban.CaseRejected, 0))
			continue
		}
		acc := ev(tongban.ActionAccept, tongban.CaseAccepted, 0)
		acc.AtWindow = i%4 != 0
		out = append(out, acc)
		decide := ev(tongban.ActionApprove, tongban.CaseApproved, 1+i%12)
		if i%10 == 0 {
			decide = ev(tongban.ActionDeny, tongban.CaseDenied, 1+i%12)
		}
		out = append(out, decide)
		cl := ev(tongban.ActionDeliver, tongban.CaseClosed, 2+i%12)
		cl.DecidedAt = decide.At
		out = append(out, cl)
	}
	return out
}
