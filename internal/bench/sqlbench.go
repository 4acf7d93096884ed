package bench

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tongban/tongban/internal/sqldb"
)

// SQLBench is pgbench's counterpart for SQLite, which pgbench cannot
// drive: Clients goroutines run Script back to back on a database opened
// exactly as Tongban opens it (sqldb.Open: same driver, pragmas and pool),
// for Duration.
type SQLBench struct {
	DB       *sqldb.DB
	Clients  int
	Duration time.Duration
	// Script is one transaction of the reference, for client c's n-th run.
	Script func(ctx context.Context, db *sqldb.DB, c, n int) error
}

// Run runs the script and measures transactions/s and latency.
func (b SQLBench) Run(ctx context.Context) (*Result, error) {
	if b.DB == nil || b.Clients <= 0 || b.Duration <= 0 || b.Script == nil {
		return nil, errors.New("bench: SQLBench needs DB, Clients, Duration and Script")
	}
	ctx, cancel := context.WithTimeout(ctx, b.Duration)
	defer cancel()
	per := make([]*Result, b.Clients)
	var stop atomic.Bool
	start := time.Now()
	var wg sync.WaitGroup
	for c := range b.Clients {
		r := &Result{}
		per[c] = r
		wg.Go(func() {
			for n := 0; n < defaultMaxRequests && !stop.Load(); n++ {
				t0 := time.Now()
				err := b.Script(ctx, b.DB, c, n)
				if ctx.Err() != nil {
					return // cut off by the deadline
				}
				r.Requests++
				if err != nil {
					r.Errors++
					if r.FirstErr == nil {
						r.FirstErr = err
					}
					continue
				}
				r.Hist.Record(time.Since(t0))
			}
		})
	}
	<-ctx.Done()
	stop.Store(true)
	wg.Wait()
	total := &Result{Elapsed: time.Since(start)}
	for _, r := range per {
		total.Requests += r.Requests
		total.Errors += r.Errors
		total.Hist.Merge(&r.Hist)
		if total.FirstErr == nil {
			total.FirstErr = r.FirstErr
		}
	}
	return total, nil
}
