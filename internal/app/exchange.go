package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/workflow"
)

// ExchangeConfig is the settings of 只提交一次材料 (internal/exchange).
type ExchangeConfig struct {
	// LibraryMonths is how long a confirmed material stays reusable when
	// neither the document nor its standard material says; 0 = 12.
	LibraryMonths int
	// PullTimeout is the default time a shared-data provider has to answer
	// a pull (a resource may set its own); 0 = 5 s.
	PullTimeout time.Duration
	// PullPrivate allows pulls from providers on private, loopback or
	// link-local addresses — a government intranet. Off, such targets are
	// refused at dial time, so a resource's URL cannot reach inside.
	PullPrivate bool
}

func (c *ExchangeConfig) validate() error {
	if c.LibraryMonths < 0 || c.LibraryMonths > 120 {
		return fmt.Errorf("--library-months %d: want 0 to 120", c.LibraryMonths)
	}
	if c.LibraryMonths == 0 {
		c.LibraryMonths = exchange.DefaultLibraryMonths
	}
	if c.PullTimeout < 0 || c.PullTimeout > time.Minute {
		return fmt.Errorf("--pull-timeout %s: want at most 1m", c.PullTimeout)
	}
	if c.PullTimeout == 0 {
		c.PullTimeout = 5 * time.Second
	}
	return nil
}

// openExchange seeds the standard materials of a new deployment, builds
// the parts of 只提交一次材料 and plugs them into the workflow: the
// material library keeps confirmed files and resolves `reused` materials,
// shared data resolves `shared` ones.
func openExchange(ctx context.Context, cfg ExchangeConfig, st tongban.Store, clock tongban.Clock, log *slog.Logger, wf *workflow.Service) (*exchange.Exchange, error) {
	seeded, err := exchange.SeedStandards(ctx, st, clock)
	if err != nil {
		return nil, fmt.Errorf("seed the standard materials: %w", err)
	}
	if seeded {
		log.Info("标准材料目录已按内置数据初始化")
	}
	ex := exchange.New(st, clock)
	ex.Library.DefaultMonths = cfg.LibraryMonths
	ex.Data.Pull = exchange.NewPuller(cfg.PullTimeout, cfg.PullPrivate)
	wf.Keeper = ex.Library
	if wf.Resolvers == nil {
		wf.Resolvers = map[tongban.MaterialStatus]workflow.MaterialResolver{}
	}
	wf.Resolvers[tongban.MaterialReused] = ex.Library
	wf.Resolvers[tongban.MaterialShared] = ex.Data
	// Verifies the claimed licence before the transaction; reads which
	// licence type stands for a material from the cache catalog saves forget.
	wf.Resolvers[tongban.MaterialELicense] = exchange.Licenses{Store: st, Standards: ex.Standards.Cache}
	return ex, nil
}
