package outbox

import (
	"context"

	"github.com/tongban/tongban"
)

// Deferred is a transaction's store that holds back the outbox events appended
// through it, so Flush writes them all in one statement: an issue's
// licence event and its case event were two inserts in the transaction
// (docs/benchmarks.md, issue). Everything else goes straight to the
// transaction. Use it only inside one transaction, and Flush before it
// commits: an event not flushed is lost with the Deferred.
type Deferred struct {
	tongban.Store // the transaction
	held          []*tongban.OutboxEvent
}

// Defer wraps tx, a store inside a transaction.
func Defer(tx tongban.Store) *Deferred { return &Deferred{Store: tx} }

// AppendOutbox holds the events until Flush.
func (d *Deferred) AppendOutbox(_ context.Context, es ...*tongban.OutboxEvent) error {
	d.held = append(d.held, es...)
	return nil
}

// Transact runs fn in the transaction the Deferred is in, as the wrapped
// store's Transact does inside one, with fn seeing the Deferred.
func (d *Deferred) Transact(_ context.Context, fn func(tongban.Store) error) error {
	return fn(d)
}

// Flush writes the held events, in the order appended, in one statement.
func (d *Deferred) Flush(ctx context.Context) error {
	es := d.held
	d.held = nil
	return d.Store.AppendOutbox(ctx, es...)
}
