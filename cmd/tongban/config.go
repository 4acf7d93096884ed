package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/store"
)

// configFlags declares the shared settings on fs, each defaulting to its
// TONGBAN_* environment variable, and returns a function that validates the
// parsed result into an app.Config.
func configFlags(fs *flag.FlagSet, e env) func() (app.Config, error) {
	str := func(name, envName, def, usage string) *string {
		if v := e(envName); v != "" {
			def = v
		}
		return fs.String(name, def, usage+" ("+envName+")")
	}
	addr := str("addr", "TONGBAN_ADDR", "127.0.0.1:8080", "listen address")
	data := str("data", "TONGBAN_DATA", "./data", "data directory (SQLite file, uploads, key)")
	db := str("db", "TONGBAN_DB", "", "database: postgres://… URL or SQLite file; default <data>/tongban.db")
	dbMaxConns := str("db-max-conns", "TONGBAN_DB_MAX_CONNS", "0", "database connections the pool opens at most; 0 = the engine's default (PostgreSQL "+
		strconv.Itoa(sqldb.PostgresPoolSize)+", SQLite "+strconv.Itoa(sqldb.SQLitePoolSize)+")")
	caseCache := str("case-cache", "TONGBAN_CASE_CACHE", strconv.Itoa(store.DefaultCaseCache), "cases kept decoded in memory for applicants' status reads, 2–3 KiB each")
	logLevel := str("log-level", "TONGBAN_LOG_LEVEL", "info", "debug, info, warn or error")
	logFormat := str("log-format", "TONGBAN_LOG_FORMAT", "text", "text or json")
	tlsCert := str("tls-cert", "TONGBAN_TLS_CERT", "", "TLS certificate file (with --tls-key)")
	tlsKey := str("tls-key", "TONGBAN_TLS_KEY", "", "TLS key file")
	proxies := str("trusted-proxies", "TONGBAN_TRUSTED_PROXIES", "", "CIDR,… of the reverse proxies in front: the client is the right-most X-Forwarded-For address not among them")
	fullReads := str("full-reads-per-hour", "TONGBAN_FULL_READS_PER_HOUR", "20", "full ID/phone reads by one staff member in an hour before supervisors are alerted")
	metricsAddr := str("metrics-addr", "TONGBAN_METRICS_ADDR", "", "serve /metrics on this address of its own (host:port)")
	demo := str("demo", "TONGBAN_DEMO", "true", "load the demo city into an empty database")
	grace := str("shutdown-grace", "TONGBAN_SHUTDOWN_GRACE", "30s", "time in-flight requests get on SIGTERM")
	publicURL := str("public-url", "TONGBAN_PUBLIC_URL", "", "URL people reach Tongban at, for links and QR codes; default http(s)://<addr>")
	// 只提交一次材料 (internal/exchange): library validity and shared-data pulls.
	libraryMonths := str("library-months", "TONGBAN_LIBRARY_MONTHS", "12", "months a confirmed material stays reusable when neither it nor its standard material says")
	pullTimeout := str("pull-timeout", "TONGBAN_PULL_TIMEOUT", "5s", "default time a shared-data provider has to answer a pull")
	pullPrivate := str("pull-private", "TONGBAN_PULL_PRIVATE", "false", "allow pulls from providers on private or loopback addresses (a government intranet)")
	// Audit log: retention (等保: at least 180 days) and a remote copy of its signed checkpoints.
	auditRetention := str("audit-retention", "TONGBAN_AUDIT_RETENTION", "4320h", "how long audit entries are kept (at least 4320h = 180 days)")
	// Uploads: a daily quota per account, and how long unused uploads are kept.
	uploadQuota := str("upload-quota", "TONGBAN_UPLOAD_QUOTA", "500000000", "bytes one account may upload per day")
	uploadGrace := str("upload-grace", "TONGBAN_UPLOAD_GRACE", "168h", "how long an upload no case or draft uses is kept")
	correctionStall := str("correction-stall-days", "TONGBAN_CORRECTION_STALL_DAYS", "5", "working days a case may wait for the applicant's 补正 before supervision shows it as stalled")
	catalogReview := str("catalog-review", "TONGBAN_CATALOG_REVIEW", "false", "publication review: one admin proposes a listing, another publishes it")
	scoreWeights := str("score-weights", "TONGBAN_SCORE_WEIGHTS", stats.DefaultWeights.String(), "the 成绩单's weighting of ontime (按时办结率), good (好评率), rectify (整改按时率), window (一窗受理率) and online (网上可办率), summing to 100")
	auditSink := str("audit-sink", "TONGBAN_AUDIT_SINK", "", "also send audit checkpoints to https://… or syslog+udp://host:port / syslog+tcp://host:port")
	integration := integrationFlags(fs, e)
	ratings := ratingFlags(fs, str)
	return func() (app.Config, error) {
		cfg := app.Config{Addr: *addr, DataDir: *data, DB: *db, Secret: e("TONGBAN_SECRET"),
			LogFormat: *logFormat, TLSCert: *tlsCert, TLSKey: *tlsKey, PublicURL: *publicURL,
			MetricsAddr: *metricsAddr, MetricsToken: e("TONGBAN_METRICS_TOKEN")}
		if err := cfg.LogLevel.UnmarshalText([]byte(*logLevel)); err != nil {
			return cfg, fmt.Errorf("--log-level %q: want debug, info, warn or error", *logLevel)
		}
		var err error
		if cfg.DBMaxConns, err = strconv.Atoi(*dbMaxConns); err != nil {
			return cfg, fmt.Errorf("--db-max-conns %q: want a whole number of connections", *dbMaxConns)
		}
		if cfg.CaseCache, err = strconv.Atoi(*caseCache); err != nil {
			return cfg, fmt.Errorf("--case-cache %q: want a whole number of cases", *caseCache)
		}
		if cfg.TrustedProxies, err = httpx.ParseTrustedProxies(*proxies); err != nil {
			return cfg, fmt.Errorf("--trusted-proxies: %v", err)
		}
		if cfg.FullReadsPerHour, err = strconv.Atoi(*fullReads); err != nil || cfg.FullReadsPerHour < 1 {
			return cfg, fmt.Errorf("--full-reads-per-hour %q: want a positive whole number", *fullReads)
		}
		if cfg.Demo, err = strconv.ParseBool(*demo); err != nil {
			return cfg, fmt.Errorf("--demo %q: want true or false", *demo)
		}
		if cfg.ShutdownGrace, err = time.ParseDuration(*grace); err != nil {
			return cfg, fmt.Errorf("--shutdown-grace %q: %v", *grace, err)
		}
		if cfg.Exchange, err = parseExchange(*libraryMonths, *pullTimeout, *pullPrivate); err != nil {
			return cfg, err
		}
		if cfg.AuditRetention, err = time.ParseDuration(*auditRetention); err != nil {
			return cfg, fmt.Errorf("--audit-retention %q: %v", *auditRetention, err)
		}
		cfg.AuditSink = *auditSink
		if cfg.CatalogReview, err = strconv.ParseBool(*catalogReview); err != nil {
			return cfg, fmt.Errorf("--catalog-review %q: want true or false", *catalogReview)
		}
		if cfg.CorrectionStallDays, err = strconv.Atoi(*correctionStall); err != nil {
			return cfg, fmt.Errorf("--correction-stall-days %q: want a whole number of working days", *correctionStall)
		}
		if err := integration(&cfg); err != nil {
			return cfg, err
		}
		if cfg.Rating, err = ratings(); err != nil {
			return cfg, err
		}
		if cfg.ScoreWeights, err = stats.ParseWeights(*scoreWeights); err != nil {
			return cfg, fmt.Errorf("--score-weights %q: %v", *scoreWeights, err)
		}
		if cfg.UploadQuota, err = strconv.ParseInt(*uploadQuota, 10, 64); err != nil {
			return cfg, fmt.Errorf("--upload-quota %q: want a number of bytes", *uploadQuota)
		}
		if cfg.UploadGrace, err = time.ParseDuration(*uploadGrace); err != nil {
			return cfg, fmt.Errorf("--upload-grace %q: %v", *uploadGrace, err)
		}
		return cfg, cfg.Validate()
	}
}

func newFlagSet(name string, s stdio) *flag.FlagSet {
	fs := flag.NewFlagSet("tongban "+name, flag.ContinueOnError)
	fs.SetOutput(s.err)
	return fs
}

// newLogger logs to w; personal data types mask themselves in logs.
func newLogger(cfg app.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// parseConfig parses a command's flags (the shared settings plus any extra
// ones) and returns the validated config.
func parseConfig(name string, args []string, e env, s stdio, extra func(*flag.FlagSet)) (app.Config, error) {
	fs := newFlagSet(name, s)
	parse := configFlags(fs, e)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return app.Config{}, err
	}
	return parse()
}
