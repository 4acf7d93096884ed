package license

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tongban/tongban"
)

// VisitRecorder stores a visit of a licence link; tongban.Store is one
// (a visit, a commit) and VisitLog another (the visit queued, written
// with the others queued beside it).
type VisitRecorder interface {
	RecordLicenseVisit(ctx context.Context, v *tongban.LicenseVisit) error
}

// VisitStore writes a batch of visits in one transaction, all or none;
// tongban.Store is one.
type VisitStore interface {
	RecordLicenseVisits(ctx context.Context, vs []*tongban.LicenseVisit) error
}

// MaxVisitBatch bounds the visits one write of a VisitLog stores; a power
// of two, as every batch is.
const MaxVisitBatch = 256

// MaxQueuedVisits bounds the visits waiting for a writer; a page that
// finds the queue full waits for room.
const MaxQueuedVisits = 1024

// VisitLinger is how long a writer that has emptied the queue waits for
// more visits before it writes its batch (tongban serve's setting). Every
// commit costs the writer a WAL write and an fsync and, on SQLite, drops
// every other connection's page cache, so the pages' own reads load their
// pages again: a few batches of many visits cost the server less than
// many batches of a few. A visit reaches the holder's 用证记录 that much
// later; the page never waits for it.
const VisitLinger = 10 * time.Millisecond

// VisitLog records verify-page visits as a web server's access log does:
// a page answers once its visit is queued, not once it is stored, and the
// writers store what is queued in batches (a few multi-row INSERTs and one
// commit each). A visit is never dropped while the server runs: a full
// queue makes pages wait (back-pressure), and a failed write is retried
// with backoff, logged and counted. Stop drains the queue before the
// database closes. A crash (not a graceful stop) loses at most the visits
// queued or being written: MaxQueuedVisits + writers × MaxVisitBatch
// (docs/licenses.md, "What a visit record guarantees").
type VisitLog struct {
	st       VisitStore
	linger   time.Duration // how long a writer waits for more visits (VisitLinger)
	log      *slog.Logger
	queue    chan queuedVisit
	mu       sync.RWMutex // held for reading while enqueueing; Stop takes it to close
	stop     bool
	stopping atomic.Bool // Stop was called: writers give a failing batch up after stopAttempts
	done     chan struct{}
	metrics  visitMetrics
	pending  pendingVisits
}

type queuedVisit struct {
	v     *tongban.LicenseVisit
	epoch uint64 // pendingVisits' epoch when queued
}

// StartVisitLog starts writers batch writers (at least one), each
// waiting up to linger for more visits once the queue is empty (0: write
// what is queued at once); Stop ends them. On SQLite, one writer at a time anyway, give it one: a second
// would take a batch of the first few visits and wait for the lock while
// the next visits queued behind it. On PostgreSQL, give it several: a
// batch need not wait for the one before it to commit, and the server
// flushes concurrent commits together.
func StartVisitLog(st VisitStore, writers int, linger time.Duration, log *slog.Logger) *VisitLog {
	l := &VisitLog{st: st, linger: linger, log: log, queue: make(chan queuedVisit, MaxQueuedVisits), done: make(chan struct{}),
		metrics: newVisitMetrics(), pending: newPendingVisits()}
	l.metrics.queued = func() float64 { return float64(len(l.queue)) }
	var wg sync.WaitGroup
	for range max(writers, 1) {
		wg.Go(l.run)
	}
	go func() {
		wg.Wait()
		close(l.done)
	}()
	return l
}

// RecordLicenseVisit queues v and returns; it waits only for room in the
// queue. If ctx ends first, v is not queued and ctx's error is returned
// (the page, not shown, was not a visit). After Stop, v is written at once.
func (l *VisitLog) RecordLicenseVisit(ctx context.Context, v *tongban.LicenseVisit) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.stop {
		return l.st.RecordLicenseVisits(ctx, []*tongban.LicenseVisit{v})
	}
	q := queuedVisit{v: v, epoch: l.pending.add()}
	select {
	case l.queue <- q:
		return nil
	default:
	}
	l.metrics.waits.Inc() // the queue is full: back-pressure
	select {
	case l.queue <- q:
		return nil
	case <-ctx.Done():
		l.pending.written([]queuedVisit{q})
		return ctx.Err()
	}
}

// Flush returns once every visit queued before it is stored (or given up
// after Stop's attempts), or when ctx ends. Tests call it before reading
// visits back; a holder's wallet may lag its visits by the queue.
func (l *VisitLog) Flush(ctx context.Context) error {
	return l.pending.wait(ctx)
}

// Stop writes what is queued and ends the writers; later visits are
// written one by one. Call it before the database closes.
func (l *VisitLog) Stop() {
	l.stopping.Store(true)
	l.mu.Lock()
	l.stop = true
	close(l.queue)
	l.mu.Unlock()
	<-l.done
}
