package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mailer sends email.
type Mailer interface {
	SendMail(ctx context.Context, to, subject, body string) error
}

// SMTP security modes.
const (
	SMTPStartTLS = "starttls" // upgrade a plain connection (port 587); the default
	SMTPTLS      = "tls"      // TLS from the start (port 465)
	SMTPPlain    = "none"     // no TLS: only to a relay on the same host or network
)

// SMTPMailer sends through an SMTP server (the city's mail relay).
type SMTPMailer struct {
	Addr     string // host:port
	From     string // 通办 <noreply@zwfw.example.gov.cn>
	Security string // starttls, tls or none
	User     string // AUTH PLAIN when set
	Password string
	// TLS is the TLS configuration (nil: verify the server's name).
	TLS *tls.Config
}

// SendMail sends one plain-text UTF-8 message.
func (m *SMTPMailer) SendMail(ctx context.Context, to, subject, body string) error {
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return fmt.Errorf("发件人地址 %q 无效: %v", m.From, err)
	}
	rcpt, err := mail.ParseAddress(to)
	if err != nil {
		return fmt.Errorf("收件地址无效: %v", err)
	}
	var c *smtp.Client
	switch m.Security {
	case SMTPTLS:
		c, err = smtp.DialTLS(m.Addr, m.TLS)
	case SMTPPlain:
		c, err = smtp.Dial(m.Addr)
	default:
		c, err = smtp.DialStartTLS(m.Addr, m.TLS)
	}
	if err != nil {
		return err
	}
	defer c.Close()
	deadline := time.Now().Add(30 * time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.CommandTimeout, c.SubmissionTimeout = time.Until(deadline), time.Until(deadline)
	if m.User != "" {
		if err := c.Auth(sasl.NewPlainClient("", m.User, m.Password)); err != nil {
			return err
		}
	}
	msg := compose(from, rcpt, subject, body, time.Now())
	if err := c.SendMail(from.Address, []string{rcpt.Address}, bytes.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}

// compose writes an RFC 5322 message: UTF-8 text, base64 body, the subject
// and names encoded (RFC 2047), lines ending in CRLF.
func compose(from, to *mail.Address, subject, body string, at time.Time) []byte {
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.BEncoding.Encode("utf-8", subject))
	header("Date", at.Format(time.RFC1123Z))
	header("Message-ID", fmt.Sprintf("<%d.%s@%s>", at.UnixNano(), randomTag(), domainOf(from.Address)))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

func domainOf(addr string) string {
	if _, d, ok := strings.Cut(addr, "@"); ok {
		return d
	}
	host, _, _ := net.SplitHostPort(addr)
	return host
}

func randomTag() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
