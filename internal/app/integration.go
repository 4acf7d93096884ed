package app

import (
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/tongban/tongban/internal/outbox"
)

// buildIntegration wires the outbox's publishing: the webhook fan-out and
// its senders, NATS when configured, and their metrics. StartPublisher
// starts it.
func (a *App) buildIntegration(reg prometheus.Registerer) {
	cfg := a.Config.Integration
	if cfg.OutboxOff {
		return
	}
	hooks := &outbox.Webhooks{Store: a.Store, Clock: a.Clock, Log: a.Log, Background: true}
	consumers := []outbox.Consumer{hooks}
	if cfg.NATSURL != "" {
		a.nats = &outbox.NATS{URL: cfg.NATSURL, Stream: cfg.NATSStream}
		consumers = append(consumers, a.nats)
	}
	names := make([]string, len(consumers))
	for i, c := range consumers {
		names[i] = c.Name()
	}
	m := outbox.NewMetrics(reg, a.Store, func() []string { return names })
	hooks.Metrics = m
	a.Publisher = &outbox.Publisher{Store: a.Store, Clock: a.Clock, Log: a.Log, Consumers: consumers,
		Webhooks: hooks, Metrics: m, Holder: leaseHolder(a.Config.Addr)}
}

// StartPublisher starts publishing the outbox; `tongban serve` calls it
// (the other commands open the app briefly and publish nothing). Every
// server runs a publisher; the lease lets one of them publish at a time.
func (a *App) StartPublisher() {
	if a.Publisher != nil {
		a.Publisher.Start()
	}
}

// leaseHolder names this server in the publisher's lease: its host and
// listen address, so a server restarted after a crash takes its own lease
// back at once instead of waiting for it to expire (two live servers cannot
// share a host and address). Without an address, a random name.
func leaseHolder(addr string) string {
	host, err := os.Hostname()
	if addr == "" || err != nil {
		return ""
	}
	return host + "/" + addr
}

// stopIntegration stops publishing and gives the lease up.
func (a *App) stopIntegration() {
	if a.Publisher != nil {
		a.Publisher.Stop()
	}
	if a.nats != nil {
		a.nats.Close()
	}
}
