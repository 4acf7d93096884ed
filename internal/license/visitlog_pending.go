package license

import (
	"context"
	"sync"
)

// pendingVisits counts a VisitLog's visits queued and not yet written, by
// epoch, so that Flush waits for the visits queued before it and not for
// those that keep arriving after (under load the queue is never empty).
// Flush starts a new epoch and waits until no visit of its epoch or an
// earlier one is pending.
type pendingVisits struct {
	mu      sync.Mutex
	epoch   uint64
	counts  map[uint64]int // epoch → visits pending; an epoch with none is deleted
	changed chan struct{}  // closed and replaced whenever a batch ends
}

func newPendingVisits() pendingVisits {
	return pendingVisits{counts: map[uint64]int{}, changed: make(chan struct{})}
}

// add counts a visit about to be queued and says its epoch.
func (p *pendingVisits) add() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts[p.epoch]++
	return p.epoch
}

// written uncounts visits stored, given up, or never queued.
func (p *pendingVisits) written(qs []queuedVisit) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, q := range qs {
		if p.counts[q.epoch]--; p.counts[q.epoch] <= 0 {
			delete(p.counts, q.epoch)
		}
	}
	close(p.changed)
	p.changed = make(chan struct{})
}

// wait returns once no visit counted before the call is pending.
func (p *pendingVisits) wait(ctx context.Context) error {
	p.mu.Lock()
	mine := p.epoch
	p.epoch++
	for {
		pending := false
		for e := range p.counts {
			if e <= mine {
				pending = true
				break
			}
		}
		if !pending {
			p.mu.Unlock()
			return nil
		}
		changed := p.changed
		p.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
		p.mu.Lock()
	}
}
