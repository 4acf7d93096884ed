package tongban

import (
	"context"
	"time"
)

// VerdictLevels are what the rater may say of the department's answer to
// their 差评 (满意, 基本满意, 不满意), best first.
var VerdictLevels = []RatingLevel{RatingSatisfied, RatingFair, RatingDissatisfied}

// RatingVerdict is the rater's judgement of the answer a closed ticket
// gave them (已整改 or 核实无效): one per ticket, by the rater only.
type RatingVerdict struct {
	TicketID  int64       `json:"ticket_id"`
	Level     RatingLevel `json:"level"` // one of VerdictLevels
	Comment   string      `json:"comment,omitempty"`
	RaterID   int64       `json:"-"`
	CreatedAt time.Time   `json:"created_at"`
}

// RatingEventKind is what happened to a rating.
type RatingEventKind string

const (
	RatingGiven    RatingEventKind = "given"   // first given
	RatingChanged  RatingEventKind = "changed" // changed by the rater: Prev* is what it was
	RatingTicketed RatingEventKind = "ticket"  // its 差评 opened a ticket
	RatingVisited  RatingEventKind = "visited" // the ticket's 回访核实 was done
	RatingClosed   RatingEventKind = "closed"  // the ticket closed (已整改 or 核实无效); OnTime by its deadline
	RatingJudged   RatingEventKind = "verdict" // the rater judged the answer; Level is the verdict
	// RatingExcluded: a supervisor upheld the department's appeal (申诉成立);
	// the rating leaves 好评率 and 差评率. Level and Channel are the rating's.
	RatingExcluded RatingEventKind = "excluded"
)

// RatingEvent is one step in a rating's life with the facts the rating
// measures need, written in the step's transaction, so the rating rollups
// can be rebuilt from the events alone.
type RatingEvent struct {
	ID       int64
	At       time.Time
	Kind     RatingEventKind
	RatingID int64
	// Day is the China date the rating was first given: every event of a
	// rating counts in that period (差评整改率 of March's 差评, whenever
	// the 整改 ended).
	Day         string
	RegionCode  string
	OrgID       int64
	ListingID   int64
	Channel     RatingChannel
	PrevChannel RatingChannel
	Level       RatingLevel
	PrevLevel   RatingLevel
	OnTime      bool
}

// RatingRollupKey is one cell of the rating rollups.
type RatingRollupKey struct {
	Day        string
	RegionCode string
	OrgID      int64 // the department rated
	ListingID  int64
	Channel    RatingChannel
}

// RatingRollupCounts are the counters kept per cell; sums over cells are exact.
type RatingRollupCounts struct {
	Rated        int64 `json:"rated"`
	Good         int64 `json:"good"`           // 满意, 非常满意
	Bad          int64 `json:"bad"`            // 不满意, 非常不满意
	Tickets      int64 `json:"tickets"`        // 差评 tickets opened
	Visited      int64 `json:"visited"`        // of those, 回访核实 done
	Closed       int64 `json:"closed"`         // of those, 已整改 or 核实无效
	ClosedOnTime int64 `json:"closed_on_time"` // of those, by the deadline
	Verdicts     int64 `json:"verdicts"`       // answers the rater judged
	// VerdictsSatisfied is of those, judged 满意.
	VerdictsSatisfied int64 `json:"verdicts_satisfied"`
	// Excluded are ratings whose appeal was upheld (申诉成立): out of Rated,
	// Good and Bad, counted here so the figures show them apart.
	Excluded int64 `json:"excluded"`
}

// Add adds o to c.
func (c *RatingRollupCounts) Add(o RatingRollupCounts) {
	c.Rated += o.Rated
	c.Good += o.Good
	c.Bad += o.Bad
	c.Tickets += o.Tickets
	c.Visited += o.Visited
	c.Closed += o.Closed
	c.ClosedOnTime += o.ClosedOnTime
	c.Verdicts += o.Verdicts
	c.VerdictsSatisfied += o.VerdictsSatisfied
	c.Excluded += o.Excluded
}

// RatingGroup is what a rating rollup sum is grouped by.
type RatingGroup string

const (
	ByRatingOrg     RatingGroup = "org_id"
	ByRatingRegion  RatingGroup = "region_code"
	ByRatingListing RatingGroup = "listing_id"
	ByRatingChannel RatingGroup = "channel"
	ByRatingMonth   RatingGroup = "month" // YYYY-MM
)

// RatingRollupFilter narrows a rating rollup sum; zero fields do not filter.
type RatingRollupFilter struct {
	From, To  string // inclusive China days, YYYY-MM-DD
	Region    string // this region and below
	OrgID     int64
	ListingID int64
	Channel   RatingChannel
}

// RatingEventStore keeps the rater's verdicts, the rating events and the
// rating rollups folded from them.
type RatingEventStore interface {
	// CreateRatingVerdict inserts v; a second verdict on the ticket is an EConflict.
	CreateRatingVerdict(ctx context.Context, v *RatingVerdict) error
	// RatingVerdictOf returns the verdict on a ticket; ENotFound if none.
	RatingVerdictOf(ctx context.Context, ticketID int64) (*RatingVerdict, error)
	AppendRatingEvent(ctx context.Context, e *RatingEvent) error
	// RatingsWithoutEvents lists, oldest first, at most limit ratings that
	// have no rating event: those given before migration 00021.
	RatingsWithoutEvents(ctx context.Context, limit int) ([]*Rating, error)
	// RatingEventHorizon returns an event ID below which every rating event is committed.
	RatingEventHorizon(ctx context.Context) (int64, error)
	// RatingRollupWatermark returns the last rating event folded in and
	// locks it until the transaction ends.
	RatingRollupWatermark(ctx context.Context) (int64, error)
	// RatingEvents returns events with after < ID <= upTo, in order, at most limit.
	RatingEvents(ctx context.Context, after, upTo int64, limit int) ([]RatingEvent, error)
	// ApplyRatingRollups adds the counts and moves the watermark, in the caller's transaction.
	ApplyRatingRollups(ctx context.Context, counts map[RatingRollupKey]RatingRollupCounts, watermark int64) error
	// ResetRatingRollups empties the rating rollups and moves their watermark to the start.
	ResetRatingRollups(ctx context.Context) error
	// SumRatingRollups sums the cells matching f grouped by g.
	SumRatingRollups(ctx context.Context, f RatingRollupFilter, g RatingGroup) (map[string]RatingRollupCounts, error)
}
