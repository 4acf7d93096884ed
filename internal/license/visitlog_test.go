package license_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

// fakeVisits is a VisitStore that fails its first failures writes, and
// whose writes wait for gate when it is set.
type fakeVisits struct {
	mu       sync.Mutex
	stored   []*tongban.LicenseVisit
	failures int
	attempts int
	gate     chan struct{}
	entered  chan int // each write's batch size, when set
}

func (f *fakeVisits) RecordLicenseVisits(_ context.Context, vs []*tongban.LicenseVisit) error {
	if f.entered != nil {
		f.entered <- len(vs)
	}
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts++
	if f.attempts <= f.failures {
		return errors.New("database is locked")
	}
	f.stored = append(f.stored, vs...)
	return nil
}

func (f *fakeVisits) count() (stored, attempts int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.stored), f.attempts
}

func visit(i int) *tongban.LicenseVisit {
	return &tongban.LicenseVisit{LinkID: int64(i), LicenseID: 1, Kind: tongban.LinkFace, Outcome: license.VerdictValid}
}

// metricValue reads a counter or gauge of reg by name.
func metricValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		m := mf.GetMetric()[0]
		if m.Counter != nil {
			return m.Counter.GetValue()
		}
		return m.Gauge.GetValue()
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestVisitLogRetriesAFailedWrite: a batch whose write fails is retried
// until it is stored, each failure logged and counted; no visit is lost
// or stored twice.
func TestVisitLogRetriesAFailedWrite(t *testing.T) {
	ctx := context.Background()
	st := &fakeVisits{failures: 2}
	var logged bytes.Buffer
	l := license.StartVisitLog(st, 1, license.VisitLinger, slog.New(slog.NewTextHandler(&logged, nil)))
	reg := prometheus.NewRegistry()
	l.RegisterMetrics(reg)
	defer l.Stop()
	for i := range 3 {
		if err := l.RecordLicenseVisit(ctx, visit(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	stored, attempts := st.count()
	if stored != 3 || attempts < 3 {
		t.Fatalf("%d visits stored in %d attempts; want 3 after two failures", stored, attempts)
	}
	if got := metricValue(t, reg, "tongban_license_visit_write_failures_total"); got != 2 {
		t.Errorf("failures counted: %v, want 2", got)
	}
	if got := metricValue(t, reg, "tongban_license_visits_written_total"); got != 3 {
		t.Errorf("visits written counted: %v, want 3", got)
	}
	if n := strings.Count(logged.String(), "licence visits not written; retrying"); n != 2 {
		t.Errorf("%d retries logged, want 2:\n%s", n, logged.String())
	}
}

// TestVisitLogWaitsForRoom: while the writer is stuck, pages queue their
// visits until the queue is full; then a page waits for room (or for its
// context, and is then refused, its visit not queued), and once the
// writer moves on every queued visit is stored: none is dropped.
func TestVisitLogWaitsForRoom(t *testing.T) {
	ctx := context.Background()
	st := &fakeVisits{gate: make(chan struct{}), entered: make(chan int, 1)}
	l := license.StartVisitLog(st, 1, license.VisitLinger, slog.New(slog.DiscardHandler))
	reg := prometheus.NewRegistry()
	l.RegisterMetrics(reg)
	if err := l.RecordLicenseVisit(ctx, visit(0)); err != nil {
		t.Fatal(err)
	}
	if n := <-st.entered; n != 1 { // the writer holds visit 0, waiting for the gate
		t.Fatalf("first batch of %d", n)
	}
	for i := range license.MaxQueuedVisits {
		if err := l.RecordLicenseVisit(ctx, visit(1+i)); err != nil {
			t.Fatal(err)
		}
	}
	if got := metricValue(t, reg, "tongban_license_visits_queued"); got != license.MaxQueuedVisits {
		t.Fatalf("%v visits queued, want %d", got, license.MaxQueuedVisits)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if err := l.RecordLicenseVisit(gone, visit(-1)); !errors.Is(err, context.Canceled) {
		t.Fatalf("a page whose client left, with the queue full: %v", err)
	}
	waited := make(chan error, 1)
	go func() { waited <- l.RecordLicenseVisit(ctx, visit(1+license.MaxQueuedVisits)) }()
	// The page has found the queue full once it is counted; until the gate
	// opens it can only wait.
	for metricValue(t, reg, "tongban_license_visit_queue_full_total") < 2 {
		runtime.Gosched()
	}
	select {
	case err := <-waited:
		t.Fatalf("a page did not wait for room in a full queue: %v", err)
	default:
	}
	go func() { // let every write through; the batches' sizes are not the test's
		for range st.entered {
		}
	}()
	close(st.gate)
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	l.Stop()
	close(st.entered)
	stored, _ := st.count()
	if want := license.MaxQueuedVisits + 2; stored != want {
		t.Fatalf("%d visits stored, want %d", stored, want)
	}
	seen := map[int64]bool{}
	for _, v := range st.stored {
		if seen[v.LinkID] || v.LinkID < 0 {
			t.Fatalf("visit %d stored twice, or the refused one stored", v.LinkID)
		}
		seen[v.LinkID] = true
	}
	if got := metricValue(t, reg, "tongban_license_visit_queue_full_total"); got < 2 {
		t.Errorf("pages that found the queue full: %v, want at least 2", got)
	}
}

// TestVisitLogStopGivesUpADeadStore: Stop drains the queue, but a store
// that keeps failing is tried a few times, then the visits are counted
// as lost and Stop returns.
func TestVisitLogStopGivesUpADeadStore(t *testing.T) {
	ctx := context.Background()
	st := &fakeVisits{failures: 1 << 30}
	l := license.StartVisitLog(st, 1, license.VisitLinger, slog.New(slog.DiscardHandler))
	reg := prometheus.NewRegistry()
	l.RegisterMetrics(reg)
	if err := l.RecordLicenseVisit(ctx, visit(0)); err != nil {
		t.Fatal(err)
	}
	l.Stop()
	if got := metricValue(t, reg, "tongban_license_visits_lost_total"); got != 1 {
		t.Errorf("visits lost: %v, want 1", got)
	}
	if err := l.Flush(ctx); err != nil { // nothing pending any more
		t.Fatal(err)
	}
}

// TestVisitLogLingersForABatch: a writer that has emptied the queue
// waits for more visits, up to a full batch, before writing; Stop ends
// the wait at once. Every batch is a power of two visits (one of a few
// statement texts): what Stop finds is written as 128 + 64 + 8.
func TestVisitLogLingersForABatch(t *testing.T) {
	ctx := context.Background()
	st := &fakeVisits{entered: make(chan int, 8)}
	l := license.StartVisitLog(st, 1, time.Hour, slog.New(slog.DiscardHandler))
	const rest = 200
	for i := range license.MaxVisitBatch + rest {
		if err := l.RecordLicenseVisit(ctx, visit(i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := <-st.entered; n != license.MaxVisitBatch {
		t.Fatalf("first batch of %d visits, want a full batch of %d", n, license.MaxVisitBatch)
	}
	stopped := make(chan struct{})
	go func() { l.Stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(time.Minute):
		t.Fatal("Stop waited for the writer's linger")
	}
	close(st.entered)
	var sizes []int
	for n := range st.entered {
		sizes = append(sizes, n)
	}
	if fmt.Sprint(sizes) != "[128 64 8]" {
		t.Fatalf("the %d visits at Stop written in batches of %v, want [128 64 8]", rest, sizes)
	}
	stored, _ := st.count()
	if stored != license.MaxVisitBatch+rest {
		t.Fatalf("%d visits stored, want %d", stored, license.MaxVisitBatch+rest)
	}
	seen := map[int64]bool{}
	for _, v := range st.stored {
		if seen[v.LinkID] {
			t.Fatalf("visit %d stored twice", v.LinkID)
		}
		seen[v.LinkID] = true
	}
}
