package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// An event committed right after the publisher started, before its first
// tick, is published: Start's own first round has started the cursors of
// the fresh database, which would otherwise start after that event.
func TestEventsRightAfterStartArePublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		sys := newReceiver(t, w.clock)
		sys.secret = w.webhook(sys.srv.URL, w.dept, false).Secret
		p := w.publisher()
		p.PollEvery = time.Hour // no tick during the test
		p.Start()
		defer p.Stop()
		w.event("case.submitted", "case:1", w.dept)
		w.event("case.accepted", "case:1", w.dept)
		w.run(p)
		checkInOrder(t, "the endpoint", sys.received(), w.stored())
	})
}

// Two servers, one lease: only the holder publishes; a server that stops
// hands over at once, one that dies hands over when its lease expires.
func TestOneLeaderAtATime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		sys := newReceiver(t, w.clock)
		sys.secret = w.webhook(sys.srv.URL, w.dept, false).Secret
		a, b := w.publisher(), w.publisher()
		w.run(a)
		w.run(b)
		if !a.Leader() || b.Leader() {
			t.Fatalf("leaders: a %v, b %v; want a alone", a.Leader(), b.Leader())
		}
		w.event("case.submitted", "case:1", w.dept)
		w.run(b) // not the leader: sends nothing
		if n := len(sys.received()); n != 0 {
			t.Fatalf("the follower delivered %d", n)
		}
		w.run(a)
		w.run(b)
		if n := len(sys.received()); n != 1 {
			t.Fatalf("delivered %d, want 1", n)
		}

		a.Stop() // a clean shutdown gives the lease up
		w.event("case.accepted", "case:1", w.dept)
		w.run(b)
		if !b.Leader() || len(sys.received()) != 2 {
			t.Fatalf("after a stopped: b leader %v, %d delivered", b.Leader(), len(sys.received()))
		}

		// b dies without a word; c waits out b's lease, then takes over.
		c := w.publisher()
		w.event("case.approved", "case:1", w.dept)
		w.run(c)
		if c.Leader() {
			t.Fatal("c took a lease that had not expired")
		}
		w.clock.Advance(outbox.LeaseTTL + time.Second)
		w.run(c)
		if !c.Leader() {
			t.Fatal("c did not take the expired lease")
		}
		checkInOrder(t, "the endpoint", sys.received(), w.stored())
	})
}

// BIGSERIAL order is not commit order: an event whose transaction commits
// after a later-numbered one's must still be published, and first.
func TestLateCommitIsNotSkipped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		sys := newReceiver(t, w.clock)
		sys.secret = w.webhook(sys.srv.URL, w.dept, false).Secret
		p := w.publisher()
		w.run(p)
		if d == sqldb.SQLite {
			// One writer at a time: IDs are handed out in commit order.
			w.event("case.submitted", "case:early", w.dept)
			w.event("case.submitted", "case:late", w.dept)
			w.run(p)
			checkInOrder(t, "the endpoint", sys.received(), w.stored())
			return
		}
		inserted, commit, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- w.st.Transact(w.ctx, func(tx tongban.Store) error {
				if err := outbox.Append(w.ctx, tx, "case.submitted", "case:1", outbox.Scope{OrgID: w.dept.ID},
					w.clock.Now(), nil); err != nil {
					return err
				}
				close(inserted)
				<-commit
				return nil
			})
		}()
		<-inserted
		w.event("case.accepted", "case:1", w.dept) // a higher ID, committed first
		err := p.RunOnce(w.ctx)
		if n := len(sys.received()); n != 0 {
			t.Fatalf("published %d events past an open transaction's (err %v)", n, err)
		}
		close(commit)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		w.run(p)
		got, all := sys.received(), w.stored()
		checkInOrder(t, "the endpoint", got, all)
		if len(got) == 2 && got[0].Type != "case.submitted" {
			t.Errorf("the lower ID was published after the higher one")
		}
	})
}

// A consumer that fails keeps its cursor; the others move on.
func TestFailingSinkKeepsItsPlace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		sink := &flakySink{failAfter: 2}
		p := w.publisher(sink)
		w.run(p)
		for i := range 5 {
			w.event("case.submitted", fmt.Sprintf("case:%d", i), w.dept)
		}
		if err := p.RunOnce(w.ctx); err == nil {
			t.Fatal("the sink's failure was not reported")
		}
		sink.failAfter = -1
		w.run(p)
		all := w.stored()
		// The first two were acknowledged before the failure; sent again
		// nothing, and the rest once.
		if len(sink.got) != 5 {
			t.Fatalf("sink got %d sends, want 5", len(sink.got))
		}
		for i, e := range sink.got {
			if e.EventID != all[i].EventID {
				t.Errorf("send %d = %s, want %s", i, e.EventID, all[i].EventID)
			}
		}
		n, oldest, err := w.st.OutboxBacklog(w.ctx, sink.Name())
		if err != nil || n != 0 || !oldest.IsZero() {
			t.Errorf("backlog after catching up: %d %v %v", n, oldest, err)
		}
	})
}

