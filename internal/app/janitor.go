package app

import (
	"context"
	"time"
)

// RunJanitor deletes expired sessions and old sign-in failures every
// interval until ctx ends. Any number of servers may run it at once: the
// deletes are idempotent.
func (a *App) RunJanitor(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := a.Clock.Now()
			n, err := a.Store.PurgeExpired(ctx, now, now.Add(-24*time.Hour))
			if err != nil {
				a.Log.Warn("janitor", "err", err)
			} else if n > 0 {
				a.Log.Debug("janitor purged", "rows", n)
			}
		}
	}
}
