package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// Consumer reads the outbox in ID order from a cursor of its own, named by
// Name. A consumer implements TxConsumer or Sink.
type Consumer interface {
	Name() string
}

// TxConsumer's effects are database writes made in the transaction that
// moves its cursor, so each event is consumed exactly once (the webhook
// fan-out, notifications).
type TxConsumer interface {
	Consumer
	// Prepare reads what consuming events needs, outside any transaction,
	// and returns the writes; nil when there is nothing to write. The
	// publisher runs them in the transaction that moves the cursor, so on
	// SQLite the one writer is held for the writes alone, not for the
	// reads and rendering before them.
	Prepare(ctx context.Context, st tongban.Store, events []*tongban.OutboxEvent) (Write, error)
}

// Write is a TxConsumer's writes for a batch of events, run in tx.
type Write func(ctx context.Context, tx tongban.Store) error

// Consume prepares events and writes them in one transaction of st, as
// the publisher does but without a cursor (tests, tools).
func Consume(ctx context.Context, st tongban.Store, c TxConsumer, events []*tongban.OutboxEvent) error {
	w, err := c.Prepare(ctx, st, events)
	if err != nil || w == nil {
		return err
	}
	return st.Transact(ctx, func(tx tongban.Store) error { return w(ctx, tx) })
}

// Sink sends events out of the database (NATS). The cursor moves past what
// Send reports sent, after the sending, so an event is sent at least once:
// a crash in between sends it again, with the same event ID.
type Sink interface {
	Consumer
	// Send sends events in order and returns how many, from the first,
	// were acknowledged.
	Send(ctx context.Context, events []*tongban.OutboxEvent) (int, error)
}

// Worker does what only the leader does besides moving cursors, each round
// (the webhook senders, the notification dispatcher). Stop ends anything it
// runs in the background when this server stops leading.
type Worker interface {
	Work(ctx context.Context) error
	Stop()
}

// Defaults for a Publisher.
const (
	PollEvery = 100 * time.Millisecond // how often the leader looks for new events
	LeaseTTL  = 15 * time.Second       // how long a leader's lease lasts unless renewed
	Batch     = 500                    // events a consumer takes per transaction
	leaseName = "publisher"
)

// Publisher publishes the outbox. One server of a cluster at a time holds
// its lease (elected in the database, renewed while leading, taken over
// once expired) and runs every consumer; the others wait, so several
// servers never deliver the same event side by side.
//
// A consumer reads only up to the outbox horizon (see
// tongban.OutboxPublishStore), so an event whose transaction commits after
// one with a higher ID is not skipped.
type Publisher struct {
	Store     tongban.Store
	Clock     tongban.Clock
	Log       *slog.Logger
	Consumers []Consumer
	// Workers run each round while this server leads (the webhook
	// senders, the notification dispatcher).
	Workers   []Worker
	Metrics   *Metrics
	PollEvery time.Duration
	LeaseTTL  time.Duration
	Holder    string // this server's name in the lease; random if empty

	mu         sync.Mutex
	leader     bool
	leaseUntil time.Time
	horizon    int64
	stop       chan struct{}
	wake       chan struct{}
	wg         sync.WaitGroup
}

func (p *Publisher) defaults() {
	if p.PollEvery <= 0 {
		p.PollEvery = PollEvery
	}
	if p.LeaseTTL <= 0 {
		p.LeaseTTL = LeaseTTL
	}
	if p.Holder == "" {
		p.Holder = newHolder()
	}
	if p.Log == nil {
		p.Log = slog.Default()
	}
	if p.wake == nil {
		p.wake = make(chan struct{}, 1)
	}
}

func newHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// ConsumerNames names the consumers' cursors.
func (p *Publisher) ConsumerNames() []string {
	out := make([]string, len(p.Consumers))
	for i, c := range p.Consumers {
		out[i] = c.Name()
	}
	return out
}

// Leader reports whether this server holds the lease.
func (p *Publisher) Leader() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.leader
}

