package app

import (
	"context"
	"time"

	"github.com/tongban/tongban/internal/audit"
)

// RunJanitor tidies every interval until ctx ends: expired sessions and old
// sign-in failures, uploads nothing used within their grace period, announces
// 督办 gone 黄牌 or 红牌, and once a day audit entries past their retention. Any
// number of servers may run it at once: each step is idempotent.
func (a *App) RunJanitor(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastAuditPurge time.Time
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
			if n, err := a.Uploads.Sweep(ctx); err != nil {
				a.Log.Warn("janitor: unused uploads", "err", err)
			} else if n > 0 {
				a.Log.Info("janitor deleted unused uploads", "files", n, "grace", a.Config.UploadGrace)
			}
			a.purgeIntegration(ctx, now)
			if n, err := a.Ratings.AnnounceEscalations(ctx); err != nil {
				a.Log.Warn("janitor: 督办 escalations", "err", err)
			} else if n > 0 {
				a.Log.Info("janitor announced 督办 escalations", "notices", n)
			}
			if now.Sub(lastAuditPurge) >= 24*time.Hour {
				lastAuditPurge = now
				a.PurgeAudit(ctx)
			}
		}
	}
}

// PurgeAudit deletes audit entries older than the configured retention,
// keeping the chain verifiable from a signed genesis checkpoint.
func (a *App) PurgeAudit(ctx context.Context) (int64, error) {
	n, err := audit.Purge(ctx, a.Store, a.Audit, a.Clock.Now(), a.Config.AuditRetention)
	if err != nil {
		a.Log.Warn("audit retention purge", "err", err)
	} else if n > 0 {
		a.Log.Info("audit entries past retention purged", "entries", n, "retention", a.Config.AuditRetention)
	}
	return n, err
}
