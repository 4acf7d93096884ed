package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/api"
	"github.com/tongban/tongban/internal/atrest"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/blob"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/directory"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sealer"
	"github.com/tongban/tongban/internal/search"
	"github.com/tongban/tongban/internal/server"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/uploads"
	"github.com/tongban/tongban/internal/web"
	"github.com/tongban/tongban/internal/workflow"
)

// Version is set at build time with -ldflags "-X github.com/tongban/tongban/internal/app.Version=…".
var Version = "dev"

// App is a running Tongban's parts.
type App struct {
	Config    Config
	Log       *slog.Logger
	Clock     tongban.Clock
	DB        *sqldb.DB
	Store     *store.Store
	Identity  *identity.Service
	Directory *directory.Service
	Catalog   *catalog.Service
	Workflow  *workflow.Service
	// Bundles runs 一件事: definitions, applications and their sub-cases.
	Bundles *bundle.Service
	Blobs   *blob.Store
	Handler http.Handler
	// MetricsHandler serves /metrics on Config.MetricsAddr, if set.
	MetricsHandler http.Handler
	// Calendar is the working-day schedule in force, kept in step with
	// the database; CalendarEditor loads a year's notice into it.
	Calendar       *calendar.Holder
	CalendarEditor *calendar.Editor
	stopCalendar   func()
	auditSealer    *audit.Sealer
	licenseVisits  *license.VisitLog
	// Uploads records uploads, enforces the daily quota and sweeps unused ones.
	Uploads *uploads.Service
	// Audit anchors the audit chain outside the database: signed checkpoints
	// in <data>/audit-checkpoints.jsonl and the configured sink.
	Audit *audit.Anchor
	// Search is the listing index: rebuilt from the database on start and
	// following catalog changes by polling it (SearchSync).
	Search     *search.Index
	SearchSync *search.Syncer
	stopSearch func()
	Stats      *stats.Aggregator // folds case events into the supervisor's rollups every few seconds

	// Ratings is 好差评: ratings of encounters and their 整改 tickets.
	Ratings *rating.Service
	// Exchange is 只提交一次材料: standard materials, the material library,
	// shared data and the data-use record.
	Exchange *exchange.Exchange
	// integration: the OIDC provider, notifications and codes, webhooks,
	// and the outbox Publisher feeding them.
	*integration
}

