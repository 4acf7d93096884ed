package tongban

import (
	"context"
	"time"
)

// AppealGround is why a department appeals a rating (申诉).
type AppealGround string

const (
	AppealMalicious AppealGround = "malicious" // 恶意差评
	AppealMistaken  AppealGround = "mistaken"  // 误评 (the wrong service or department)
)

var appealGroundLabels = map[AppealGround]string{AppealMalicious: "恶意差评", AppealMistaken: "误评"}

func (g AppealGround) Label() string { return appealGroundLabels[g] }
func (g AppealGround) Valid() bool   { _, ok := appealGroundLabels[g]; return ok }

// AppealState is where an appeal is.
type AppealState string

const (
	AppealPending  AppealState = "pending"  // 待裁定
	AppealUpheld   AppealState = "upheld"   // 申诉成立: the rating leaves 好评率
	AppealRejected AppealState = "rejected" // 申诉不成立: the rating counts
)

var appealStateLabels = map[AppealState]string{AppealPending: "待裁定", AppealUpheld: "申诉成立", AppealRejected: "申诉不成立"}

func (s AppealState) Label() string { return appealStateLabels[s] }

// RatingAppeal is a department's appeal (申诉) against a 差评 it holds
// malicious or mistaken, and a supervisor's decision on it. One per
// rating; the record is kept whatever the decision. Only an upheld appeal
// takes the rating out of 好评率 and 差评率.
type RatingAppeal struct {
	ID         int64        `json:"id"`
	RatingID   int64        `json:"rating_id"`
	CaseID     int64        `json:"case_id"`
	CaseNumber string       `json:"case_number"`
	OrgID      int64        `json:"org_id"`
	RegionCode string       `json:"region_code"`
	Ground     AppealGround `json:"ground"`
	Reason     string       `json:"reason"`
	State      AppealState  `json:"state"`
	FiledBy    int64        `json:"filed_by"`
	FiledAt    time.Time    `json:"filed_at"`
	Decision   string       `json:"decision,omitempty"`
	DecidedBy  int64        `json:"decided_by,omitempty"`
	DecidedAt  time.Time    `json:"decided_at,omitzero"`
	Version    int          `json:"version"`
}

// RatingAppealFilter narrows an appeal listing; OrgIDs and Regions are a
// scope like RatingTicketFilter's.
type RatingAppealFilter struct {
	OrgIDs  []int64
	Regions []string
	States  []AppealState
	Limit   int
}

// RatingAppealStore keeps appeals against ratings.
type RatingAppealStore interface {
	// CreateRatingAppeal inserts a (Version becomes 1); a second appeal of
	// the same rating is an EConflict.
	CreateRatingAppeal(ctx context.Context, a *RatingAppeal) error
	RatingAppeal(ctx context.Context, id int64) (*RatingAppeal, error)
	// AppealOfRating returns the rating's appeal; ENotFound if none.
	AppealOfRating(ctx context.Context, ratingID int64) (*RatingAppeal, error)
	// DecideRatingAppeal writes the decision if a.Version is the stored
	// one, then increments it; a stale Version is an EConflict.
	DecideRatingAppeal(ctx context.Context, a *RatingAppeal) error
	// RatingAppeals lists appeals, oldest first.
	RatingAppeals(ctx context.Context, f RatingAppealFilter) ([]*RatingAppeal, error)
}
