package bundle

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
)

// Measures are a bundle's measures, from its applications' stored case
// events only.
type Measures struct {
	BundleID int64  `json:"bundle_id"`
	Name     string `json:"name"`
	Cases    int    `json:"cases"`    // applications
	Finished int    `json:"finished"` // applications whose every sub-case has its result or decision, or stopped
	// PromisedDays and ActualDays are summed over the finished
	// applications: the promise for their answers, and the working days
	// from the first sub-case's acceptance to the last result or decision.
	PromisedDays int `json:"promised_days"`
	ActualDays   int `json:"actual_days"`
	// Trips are the days with an in-person visit (submission at a window,
	// a supplement at a window, a pickup), over all applications: a pickup
	// of several results on one day is one trip.
	Trips int `json:"trips"`
	// MaterialsAsked are the materials the applications asked (merged);
	// MaterialsSeparately what their components would have asked applied
	// for one by one (只提交一次 saving = the difference).
	MaterialsAsked      int `json:"materials_asked"`
	MaterialsSeparately int `json:"materials_separately"`
	// Open are the applications not finished: their deadline and who holds
	// them up.
	Open []OpenApplication `json:"open"`
}

// OpenApplication is one unfinished application for supervisors.
type OpenApplication struct {
	Number     string   `json:"number"`
	StateLabel string   `json:"state_label"`
	DueDate    string   `json:"due_date,omitempty"`
	HeldBy     []string `json:"held_by"`
}

// Calendar gives the working-day schedule in force.
type Calendar interface {
	Schedule(ctx context.Context) (*calendar.Schedule, error)
}

// Measure computes a bundle's measures for a supervisor.
func (s *Service) Measure(ctx context.Context, u *tongban.User, cal Calendar, bundleID int64) (*Measures, error) {
	if err := (identity.Authorizer{Orgs: s.Store}).Require(u, identity.PermSupervise); err != nil {
		return nil, err
	}
	b, err := s.Store.Bundle(ctx, bundleID)
	if err != nil {
		return nil, err
	}
	sched, err := cal.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	bcs, err := s.Store.BundleCases(ctx, tongban.BundleCaseFilter{BundleID: bundleID})
	if err != nil {
		return nil, err
	}
	m := &Measures{BundleID: b.ID, Name: b.Name, Open: []OpenApplication{}}
	for _, bc := range bcs {
		m.Cases++
		_, cl, err := s.pinned(ctx, s.Store, bc)
		if err != nil {
			return nil, err
		}
		m.MaterialsAsked += len(bc.Materials)
		m.MaterialsSeparately += cl.Separately
		cases, err := s.casesOf(ctx, bc)
		if err != nil {
			return nil, err
		}
		var first, last time.Time
		tripDays := map[calendar.Date]bool{}
		for id := range cases {
			evs, err := s.Store.CaseEvents(ctx, id)
			if err != nil {
				return nil, err
			}
			for _, e := range evs {
				if e.Visit {
					tripDays[calendar.DateOf(e.At)] = true
				}
				if e.Action == tongban.ActionAccept && (first.IsZero() || e.At.Before(first)) {
					first = e.At
				}
				switch e.To {
				case tongban.CaseResultIssued, tongban.CaseDenied, tongban.CaseRejected:
					if e.At.After(last) {
						last = e.At
					}
				}
			}
		}
		m.Trips += len(tripDays)
		v := Derive(bc, cases)
		if v.State == ParentIssued || v.State == ParentClosed {
			m.Finished++
			m.PromisedDays += cl.PromisedDays
			if !first.IsZero() && !last.IsZero() {
				n, _ := sched.WorkdaysBetween(first, last)
				m.ActualDays += n
			}
			continue
		}
		m.Open = append(m.Open, OpenApplication{Number: bc.Number, StateLabel: v.StateLabel, DueDate: v.DueDate, HeldBy: nonNil(v.HeldBy)})
	}
	return m, nil
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
