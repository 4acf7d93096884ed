package outbox_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// The operations figures in /metrics come from what the outbox holds: the
// backlog grows with committed events and empties once they are delivered,
// and deliveries are counted by sink.
func TestMetricsFollowTheBacklog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		sys := newReceiver(t, w.clock)
		sys.secret = w.webhook(sys.srv.URL, w.dept, false).Secret
		reg := prometheus.NewRegistry()
		p := w.publisher()
		m := outbox.NewMetrics(reg, w.st, func() []string { return []string{"webhooks"} })
		p.Metrics = m
		p.Consumers[0].(*outbox.Webhooks).Metrics = m
		w.run(p) // takes the lease and starts its cursor

		w.event("case.submitted", "case:1", w.dept)
		w.event("case.accepted", "case:1", w.dept)
		if got := gauge(t, reg, "tongban_outbox_backlog", "consumer", "webhooks"); got != 2 {
			t.Fatalf("backlog before delivery = %v, want 2", got)
		}
		if got := gauge(t, reg, "tongban_outbox_leader", "", ""); got != 1 {
			t.Fatalf("leader = %v, want 1", got)
		}

		w.run(p) // reads both into deliveries
		w.run(p) // sends them
		if n := len(sys.received()); n != 2 {
			t.Fatalf("delivered %d, want 2", n)
		}
		if got := gauge(t, reg, "tongban_outbox_backlog", "consumer", "webhooks"); got != 0 {
			t.Fatalf("backlog after delivery = %v, want 0", got)
		}
		if got := gauge(t, reg, "tongban_outbox_delivered_total", "sink", "webhook"); got != 2 {
			t.Fatalf("webhook deliveries counted = %v, want 2", got)
		}
	})
}

// gauge reads one sample of name (with label=value, when label is given)
// from reg, whatever its type.
func gauge(t *testing.T, reg *prometheus.Registry, name, label, value string) float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, s := range f.GetMetric() {
			matches := label == ""
			for _, l := range s.GetLabel() {
				matches = matches || l.GetName() == label && l.GetValue() == value
			}
			if !matches {
				continue
			}
			switch {
			case s.Gauge != nil:
				return s.Gauge.GetValue()
			case s.Counter != nil:
				return s.Counter.GetValue()
			}
		}
	}
	t.Fatalf("no sample %s{%s=%q}", name, label, value)
	return 0
}
