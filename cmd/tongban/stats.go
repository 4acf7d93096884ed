package main

import (
	"context"
	"fmt"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/stats"
)

// runStats rebuilds the supervisor's rollups from the case events: after a
// change to how events are folded, or to check that the rollups in use are
// what the events say (the totals it prints can be compared with a copy).
func runStats(ctx context.Context, args []string, e env, s stdio) error {
	if len(args) == 0 || args[0] != "rebuild" {
		return fmt.Errorf("usage: tongban stats rebuild [--data DIR] [--db URL]")
	}
	a, err := openQuiet(ctx, "stats rebuild", args[1:], e, s, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := stats.NewAggregator(a.Store, nil).Rebuild(ctx); err != nil {
		return err
	}
	sums, err := a.Store.SumRollups(ctx, tongban.RollupFilter{})
	if err != nil {
		return err
	}
	var total tongban.RollupCounts
	for _, c := range sums {
		total.Add(c)
	}
	_, err = fmtOut(s, "统计汇总已由办件事件重建：提交 %d，受理 %d，办结 %d（按时 %d），不予办理 %d，不予受理 %d，材料 %d 件中免交 %d 件\n",
		total.Submitted, total.Accepted, total.Closed, total.ClosedOnTime, total.Denied, total.Rejected,
		total.MaterialsAsked, total.MaterialsNotHanded)
	return err
}