func (p *Publisher) stopWorkers() {
	for _, w := range p.Workers {
		w.Stop()
	}
}

// RunOnce takes or renews the lease and, while leading, moves every
// consumer up to the current horizon and runs the workers. Tests call it directly; Start calls it in a loop.
func (p *Publisher) RunOnce(ctx context.Context) error {
	p.defaults()
	if !p.lead(ctx) {
		return nil
	}
	h, err := p.Store.OutboxHorizon(ctx, p.horizon)
	if err != nil {
		return err
	}
	p.horizon = h
	r := &round{horizon: h, read: map[int64][]*tongban.OutboxEvent{}}
	var firstErr error
	for _, c := range p.Consumers {
		if err := p.advance(ctx, c, r); err != nil {
			p.Log.Warn("发布事件失败", "consumer", c.Name(), "err", err)
			firstErr = cmpErr(firstErr, err)
		}
	}
	for _, w := range p.Workers {
		if err := w.Work(ctx); err != nil {
			p.Log.Warn("发布工作出错", "err", err)
			firstErr = cmpErr(firstErr, err)
		}
	}
	return firstErr
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// lead takes the lease when free or expired and renews it once a third of
// it has passed. A leader that fails to renew stops leading at once.
func (p *Publisher) lead(ctx context.Context) bool {
	now := p.Clock.Now()
	p.mu.Lock()
	fresh := p.leader && now.Before(p.leaseUntil.Add(-p.LeaseTTL*2/3))
	p.mu.Unlock()
	if fresh {
		return true
	}
	until := now.Add(p.LeaseTTL)
	ok, err := p.Store.TakeLease(ctx, leaseName, p.Holder, now, until)
	if err != nil {
		p.Log.Warn("发布租约续期失败", "err", err)
		ok = false
	}
	p.mu.Lock()
	was := p.leader
	p.leader, p.leaseUntil = ok, until
	p.mu.Unlock()
	if ok != was {
		p.Log.Info("事件发布", "leader", ok, "holder", p.Holder)
		if p.Metrics != nil {
			p.Metrics.setLeader(ok)
		}
		if !ok {
			p.stopWorkers()
		}
	}
	return ok
}

// round is one RunOnce's horizon and the batches read in it, by the
// cursor they follow. Consumers at the same cursor (all of them, once
// caught up) share one read: the events up to the horizon are committed
// and never change, and no consumer changes what it is given.
type round struct {
	horizon int64
	read    map[int64][]*tongban.OutboxEvent
}

// advance moves one consumer up to the round's horizon, a batch per step.
func (p *Publisher) advance(ctx context.Context, c Consumer, r *round) error {
	for {
		var done bool
		var err error
		switch c := c.(type) {
		case TxConsumer:
			done, err = p.advanceTx(ctx, c, r)
		case Sink:
			done, err = p.advanceSink(ctx, c, r)
		default:
			return tongban.Errorf(tongban.EInternal, "outbox: consumer %s is neither a TxConsumer nor a Sink", c.Name())
		}
		if err != nil || done {
			return err
		}
	}
}

// next is where a cursor moves after evs (read from after cursor up to
// horizon, at most Batch): past the last event, or to the horizon when
// the batch was not full (IDs in between belong to rolled-back rows).
func next(evs []*tongban.OutboxEvent, horizon int64) int64 {
	if len(evs) == Batch {
		return evs[len(evs)-1].ID
	}
	return horizon
}

// advanceTx reads the events and prepares their writes outside the
// transaction; the transaction then checks that the cursor has not moved
// meanwhile (another leader's round, whose writes stand), writes, and
// moves it, so each event is still consumed exactly once.
func (p *Publisher) advanceTx(ctx context.Context, c TxConsumer, r *round) (done bool, err error) {
	horizon := r.horizon
	cur, evs, done, err := p.pending(ctx, c, r)
	if done || err != nil {
		return true, err
	}
	var write Write
	if len(evs) > 0 {
		if write, err = c.Prepare(ctx, p.Store, evs); err != nil {
			return true, err
		}
	}
	err = p.Store.Transact(ctx, func(tx tongban.Store) error {
		now, err := tx.OutboxCursor(ctx, c.Name(), horizon)
		if err != nil {
			return err
		}
		if now != cur {
			done = true // moved by another leader meanwhile
			return nil
		}
		if write != nil {
			if err := write(ctx, tx); err != nil {
				return err
			}
		}
		return tx.SetOutboxCursor(ctx, c.Name(), next(evs, horizon), p.Clock.Now())
	})
	return done, err
}

// pending reads a consumer's cursor and the batch of events after it, up
// to the round's horizon (read once a round for each cursor); done when
// the cursor is already there.
func (p *Publisher) pending(ctx context.Context, c Consumer, r *round) (cur int64, evs []*tongban.OutboxEvent, done bool, err error) {
	cur, err = p.Store.OutboxCursor(ctx, c.Name(), r.horizon)
	if err != nil || cur >= r.horizon {
		return cur, nil, true, err
	}
	if evs, ok := r.read[cur]; ok {
		return cur, evs, false, nil
	}
	evs, err = p.Store.OutboxEvents(ctx, cur, r.horizon, Batch)
	if err == nil {
		r.read[cur] = evs
	}
	return cur, evs, false, err
}

func (p *Publisher) advanceSink(ctx context.Context, c Sink, r *round) (done bool, err error) {
	horizon := r.horizon
	cur, evs, done, err := p.pending(ctx, c, r)
	if done || err != nil {
		return true, err
	}
	sent := 0
	if len(evs) > 0 {
		sent, err = c.Send(ctx, evs)
		if p.Metrics != nil {
			p.Metrics.sent(c.Name(), evs[:sent], err != nil)
		}
	}
	to := next(evs, horizon)
	if sent < len(evs) {
		if sent == 0 {
			return true, err
		}
		to = evs[sent-1].ID
	}
	moveErr := p.Store.Transact(ctx, func(tx tongban.Store) error {
		now, err := tx.OutboxCursor(ctx, c.Name(), horizon)
		if err != nil || now != cur {
			return err // another leader moved it meanwhile; what it did stands
		}
		return tx.SetOutboxCursor(ctx, c.Name(), to, p.Clock.Now())
	})
	if moveErr != nil {
		return true, moveErr
	}
	return err != nil || to >= horizon, err
}

// Start runs RunOnce once before it returns, then every PollEvery (or
// sooner after Wake) until Stop, and returns p. The first round is not
// left to the first tick: it starts the cursors of a fresh database (or of
// a consumer new to it) at the outbox's horizon, and an event committed
// before that round, by a request served in the meantime, would be behind
// them and never published.
func (p *Publisher) Start() *Publisher {
	p.defaults()
	first, cancel := context.WithTimeout(context.Background(), time.Minute)
	if err := p.RunOnce(first); err != nil {
		p.Log.Warn("事件发布出错", "err", err)
	}
	cancel()
	p.stop = make(chan struct{})
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(p.PollEvery)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
			case <-p.wake:
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := p.RunOnce(ctx); err != nil {
				p.Log.Warn("事件发布出错", "err", err)
			}
			cancel()
		}
	}()
	return p
}

// Wake asks a started publisher to look for events now rather than at
// its next tick.
func (p *Publisher) Wake() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Stop ends the loop, stops the webhook senders and gives the lease up, so
// another server takes over without waiting for it to expire.
func (p *Publisher) Stop() {
	if p.stop != nil {
		close(p.stop)
		p.wg.Wait()
		p.stop = nil
	}
	p.stopWorkers()
	if p.Leader() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := p.Store.ReleaseLease(ctx, leaseName, p.Holder); err != nil {
			p.Log.Warn("释放发布租约失败", "err", err)
		}
		p.mu.Lock()
		p.leader = false
		p.mu.Unlock()
	}
}
