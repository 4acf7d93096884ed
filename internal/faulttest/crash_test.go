package faulttest

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// Crash tests are short by default; TONGBAN_CRASH_ROUNDS and
// TONGBAN_CRASH_LOAD (a duration per round) make them longer.
func crashRounds() int {
	if n, err := strconv.Atoi(os.Getenv("TONGBAN_CRASH_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 1
}

func crashLoad() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("TONGBAN_CRASH_LOAD")); err == nil && d > 0 {
		return d
	}
	return 1500 * time.Millisecond
}

// workload is what is done to the server while it is killed: each
// acknowledged (2xx) write yields a key that must be found afterwards.
type workload interface {
	// prepare runs once the server is first up (sign in, upload…).
	prepare(t *testing.T, s *tbServer)
	// write sends the n-th write; acked reports a 2xx answer, key names it.
	write(ctx context.Context, client *http.Client, s *tbServer, n int) (key string, acked bool)
	// afterRestart runs once the server is back after a crash (a client
	// retrying what went unanswered).
	afterRestart(t *testing.T, s *tbServer)
	// verify checks, on the database after the crashes, that every
	// acknowledged write is there exactly once and whole.
	verify(t *testing.T, a *app.App, s *tbServer, acked []string)
}

const crashClients = 8

// crashTest loads s with w from several clients, kills the server with
// SIGKILL mid-load, restarts it, and repeats; then checks every
// acknowledged write and the audit chain.
func crashTest(t *testing.T, s *tbServer, w workload) {
	s.start()
	w.prepare(t, s)
	var seq atomic.Int64
	var mu sync.Mutex
	var acked []string
	for round := range crashRounds() {
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var answered atomic.Int64
		for range crashClients {
			client := &http.Client{Timeout: 30 * time.Second}
			wg.Go(func() {
				for i := 0; i < 1_000_000 && ctx.Err() == nil; i++ {
					key, ok := w.write(ctx, client, s, int(seq.Add(1)))
					if ok {
						answered.Add(1)
						mu.Lock()
						acked = append(acked, key)
						mu.Unlock()
					}
				}
			})
		}
		// The load runs for crashLoad once the first write is acknowledged,
		// so a busy machine (a slow first argon2 hash, a cold server) still
		// gets writes in before the kill; a load that never gets one fails.
		for deadline := time.Now().Add(time.Minute); answered.Load() == 0 && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(crashLoad())
		s.kill() // mid-load: requests are in flight
		cancel()
		wg.Wait()
		t.Logf("round %d: %d writes acknowledged before kill -9", round+1, answered.Load())
		if answered.Load() == 0 {
			t.Fatalf("round %d: nothing was acknowledged; the load never ran\n%s", round+1, s.child.Tail(20))
		}
		s.start()
		w.afterRestart(t, s)
	}
	s.stop()
	if out, err := s.cli("audit", "verify"); err != nil {
		t.Errorf("tongban audit verify after the crashes: %v\n%s", err, out)
	}
	a := s.open()
	defer a.Close()
	w.verify(t, a, s, acked)
}

// serverFor returns a server on a fresh database of the dialect: a SQLite
// file, or a database on the shared PostgreSQL (only tongban is killed).
func serverFor(t *testing.T, d sqldb.Dialect) *tbServer {
	if d == sqldb.Postgres {
		return newServer(t, storetest.CreatePostgresDB(t))
	}
	return newServer(t, "")
}

// TestCrashDuringRegistrations kills the server while citizens register:
// every acknowledged registration survives, and the audit chain (each
// registration writes an entry) verifies.
func TestCrashDuringRegistrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		crashTest(t, serverFor(t, d), &registrations{})
	})
}

// TestCrashDuringSubmissions kills the server while applicants submit
// cases with their uploaded materials: every acknowledged case is there
// exactly once and whole (its submit event, its audit entry, its uploads),
// an unanswered submission retried with its Idempotency-Key yields exactly
// one case, and the audit chain verifies. Meanwhile the server's publisher
// delivers the case events to a department's webhook: every committed event
// reaches it at least once after the restarts, and none that did not commit
// (see announcedSubmissions).
func TestCrashDuringSubmissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		crashTest(t, serverFor(t, d), &announcedSubmissions{})
	})
}
