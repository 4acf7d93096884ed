package stats

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// BatchSize is how many events one transaction folds in.
const BatchSize = 5000

// Aggregator folds case events into the rollups. Each batch adds its counts
// and moves the watermark in one transaction holding the watermark row, so
// a crash, a restart or a second app server never counts an event twice or
// skips one; submissions write nothing extra.
type Aggregator struct {
	st   tongban.Store
	log  *slog.Logger
	stop chan struct{}
	wg   sync.WaitGroup
}

func NewAggregator(st tongban.Store, log *slog.Logger) *Aggregator {
	if log == nil {
		log = slog.Default()
	}
	return &Aggregator{st: st, log: log}
}

// Refresh folds in every case, rating and complaint event committed so far.
func (a *Aggregator) Refresh(ctx context.Context) error {
	if err := a.refreshCases(ctx); err != nil {
		return err
	}
	if err := a.refreshRatings(ctx); err != nil {
		return err
	}
	return a.refreshComplaints(ctx)
}

func (a *Aggregator) refreshCases(ctx context.Context) error {
	horizon, err := a.st.EventHorizon(ctx)
	if err != nil {
		return err
	}
	for {
		done := false
		err := a.st.Transact(ctx, func(tx tongban.Store) error {
			wm, err := tx.RollupWatermark(ctx)
			if err != nil {
				return err
			}
			if wm >= horizon {
				done = true
				return nil
			}
			evs, err := tx.RollupEvents(ctx, wm, horizon, BatchSize)
			if err != nil {
				return err
			}
			next := horizon // fewer than a batch: nothing else counts up to the horizon
			if len(evs) == BatchSize {
				next = evs[len(evs)-1].ID
			}
			return tx.ApplyRollups(ctx, Fold(evs), next)
		})
		if err != nil || done {
			return err
		}
	}
}

// Rebuild empties the rollups and folds every event in again. Events carry
// what the measures need (tongban.EventFacts), so the rebuilt rollups equal
// the ones folded as the cases went; it is how they are checked, and how a
// changed fold is applied to the past. Other servers' refreshes meanwhile
// wait on the watermark and then continue from wherever it stands.
func (a *Aggregator) Rebuild(ctx context.Context) error {
	err := a.st.Transact(ctx, func(tx tongban.Store) error {
		if _, err := tx.RollupWatermark(ctx); err != nil {
			return err
		}
		if _, err := tx.RatingRollupWatermark(ctx); err != nil {
			return err
		}
		if _, err := tx.ComplaintRollupWatermark(ctx); err != nil {
			return err
		}
		if err := tx.ResetRatingRollups(ctx); err != nil {
			return err
		}
		if err := tx.ResetComplaintRollups(ctx); err != nil {
			return err
		}
		return tx.ResetRollups(ctx)
	})
	if err != nil {
		return err
	}
	return a.Refresh(ctx)
}

// RefreshEvery is how stale the measures may be in a running app.
const RefreshEvery = 5 * time.Second

// Start refreshes every interval until Stop, and returns a.
func (a *Aggregator) Start(every time.Duration) *Aggregator {
	a.stop = make(chan struct{})
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-a.stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				if err := a.Refresh(ctx); err != nil {
					a.log.Warn("统计汇总失败", "err", err)
				}
				cancel()
			}
		}
	}()
	return a
}

// Stop ends the loop started by Start and waits for it.
func (a *Aggregator) Stop() {
	if a.stop != nil {
		close(a.stop)
		a.wg.Wait()
		a.stop = nil
	}
}
