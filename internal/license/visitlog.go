package license

import (
	"context"
	"sync"

	"github.com/tongban/tongban"
)

// VisitRecorder stores a visit of a licence link; tongban.Store is one
// (a visit, a commit) and VisitLog another (visits arriving together, one
// statement and one commit).
type VisitRecorder interface {
	RecordLicenseVisit(ctx context.Context, v *tongban.LicenseVisit) error
}

// MaxVisitBatch bounds the visits one statement of a VisitLog writes.
const MaxVisitBatch = 256

// VisitLog records verify-page visits with group commit. Every visit is
// stored and a page answers only once its visit is durable, but the visits
// that arrive while one batch is being written go together in the next
// transaction: a burst of scans pays a few commits, not one each. (On
// SQLite, one writer, the commit is the page's whole cost.)
type VisitLog struct {
	st    tongban.Store
	queue chan visitWrite
	mu    sync.RWMutex // held for reading while enqueueing; Stop takes it to close
	stop  bool
	done  chan struct{}
}

type visitWrite struct {
	v   *tongban.LicenseVisit
	err chan error
}

// StartVisitLog starts writers batch writers (at least one); Stop ends
// them. On SQLite, one writer at a time anyway, give it one: a second
// would take a batch of the first few visits and wait for the lock while
// the next visits queued behind it. On PostgreSQL, give it several: a
// batch need not wait for the one before it to commit (a page arriving
// during a commit waited for that commit and then its own), and the
// server flushes concurrent commits together.
func StartVisitLog(st tongban.Store, writers int) *VisitLog {
	l := &VisitLog{st: st, queue: make(chan visitWrite, MaxVisitBatch), done: make(chan struct{})}
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

// RecordLicenseVisit stores v in the next batch and waits until that
// batch committed (or ctx ends; the visit is then still written).
func (l *VisitLog) RecordLicenseVisit(ctx context.Context, v *tongban.LicenseVisit) error {
	w := visitWrite{v: v, err: make(chan error, 1)}
	l.mu.RLock()
	if l.stop {
		l.mu.RUnlock()
		return l.st.RecordLicenseVisit(ctx, v)
	}
	select {
	case l.queue <- w:
		l.mu.RUnlock()
	case <-ctx.Done():
		l.mu.RUnlock()
		return ctx.Err()
	}
	select {
	case err := <-w.err:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop writes what is queued and ends the writer; later visits are
// written one by one.
func (l *VisitLog) Stop() {
	l.mu.Lock()
	l.stop = true
	close(l.queue)
	l.mu.Unlock()
	<-l.done
}

func (l *VisitLog) run() {
	batch := make([]visitWrite, 0, MaxVisitBatch)
	vs := make([]*tongban.LicenseVisit, 0, MaxVisitBatch)
	for first := range l.queue {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < MaxVisitBatch {
			select {
			case w, ok := <-l.queue:
				if !ok {
					break fill
				}
				batch = append(batch, w)
			default:
				break fill
			}
		}
		// One multi-row INSERT, its own transaction: a statement per
		// visit made the batch's write as long as its round trips (on
		// PostgreSQL, a busy host's round trips, not the fsync, were the
		// wait), and every page waited for the whole batch.
		vs = vs[:0]
		for _, w := range batch {
			vs = append(vs, w.v)
		}
		err := l.st.RecordLicenseVisits(context.Background(), vs)
		for _, w := range batch {
			w.err <- err
		}
	}
}
