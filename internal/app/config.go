// Package app wires Tongban together from a validated Config: database,
// migrations, services, demo data and the HTTP handler. cmd/tongban parses
// the Config; tests build apps from Configs of their own.
package app

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sealer"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/uploads"
)

// Config is every setting, parsed once and validated.
type Config struct {
	Addr    string // listen address
	DataDir string // data directory: SQLite file, uploads, key file
	DB      string // postgres:// URL or SQLite path; "" = DataDir/tongban.db
	// DBMaxConns caps the database pool (0 = the engine's default,
	// sqldb.PostgresPoolSize or sqldb.SQLitePoolSize; else 2–1000).
	DBMaxConns int
	// CaseCache is how many cases are kept decoded for applicants' status
	// reads (0 = store.DefaultCaseCache; else 1–1,000,000), 2–3 KiB each.
	CaseCache int
	Secret    string     // 64 hex chars; "" = DataDir/secret.key (created on first start)
	LogLevel  slog.Level //
	LogFormat string     // text or json
	TLSCert   string     // with TLSKey: serve HTTPS, cookies Secure
	TLSKey    string     //
	// TrustedProxies are the reverse proxies in front of Tongban: the client
	// address is the right-most X-Forwarded-For entry not among them (the
	// sign-in throttle and the audit log use it). Empty: the peer address.
	TrustedProxies httpx.TrustedProxies
	Demo           bool          // load the demo city into an empty database
	ShutdownGrace  time.Duration // how long in-flight requests may take on SIGTERM
	// PublicURL is where people and systems reach this Tongban (scheme and
	// host, no path): every absolute link, QR code and issuer URL uses it,
	// never a request's Host header. Default: http(s)://Addr.
	PublicURL string
	// Exchange is 只提交一次材料: the material library and shared-data pulls.
	Exchange ExchangeConfig

	// Audit log (internal/audit): how long entries are kept (等保: at least
	// 180 days; 0 = 180 days), and an optional remote copy of every signed
	// checkpoint (https://… or syslog+udp://host:port, syslog+tcp://…).
	AuditRetention time.Duration
	AuditSink      string
	// Rating is 好差评: the working days for 回访核实 and 整改 of a bad
	// rating, and how long a rating may be changed (internal/rating).
	Rating rating.Config
	// ScoreWeights is the city's published weighting of the supervisor's
	// 成绩单 (internal/stats); nil is stats.DefaultWeights.
	ScoreWeights stats.Weights
	// CorrectionStallDays: working days a case may wait for the applicant's
	// 补正 before supervision shows it as stalled (0 = 5; at most 60).
	CorrectionStallDays int
	// CatalogReview turns on the publication review (两人发布,
	// docs/catalog.md): one admin proposes a listing version, another
	// publishes it. Off by default: an admin with the permission publishes.
	CatalogReview bool
	// Integration: the outbox, webhooks, NATS (config_integration.go).
	Integration IntegrationConfig

	// Uploads (internal/uploads): bytes an account may upload per China day
	// (0 = 500 MB), and how long an upload no case or draft uses is kept
	// (0 = 7 days).
	UploadQuota int64
	UploadGrace time.Duration
	// /metrics: on MetricsAddr, a listen address of its own (only the
	// monitoring network should reach it), and/or on the main address for
	// "Authorization: Bearer MetricsToken". With neither, it is not served.
	MetricsAddr  string
	MetricsToken string
	// FullReadsPerHour is how many full ID numbers or phones one staff
	// member may show in an hour before supervisors are alerted; 0 = 20.
	FullReadsPerHour int
}

