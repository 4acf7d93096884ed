package httpx

import (
	"context"
	"net/http"
	"time"
)

// OutliveClient runs each request to its end even when its client goes
// away, for up to limit. A request's context is otherwise canceled when
// its connection closes, and so is every statement it has in flight: on
// PostgreSQL pgx then closes the statement's connection under it (a canceled
// transaction's rollback, or its begin, does the same), and under load the
// pool handed the dead connections to other requests, which failed with
// "driver: bad connection" — an OIDC authorize answered 500 right after
// a load's clients left (docs/benchmarks.md, "Clients that leave"). Work a
// client abandons is short (the server's WriteTimeout bounds any answer),
// and what it changed stays consistent: a submission completes and is
// found again by its Idempotency-Key, a token rotation commits whole.
func OutliveClient(limit time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), limit)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
