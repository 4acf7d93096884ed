package httpx

import (
	"crypto/subtle"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the HTTP metrics served at /metrics.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

// NewMetrics registers the HTTP metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tongban_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tongban_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "tongban_http_requests_in_flight", Help: "HTTP requests being served.",
		}),
	}
	reg.MustRegister(m.requests, m.duration, m.inFlight)
	return m
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// The security headers' values, shared by every response rather than
// allocated for each (http.Header.Add appends to a copy: their length is
// their capacity; nothing writes into a header's slice).
var (
	noSniff    = []string{"nosniff"}
	frameDeny  = []string{"DENY"}
	sameOrigin = []string{"same-origin"}
)

// Observe logs each request, records its metrics by route pattern (never by
// raw path, which would explode the label set), recovers panics, and sets
// the security headers every response needs. route names a request's
// pattern; the mux sets r.Pattern only on the copy it is handed.
func Observe(log *slog.Logger, m *Metrics, proxies TrustedProxies, route func(*http.Request) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			h := w.Header()
			h["X-Content-Type-Options"] = noSniff
			h["X-Frame-Options"] = frameDeny
			h["Referrer-Policy"] = sameOrigin
			m.inFlight.Inc()
			defer func() {
				m.inFlight.Dec()
				if p := recover(); p != nil {
					log.Error("panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
					if sw.status == 0 {
						http.Error(sw, "内部错误", http.StatusInternalServerError)
					}
				}
				route := route(r)
				if route == "" {
					route = "unmatched"
				}
				elapsed := time.Since(start)
				m.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
				m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
				level := slog.LevelDebug
				if sw.status >= 500 {
					level = slog.LevelError
				}
				// Checked first: the arguments (the client's address parsed)
				// would be built for every request even when not logged.
				if log.Enabled(r.Context(), level) {
					log.Log(r.Context(), level, "request", "method", r.Method, "route", route, "status", sw.status,
						"ms", elapsed.Milliseconds(), "ip", ClientIP(r, proxies))
				}
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// HSTS tells browsers to reach this site over HTTPS only, for a year; set
// when the configured public URL is https, also behind a TLS-terminating
// proxy (the connection Tongban sees is then plain HTTP).
func HSTS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		next.ServeHTTP(w, r)
	})
}

// RequireBearer serves next only to "Authorization: Bearer <token>".
func RequireBearer(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "需要监控令牌", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
