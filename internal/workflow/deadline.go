package workflow

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// Calendar supplies the working-day schedule. It is asked once per action,
// so a schedule loaded from the database and edited by an admin takes
// effect without a restart; *calendar.Holder is one.
type Calendar interface {
	Schedule(ctx context.Context) (*calendar.Schedule, error)
}

// StaticCalendar is a fixed schedule, such as calendar.Default().
type StaticCalendar struct{ S *calendar.Schedule }

func (c StaticCalendar) Schedule(context.Context) (*calendar.Schedule, error) { return c.S, nil }

var _ Calendar = (*calendar.Holder)(nil)

// Pauses derives the stretches during which a case's clock stopped from its
// events: a correction requested after acceptance until the applicant
// supplements, and a 特别程序 from its start to its end. Withdrawal ends an
// open pause. A pause still open has a zero To. A correction before
// acceptance is no pause: the clock has not started.
func Pauses(events []*tongban.CaseEvent) []calendar.Pause {
	var out []calendar.Pause
	open := -1
	for _, e := range events {
		switch e.Action {
		case tongban.ActionRequestCorrection:
			if e.From == tongban.CaseAccepted || e.From == tongban.CaseInReview {
				out = append(out, calendar.Pause{From: e.At})
				open = len(out) - 1
			}
		case tongban.ActionSpecialStart:
			out = append(out, calendar.Pause{From: e.At})
			open = len(out) - 1
		case tongban.ActionSupplement, tongban.ActionSpecialEnd, tongban.ActionWithdraw:
			if open >= 0 {
				out[open].To = e.At
				open = -1
			}
		}
	}
	return out
}

// setDeadline recomputes the due date of an accepted case from its
// acceptance, promised days and the pauses in its events.
func setDeadline(sched *calendar.Schedule, c *tongban.Case, events []*tongban.CaseEvent) {
	if c.AcceptedAt.IsZero() {
		return
	}
	pauses := Pauses(events)
	res := sched.Due(c.AcceptedAt, c.PromisedDays, pauses)
	c.DueDate, c.Provisional = res.Due.String(), res.Provisional
	// Working days from acceptance to the due date beyond the promise are
	// exactly the paused working days that moved it.
	n, _ := sched.WorkdaysBetween(c.AcceptedAt, res.Due.Time())
	c.PausedDays = max(n-c.PromisedDays, 0)
	c.PausedSince = time.Time{}
	if k := len(pauses) - 1; k >= 0 && pauses[k].To.IsZero() {
		c.PausedSince = pauses[k].From
	}
}

// TimeStatus is the 电子监察 view of a case's clock.
type TimeStatus struct {
	Running bool   `json:"running"` // accepted, not decided, not ended
	Paused  bool   `json:"paused"`  // waiting on the applicant or a 特别程序
	Due     string `json:"due,omitempty"`
	// DaysLeft is the working days left (negative when late). It is frozen
	// while paused, and taken at the decision for a decided case.
	DaysLeft    int            `json:"days_left"`
	Level       calendar.Level `json:"level"`
	Provisional bool           `json:"provisional,omitempty"`
	// OnTime, for a decided case, says it was decided by its due date.
	OnTime bool `json:"on_time"`
}

// StatusAt is the case's TimeStatus at now. A case never accepted has no
// clock and returns the zero TimeStatus.
func StatusAt(sched *calendar.Schedule, c *tongban.Case, now time.Time) TimeStatus {
	if c.AcceptedAt.IsZero() || c.DueDate == "" { // not parsed: a failed parse builds an error
		return TimeStatus{}
	}
	due, err := calendar.ParseDate(c.DueDate)
	if err != nil {
		return TimeStatus{}
	}
	ts := TimeStatus{Due: c.DueDate, Provisional: c.Provisional}
	at := now
	switch {
	case !c.DecidedAt.IsZero():
		at = c.DecidedAt
	case c.State.Final():
		at = c.UpdatedAt // withdrawn while running: the clock stopped then
	case !c.PausedSince.IsZero():
		at, ts.Paused, ts.Running = c.PausedSince, true, true
	default:
		ts.Running = true
	}
	left, prov := sched.Remaining(at, due)
	ts.DaysLeft, ts.Provisional, ts.OnTime = left, ts.Provisional || prov, left >= 0
	switch {
	case ts.Running:
		ts.Level = calendar.Warning(c.PromisedDays, left)
	case left < 0:
		ts.Level = calendar.Red
	}
	return ts
}

// TimeStatus is StatusAt with the service's calendar.
func (s *Service) TimeStatus(ctx context.Context, c *tongban.Case, now time.Time) (TimeStatus, error) {
	sched, err := s.Calendar.Schedule(ctx)
	if err != nil {
		return TimeStatus{}, err
	}
	return StatusAt(sched, c, now), nil
}
