package workflow

import (
	"context"

	"github.com/tongban/tongban"
)

// queuedUses is the action's transaction as its resolvers see it: the
// data-use records and 用证 consents they write are queued, and written
// together once every claim of the action is resolved — by flush (one
// statement on PostgreSQL), or for a new case with its row
// (CreateCaseRecording, the same statement as the case's on PostgreSQL) —
// still in the action's transaction, so each read and consent is recorded
// if and only if the case commits. A submission sparing three materials,
// one by a licence, makes no round trip for its records where it made four.
type queuedUses struct {
	tongban.Store
	uses     []*tongban.DataUse
	consents []*tongban.LicenseConsent
}

// RecordDataUse queues u; its ID stays unset.
func (q *queuedUses) RecordDataUse(_ context.Context, u *tongban.DataUse) error {
	q.uses = append(q.uses, u)
	return nil
}

// CreateLicenseConsent queues c; its ID stays unset.
func (q *queuedUses) CreateLicenseConsent(_ context.Context, c *tongban.LicenseConsent) error {
	q.consents = append(q.consents, c)
	return nil
}

// flush writes the queued records through the transaction.
func (q *queuedUses) flush(ctx context.Context) error {
	if len(q.uses) == 0 && len(q.consents) == 0 {
		return nil
	}
	err := q.Store.RecordUsesAndConsents(ctx, q.consents, q.uses)
	q.uses, q.consents = nil, nil
	return err
}
