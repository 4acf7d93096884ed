package tongban

import (
	"context"
	"path"
	"time"
)

// Webhook is a department system's endpoint that hears about events of its
// department (and, registered by a system admin, of its whole region). Each
// delivery is signed with Secret (see docs/integration.md).
type Webhook struct {
	ID     int64  `json:"id"`
	OrgID  int64  `json:"org_id"` // the department that owns it
	Name   string `json:"name"`
	URL    string `json:"url"`
	Secret string `json:"-"` // shown once, when registered; sealed at rest
	// EventTypes are patterns such as "case.accepted" or "case.*"; none
	// means every event.
	EventTypes []string `json:"event_types"`
	// RegionWide: every event in the owning org's region and below, not
	// only the org's own and its sub-orgs'.
	RegionWide bool      `json:"region_wide,omitempty"`
	Active     bool      `json:"active"`
	CreatedBy  int64     `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
}

// Wants reports whether the webhook's type filter takes an event type.
func (w *Webhook) Wants(eventType string) bool {
	if len(w.EventTypes) == 0 {
		return true
	}
	for _, p := range w.EventTypes {
		if ok, _ := path.Match(p, eventType); ok {
			return true
		}
	}
	return false
}

// DeliveryStatus is where a webhook delivery stands.
type DeliveryStatus string

const (
	DeliveryPending   DeliveryStatus = "pending"   // waiting for its first or next attempt
	DeliveryDelivered DeliveryStatus = "delivered" // the endpoint answered 2xx
	DeliveryFailed    DeliveryStatus = "failed"    // retries gave up (after 24 hours)
)

var deliveryStatusLabels = map[DeliveryStatus]string{
	DeliveryPending: "待投递", DeliveryDelivered: "已投递", DeliveryFailed: "投递失败",
}

func (s DeliveryStatus) Label() string { return deliveryStatusLabels[s] }
func (s DeliveryStatus) Valid() bool   { _, ok := deliveryStatusLabels[s]; return ok }

// WebhookDelivery is one event on its way to one webhook: the delivery log
// of the console, and the retry schedule.
type WebhookDelivery struct {
	ID        int64          `json:"id"`
	WebhookID int64          `json:"webhook_id"`
	OutboxID  int64          `json:"-"`
	Subject   string         `json:"subject"`
	Status    DeliveryStatus `json:"status"`
	Attempts  int            `json:"attempts"`
	NextAt    time.Time      `json:"next_at"`
	CreatedAt time.Time      `json:"created_at"`
	// RetrySince starts the retry window (24 hours): when the delivery was
	// created, or last put back by hand.
	RetrySince time.Time `json:"-"`
	// LastAt, LastStatus and LastError describe the latest attempt: the
	// HTTP status the endpoint answered (0 if it did not), or why not.
	LastAt      time.Time `json:"last_at,omitzero"`
	LastStatus  int       `json:"last_status,omitempty"`
	LastError   string    `json:"last_error,omitempty"`
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
	// Event is the event delivered, loaded with due deliveries and the log.
	Event *OutboxEvent `json:"event,omitempty"`
}

// DeliveryFilter narrows the delivery log.
type DeliveryFilter struct {
	WebhookID int64
	Status    DeliveryStatus
	Limit     int
	Offset    int
}

// DeliveryTotals count deliveries by status, for the console and /metrics.
type DeliveryTotals struct {
	Pending, Delivered, Failed int64
	OldestPending              time.Time // zero when none waits
}

// WebhookStore keeps webhooks and their deliveries.
type WebhookStore interface {
	CreateWebhook(ctx context.Context, w *Webhook) error
	Webhook(ctx context.Context, id int64) (*Webhook, error)
	// Webhooks lists webhooks owned by any of orgIDs (all when nil).
	Webhooks(ctx context.Context, orgIDs []int64, activeOnly bool) ([]*Webhook, error)
	UpdateWebhook(ctx context.Context, w *Webhook) error
	// EnqueueDeliveries stores new pending deliveries; IDs are set.
	EnqueueDeliveries(ctx context.Context, ds []*WebhookDelivery) error
	// DueDeliveries returns pending deliveries of a webhook whose next
	// attempt is due at now, with their events, oldest first, leaving out
	// any that waits behind an earlier pending delivery of the same subject
	// not due yet: a subject's deliveries come as a run, earliest first,
	// for the sender to attempt one after another.
	DueDeliveries(ctx context.Context, webhookID int64, now time.Time, limit int) ([]*WebhookDelivery, error)
	// RecordAttempt stores the outcome of an attempt (status, attempts,
	// next_at, last_*) of a delivery that is still pending.
	RecordAttempt(ctx context.Context, d *WebhookDelivery) error
	// ExpireDeliveries gives up the pending deliveries of a webhook whose
	// retry window started before before, noting why.
	ExpireDeliveries(ctx context.Context, webhookID int64, before time.Time, reason string) (int64, error)
	Deliveries(ctx context.Context, f DeliveryFilter) ([]*WebhookDelivery, error)
	Delivery(ctx context.Context, id int64) (*WebhookDelivery, error)
	// RequeueDelivery makes a delivered or failed delivery pending again, due at now.
	RequeueDelivery(ctx context.Context, id int64, now time.Time) error
	DeliveryTotals(ctx context.Context, webhookID int64) (DeliveryTotals, error)
	// PurgeDeliveries deletes finished deliveries older than before.
	PurgeDeliveries(ctx context.Context, before time.Time) (int64, error)
}

func (DeliveryStatus) Enum() []string { return enumOf(deliveryStatusLabels) }
