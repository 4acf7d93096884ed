package tongban

import (
	"context"
	"time"
)

// RollupKey is one cell of the case rollups: a China civil day and the
// dimensions supervisors filter by.
type RollupKey struct {
	Day        string // YYYY-MM-DD, China time, of the event counted
	RegionCode string
	OrgID      int64 // the implementing department of the case
	ListingID  int64
	Channel    Channel
}

// RollupCounts are the counters kept per RollupKey. Each is a count of
// events (or of cases at one event), so sums over cells are exact.
type RollupCounts struct {
	Submitted               int64 `json:"submitted"`
	CounterSubmitted        int64 `json:"counter_submitted"`          // submitted at a counter
	CounterAcceptedAtWindow int64 `json:"counter_accepted_at_window"` // counter cases accepted at a comprehensive window
	Accepted                int64 `json:"accepted"`
	Decided                 int64 `json:"decided"` // approved or denied
	Closed                  int64 `json:"closed"`
	ClosedOnTime            int64 `json:"closed_on_time"`
	Visits                  int64 `json:"visits"`         // visits of the cases closed, counted at close
	OneTripCases            int64 `json:"one_trip_cases"` // closed cases with at most one visit
	MaterialsAsked          int64 `json:"materials_asked"`
	MaterialsNotHanded      int64 `json:"materials_not_handed"`
	// Of those not handed over, how many a resolved reference spared, by kind (免提交率).
	MaterialsByLicense int64 `json:"materials_by_license"`
	MaterialsByLibrary int64 `json:"materials_by_library"`
	MaterialsByShared  int64 `json:"materials_by_shared"`
	Denied             int64 `json:"denied"`
	Rejected           int64 `json:"rejected"`
}

// Add adds o to c.
func (c *RollupCounts) Add(o RollupCounts) {
	c.Submitted += o.Submitted
	c.CounterSubmitted += o.CounterSubmitted
	c.CounterAcceptedAtWindow += o.CounterAcceptedAtWindow
	c.Accepted += o.Accepted
	c.Decided += o.Decided
	c.Closed += o.Closed
	c.ClosedOnTime += o.ClosedOnTime
	c.Visits += o.Visits
	c.OneTripCases += o.OneTripCases
	c.MaterialsAsked += o.MaterialsAsked
	c.MaterialsNotHanded += o.MaterialsNotHanded
	c.MaterialsByLicense += o.MaterialsByLicense
	c.MaterialsByLibrary += o.MaterialsByLibrary
	c.MaterialsByShared += o.MaterialsByShared
	c.Denied += o.Denied
	c.Rejected += o.Rejected
}

// RollupEvent is a case event with the facts of its case the rollups need.
type RollupEvent struct {
	ID          int64
	At          time.Time
	Action      CaseAction
	To          CaseState
	AtWindow    bool // the event's org is a comprehensive window (综合窗口)
	RegionCode  string
	OrgID       int64
	ListingID   int64
	Channel     Channel
	DueDate     string // YYYY-MM-DD, "" for cases without a clock
	DecidedAt   time.Time
	CaseVisits  int
	Materials   int // materials the case asks for
	NotHandedIn int // of those, spared (reused, e-license, shared, commitment)
	// Of those, spared by each kind of resolved reference.
	ByLicense, ByLibrary, ByShared int
}

// RollupEventOf is the rollup view of an event that carries its facts.
func RollupEventOf(e *CaseEvent) RollupEvent {
	f := e.Facts
	return RollupEvent{ID: e.ID, At: e.At, Action: e.Action, To: e.To, AtWindow: f.AtWindow,
		RegionCode: f.RegionCode, OrgID: f.OrgID, ListingID: f.ListingID, Channel: f.Channel,
		DueDate: f.DueDate, DecidedAt: f.DecidedAt, CaseVisits: f.Visits,
		Materials: f.MaterialsAsked, NotHandedIn: f.MaterialsSpared,
		ByLicense: f.SparedByLicense, ByLibrary: f.SparedByLibrary, ByShared: f.SparedByShared}
}

// RollupFilter narrows a rollup sum. Zero fields do not filter.
type RollupFilter struct {
	From      string  `json:"from"` // inclusive China days, YYYY-MM-DD
	To        string  `json:"to"`
	Region    string  `json:"region,omitempty"` // region code: this region and below
	OrgID     int64   `json:"org_id,omitempty"`
	ItemID    int64   `json:"item_id,omitempty"` // every listing of this base-catalog item (基本目录事项)
	ListingID int64   `json:"listing_id,omitempty"`
	Channel   Channel `json:"channel,omitempty"`
}

// ListingFact is what the catalog measures read of a published listing.
type ListingFact struct {
	ListingID     int64
	ListingName   string
	ItemID        int64
	ItemName      string
	OrgID         int64
	RegionCode    string
	OnlineDepth   OnlineDepth
	CaseType      CaseType
	PromisedDays  int
	StatutoryDays int
}

// StatsStore keeps the case rollups and reads what the measures need.
type StatsStore interface {
	// EventHorizon returns an event ID below which every event is committed,
	// so that reading past a watermark never skips a late commit.
	EventHorizon(ctx context.Context) (int64, error)
	// RollupWatermark returns the last event folded into the rollups and
	// locks it until the transaction ends.
	RollupWatermark(ctx context.Context) (int64, error)
	// RollupEvents returns events with after < ID <= upTo, in order, at most limit.
	RollupEvents(ctx context.Context, after, upTo int64, limit int) ([]RollupEvent, error)
	// ApplyRollups adds the counts and moves the watermark, in the caller's transaction.
	ApplyRollups(ctx context.Context, counts map[RollupKey]RollupCounts, watermark int64) error
	// ResetRollups empties the rollups and moves the watermark back to the
	// first event, in the caller's transaction (which holds the watermark).
	ResetRollups(ctx context.Context) error
	// SumRollups sums the rollups matching f by implementing department.
	SumRollups(ctx context.Context, f RollupFilter) (map[int64]RollupCounts, error)
	// SumRollupsByListing sums the rollups matching f by listing.
	SumRollupsByListing(ctx context.Context, f RollupFilter) (map[int64]RollupCounts, error)
	// ListingFacts returns the published listings matching the region, org, item and listing of f.
	ListingFacts(ctx context.Context, f RollupFilter) ([]ListingFact, error)
}
