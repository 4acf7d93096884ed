package main

import (
	"flag"
	"fmt"
	"strconv"

	"github.com/tongban/tongban/internal/app"
)

// integrationFlags declares the settings of the outbox, webhooks, NATS and
// notifications (docs/integration.md); the returned function copies them
// into cfg.Integration. Secrets come from the environment only.
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
	sms := str("sms", "TONGBAN_SMS", "file", "SMS: file (write texts to --sms-file, for development and the demo), http (a gateway) or off")
	smsFile := str("sms-file", "TONGBAN_SMS_FILE", "", "where the file SMS sink writes; default <data>/sms.log")
	smsURL := str("sms-url", "TONGBAN_SMS_URL", "", "the SMS gateway's URL (with --sms=http; key and secret in TONGBAN_SMS_KEY, TONGBAN_SMS_SECRET)")
	smsSign := str("sms-sign", "TONGBAN_SMS_SIGN", "通办", "the SMS signature (短信签名)")
	daytime := str("sms-daytime", "TONGBAN_SMS_DAYTIME", "08:00-21:00", "hours (China time) notifications may be texted; codes go out any time")
	smtpAddr := str("smtp-addr", "TONGBAN_SMTP_ADDR", "", "SMTP relay host:port for email (user and password in TONGBAN_SMTP_USER, TONGBAN_SMTP_PASSWORD)")
	smtpFrom := str("smtp-from", "TONGBAN_SMTP_FROM", "", "email sender, e.g. 通办 <noreply@zwfw.example.gov.cn>")
	smtpSecurity := str("smtp-security", "TONGBAN_SMTP_SECURITY", "starttls", "starttls, tls or none (none only to a relay on this host or network)")
	return func(cfg *app.Config) error {
		on, err := strconv.ParseBool(*outbox)
		if err != nil {
			return fmt.Errorf("--outbox %q: want true or false", *outbox)
		}
		cfg.Integration = app.IntegrationConfig{OutboxOff: !on, NATSURL: *natsURL, NATSStream: *natsStream,
			SMS: *sms, SMSFile: *smsFile, SMSURL: *smsURL, SMSKey: e("TONGBAN_SMS_KEY"), SMSSecret: e("TONGBAN_SMS_SECRET"),
			SMSSign: *smsSign, SMSDaytime: *daytime, SMTPAddr: *smtpAddr, SMTPFrom: *smtpFrom, SMTPSecurity: *smtpSecurity,
			SMTPUser: e("TONGBAN_SMTP_USER"), SMTPPassword: e("TONGBAN_SMTP_PASSWORD")}
		return nil
	}
}
