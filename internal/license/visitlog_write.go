package license

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// stopAttempts is how often a writer tries a failing batch once Stop was
// called; while the server runs it retries without end, so a database
// that is down for a while loses no visit (the queue fills and pages
// wait), and a database gone at shutdown cannot hold the stop forever.
const stopAttempts = 5

// retryWait is the pause before a failed batch's next attempt: 10 ms,
// doubling, at most a second.
func retryWait(attempt int) time.Duration {
	return min(10*time.Millisecond<<min(attempt-1, 7), time.Second)
}

func (l *VisitLog) run() {
	batch := make([]queuedVisit, 0, MaxVisitBatch)
	vs := make([]*tongban.LicenseVisit, 0, MaxVisitBatch)
	for first := range l.queue {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < MaxVisitBatch {
			select {
			case q, ok := <-l.queue:
				if !ok {
					break fill
				}
				batch = append(batch, q)
			default:
				break fill
			}
		}
		// One multi-row INSERT, its own transaction: a statement per
		// visit made the batch's write as long as its round trips.
		vs = vs[:0]
		for _, q := range batch {
			vs = append(vs, q.v)
		}
		l.write(vs)
		l.pending.written(batch)
	}
}

// write stores vs, retrying a failure after retryWait. The batch is one
// statement, so a failed attempt stored none of it; only an error that
// hides a commit (a connection lost while committing) can store a batch
// twice.
func (l *VisitLog) write(vs []*tongban.LicenseVisit) {
	for attempt := 1; ; attempt++ {
		err := l.st.RecordLicenseVisits(context.Background(), vs)
		if err == nil {
			l.metrics.written.Add(float64(len(vs)))
			return
		}
		l.metrics.failures.Inc()
		if l.stopping.Load() && attempt >= stopAttempts {
			l.metrics.lost.Add(float64(len(vs)))
			l.log.Error("licence visits lost at shutdown", "visits", len(vs), "attempts", attempt, "err", err)
			return
		}
		wait := retryWait(attempt)
		l.log.Warn("licence visits not written; retrying", "visits", len(vs), "attempt", attempt,
			"retry_in", wait.String(), "err", err)
		time.Sleep(wait)
	}
}
