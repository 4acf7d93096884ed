package tongban

import (
	"context"
	"time"
)

// Collector is who collects a result or decision at a window (领取人).
type Collector string

const (
	CollectorSelf  Collector = "self"  // 本人: the applicant (an enterprise's legal representative)
	CollectorProxy Collector = "proxy" // 代领: someone the applicant authorised in writing
)

var collectorLabels = map[Collector]string{CollectorSelf: "本人领取", CollectorProxy: "代领"}

func (c Collector) Label() string { return collectorLabels[c] }
func (c Collector) Valid() bool   { _, ok := collectorLabels[c]; return ok }

// Handover is the 签收 of a result or a denial decision at a window: who
// collected it, checked how, when and where. The collector's ID number is
// personal data: sealed at rest, masked when shown.
type Handover struct {
	CaseID          int64     `json:"case_id"`
	WindowID        int64     `json:"window_id"` // the result window it was collected at
	ClerkID         int64     `json:"clerk_id"`
	Collector       Collector `json:"collector"`
	CollectorName   string    `json:"collector_name"`
	CollectorID     IDNumber  `json:"collector_id_number,omitempty"` // 代领: the collector's ID number
	PowerOfAttorney bool      `json:"power_of_attorney"`             // 代领: the 授权委托书 was received
	SignedAt        time.Time `json:"signed_at"`
}

// HandoverStore keeps the 签收 records, one per case.
type HandoverStore interface {
	RecordHandover(ctx context.Context, h *Handover) error
	// Handover returns the case's 签收 record; ENotFound if none.
	Handover(ctx context.Context, caseID int64) (*Handover, error)
}
