package license

import "github.com/prometheus/client_golang/prometheus"

// visitMetrics are a VisitLog's figures in /metrics.
type visitMetrics struct {
	written  prometheus.Counter
	failures prometheus.Counter
	lost     prometheus.Counter
	waits    prometheus.Counter
	queued   func() float64
}

func newVisitMetrics() visitMetrics {
	return visitMetrics{
		written: prometheus.NewCounter(prometheus.CounterOpts{Name: "tongban_license_visits_written_total",
			Help: "Verify-page visits stored by the visit log."}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{Name: "tongban_license_visit_write_failures_total",
			Help: "Failed attempts to write a batch of verify-page visits (each retried)."}),
		lost: prometheus.NewCounter(prometheus.CounterOpts{Name: "tongban_license_visits_lost_total",
			Help: "Verify-page visits given up at shutdown after failed writes."}),
		waits: prometheus.NewCounter(prometheus.CounterOpts{Name: "tongban_license_visit_queue_full_total",
			Help: "Verify pages that found the visit queue full and waited for room."}),
	}
}

// RegisterMetrics adds the log's counters to reg, and the visits queued
// (read when scraped).
func (l *VisitLog) RegisterMetrics(reg prometheus.Registerer) {
	m := l.metrics
	reg.MustRegister(m.written, m.failures, m.lost, m.waits,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tongban_license_visits_queued",
			Help: "Verify-page visits queued and not yet taken by a writer."}, m.queued))
}
