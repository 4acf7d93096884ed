// Package stats computes the supervisor's measures (DESIGN.md "Measures"):
// catalog measures from published listings, case measures from rollups that
// an aggregator folds in from case events past a watermark.
package stats

import (
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// Fold turns events into rollup counts. It is pure: the same events always
// give the same counts, so the rollups can be rebuilt and checked.
func Fold(events []tongban.RollupEvent) map[tongban.RollupKey]tongban.RollupCounts {
	out := map[tongban.RollupKey]tongban.RollupCounts{}
	for _, e := range events {
		k := tongban.RollupKey{Day: day(e.At), RegionCode: e.RegionCode, OrgID: e.OrgID, ListingID: e.ListingID, Channel: e.Channel}
		c := out[k]
		counter := e.Channel == tongban.ChannelCounter
		switch e.Action {
		case tongban.ActionSubmit:
			c.Submitted++
			c.MaterialsAsked += int64(e.Materials)
			c.MaterialsNotHanded += int64(e.NotHandedIn)
			c.MaterialsByLicense += int64(e.ByLicense)
			c.MaterialsByLibrary += int64(e.ByLibrary)
			c.MaterialsByShared += int64(e.ByShared)
			if counter {
				c.CounterSubmitted++
			}
		case tongban.ActionAccept:
			c.Accepted++
			if counter && e.AtWindow {
				c.CounterAcceptedAtWindow++
			}
		case tongban.ActionApprove:
			c.Decided++
		case tongban.ActionDeny:
			c.Decided++
			c.Denied++
		case tongban.ActionReject:
			c.Rejected++
		}
		if e.To == tongban.CaseClosed {
			c.Closed++
			if onTime(e) {
				c.ClosedOnTime++
			}
			c.Visits += int64(e.CaseVisits)
			if e.CaseVisits <= 1 {
				c.OneTripCases++
			}
		}
		out[k] = c
	}
	return out
}

// onTime: the decision (or, without one, the closing) fell on or before the
// due day; a case without a clock (即办) is on time.
func onTime(e tongban.RollupEvent) bool {
	if e.DueDate == "" {
		return true
	}
	at := e.DecidedAt
	if at.IsZero() {
		at = e.At
	}
	return day(at) <= e.DueDate
}

// day is the China civil date of t.
func day(t time.Time) string { return t.In(calendar.Location()).Format(time.DateOnly) }
