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
	held := make([]queuedVisit, 0, MaxVisitBatch) // taken from the queue, not yet written
	vs := make([]*tongban.LicenseVisit, 0, MaxVisitBatch)
	for {
		if len(held) == 0 {
			first, ok := <-l.queue
			if !ok {
				return
			}
			held = append(held, first)
		}
		held = l.fill(held)
		// One multi-row INSERT and its commit: a statement per visit made
		// the write as long as its round trips. A batch is a power of two
		// visits, so that its statement is one of a few prepared texts;
		// the rest starts the next batch.
		batch := held[:powerOfTwoAtMost(len(held))]
		vs = vs[:0]
		for _, q := range batch {
			vs = append(vs, q.v)
		}
		l.write(vs)
		l.pending.written(batch)
		held = append(held[:0], held[len(batch):]...)
	}
}

// powerOfTwoAtMost is the largest power of two not above n (n ≥ 1).
func powerOfTwoAtMost(n int) int {
	k := 1
	for k*2 <= n {
		k *= 2
	}
	return k
}

// fill adds to batch the visits queued, up to MaxVisitBatch; once the
// queue is empty it waits up to l.linger for more. A closed queue (Stop)
// ends the wait at once.
func (l *VisitLog) fill(batch []queuedVisit) []queuedVisit {
	var linger <-chan time.Time
	for len(batch) < MaxVisitBatch {
		select {
		case q, ok := <-l.queue:
			if !ok {
				return batch
			}
			batch = append(batch, q)
			continue
		default:
		}
		if l.linger <= 0 {
			return batch
		}
		if linger == nil {
			t := time.NewTimer(l.linger)
			defer t.Stop()
			linger = t.C
		}
		select {
		case q, ok := <-l.queue:
			if !ok {
				return batch
			}
			batch = append(batch, q)
		case <-linger:
			return batch
		}
	}
	return batch
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
