package bench

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/e2e"
	"github.com/tongban/tongban/internal/sqldb"
)

// The OIDC scenario's load against a whole Tongban (SQLite, demo city):
// each client advances its own chain of rotating refresh tokens without an
// error, across two runs cut off by their deadlines — the chains a cut-off
// request may have spent are started again before the next run — and a
// spent token is refused, so the load measures real rotation.
func TestRefreshChainsRotate(t *testing.T) {
	site := e2e.StartSite(t, sqldb.SQLite, tongban.SystemClock{})
	ctx := context.Background()
	rc, err := NewRefreshChains(ctx, site.URL, 3)
	if err != nil {
		t.Fatal(err)
	}
	first := append([]string(nil), rc.tokens...)
	for run := range 2 {
		l := rc.Load()
		l.Clients, l.Duration, l.Warmup = 3, 700*time.Millisecond, 2
		r, err := l.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.Errors > 0 || r.Requests-r.Errors < 3 {
			t.Fatalf("run %d: %d of %d refreshes failed, first: %v", run, r.Errors, r.Requests, r.FirstErr)
		}
	}
	for i, tok := range rc.tokens {
		if tok == first[i] {
			t.Errorf("chain %d did not rotate", i)
		}
	}
	if _, err := rc.token(ctx, rc.person.HTTP, map[string][]string{"grant_type": {"refresh_token"}, "refresh_token": {first[0]}}); err == nil {
		t.Error("a spent refresh token was accepted")
	}
}
