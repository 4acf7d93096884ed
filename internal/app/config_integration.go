package app

import (
	"fmt"
	"net/url"
)

// IntegrationConfig is how Tongban tells other systems and people about
// changes (docs/integration.md): the outbox's publishing to webhooks and
// NATS JetStream.
type IntegrationConfig struct {
	// OutboxOff stops writing case events to the outbox and publishing it
	// (--outbox=false); for comparing speed, not for production.
	OutboxOff bool
	// NATSURL, when set, publishes every event to NATS JetStream
	// (--nats-url nats://host:4222), in stream NATSStream ("TONGBAN").
	NATSURL    string
	NATSStream string
}

func (c *IntegrationConfig) validate() error {
	if c.NATSURL != "" {
		u, err := url.Parse(c.NATSURL)
		if err != nil || (u.Scheme != "nats" && u.Scheme != "tls") || u.Host == "" {
			return fmt.Errorf("--nats-url %q: want nats://host:port", c.NATSURL)
		}
	}
	if c.NATSStream == "" {
		c.NATSStream = "TONGBAN"
	}
	return nil
}
