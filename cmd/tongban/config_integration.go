package main

import (
	"flag"
	"fmt"
	"strconv"

	"github.com/tongban/tongban/internal/app"
)

// integrationFlags declares the settings of the outbox, webhooks, NATS and
// notifications (docs/integration.md); the returned function copies them
// into cfg.Integration.
func integrationFlags(fs *flag.FlagSet, e env) func(*app.Config) error {
	str := func(name, envName, def, usage string) *string {
		if v := e(envName); v != "" {
			def = v
		}
		return fs.String(name, def, usage+" ("+envName+")")
	}
	outbox := str("outbox", "TONGBAN_OUTBOX", "true", "write case events to the outbox and publish them (false only to compare speed)")
	natsURL := str("nats-url", "TONGBAN_NATS_URL", "", "publish events to NATS JetStream at this URL (nats://host:4222)")
	natsStream := str("nats-stream", "TONGBAN_NATS_STREAM", "TONGBAN", "JetStream stream for events (subjects tongban.>)")
	return func(cfg *app.Config) error {
		on, err := strconv.ParseBool(*outbox)
		if err != nil {
			return fmt.Errorf("--outbox %q: want true or false", *outbox)
		}
		cfg.Integration = app.IntegrationConfig{OutboxOff: !on, NATSURL: *natsURL, NATSStream: *natsStream}
		return nil
	}
}
