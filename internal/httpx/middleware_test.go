package httpx

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// Every response carries the security headers, and a handler that adds to
// one changes its own response only: the values are shared between
// responses.
func TestObserveSetsSecurityHeaders(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := Observe(log, NewMetrics(prometheus.NewRegistry()), nil, func(*http.Request) string { return "/x" })(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("add") != "" {
				w.Header().Add("X-Frame-Options", "SAMEORIGIN")
				w.Header().Set("Referrer-Policy", "no-referrer")
			}
			io.WriteString(w, "ok")
		}))
	want := map[string][]string{"X-Content-Type-Options": {"nosniff"}, "X-Frame-Options": {"DENY"}, "Referrer-Policy": {"same-origin"}}
	check := func(rec *httptest.ResponseRecorder, want map[string][]string) {
		t.Helper()
		for k, v := range want {
			got := rec.Result().Header.Values(k)
			if len(got) != len(v) {
				t.Fatalf("%s = %q, want %q", k, got, v)
			}
			for i := range v {
				if got[i] != v[i] {
					t.Fatalf("%s = %q, want %q", k, got, v)
				}
			}
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	check(rec, want)

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x?add=1", nil))
	check(rec, map[string][]string{"X-Frame-Options": {"DENY", "SAMEORIGIN"}, "Referrer-Policy": {"no-referrer"}})

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	check(rec, want)
}
