package app

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"

	"github.com/tongban/tongban/internal/notify"
)

// IntegrationConfig is how Tongban tells other systems and people about
// changes (docs/integration.md): the outbox's publishing to webhooks and
// NATS JetStream, and notifications by SMS and email.
type IntegrationConfig struct {
	// OutboxOff stops writing case events to the outbox and publishing it
	// (--outbox=false); for comparing speed, not for production.
	OutboxOff bool
	// NATSURL, when set, publishes every event to NATS JetStream
	// (--nats-url nats://host:4222), in stream NATSStream ("TONGBAN").
	NATSURL    string
	NATSStream string

	// SMS is "file" (texts are appended to SMSFile instead of sent: the
	// default, for development and the demo), "http" (a gateway at SMSURL,
	// requests signed with SMSKey and SMSSecret) or "off".
	SMS       string
	SMSFile   string // default <data>/sms.log
	SMSURL    string
	SMSKey    string
	SMSSecret string
	SMSSign   string // 短信签名, default 通办
	// SMSDaytime is when notifications may be texted ("08:00-21:00", China
	// time); one-time codes go out at any hour.
	SMSDaytime string
	daytime    notify.Daytime

	// SMTPAddr (host:port) sends email; empty sends none.
	SMTPAddr     string
	SMTPFrom     string // default 通办 <noreply@host of the public URL>
	SMTPSecurity string // starttls (default), tls or none
	SMTPUser     string
	SMTPPassword string
}

func (c *IntegrationConfig) validate(dataDir, publicURL string) error {
	if c.NATSURL != "" {
		u, err := url.Parse(c.NATSURL)
		if err != nil || (u.Scheme != "nats" && u.Scheme != "tls") || u.Host == "" {
			return fmt.Errorf("--nats-url %q: want nats://host:port", c.NATSURL)
		}
	}
	if c.NATSStream == "" {
		c.NATSStream = "TONGBAN"
	}
	switch c.SMS {
	case "":
		c.SMS = "file"
	case "file", "off":
	case "http":
		u, err := url.Parse(c.SMSURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--sms-url %q: the http SMS gateway needs an http(s) URL", c.SMSURL)
		}
		if c.SMSSecret == "" {
			return fmt.Errorf("TONGBAN_SMS_SECRET: the http SMS gateway needs a signing secret")
		}
	default:
		return fmt.Errorf("--sms %q: want file, http or off", c.SMS)
	}
	if c.SMSFile == "" {
		c.SMSFile = filepath.Join(dataDir, "sms.log")
	}
	if c.SMSSign == "" {
		c.SMSSign = "通办"
	}
	if c.SMSDaytime == "" {
		c.SMSDaytime = notify.DefaultDaytime.String()
	}
	d, err := notify.ParseDaytime(c.SMSDaytime)
	if err != nil {
		return fmt.Errorf("--sms-daytime %v", err)
	}
	c.daytime = d
	if c.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
			return fmt.Errorf("--smtp-addr %q: want host:port", c.SMTPAddr)
		}
		switch c.SMTPSecurity {
		case "":
			c.SMTPSecurity = notify.SMTPStartTLS
		case notify.SMTPStartTLS, notify.SMTPTLS, notify.SMTPPlain:
		default:
			return fmt.Errorf("--smtp-security %q: want starttls, tls or none", c.SMTPSecurity)
		}
		if c.SMTPFrom == "" {
			u, _ := url.Parse(publicURL)
			c.SMTPFrom = "通办 <noreply@" + u.Hostname() + ">"
		}
	}
	return nil
}
