package demo

import (
	"context"

	"github.com/tongban/tongban/internal/exchange"
)

// loadExchange prepares 只提交一次材料 for the demo city: the standard
// materials the demo catalog's materials name (a deployment seeds them on
// start; a loader used on its own must too).
func (l *Loader) loadExchange(ctx context.Context) error {
	_, err := exchange.SeedStandards(ctx, l.Store, l.Catalog.Clock)
	return err
}
