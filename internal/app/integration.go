package app

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/notify"
	"github.com/tongban/tongban/internal/oidc"
	"github.com/tongban/tongban/internal/outbox"
)

// integration is what tells other systems and people about changes: the
// OIDC provider, notifications and one-time codes, webhooks, and the outbox
// publisher that feeds them.
type integration struct {
	OIDC   *oidc.Provider
	Notify *notify.Service
	Codes  *notify.Codes
	Hooks  *outbox.Hooks
	// Publisher publishes the outbox (webhooks, notifications, NATS), once
	// started, while this server holds its lease; nil with the outbox off.
	Publisher *outbox.Publisher
	webhooks  *outbox.Webhooks
	nats      *outbox.NATS
}

// openIntegration builds the parts; key is the platform secret, from which
// the OIDC access-token key and the one-time-code key are derived.
func openIntegration(ctx context.Context, cfg Config, st tongban.Store, clock tongban.Clock, log *slog.Logger,
	ids *identity.Service, key []byte) (*integration, error) {
	c := cfg.Integration
	in := &integration{}
	var sms notify.SMS
	switch c.SMS {
	case "file":
		sms = &notify.FileSMS{Path: c.SMSFile, Clock: clock}
	case "http":
		sms = &notify.HTTPSMS{URL: c.SMSURL, Key: c.SMSKey, Secret: c.SMSSecret, Sign: c.SMSSign, Clock: clock}
	}
	var mail notify.Mailer
	if c.SMTPAddr != "" {
		mail = &notify.SMTPMailer{Addr: c.SMTPAddr, From: c.SMTPFrom, Security: c.SMTPSecurity, User: c.SMTPUser,
			Password: c.SMTPPassword}
	}
	in.Notify = &notify.Service{Store: st, Clock: clock, Log: log, SMS: sms, Mail: mail, Sign: c.SMSSign, Daytime: c.daytime}
	in.Codes = &notify.Codes{Store: st, Clock: clock, SMS: sms, Key: derive(key, "tongban/one-time-codes"), Sign: c.SMSSign, Log: log}
	if sms != nil {
		ids.ExtraCheck = in.Codes.SignInCheck      // the sign-in ceiling's extra step (identity/throttle.go)
		ids.ProvePhone = in.Codes.ProveWalkInPhone // claiming a walk-in record (identity/walkin.go)
	}
	in.Hooks = &outbox.Hooks{Store: st, Clock: clock, Authz: ids.Authorizer}
	in.OIDC = &oidc.Provider{Store: st, Clock: clock, Log: log, Identity: ids, Issuer: cfg.PublicURL}
	copy(in.OIDC.CryptoKey[:], derive(key, "tongban/oidc-access-tokens"))
	if err := in.OIDC.Open(ctx); err != nil {
		return nil, err
	}
	in.Publisher = in.publisher(cfg, st, clock, log)
	return in, nil
}

// mounts are the OIDC provider's browser endpoints, behind the usual
// middleware; direct are its machine endpoints (see server.Parts).
func (in *integration) mounts() map[string]http.Handler {
	return map[string]http.Handler{"/oidc/": in.OIDC.Handler()}
}

func (in *integration) direct() map[string]http.Handler { return in.OIDC.Direct() }

// publisher wires the outbox's publishing: the webhook fan-out and its
// senders, notifications, NATS when configured. StartPublisher starts it.
func (in *integration) publisher(cfg Config, st tongban.Store, clock tongban.Clock, log *slog.Logger) *outbox.Publisher {
	c := cfg.Integration
	if c.OutboxOff {
		return nil
	}
	in.webhooks = &outbox.Webhooks{Store: st, Clock: clock, Log: log, Background: true}
	consumers := []outbox.Consumer{in.webhooks, in.Notify}
	if c.NATSURL != "" {
		in.nats = &outbox.NATS{URL: c.NATSURL, Stream: c.NATSStream}
		consumers = append(consumers, in.nats)
	}
	in.Notify.Background()
	return &outbox.Publisher{Store: st, Clock: clock, Log: log, Consumers: consumers,
		Workers: []outbox.Worker{in.webhooks, in.Notify}, Holder: leaseHolder(cfg.Addr)}
}

// registerMetrics adds the database's, the publisher's and the
// notifications' figures to /metrics.
func (a *App) registerMetrics(reg prometheus.Registerer) {
	a.DB.RegisterMetrics(reg)
	a.licenseVisits.RegisterMetrics(reg)
	if a.Publisher == nil {
		return
	}
	a.Publisher.Metrics = outbox.NewMetrics(reg, a.Store, a.Publisher.ConsumerNames)
	a.integration.webhooks.Metrics = a.Publisher.Metrics
	a.Notify.RegisterMetrics(reg)
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

// StartPublisher starts publishing the outbox; `tongban serve` calls it
// (the other commands open the app briefly and publish nothing). Every
// server runs a publisher; the lease lets one of them publish at a time.
func (a *App) StartPublisher() {
	if a.Publisher != nil {
		a.Publisher.Start()
	}
}

// stopIntegration stops publishing and gives the lease up.
func (a *App) stopIntegration() {
	if a.Publisher != nil {
		a.Publisher.Stop()
	}
	if a.integration != nil && a.integration.nats != nil {
		a.integration.nats.Close()
	}
}

// Retention of the integration's records: one-time codes and authorization
// requests a day past expiry (the limits count a day of codes), delivery
// and message logs 90 days, published events 30 days.
const (
	expiredKeep = 24 * time.Hour
	logKeep     = 90 * 24 * time.Hour
	outboxKeep  = 30 * 24 * time.Hour
)

// purgeIntegration is the janitor's share for the integration parts.
func (a *App) purgeIntegration(ctx context.Context, now time.Time) {
	n, err := a.Store.PurgeIntegration(ctx, now.Add(-expiredKeep), now.Add(-logKeep))
	if err == nil {
		var m int64
		m, err = a.Store.PurgeOutbox(ctx, now.Add(-outboxKeep))
		n += m
	}
	if err != nil {
		a.Log.Warn("janitor: integration records", "err", err)
	} else if n > 0 {
		a.Log.Debug("janitor purged integration records", "rows", n)
	}
}
