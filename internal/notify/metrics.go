package notify

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/tongban/tongban"
)

// metrics are the notifications' figures in /metrics.
type metrics struct {
	attempts *prometheus.CounterVec
}

// RegisterMetrics adds to reg: attempts by channel and outcome, and the
// messages by status (read from the store when scraped).
func (s *Service) RegisterMetrics(reg prometheus.Registerer) {
	m := &metrics{attempts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tongban_notify_attempts_total",
		Help: "SMS and email send attempts, by channel and outcome (sent, error)."}, []string{"channel", "outcome"})}
	reg.MustRegister(m.attempts, &messageGauges{st: s.Store})
	s.mu.Lock()
	s.metrics = m
	s.mu.Unlock()
}

func (m *metrics) count(msg *tongban.Message, err error) {
	if m == nil {
		return
	}
	outcome := "sent"
	if err != nil {
		outcome = "error"
	}
	m.attempts.WithLabelValues(string(msg.Channel), outcome).Inc()
}

type messageGauges struct{ st tongban.Store }

var messagesDesc = prometheus.NewDesc("tongban_notify_messages", "SMS and email messages by status.", []string{"status"}, nil)

func (g *messageGauges) Describe(ch chan<- *prometheus.Desc) { ch <- messagesDesc }

func (g *messageGauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	totals, err := g.st.MessageTotals(ctx)
	if err != nil {
		return
	}
	for _, st := range []tongban.MessageStatus{tongban.MessageQueued, tongban.MessageSent, tongban.MessageFailed} {
		ch <- prometheus.MustNewConstMetric(messagesDesc, prometheus.GaugeValue, float64(totals[st]), string(st))
	}
}