// Validate checks the config and fills derived defaults.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		return fmt.Errorf("--data: the data directory must not be empty")
	}
	if c.DB == "" {
		c.DB = filepath.Join(c.DataDir, "tongban.db")
	}
	if c.DBMaxConns != 0 && (c.DBMaxConns < 2 || c.DBMaxConns > 1000) {
		return fmt.Errorf("--db-max-conns %d: want 0 (the engine's default) or 2 to 1000 connections", c.DBMaxConns)
	}
	if c.CaseCache < 0 || c.CaseCache > 1_000_000 {
		return fmt.Errorf("--case-cache %d: want 0 (the default, %d) or 1 to 1,000,000 cases", c.CaseCache, store.DefaultCaseCache)
	}
	if c.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			return fmt.Errorf("--addr %q: want host:port (%v)", c.Addr, err)
		}
	}
	if c.Secret != "" {
		if _, err := sealer.ParseKey(c.Secret); err != nil {
			return fmt.Errorf("TONGBAN_SECRET: %v", err)
		}
	}
	switch c.LogFormat {
	case "", "text", "json":
	default:
		return fmt.Errorf("--log-format %q: want text or json", c.LogFormat)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	if err := c.Exchange.validate(); err != nil {
		return err
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("--metrics-addr %q: want host:port (%v)", c.MetricsAddr, err)
		}
		if c.MetricsAddr == c.Addr {
			return fmt.Errorf("--metrics-addr must differ from --addr (or use TONGBAN_METRICS_TOKEN)")
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return fmt.Errorf("TONGBAN_METRICS_TOKEN: at least 16 characters")
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = 30 * time.Second
	}
	if c.PublicURL == "" {
		scheme := "http"
		if c.TLSCert != "" {
			scheme = "https"
		}
		addr := c.Addr
		if addr == "" {
			addr = "127.0.0.1:8080"
		}
		c.PublicURL = scheme + "://" + addr
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("--public-url %q: want an absolute http(s) URL with no path, e.g. https://zwfw.example.gov.cn", c.PublicURL)
	}
	c.PublicURL = u.Scheme + "://" + u.Host
	if c.CorrectionStallDays == 0 {
		c.CorrectionStallDays = 5
	}
	if c.CorrectionStallDays < 1 || c.CorrectionStallDays > 60 {
		return fmt.Errorf("--correction-stall-days %d: want 1 to 60 working days", c.CorrectionStallDays)
	}
	if c.AuditRetention == 0 {
		c.AuditRetention = audit.DefaultRetention
	}
	if c.AuditRetention < audit.MinRetention {
		return fmt.Errorf("--audit-retention %s: 等保 2.0 requires audit records be kept at least 180 days (4320h)", c.AuditRetention)
	}
	if c.UploadQuota == 0 {
		c.UploadQuota = uploads.DefaultDailyQuota
	}
	if c.UploadGrace == 0 {
		c.UploadGrace = uploads.DefaultGrace
	}
	if c.UploadQuota < 20<<20 || c.UploadGrace < time.Hour {
		return fmt.Errorf("--upload-quota must allow at least one 20 MB file a day and --upload-grace be at least 1h")
	}
	if err := validateRating(&c.Rating); err != nil {
		return err
	}
	if c.AuditSink != "" {
		if _, err := audit.ParseSink(c.AuditSink); err != nil {
			return fmt.Errorf("--audit-sink: %v", err)
		}
	}
	return c.Integration.validate(c.DataDir, c.PublicURL)
}

// PublicHTTPS reports whether people reach Tongban over HTTPS, directly or
// through a TLS-terminating proxy.
func (c *Config) PublicHTTPS() bool { return strings.HasPrefix(c.PublicURL, "https://") }

// IsPostgres reports whether the database is PostgreSQL.
func (c *Config) IsPostgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// validateRating checks the city's 好差评 deadlines and fills the defaults.
func validateRating(r *rating.Config) error {
	*r = r.WithDefaults()
	if r.VerifyDays < 1 || r.VerifyDays > 30 {
		return fmt.Errorf("--rating-verify-days %d: want 1 to 30 working days", r.VerifyDays)
	}
	if r.RectifyDays < r.VerifyDays || r.RectifyDays > 90 {
		return fmt.Errorf("--rating-rectify-days %d: want from --rating-verify-days to 90 working days", r.RectifyDays)
	}
	if r.ChangeWindow < 0 {
		return fmt.Errorf("--rating-change-window %s: must not be negative", r.ChangeWindow)
	}
	for _, l := range []struct {
		flag string
		v    int
	}{{"notice-days", r.Loop.NoticeDays}, {"notice-red-days", r.Loop.RedDays},
		{"complaint-dispatch-days", r.Loop.DispatchDays}, {"complaint-reply-days", r.Loop.ReplyDays}} {
		if l.v < 1 || l.v > 30 {
			return fmt.Errorf("--%s %d: want 1 to 30 working days", l.flag, l.v)
		}
	}
	return nil
}
