package outbox

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/tongban/tongban"
)

const sinkWebhook = "webhook"

// Metrics are the publisher's figures in /metrics: whether this server
// leads, how far behind each consumer is, how long deliveries take from the
// event to the receiver's acknowledgement, and how many fail.
type Metrics struct {
	leader    prometheus.Gauge
	latency   *prometheus.HistogramVec
	delivered *prometheus.CounterVec
	failures  *prometheus.CounterVec
}

// NewMetrics registers the publisher's metrics on reg, including gauges
// read from st when scraped (backlog per consumer, webhook deliveries
// pending and failed).
func NewMetrics(reg prometheus.Registerer, st tongban.Store, consumers func() []string) *Metrics {
	m := &Metrics{
		leader: prometheus.NewGauge(prometheus.GaugeOpts{Name: "tongban_outbox_leader",
			Help: "1 while this server holds the outbox publisher's lease."}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tongban_outbox_delivery_seconds",
			Help:    "Time from an event to its acknowledged delivery, by sink (webhook, nats).",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 3600}}, []string{"sink"}),
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tongban_outbox_delivered_total",
			Help: "Events delivered, by sink."}, []string{"sink"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tongban_outbox_delivery_failures_total",
			Help: "Failed delivery attempts, by sink."}, []string{"sink"}),
	}
	reg.MustRegister(m.leader, m.latency, m.delivered, m.failures, &storeGauges{st: st, consumers: consumers})
	return m
}

func (m *Metrics) setLeader(on bool) {
	if on {
		m.leader.Set(1)
	} else {
		m.leader.Set(0)
	}
}

// sent records a sink's batch: the first len(evs) were acknowledged at
// about now; failed says the rest were not.
func (m *Metrics) sent(sink string, evs []*tongban.OutboxEvent, failed bool) {
	now := time.Now()
	for _, e := range evs {
		m.latency.WithLabelValues(sink).Observe(now.Sub(e.At).Seconds())
	}
	m.delivered.WithLabelValues(sink).Add(float64(len(evs)))
	if failed {
		m.failures.WithLabelValues(sink).Inc()
	}
}

// attempted records a round of webhook attempts.
func (m *Metrics) attempted(sink string, ds []*tongban.WebhookDelivery, now time.Time) {
	for _, d := range ds {
		if d.Status == tongban.DeliveryDelivered {
			m.delivered.WithLabelValues(sink).Inc()
			m.latency.WithLabelValues(sink).Observe(d.DeliveredAt.Sub(d.Event.At).Seconds())
		} else {
			m.failures.WithLabelValues(sink).Inc()
		}
	}
}

// storeGauges reads backlog and delivery totals from the database when
// /metrics is scraped.
type storeGauges struct {
	st        tongban.Store
	consumers func() []string
}

var (
	backlogDesc = prometheus.NewDesc("tongban_outbox_backlog", "Events a consumer of the outbox has yet to read.",
		[]string{"consumer"}, nil)
	backlogAgeDesc = prometheus.NewDesc("tongban_outbox_backlog_age_seconds",
		"Age of the oldest event a consumer has yet to read (0 when none).", []string{"consumer"}, nil)
	deliveriesDesc = prometheus.NewDesc("tongban_webhook_deliveries", "Webhook deliveries by status.",
		[]string{"status"}, nil)
)

func (g *storeGauges) Describe(ch chan<- *prometheus.Desc) {
	ch <- backlogDesc
	ch <- backlogAgeDesc
	ch <- deliveriesDesc
}

func (g *storeGauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, name := range g.consumers() {
		n, oldest, err := g.st.OutboxBacklog(ctx, name)
		if err != nil {
			continue
		}
		age := 0.0
		if !oldest.IsZero() {
			age = time.Since(oldest).Seconds()
		}
		ch <- prometheus.MustNewConstMetric(backlogDesc, prometheus.GaugeValue, float64(n), name)
		ch <- prometheus.MustNewConstMetric(backlogAgeDesc, prometheus.GaugeValue, age, name)
	}
	if t, err := g.st.DeliveryTotals(ctx, 0); err == nil {
		ch <- prometheus.MustNewConstMetric(deliveriesDesc, prometheus.GaugeValue, float64(t.Pending), "pending")
		ch <- prometheus.MustNewConstMetric(deliveriesDesc, prometheus.GaugeValue, float64(t.Failed), "failed")
	}
}
