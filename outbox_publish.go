package tongban

import (
	"context"
	"time"
)

// OutboxPublishStore is what internal/outbox's publisher keeps: who
// publishes (a lease, so one server of a cluster sends at a time) and how
// far each consumer of the outbox has read (cursors).
type OutboxPublishStore interface {
	// OutboxHorizon returns an ID up to which every outbox row has either
	// committed or never will: a reader that stops there skips no row that
	// commits late. With no row beyond after it returns after at once.
	OutboxHorizon(ctx context.Context, after int64) (int64, error)
	// OutboxEvents returns events with after < ID <= upTo, in ID order.
	OutboxEvents(ctx context.Context, after, upTo int64, limit int) ([]*OutboxEvent, error)
	// TakeLease acquires the named lease for holder, or renews it when
	// holder already has it, until until; another holder's lease is taken
	// over only once expired at now. It reports whether holder has it.
	TakeLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error)
	// ReleaseLease gives a lease up, if holder has it.
	ReleaseLease(ctx context.Context, name, holder string) error
	// OutboxCursor returns how far the named consumer has read, locking
	// its row until the transaction ends; a new consumer starts at start.
	OutboxCursor(ctx context.Context, name string, start int64) (int64, error)
	// SetOutboxCursor moves the named consumer to id.
	SetOutboxCursor(ctx context.Context, name string, id int64, at time.Time) error
	// OutboxBacklog returns how many events follow the named consumer's
	// cursor, and when the oldest of them happened (zero if none).
	OutboxBacklog(ctx context.Context, name string) (int64, time.Time, error)
	// Lease returns who holds the named lease and until when ("" if nobody).
	Lease(ctx context.Context, name string) (string, time.Time, error)
	// DeliveryLatencies returns, for webhook deliveries made since since,
	// the time from each event to its delivery, at most limit of the newest.
	DeliveryLatencies(ctx context.Context, since time.Time, limit int) ([]time.Duration, error)
	// PurgeOutbox deletes events older than before that every consumer has
	// read and no webhook delivery still refers to.
	PurgeOutbox(ctx context.Context, before time.Time) (int64, error)
	// PurgeIntegration deletes what has served its time: authorization
	// requests and one-time codes expired before before, tokens whose
	// refresh expired before it, and finished deliveries and messages
	// created before keep.
	PurgeIntegration(ctx context.Context, before, keep time.Time) (int64, error)
}