// Open connects to the database, applies migrations, loads the demo city
// into an empty database if asked, and builds the handler.
func Open(ctx context.Context, cfg Config, log *slog.Logger, clock tongban.Clock) (*App, error) {
	db, err := sqldb.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	if cfg.DBMaxConns > 0 {
		db.SetPoolSize(cfg.DBMaxConns)
	}
	a, err := build(ctx, cfg, log, clock, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func build(ctx context.Context, cfg Config, log *slog.Logger, clock tongban.Clock, db *sqldb.DB) (*App, error) {
	applied, err := db.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrations applied", "versions", applied, "db", db.Source)
	}
	key, err := masterKey(cfg, log)
	if err != nil {
		return nil, err
	}
	seal, err := sealer.New(key)
	if err != nil {
		return nil, err
	}
	st := store.New(db, seal)
	if cfg.CaseCache > 0 {
		st.KeepCases(cfg.CaseCache)
	}
	anchor, err := openAnchor(cfg, key, clock, log)
	if err != nil {
		return nil, err
	}
	if n, err := audit.Rekey(ctx, st, clock.Now()); err != nil {
		return nil, fmt.Errorf("re-key the audit chain: %w", err)
	} else if n > 0 {
		log.Info("audit chain re-keyed (SM3-HMAC)", "entries", n)
	}
	if n, err := atrest.SealForms(ctx, st); err != nil {
		return nil, fmt.Errorf("seal application forms: %w", err)
	} else if n > 0 {
		log.Info("application forms sealed at rest (SM4-GCM)", "cases", n)
		if err := atrest.ScrubSQLite(ctx, db); err != nil {
			return nil, fmt.Errorf("rewrite the database without the plain forms: %w", err)
		}
	}
	if n, err := atrest.SealFaces(ctx, st); err != nil {
		return nil, fmt.Errorf("seal licence faces: %w", err)
	} else if n > 0 {
		log.Info("licence faces' ID numbers sealed at rest (SM4-GCM)", "licences", n)
		if err := atrest.ScrubSQLite(ctx, db); err != nil {
			return nil, fmt.Errorf("rewrite the database without the plain faces: %w", err)
		}
	}
	ids := identity.New(st, clock, log)
	dir := &directory.Service{Store: st, Clock: clock, Authz: ids.Authorizer}
	cat := &catalog.Service{Store: st, Clock: clock, Review: cfg.CatalogReview}
	a := &App{Config: cfg, Log: log, Clock: clock, DB: db, Store: st, Identity: ids, Directory: dir, Catalog: cat, Audit: anchor}
	if a.Calendar, a.CalendarEditor, err = openCalendar(ctx, st, clock, log, ids.Authorizer); err != nil {
		return nil, err
	}
	a.Workflow = workflow.New(st, nil, a.Calendar, clock)
	a.Workflow.Log = log
	a.Workflow.Outbox = !cfg.Integration.OutboxOff
	a.Workflow.Licenses = license.NewIssuer()
	a.Bundles = bundle.New(st, a.Workflow, clock)
	a.Workflow.Follower = a.Bundles
	ids.Cases = a.Workflow.ApplicantOf
	a.Ratings = rating.New(st, a.Calendar, clock, cfg.Rating)
	a.Ratings.Outbox = !cfg.Integration.OutboxOff
	a.Ratings.Links = &rating.Links{Key: derive(key, "tongban/rating-links"), Clock: clock}
	ids.FullReadsPerHour = cfg.FullReadsPerHour
	if a.Blobs, err = blob.NewLocal(filepath.Join(cfg.DataDir, "blobs"), seal); err != nil {
		return nil, err
	}
	if n, err := a.Blobs.SealLegacy(); err != nil {
		return nil, fmt.Errorf("seal uploaded files: %w", err)
	} else if n > 0 {
		log.Info("uploaded files encrypted at rest (SM4-GCM) and renamed by keyed hash", "files", n)
	}
	a.Uploads = &uploads.Service{Store: st, Blobs: a.Blobs, Clock: clock, Log: log,
		DailyQuota: cfg.UploadQuota, Grace: cfg.UploadGrace}
	if a.Exchange, err = openExchange(ctx, cfg.Exchange, st, clock, log, a.Workflow); err != nil {
		return nil, err
	}
	if cfg.Demo {
		l := demo.Loader{Store: st, Directory: dir, Identity: ids, Catalog: cat, Log: log}
		if _, err := l.LoadIfEmpty(ctx); err != nil {
			return nil, err
		}
	}
	if a.integration, err = openIntegration(ctx, cfg, st, clock, log, ids, key); err != nil {
		return nil, err
	}
	if a.Notify != nil {
		a.Notify.RatingLink = func(number, encounter string) string {
			return a.Ratings.EncounterLinkURL(cfg.PublicURL, number, encounter, tongban.RatingSMS)
		}
	}
	a.Search = search.New()
	a.SearchSync = &search.Syncer{Index: a.Search, DB: db, Store: st, Clock: clock, Log: log}
	secure := cfg.PublicHTTPS() || cfg.TLSCert != "" // cookies Secure also behind a TLS-terminating proxy
	auth := &httpx.Authenticator{Identity: ids, Secure: secure}
	dashboards := &stats.Dashboards{Store: st, Clock: clock}
	publicRatings := &stats.PublicCache{Store: st, Clock: clock}
	weights := cfg.ScoreWeights
	if weights == nil {
		weights = stats.DefaultWeights
	}
	csrf := &httpx.CSRF{Key: derive(key, "tongban/csrf"), Secure: secure}
	apiH := api.New(api.Deps{Store: st, Identity: ids, Directory: dir, Catalog: cat, Auth: auth, CSRF: csrf, Log: log,
		Proxies: cfg.TrustedProxies, Version: Version, PublicURL: cfg.PublicURL, Calendar: a.Calendar, CalendarEditor: a.CalendarEditor,
		Workflow: a.Workflow, Blobs: a.Blobs, Search: a.Search, Dashboards: dashboards, PublicRatings: publicRatings, Exchange: a.Exchange, Audit: anchor, Uploads: a.Uploads,
		OIDC: a.OIDC, Notify: a.Notify, Codes: a.Codes, Hooks: a.Hooks, Publisher: a.Publisher, Ratings: a.Ratings,
		Bundles: a.Bundles, ScoreWeights: weights})
	a.licenseVisits = license.StartVisitLog(st, visitWriters(db), license.VisitLinger, log)
	webH, err := web.New(web.Deps{Store: st, Identity: ids, Auth: auth, CSRF: csrf, Log: log,
		Proxies: cfg.TrustedProxies, Version: Version, PublicURL: cfg.PublicURL, Calendar: a.Calendar, CalendarEditor: a.CalendarEditor,
		Workflow: a.Workflow, Blobs: a.Blobs, Catalog: cat, Search: a.Search, SearchSync: a.SearchSync, Dashboards: dashboards, PublicRatings: publicRatings,
		Exchange: a.Exchange, Uploads: a.Uploads, OIDC: a.OIDC, Notify: a.Notify, Codes: a.Codes,
		Hooks: a.Hooks, Publisher: a.Publisher, Ratings: a.Ratings, Bundles: a.Bundles,
		CorrectionStallDays: cfg.CorrectionStallDays, LicenseVisits: a.licenseVisits, ScoreWeights: weights})
	if err != nil {
		return nil, err
	}
	reg := server.NewRegistry()
	a.Handler = server.Handler(server.Parts{Store: st, API: apiH, Web: webH, Auth: auth, Log: log, Proxies: cfg.TrustedProxies,
		Registry: reg, HTTPS: secure, MetricsToken: cfg.MetricsToken, Mount: a.integration.mounts(),
		Direct: a.integration.direct()})
	if cfg.MetricsAddr != "" {
		a.MetricsHandler = server.MetricsHandler(reg)
	}
	if a.stopSearch, err = a.SearchSync.Start(ctx); err != nil {
		return nil, fmt.Errorf("build the search index: %w", err)
	}
	a.stopCalendar = watchCalendar(a.Calendar, st, log)
	// Ratings given before migration 00021 have no events; give them theirs
	// before the aggregator folds (once: afterwards there is none to find).
	if n, err := a.Ratings.BackfillEvents(ctx); err != nil {
		return nil, fmt.Errorf("backfill rating events: %w", err)
	} else if n > 0 {
		log.Info("rating events backfilled", "ratings", n)
	}
	a.Stats = stats.NewAggregator(st, log).Start(stats.RefreshEvery)
	a.auditSealer = audit.StartSealer(st, anchor, log, audit.SealEvery)
	a.registerMetrics(reg)
	return a, nil
}

// masterKey is TONGBAN_SECRET, or the key file in the data directory.
func masterKey(cfg Config, log *slog.Logger) ([]byte, error) {
	if cfg.Secret != "" {
		return sealer.ParseKey(cfg.Secret)
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	key, created, err := sealer.LoadOrCreateKeyFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if created {
		log.Warn("created a new secret key; back it up, personal data cannot be read without it. Several servers must share it via TONGBAN_SECRET", "path", path)
	}
	return key, nil
}

// openAnchor sets up the audit checkpoints: signed with the SM2 key derived
// from the platform secret, appended to a file in the data directory, and
// copied to the configured sink.
func openAnchor(cfg Config, key []byte, clock tongban.Clock, log *slog.Logger) (*audit.Anchor, error) {
	signing, err := audit.SigningKey(key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, err
	}
	a := &audit.Anchor{File: filepath.Join(cfg.DataDir, audit.CheckpointFile), Key: signing, Clock: clock, Log: log}
	if cfg.AuditSink != "" {
		sink, err := audit.ParseSink(cfg.AuditSink)
		if err != nil {
			return nil, err
		}
		a.Sinks = append(a.Sinks, sink)
	}
	return a, nil
}

func derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Close stops the calendar refresh and the search sync, writes the queued
// verify-page visits, and releases the database. `tongban serve` calls it
// after the HTTP server's graceful shutdown, so no page queues a visit
// behind the drain (one that did would be written at once).
func (a *App) Close() error {
	a.stopIntegration()
	if a.stopCalendar != nil {
		a.stopCalendar()
	}
	if a.stopSearch != nil {
		a.stopSearch()
	}
	if a.Stats != nil {
		a.Stats.Stop()
	}
	if a.auditSealer != nil {
		a.auditSealer.Stop()
	}
	if a.licenseVisits != nil {
		a.licenseVisits.Stop()
	}
	return a.DB.Close()
}
