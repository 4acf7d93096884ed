package faulttest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/bench"
)

const testSecret = "0707070707070707070707070707070707070707070707070707070707070707"

// TestPostgresOutage stops PostgreSQL under a light request loop and starts
// it again: while it is down every answer is a clean 503 in the API's error
// shape with a Chinese message and /healthz says unhealthy; once it is back
// the same server, never restarted, answers again by itself.
func TestPostgresOutage(t *testing.T) {
	pg := privateCluster(t)
	dbURL := createDB(t, pg, "tongban")
	cfg := app.Config{DataDir: t.TempDir(), DB: dbURL, Secret: testSecret}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	client := srv.Client()

	// A citizen with a session, so that authenticated reads are exercised
	// too. (A session checked in the last AuthCacheTTL is trusted from
	// memory, so GET /api/v1/me alone may rightly answer during an outage;
	// the citizen's case list needs the database.)
	reg := do(client, "POST", srv.URL+"/api/v1/register", map[string]string{"name": "故障测试", "id_number": bench.CitizenID(1),
		"phone": bench.Phone(1), "password": "Tongban@2026"})
	if reg.status != http.StatusCreated {
		t.Fatalf("register: %d %s %v", reg.status, reg.body, reg.err)
	}
	login := do(client, "POST", srv.URL+"/api/v1/login", map[string]string{"login": bench.CitizenID(1), "password": "Tongban@2026"})
	if login.status != http.StatusOK {
		t.Fatalf("login: %d %s", login.status, login.body)
	}
	cookies := (&http.Response{Header: login.header}).Cookies()

	reads := []string{"/api/v1/regions", "/api/v1/listings", "/api/v1/cases"}
	probe := func(path string) answer { return do(client, "GET", srv.URL+path, nil, cookies...) }
	for _, p := range reads {
		if got := probe(p); got.status != http.StatusOK {
			t.Fatalf("before the outage GET %s: %d %s %v", p, got.status, got.body, got.err)
		}
	}

	// The light loop runs through the whole outage; every answer it gets
	// must be a success or a clean 503.
	stop := make(chan struct{})
	var mu sync.Mutex
	var bad []string
	counts := map[int]int{}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; i < 100_000; i++ {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			p := reads[i%len(reads)]
			got := probe(p)
			mu.Lock()
			counts[got.status]++
			if got.status != http.StatusOK {
				if why := cleanUnavailable(got); why != "" {
					bad = append(bad, "GET "+p+": "+why)
				}
			}
			mu.Unlock()
		}
	})
	time.Sleep(200 * time.Millisecond)

	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, p := range reads {
		if why := cleanUnavailable(probe(p)); why != "" {
			t.Errorf("PostgreSQL down, GET %s: %s", p, why)
		}
	}
	write := do(client, "POST", srv.URL+"/api/v1/register", map[string]string{"name": "故障测试", "id_number": bench.CitizenID(2),
		"phone": bench.Phone(2), "password": "Tongban@2026"})
	if why := cleanUnavailable(write); why != "" {
		t.Errorf("PostgreSQL down, POST /api/v1/register: %s", why)
	}
	h := do(client, "GET", srv.URL+"/healthz", nil)
	var health struct{ Status, Database, Error string }
	json.Unmarshal(h.body, &health)
	if h.status != http.StatusServiceUnavailable || health.Status != "unhealthy" || !hasHan(health.Error) {
		t.Errorf("PostgreSQL down, /healthz: %d %s", h.status, h.body)
	}
	time.Sleep(300 * time.Millisecond) // let the loop meet the outage too

	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	// The server finds the database again by itself: bounded polling, no restart.
	healthy := false
	for range 120 {
		if h := do(client, "GET", srv.URL+"/healthz", nil); h.status == http.StatusOK {
			healthy = true
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if !healthy {
		t.Fatalf("/healthz never recovered after PostgreSQL came back\n%s", pg.Log())
	}
	close(stop)
	wg.Wait()

	// Once healthy, requests succeed at once, from several clients (so every
	// pooled connection is exercised), writes included.
	var after sync.WaitGroup
	var failures []string
	for c := range 8 {
		after.Go(func() {
			for i := range 10 {
				p := reads[(c+i)%len(reads)]
				if got := probe(p); got.status != http.StatusOK {
					mu.Lock()
					failures = append(failures, p+": "+strings.TrimSpace(string(got.body)))
					mu.Unlock()
				}
			}
		})
	}
	after.Wait()
	if len(failures) > 0 {
		t.Errorf("%d requests failed after recovery, e.g. %s", len(failures), failures[0])
	}
	write = do(client, "POST", srv.URL+"/api/v1/register", map[string]string{"name": "故障测试", "id_number": bench.CitizenID(3),
		"phone": bench.Phone(3), "password": "Tongban@2026"})
	if write.status != http.StatusCreated {
		t.Errorf("after recovery, POST /api/v1/register: %d %s", write.status, write.body)
	}

	mu.Lock()
	defer mu.Unlock()
	if counts[http.StatusServiceUnavailable] == 0 {
		t.Errorf("the request loop never saw the outage: %v", counts)
	}
	for i, b := range bad {
		if i == 5 {
			t.Errorf("… %d more", len(bad)-5)
			break
		}
		t.Errorf("during the outage: %s", b)
	}
	t.Logf("request loop answers by status: %v", counts)
}
