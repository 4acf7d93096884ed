package bench

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The latency run against a whole Tongban in this process, as the
// scenario starts it (SQLite, demo city, publishing): every committed
// event reaches the sink once, each with a latency, and the row counts
// what the run saw.
func TestOutboxLatencyDeliversEveryEvent(t *testing.T) {
	ctx := context.Background()
	srv, err := StartInProcess(ctx, "sqlite", t.TempDir(), "", InProcessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	res, err := OutboxLatency(ctx, srv.URL, srv.App.Store, 100, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Appended < 50 || res.Delivered != res.Appended || res.Repeats != 0 {
		t.Fatalf("%d committed, %d delivered, %d repeats", res.Appended, res.Delivered, res.Repeats)
	}
	if got := res.Latency.Count(); got != uint64(res.Delivered) || res.Latency.Quantile(0.5) <= 0 {
		t.Fatalf("%d latencies for %d deliveries, p50 %s", got, res.Delivered, res.Latency.Quantile(0.5))
	}
	row := outboxDeliveryRow("sqlite", res)
	if row.Subject.Ops != res.Delivered || row.Subject.Errors != 0 || row.Subject.P99 != res.Latency.Quantile(0.99) {
		t.Errorf("row %+v", row.Subject)
	}
}

// The goal asks for the p99, every event delivered and the rate kept.
func TestOutboxDeliveryGoal(t *testing.T) {
	result := func(appended, delivered int, latency time.Duration) OutboxResult {
		h := &Histogram{}
		for range delivered {
			h.Record(latency)
		}
		return OutboxResult{Rate: 500, Appended: appended, Delivered: delivered, Latency: h, Span: 20 * time.Second}
	}
	for _, c := range []struct {
		name string
		res  OutboxResult
		met  bool
		gap  string
	}{
		{"fast and complete", result(10000, 10000, 120*time.Millisecond), true, "of the goal"},
		{"p99 over a second", result(10000, 10000, 1500*time.Millisecond), false, "of the goal"},
		{"an event lost", result(10000, 9999, 120*time.Millisecond), false, "1 of 10000 events not delivered"},
		{"commits fell behind the rate", result(9000, 9000, 120*time.Millisecond), false, "commits ran at 90 % of the rate"},
	} {
		g := outboxDeliveryGoal("postgres", c.res)
		if g.Met != c.met || !strings.Contains(g.Gap, c.gap) || !strings.HasSuffix(g.Name, "(postgres)") {
			t.Errorf("%s: %+v", c.name, g)
		}
	}
}
