package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
)

// openExchange seeds the standard materials of a new deployment and builds
// the parts of 只提交一次材料.
func openExchange(ctx context.Context, st tongban.Store, clock tongban.Clock, log *slog.Logger) (*exchange.Exchange, error) {
	seeded, err := exchange.SeedStandards(ctx, st, clock)
	if err != nil {
		return nil, fmt.Errorf("seed the standard materials: %w", err)
	}
	if seeded {
		log.Info("标准材料目录已按内置数据初始化")
	}
	return exchange.New(st, clock), nil
}
