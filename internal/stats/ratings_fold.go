package stats

import (
	"context"

	"github.com/tongban/tongban"
)

// FoldRatings turns rating events into rating rollup counts. Like Fold it is
// pure, so the rating rollups can be rebuilt from the events and checked.
// Every event counts in the cell of the day its rating was first given; a
// change takes the rating out of its old level and channel and puts it in
// the new ones.
func FoldRatings(events []tongban.RatingEvent) map[tongban.RatingRollupKey]tongban.RatingRollupCounts {
	out := map[tongban.RatingRollupKey]tongban.RatingRollupCounts{}
	add := func(e tongban.RatingEvent, ch tongban.RatingChannel, f func(*tongban.RatingRollupCounts)) {
		k := tongban.RatingRollupKey{Day: e.Day, RegionCode: e.RegionCode, OrgID: e.OrgID, ListingID: e.ListingID, Channel: ch}
		c := out[k]
		f(&c)
		out[k] = c
	}
	for _, e := range events {
		switch e.Kind {
		case tongban.RatingGiven:
			add(e, e.Channel, func(c *tongban.RatingRollupCounts) { c.Add(levelCounts(e.Level, 1)) })
		case tongban.RatingChanged:
			add(e, e.PrevChannel, func(c *tongban.RatingRollupCounts) { c.Add(levelCounts(e.PrevLevel, -1)) })
			add(e, e.Channel, func(c *tongban.RatingRollupCounts) { c.Add(levelCounts(e.Level, 1)) })
		case tongban.RatingExcluded: // an upheld appeal: out of 好评率 and 差评率, counted apart
			add(e, e.Channel, func(c *tongban.RatingRollupCounts) {
				c.Add(levelCounts(e.Level, -1))
				c.Excluded++
			})
		case tongban.RatingTicketed:
			add(e, e.Channel, func(c *tongban.RatingRollupCounts) { c.Tickets++ })
		case tongban.RatingVisited:
			add(e, e.Channel, func(c *tongban.RatingRollupCounts) { c.Visited++ })
		case tongban.RatingClosed:
			add(e, e.Channel, func(c *tongban.RatingRollupCounts) {
				c.Closed++
				if e.OnTime {
					c.ClosedOnTime++
				}
			})
		case tongban.RatingJudged:
			add(e, e.Channel, func(c *tongban.RatingRollupCounts) {
				c.Verdicts++
				if e.Level == tongban.RatingSatisfied {
					c.VerdictsSatisfied++
				}
			})
		}
	}
	return out
}

// levelCounts is one rating of level l, times n (1 to count, -1 to uncount).
func levelCounts(l tongban.RatingLevel, n int64) tongban.RatingRollupCounts {
	c := tongban.RatingRollupCounts{Rated: n}
	if l.Good() {
		c.Good = n
	}
	if l.Bad() {
		c.Bad = n
	}
	return c
}

// refreshRatings folds in every rating event committed so far, as Refresh
// does the case events, under the rating rollups' own watermark.
func (a *Aggregator) refreshRatings(ctx context.Context) error {
	horizon, err := a.st.RatingEventHorizon(ctx)
	if err != nil {
		return err
	}
	for {
		done := false
		err := a.st.Transact(ctx, func(tx tongban.Store) error {
			wm, err := tx.RatingRollupWatermark(ctx)
			if err != nil {
				return err
			}
			if wm >= horizon {
				done = true
				return nil
			}
			evs, err := tx.RatingEvents(ctx, wm, horizon, BatchSize)
			if err != nil {
				return err
			}
			next := horizon
			if len(evs) == BatchSize {
				next = evs[len(evs)-1].ID
			}
			return tx.ApplyRatingRollups(ctx, FoldRatings(evs), next)
		})
		if err != nil || done {
			return err
		}
	}
}
