package workflow

import "github.com/tongban/tongban"

// CountVisits is 跑动次数: the in-person trips among a case's events (a
// counter submission, a correction visit at a window, a pickup). It is the
// only definition; Case.Visits caches it, written with the event that adds a
// trip, and stats recompute it from the events.
func CountVisits(events []*tongban.CaseEvent) int {
	n := 0
	for _, e := range events {
		if e.Visit {
			n++
		}
	}
	return n
}
