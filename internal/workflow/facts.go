package workflow

import "github.com/tongban/tongban"

// Each event the measures count carries the facts they need (see
// tongban.EventFacts): the stats fold then reads the events alone, and a
// rebuild of the rollups gives the numbers the cases gave as they went.

// startFacts begins the facts of a measured event with what only the
// actor knows: whether it acted at a comprehensive window.
func startFacts(a *actor, action tongban.CaseAction, to tongban.CaseState) *tongban.EventFacts {
	if !tongban.Measured(action, to) {
		return nil
	}
	return &tongban.EventFacts{AtWindow: action == tongban.ActionAccept && a.window}
}

// completeFacts fills in the case's facts once the action has settled its
// visits and due date, just before the events are written.
func (t *txn) completeFacts() {
	for _, e := range t.pending {
		f := e.Facts
		if f == nil {
			continue
		}
		f.RegionCode, f.OrgID, f.ListingID, f.Channel = t.c.RegionCode, t.c.OrgID, t.c.ListingID, t.c.Channel
		if e.Action == tongban.ActionSubmit {
			f.MaterialsAsked, f.MaterialsSpared = materialsAsked(t.listing, t.c)
			f.SparedByLicense, f.SparedByLibrary, f.SparedByShared = tongban.SparedByRef(t.c.Materials)
		}
		if e.To == tongban.CaseClosed {
			f.Visits, f.DueDate, f.DecidedAt = t.c.Visits, t.c.DueDate, t.c.DecidedAt
		}
	}
}

// materialsAsked counts what the listing asked of the case at submission —
// its required materials and any other the applicant handed in — and how
// many of the case's materials were spared (材料减少率).
func materialsAsked(l *tongban.Listing, c *tongban.Case) (asked, spared int) {
	for _, lm := range l.Materials {
		if _, given := c.Material(lm.Key); given || lm.Required == tongban.MaterialRequired {
			asked++
		}
	}
	for _, m := range c.Materials {
		if m.Spared() {
			spared++
		}
	}
	return asked, spared
}
