package workflow

import (
	"context"

	"github.com/tongban/tongban"
)

// queuedUses is the action's transaction as its resolvers see it: the
// data-use records they write are queued, and written together in one
// statement (flush) once every claim of the action is resolved — still in
// the action's transaction, so each read is recorded if and only if the
// case commits. An action sparing three materials makes one round trip
// for their records instead of three while it holds the write lock.
type queuedUses struct {
	tongban.Store
	uses []*tongban.DataUse
}

// RecordDataUse queues u; its ID stays unset.
func (q *queuedUses) RecordDataUse(_ context.Context, u *tongban.DataUse) error {
	q.uses = append(q.uses, u)
	return nil
}

// flush writes the queued records through the transaction.
func (q *queuedUses) flush(ctx context.Context) error {
	if len(q.uses) == 0 {
		return nil
	}
	err := q.Store.RecordDataUses(ctx, q.uses)
	q.uses = nil
	return err
}
