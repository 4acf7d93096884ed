package outbox

import (
	"context"
	"slices"
	"time"

	"github.com/tongban/tongban"
)

// Status is the publishing as the system admin's console shows it.
type Status struct {
	Holder     string // the server holding the lease; "" when none does
	LeaseUntil time.Time
	Backlogs   []Backlog
	Webhooks   tongban.DeliveryTotals
	// Latency over the last hour's webhook deliveries (from the event to
	// the receiver's 2xx), and how many there were.
	Delivered   int
	P50, P99    time.Duration
	LatencySpan time.Duration
}

// Backlog is how far behind one consumer is.
type Backlog struct {
	Consumer string
	Events   int64
	Oldest   time.Time
}

// CurrentStatus reads the status of the named consumers from the database
// (any server can answer: the leader's progress is all stored).
func CurrentStatus(ctx context.Context, st tongban.Store, consumers []string, now time.Time) (*Status, error) {
	s := &Status{LatencySpan: time.Hour}
	var err error
	if s.Holder, s.LeaseUntil, err = st.Lease(ctx, leaseName); err != nil {
		return nil, err
	}
	if !now.Before(s.LeaseUntil) {
		s.Holder = ""
	}
	for _, c := range consumers {
		n, oldest, err := st.OutboxBacklog(ctx, c)
		if err != nil {
			return nil, err
		}
		s.Backlogs = append(s.Backlogs, Backlog{Consumer: c, Events: n, Oldest: oldest})
	}
	if s.Webhooks, err = st.DeliveryTotals(ctx, 0); err != nil {
		return nil, err
	}
	lat, err := st.DeliveryLatencies(ctx, now.Add(-s.LatencySpan), 10000)
	if err != nil {
		return nil, err
	}
	s.Delivered = len(lat)
	if len(lat) > 0 {
		slices.Sort(lat)
		s.P50, s.P99 = lat[len(lat)*50/100], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return s, nil
}
