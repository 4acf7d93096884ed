package tongban

import (
	"context"
	"encoding/json"
	"time"
)

// OutboxEvent is a change other systems must hear about (DESIGN.md
// "OutboxEvent"). It is written in the same transaction as the change, so
// nothing is announced that did not commit and nothing committed goes
// unannounced; internal/outbox publishes it afterwards, at least once.
type OutboxEvent struct {
	ID int64 `json:"-"` // insertion order; not a delivery order (see internal/outbox)
	// EventID is unique and stable across redeliveries, for consumers to
	// drop repeats (NATS's Nats-Msg-Id, a webhook's header).
	EventID string `json:"id"`
	// Type names the change, "{concept}.{what}": case.submitted,
	// license.issued, rating.created, catalog.published…
	Type string `json:"type"`
	// Subject is what the event is about ("case:5116…", "license:1.2.156…");
	// events of one subject are delivered in order.
	Subject    string          `json:"subject"`
	RegionCode string          `json:"region_code,omitempty"`
	OrgID      int64           `json:"org_id,omitempty"`
	At         time.Time       `json:"at"`
	Payload    json.RawMessage `json:"payload"`
}

// OutboxStore keeps events until they are published.
type OutboxStore interface {
	// AppendOutbox stores the events inside the caller's transaction, in
	// their order, in one statement; each one's ID is set.
	AppendOutbox(ctx context.Context, es ...*OutboxEvent) error
	// AppendOutboxAudited queues the audit entries (as QueueAudit does, in
	// order) and stores the events, inside the caller's transaction; on
	// PostgreSQL in one statement, so an action's last writes cost one
	// round trip, not two.
	AppendOutboxAudited(ctx context.Context, audit []*AuditEntry, es ...*OutboxEvent) error
}
