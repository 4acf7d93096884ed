package outbox

import (
	"context"

	"github.com/tongban/tongban"
)

// Deferred is a transaction's store that holds back the outbox events and
// audit entries written through it, so Flush writes them all at the end:
// the events in one statement, and on PostgreSQL the audit entries in that
// same statement (an action's last writes were two or three round trips;
// docs/benchmarks.md, issue and "The outbox's cost"). Writing the outbox
// last also keeps the lock an outbox insert takes, which the publisher's
// horizon waits out, for the commit alone. Everything else goes straight
// to the transaction. Use it only inside one transaction, and Flush before
// it commits: what is not flushed is lost with the Deferred.
type Deferred struct {
	tongban.Store // the transaction
	held          []*tongban.OutboxEvent
	audit         []*tongban.AuditEntry
}

// Defer wraps tx, a store inside a transaction.
func Defer(tx tongban.Store) *Deferred { return &Deferred{Store: tx} }

// AppendOutbox holds the events until Flush.
func (d *Deferred) AppendOutbox(_ context.Context, es ...*tongban.OutboxEvent) error {
	d.held = append(d.held, es...)
	return nil
}

// AppendOutboxAudited holds the entries and events until Flush (a
// Deferred inside another flushes into the outer one, in order).
func (d *Deferred) AppendOutboxAudited(_ context.Context, audit []*tongban.AuditEntry, es ...*tongban.OutboxEvent) error {
	d.audit = append(d.audit, audit...)
	d.held = append(d.held, es...)
	return nil
}

// QueueAudit holds the entry until Flush.
func (d *Deferred) QueueAudit(_ context.Context, e *tongban.AuditEntry) error {
	d.audit = append(d.audit, e)
	return nil
}

// Transact runs fn in the transaction the Deferred is in, as the wrapped
// store's Transact does inside one, with fn seeing the Deferred.
func (d *Deferred) Transact(_ context.Context, fn func(tongban.Store) error) error {
	return fn(d)
}

// Flush writes the held audit entries and events, each in the order
// written.
func (d *Deferred) Flush(ctx context.Context) error {
	es, audit := d.held, d.audit
	d.held, d.audit = nil, nil
	return d.Store.AppendOutboxAudited(ctx, audit, es...)
}
