package stats

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// FoldComplaints turns complaint events into complaint rollup counts: each
// event counts once, on its China day, for the department it names (0: a
// complaint received and not dispatched yet). A reply is on time when its
// China date is not past the deadline recorded in the reply event. Pure,
// like Fold, so the rollups can be rebuilt from the events and checked.
func FoldComplaints(es []*tongban.ComplaintEvent) map[tongban.ComplaintRollupKey]tongban.ComplaintCounts {
	out := map[tongban.ComplaintRollupKey]tongban.ComplaintCounts{}
	for _, e := range es {
		day := calendar.DateOf(e.At).String()
		var c tongban.ComplaintCounts
		switch e.Action {
		case tongban.ComplaintActReceive:
			c.Received = 1
		case tongban.ComplaintActDispatch:
			c.Dispatched = 1
		case tongban.ComplaintActReply:
			c.Replied = 1
			if e.Due != "" && day <= e.Due {
				c.RepliedOnTime = 1
			}
		case tongban.ComplaintActRate:
			c.Rated = 1
			if e.Level.Good() {
				c.Satisfied = 1
			}
		case tongban.ComplaintActReturn:
			c.Returned = 1
		case tongban.ComplaintActReopen:
			c.Reopened = 1
		default:
			continue
		}
		k := tongban.ComplaintRollupKey{Day: day, RegionCode: e.RegionCode, OrgID: e.OrgID}
		sum := out[k]
		sum.Add(c)
		out[k] = sum
	}
	return out
}

// refreshComplaints folds in every complaint event committed so far, under
// the complaint rollups' own watermark.
func (a *Aggregator) refreshComplaints(ctx context.Context) error {
	horizon, err := a.st.ComplaintEventHorizon(ctx)
	if err != nil {
		return err
	}
	for {
		done := false
		err := a.st.Transact(ctx, func(tx tongban.Store) error {
			wm, err := tx.ComplaintRollupWatermark(ctx)
			if err != nil {
				return err
			}
			if wm >= horizon {
				done = true
				return nil
			}
			evs, err := tx.ComplaintEventsBetween(ctx, wm, horizon, BatchSize)
			if err != nil {
				return err
			}
			next := horizon
			if len(evs) == BatchSize {
				next = evs[len(evs)-1].ID
			}
			return tx.ApplyComplaintRollups(ctx, FoldComplaints(evs), next)
		})
		if err != nil || done {
			return err
		}
	}
}
