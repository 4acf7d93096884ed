package rating

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// record appends a rating event of rt (as it is now) in tx: what the
// rating measures are folded from (internal/stats). Every event of a
// rating counts in the China day the rating was first given.
func record(ctx context.Context, tx tongban.Store, kind tongban.RatingEventKind, rt *tongban.Rating, at time.Time,
	fill func(*tongban.RatingEvent)) error {
	e := &tongban.RatingEvent{At: at, Kind: kind, RatingID: rt.ID, Day: chinaDay(rt.CreatedAt), RegionCode: rt.RegionCode,
		OrgID: rt.OrgID, ListingID: rt.ListingID, Channel: rt.Channel, Level: rt.Level}
	if fill != nil {
		fill(e)
	}
	return tx.AppendRatingEvent(ctx, e)
}

func chinaDay(t time.Time) string { return t.In(calendar.Location()).Format(time.DateOnly) }

// ratingOfTicket returns the rating a ticket was opened for.
func ratingOfTicket(ctx context.Context, st tongban.Store, t *tongban.RatingTicket) (*tongban.Rating, error) {
	rts, err := st.CaseRatings(ctx, t.CaseID)
	if err != nil {
		return nil, err
	}
	for _, rt := range rts {
		if rt.ID == t.RatingID {
			return rt, nil
		}
	}
	return nil, tongban.Errorf(tongban.EInternal, "整改工单 %d 的评价不存在", t.ID)
}

// recordAnswer appends the events of a department's answer: 回访核实 done
// (visited) and, when it closed the ticket, closed — on time if the 整改
// report came by the 整改 deadline, or the explanation of an unfounded
// 差评 by the 回访核实 deadline.
func recordAnswer(ctx context.Context, tx tongban.Store, t *tongban.RatingTicket, action string, now time.Time) error {
	rt, err := ratingOfTicket(ctx, tx, t)
	if err != nil {
		return err
	}
	if action == "verify" {
		if err := record(ctx, tx, tongban.RatingVisited, rt, now, nil); err != nil {
			return err
		}
	}
	due := ""
	switch t.State {
	case tongban.TicketRectified:
		due = t.RectifyDue
	case tongban.TicketInvalid:
		due = t.VerifyDue
	default:
		return nil
	}
	return record(ctx, tx, tongban.RatingClosed, rt, now, func(e *tongban.RatingEvent) { e.OnTime = chinaDay(now) <= due })
}
