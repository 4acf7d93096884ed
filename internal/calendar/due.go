package calendar

import (
	"slices"
	"time"
)

// MaxDays bounds the time limit Due will count, so a corrupt listing cannot
// make it loop for ages. It is about 40 years of working days, far above any
// statutory limit; listings should be validated long before this.
const MaxDays = 10000

// Pause is a stretch during which a case's clock is stopped: 补正 waiting on
// the applicant, or 特别程序 (听证, 检验, 专家评审). The working days from the
// day after From through the day of To (China dates) are not counted, so a
// pause that starts and ends on the same day costs nothing, and counting
// resumes the working day after To, just as after acceptance. A zero To means
// the case is still paused. A To before From is an empty pause.
type Pause struct {
	From time.Time
	To   time.Time
}

// Result is a computed due date.
type Result struct {
	// Due is the last day, in China, on which the case is on time.
	Due Date
	// Provisional is set when a day counted lies in a year whose notice is
	// not loaded, so Due may move when that notice is imported.
	Provisional bool
	// Paused is set when a pause has no end yet. Due then counts that pause
	// as ending on its first day: the earliest the case could be due. The
	// real due date moves one working day later for each paused working day,
	// so callers should show the clock as stopped rather than raise alarms.
	// To see the due date if the case resumed now, close the pause at now.
	Paused bool
}

// span is a pause as dates: days in (from, to] are stopped.
type span struct{ from, to Date }

// Due returns the date on which a time limit of days working days ends for a
// case accepted at the instant accepted. Day 1 is the first working day after
// the acceptance date, so the acceptance day itself is never counted; days
// == 0 (即办件) is due on the acceptance date. Working days inside pauses
// (see Pause) are skipped, so each one moves the due date one working day
// later; pauses before acceptance or after the due date change nothing, and
// overlapping pauses are not double counted. days is clamped to [0, MaxDays].
func (s *Schedule) Due(accepted time.Time, days int, pauses []Pause) Result {
	days = min(max(days, 0), MaxDays)
	spans, paused := pauseSpans(pauses)
	res := Result{Due: DateOf(accepted), Paused: paused}
	d, i := res.Due, 0
	for n := 0; n < days; {
		d = d.AddDays(1)
		for i < len(spans) && spans[i].to.Before(d) {
			i++
		}
		if i < len(spans) && spans[i].from.Before(d) {
			// Stopped clock: whether these days are worked does not
			// matter, so jump over the whole span.
			d = spans[i].to
			i++
			continue
		}
		work, prov := s.isWorkday(d)
		res.Provisional = res.Provisional || prov
		if work {
			n++
		}
	}
	res.Due = d
	return res
}

// pauseSpans turns pauses into sorted, disjoint date spans and reports
// whether one is still open.
func pauseSpans(pauses []Pause) (spans []span, open bool) {
	for _, p := range pauses {
		if p.To.IsZero() {
			open = true
			continue
		}
		sp := span{DateOf(p.From), DateOf(p.To)}
		if sp.from.Before(sp.to) {
			spans = append(spans, sp)
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.from.Compare(b.from) })
	merged := spans[:0]
	for _, sp := range spans {
		if k := len(merged) - 1; k >= 0 && !merged[k].to.Before(sp.from) {
			if sp.to.After(merged[k].to) {
				merged[k].to = sp.to
			}
			continue
		}
		merged = append(merged, sp)
	}
	return merged, open
}

// WorkdaysBetween counts the working days after the China date of a up to and
// including that of b; it is negative, counting the other way, when b is
// before a. It is the inverse of Due without pauses:
// WorkdaysBetween(accepted, Due(accepted, n).Due) == n.
func (s *Schedule) WorkdaysBetween(a, b time.Time) (n int, provisional bool) {
	return s.between(DateOf(a), DateOf(b))
}

func (s *Schedule) between(a, b Date) (int, bool) {
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n, provisional := 0, false
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		work, prov := s.isWorkday(d)
		provisional = provisional || prov
		if work {
			n++
		}
	}
	return sign * n, provisional
}

// Remaining returns the working days left before a case due on due is late,
// seen at instant now: the working days after today up to and including the
// due date. It is 0 on the due day itself and negative once the due date has
// passed: -k after k working days late, and at least -1 even when only
// non-working days have passed (a case due Friday is late on Saturday).
func (s *Schedule) Remaining(now time.Time, due Date) (days int, provisional bool) {
	today := DateOf(now)
	n, prov := s.between(today, due)
	if today.After(due) {
		n = min(n, -1)
	}
	return n, prov
}
