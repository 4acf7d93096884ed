package bench

import (
	"context"
	"fmt"
	"time"
)

// The delivery goal of issue 14: an event reaches a webhook sink on
// loopback within 1 s of its commit (p99) while events commit at 500/s.
const (
	OutboxLatencyRate = 500
	OutboxLatencyGoal = time.Second
)

// outboxLatencyRun is how long events are committed: the 20 s in
// a full run (long enough for the sender's rounds to reach their steady
// state and for 10,000 events to give a p99), the plan's run in a quick one.
func (p *Plan) outboxLatencyRun() time.Duration {
	if p.Quick {
		return p.Duration
	}
	return max(20*time.Second, p.Duration)
}

// OutboxDelivery: outbox delivery latency on each engine (OutboxLatency):
// a fresh Tongban publishing its outbox, run in this process so that the
// events commit through its own store as its actions' do (StartInProcess),
// a webhook registered by the system administrator to a sink on loopback
// that checks each delivery's signature, events committed at 500/s each in
// its own transaction, each timed from its commit to its first arrival. A
// goal per engine, judged by the checks either side of it.
func (p *Plan) OutboxDelivery(ctx context.Context) ([]Row, []Goal, error) {
	return p.onEachEngine(ctx, func(ctx context.Context, engine string) ([]Row, []Goal, error) {
		row, goal, err := p.outboxDeliveryOn(ctx, engine)
		if err != nil {
			return nil, nil, err
		}
		gs := []Goal{goal}
		p.Stamp(gs)
		p.Check(ctx, "after "+engine+" outbox-latency")
		return []Row{row}, gs, nil
	})
}

func (p *Plan) outboxDeliveryOn(ctx context.Context, engine string) (Row, Goal, error) {
	dir, err := p.workDir("outbox-latency-" + engine)
	if err != nil {
		return Row{}, Goal{}, err
	}
	srv, err := StartInProcess(ctx, engine, dir, p.PGAdmin, InProcessOptions{})
	if err != nil {
		return Row{}, Goal{}, err
	}
	defer srv.Close()
	d := p.outboxLatencyRun()
	p.logf("outbox-latency/%s: committing %d events/s for %s in the server's process, delivered to a webhook sink on loopback",
		engine, OutboxLatencyRate, d)
	res, err := OutboxLatency(ctx, srv.URL, srv.App.Store, OutboxLatencyRate, d)
	if err != nil {
		return Row{}, Goal{}, err
	}
	p.logf("outbox-latency/%s: %s", engine, res)
	return outboxDeliveryRow(engine, res), outboxDeliveryGoal(engine, res), nil
}

// outboxDeliveryRow is the run's line of the table: the delivered events'
// rate over the run and their latencies from commit to arrival.
func outboxDeliveryRow(engine string, res OutboxResult) Row {
	h := res.Latency
	rate := 0.0
	if res.Span > 0 {
		rate = float64(res.Delivered) / res.Span.Seconds()
	}
	return Row{Scenario: fmt.Sprintf("outbox delivery to a webhook, %d events/s", res.Rate), Engine: engine, Clients: 32,
		Unit: "events/s", Subject: Measurement{Throughput: rate, P50: h.Quantile(0.5), P95: h.Quantile(0.95),
			P99: h.Quantile(0.99), Avg: h.Mean(), Errors: res.Appended - res.Delivered, Ops: res.Delivered},
		Note: fmt.Sprintf("open loop, not clients: events committed at %d/s for %s (up to 32 commits in flight), each by "+
			"outbox.Append in its own transaction as an action's; latencies from each commit to the event's first "+
			"signed delivery at a sink on loopback (a webhook the system administrator registered, region-wide); "+
			"%d committed, %d delivered, %d delivered again, slowest %s; the errors column counts events not delivered "+
			"within 30 s of the last commit", res.Rate, res.Span.Round(time.Millisecond), res.Appended, res.Delivered,
			res.Repeats, res.Latency.Max().Round(time.Millisecond))}
}

// outboxDeliveryGoal judges the run: p99 within the goal, every committed
// event delivered, and the commits kept up with the rate (at least 95 % of
// the events the rate asks for), or the latency would be of a lighter load.
func outboxDeliveryGoal(engine string, res OutboxResult) Goal {
	p99 := res.Latency.Quantile(0.99)
	want := float64(res.Rate) * res.Span.Seconds()
	kept := want > 0 && float64(res.Appended) >= 0.95*want
	all := res.Appended > 0 && res.Delivered == res.Appended
	g := Goal{Name: fmt.Sprintf("outbox delivery p99 ≤ %s after commit at %d events/s (%s)", OutboxLatencyGoal, res.Rate, engine),
		Got: fmt.Sprintf("p99 %s, p50 %s; %d of %d committed events delivered; %.0f commits/s", ms(p99)+" ms",
			ms(res.Latency.Quantile(0.5))+" ms", res.Delivered, res.Appended, float64(res.Appended)/max(res.Span.Seconds(), 1e-9)),
		Met: p99 <= OutboxLatencyGoal && all && kept}
	switch {
	case !all:
		g.Gap = fmt.Sprintf("%d of %d events not delivered", res.Appended-res.Delivered, res.Appended)
	case !kept:
		g.Gap = fmt.Sprintf("commits ran at %.0f %% of the rate", 100*float64(res.Appended)/want)
	default:
		g.Gap = pct(float64(OutboxLatencyGoal)/float64(max(p99, time.Microsecond)), "of the goal")
	}
	return g
}
