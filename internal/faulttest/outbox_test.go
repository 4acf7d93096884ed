package faulttest

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/sealer"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/workflow"
)

// announcedSubmissions is the submissions workload with a webhook of the
// department that handles the cases, served by this test process (it
// outlives every kill): after each restart every committed event reaches
// it at least once (matched by event ID), and nothing that did not commit.
type announcedSubmissions struct {
	submissions
	recv *hookReceiver
}

func (w *announcedSubmissions) prepare(t *testing.T, s *tbServer) {
	w.submissions.prepare(t, s)
	w.recv = &hookReceiver{got: map[string]*tongban.OutboxEvent{}}
	srv := httptest.NewServer(w.recv)
	t.Cleanup(srv.Close)
	st := openStore(t, s)
	w.recv.secret = outbox.NewSecret()
	h := &tongban.Webhook{OrgID: w.f.Listing.OrgID, Name: "部门业务系统", URL: srv.URL, Secret: w.recv.secret, Active: true,
		CreatedAt: time.Now()}
	if err := st.CreateWebhook(context.Background(), h); err != nil {
		t.Fatal(err)
	}
}

// afterRestart retries the unanswered submissions, then waits until the
// restarted publisher has delivered every event the database holds.
func (w *announcedSubmissions) afterRestart(t *testing.T, s *tbServer) {
	w.submissions.afterRestart(t, s)
	st := openStore(t, s)
	deadline := time.Now().Add(90 * time.Second)
	for {
		missing := w.undelivered(t, st)
		if missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d committed events not delivered 90 s after the restart\n%s", missing, s.child.Tail(20))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (w *announcedSubmissions) undelivered(t *testing.T, st *store.Store) int {
	evs, err := st.OutboxEvents(context.Background(), 0, math.MaxInt64, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	w.recv.mu.Lock()
	defer w.recv.mu.Unlock()
	n := 0
	for _, e := range evs {
		// The workload's case events; the demo's imported licences
		// (license.*) belong to other departments, outside this webhook.
		if strings.HasPrefix(e.Type, "case.") && w.recv.got[e.EventID] == nil {
			n++
		}
	}
	return n
}

func (w *announcedSubmissions) verify(t *testing.T, a *app.App, s *tbServer, acked []string) {
	w.submissions.verify(t, a, s, acked)
	evs, err := a.Store.OutboxEvents(context.Background(), 0, math.MaxInt64, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	caseEvents := map[string]bool{} // the workload's; see undelivered
	announced := map[string]bool{}
	for _, e := range evs {
		stored[e.EventID] = true
		if strings.HasPrefix(e.Type, "case.") {
			caseEvents[e.EventID] = true
		}
		var c workflow.CaseAnnouncement
		if e.Type == "case.submit" && json.Unmarshal(e.Payload, &c) == nil {
			announced[c.Number] = true
		}
	}
	w.recv.mu.Lock()
	defer w.recv.mu.Unlock()
	for id, e := range w.recv.got {
		if !stored[id] {
			t.Errorf("delivered %s %s, which never committed", e.Type, e.Subject)
		}
	}
	for key, number := range w.numbers {
		if !announced[number] {
			t.Errorf("acknowledged case %s (key %s) has no case.submit event", number, key)
		}
	}
	for id := range caseEvents {
		if w.recv.got[id] == nil {
			t.Errorf("committed event %s never delivered", id)
		}
	}
	t.Logf("%d events committed, %d distinct delivered in %d deliveries (repeats after a kill are allowed)",
		len(stored), len(w.recv.got), w.recv.deliveries)
}

// openStore opens the server's database beside the running server.
func openStore(t *testing.T, s *tbServer) *store.Store {
	t.Helper()
	db, err := sqldb.Open(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, _ := hex.DecodeString(testSecret)
	seal, err := sealer.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return store.New(db, seal)
}

// hookReceiver is the department system: it checks signatures and keeps
// each distinct event.
type hookReceiver struct {
	secret     string
	mu         sync.Mutex
	got        map[string]*tongban.OutboxEvent
	deliveries int
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := outbox.Verify(h.secret, r.Header.Get(outbox.HeaderTimestamp), r.Header.Get(outbox.HeaderSignature), body,
		time.Now(), 5*time.Minute); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var e tongban.OutboxEvent
	if err := json.Unmarshal(body, &e); err != nil || e.EventID == "" {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.got[e.EventID] = &e
	h.deliveries++
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