// flakySink acknowledges failAfter events, then fails (never when < 0).
type flakySink struct {
	failAfter int
	got       []*tongban.OutboxEvent
}

func (s *flakySink) Name() string { return "flaky" }

func (s *flakySink) Send(_ context.Context, evs []*tongban.OutboxEvent) (int, error) {
	for i, e := range evs {
		if s.failAfter >= 0 && i == s.failAfter {
			return i, errors.New("sink unavailable")
		}
		s.got = append(s.got, e)
	}
	return len(evs), nil
}

// A TxConsumer prepares outside the transaction; if another leader moved
// its cursor meanwhile, the prepared writes are dropped (that leader's
// stand), so every event is still written exactly once.
func TestPreparedWritesNeedTheCursorUnmoved(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		c := &recordingConsumer{st: w.st, clock: w.clock}
		p := w.publisher(c)
		w.run(p)
		w.event("case.submitted", "case:1", w.dept)
		c.moveFirst = true // the other leader consumes case:1 while this one prepares
		w.run(p)
		if len(c.written) != 0 {
			t.Fatalf("written %v past a cursor another leader moved", c.written)
		}
		w.event("case.accepted", "case:1", w.dept)
		w.event("case.submitted", "case:2", w.dept)
		w.run(p)
		w.run(p)
		all := w.stored()
		if len(c.written) != 2 || c.written[0] != all[1].EventID || c.written[1] != all[2].EventID {
			t.Errorf("written %v; want the two events after the other leader's, once each", c.written)
		}
	})
}

// recordingConsumer writes nothing to the database; its writes record the
// events they were run for. With moveFirst, its next Prepare moves its own
// cursor past the events, as another leader's round would.
type recordingConsumer struct {
	st        tongban.Store
	clock     tongban.Clock
	name      string // "recording" if empty
	moveFirst bool
	written   []string
}

func (c *recordingConsumer) Name() string {
	if c.name == "" {
		return "recording"
	}
	return c.name
}

func (c *recordingConsumer) Prepare(ctx context.Context, st tongban.Store, evs []*tongban.OutboxEvent) (outbox.Write, error) {
	if c.moveFirst {
		c.moveFirst = false
		if err := c.st.SetOutboxCursor(ctx, c.Name(), evs[len(evs)-1].ID, c.clock.Now()); err != nil {
			return nil, err
		}
	}
	return func(ctx context.Context, tx tongban.Store) error {
		for _, e := range evs {
			c.written = append(c.written, e.EventID)
		}
		return nil
	}, nil
}

// Consumers at the same cursor share one read of the events a round: two
// consumers and the webhook fan-out, caught up together, read the batch
// once, and each still gets every event once. A consumer behind the others
// reads its own.
func TestConsumersShareARoundsRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		a := &recordingConsumer{st: w.st, clock: w.clock, name: "a"}
		b := &recordingConsumer{st: w.st, clock: w.clock, name: "b"}
		p := w.publisher(a, b)
		counting := &countingStore{Store: w.st}
		p.Store = counting
		w.run(p)
		for i := range 3 {
			w.event("case.submitted", fmt.Sprintf("case:%d", i), w.dept)
		}
		counting.reads = 0
		w.run(p)
		if counting.reads != 1 || len(a.written) != 3 || len(b.written) != 3 {
			t.Fatalf("%d reads of the events; a wrote %v, b %v", counting.reads, a.written, b.written)
		}
		w.event("case.accepted", "case:0", w.dept)
		w.must(w.st.SetOutboxCursor(w.ctx, b.Name(), 0, w.clock.Now())) // b starts again from the first event
		counting.reads = 0
		w.run(p)
		if counting.reads != 2 || len(a.written) != 4 || len(b.written) != 7 {
			t.Errorf("%d reads with b behind; a wrote %v, b %v", counting.reads, a.written, b.written)
		}
	})
}

// countingStore counts the publisher's reads of the outbox.
type countingStore struct {
	tongban.Store
	reads int
}

func (s *countingStore) OutboxEvents(ctx context.Context, after, upTo int64, limit int) ([]*tongban.OutboxEvent, error) {
	s.reads++
	return s.Store.OutboxEvents(ctx, after, upTo, limit)
}
