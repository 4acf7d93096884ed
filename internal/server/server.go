// Package server assembles the HTTP handler: the JSON API, the pages,
// health and metrics, behind the shared middleware; and runs it with a
// graceful shutdown.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/api"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/web"
)

// Parts are what the handler is built from.
type Parts struct {
	Store    tongban.Store
	API      *api.API
	Web      *web.Web
	Auth     *httpx.Authenticator
	Log      *slog.Logger
	Proxies  httpx.TrustedProxies // reverse proxies whose X-Forwarded-For is believed
	Registry *prometheus.Registry // nil: a fresh registry
	// HTTPS: people reach the site over HTTPS (app.Config.PublicHTTPS),
	// directly or through a TLS-terminating proxy; every answer carries HSTS.
	HTTPS bool
	// Metrics says who may read /metrics: with MetricsToken set, the main
	// address serves it to "Authorization: Bearer <token>"; otherwise it is
	// not on the main address at all (see MetricsHandler).
	MetricsToken string
	// Mount adds handlers by pattern behind the usual middleware (the OIDC
	// provider's browser endpoints under /oidc/).
	Mount map[string]http.Handler
	// Direct handlers serve exact paths outside the sign-in middleware:
	// endpoints that authenticate their callers themselves (OIDC token and
	// userinfo take client credentials and OIDC access tokens, whose
	// Authorization header is not a Tongban API token).
	Direct map[string]http.Handler
}

// Handler returns the whole site.
func Handler(p Parts) http.Handler {
	reg := p.Registry
	if reg == nil {
		reg = NewRegistry()
	}
	metrics := httpx.NewMetrics(reg)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", health(p.Store))
	p.API.Register(mux)
	p.Web.Register(mux)
	for pattern, h := range p.Mount {
		mux.Handle(pattern, h)
	}
	for path, h := range p.Direct {
		mux.Handle(path, h)
	}

	onAuthError := func(w http.ResponseWriter, r *http.Request, err error) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			p.API.ErrorHandler(w, r, err)
			return
		}
		p.Auth.ClearSession(w)
		http.Error(w, tongban.AsError(err).Message, tongban.HTTPStatus(err))
	}
	onBadInput := func(w http.ResponseWriter, r *http.Request, err error) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			p.API.ErrorHandler(w, r, err)
			return
		}
		p.Web.ErrorHandler(w, r, err)
	}
	pattern := func(r *http.Request) string {
		_, pattern := mux.Handler(r)
		return pattern
	}
	var h http.Handler = mux
	h = p.Auth.Load(onAuthError)(h)
	h = direct(p.Direct, h)
	h = httpx.CleanInput(pattern, onBadInput)(h)
	if p.MetricsToken != "" {
		// Before sign-in: its bearer token is not an API token.
		h = withMetrics(httpx.RequireBearer(p.MetricsToken, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})), h)
	}
	h = httpx.Observe(p.Log, metrics, p.Proxies, pattern)(h)
	if p.HTTPS {
		h = httpx.HSTS(h)
	}
	return httpx.OutliveClient(writeTimeout)(h)
}

// writeTimeout bounds writing an answer, and so any request's work: after
// it the answer could not be sent.
const writeTimeout = 120 * time.Second

// withMetrics sends GET /metrics to metrics and everything else to next.
func withMetrics(metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" && r.Method == http.MethodGet {
			metrics.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// direct sends the Direct paths past the sign-in middleware.
func direct(paths map[string]http.Handler, next http.Handler) http.Handler {
	if len(paths) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := paths[r.URL.Path]; ok {
			h.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// MetricsHandler serves /metrics alone, for a separate listen address
// (--metrics-addr) that only the monitoring network reaches.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}

type healthBody struct {
	Status   string `json:"status"`
	Database string `json:"database"`
	Error    string `json:"error,omitempty"`
}

// health answers 200 when the database answers within two seconds, 503 otherwise.
func health(st tongban.Store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		body, status := healthBody{Status: "ok", Database: "ok"}, http.StatusOK
		if err := st.Ping(ctx); err != nil {
			body, status = healthBody{Status: "unhealthy", Database: "unreachable", Error: tongban.AsError(err).Message}, http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}
}

// Run serves h on addr until ctx is cancelled, then stops accepting and lets
// in-flight requests finish for up to grace. ready, if not nil, receives the
// bound address once listening (useful with port 0).
func Run(ctx context.Context, addr string, h http.Handler, tlsCert, tlsKey string, grace time.Duration, log *slog.Logger, ready chan<- string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() {
		if tlsCert != "" {
			errc <- srv.ServeTLS(ln, tlsCert, tlsKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	log.Info("listening", "addr", ln.Addr().String(), "tls", tlsCert != "")
	if ready != nil {
		ready <- ln.Addr().String()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// NewRegistry returns a metrics registry with the Go runtime's and the
// process's collectors; the app registers its parts' metrics on it too.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}
