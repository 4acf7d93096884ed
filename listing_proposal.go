package tongban

import (
	"context"
	"time"
)

// ProposalStatus is where a publication proposal is.
type ProposalStatus string

const (
	ProposalOpen      ProposalStatus = "open"      // 待审核
	ProposalPublished ProposalStatus = "published" // 已发布: a second admin published the version proposed
	ProposalReturned  ProposalStatus = "returned"  // 已退回: a second admin sent it back, with a note
	ProposalWithdrawn ProposalStatus = "withdrawn" // 已撤回: the proposer took it back
)

var proposalStatusLabels = map[ProposalStatus]string{
	ProposalOpen: "待审核", ProposalPublished: "已发布", ProposalReturned: "已退回", ProposalWithdrawn: "已撤回",
}

func (s ProposalStatus) Label() string { return proposalStatusLabels[s] }
func (s ProposalStatus) Valid() bool   { _, ok := proposalStatusLabels[s]; return ok }

// ProposalAction is what a proposal asks the second admin to do.
type ProposalAction string

const (
	ProposeToPublish  ProposalAction = "publish"  // 发布: publish the draft's current version
	ProposeToEdit     ProposalAction = "edit"     // 发布修改: make a pending edit of a published listing live
	ProposeToSuspend  ProposalAction = "suspend"  // 暂停受理
	ProposeToWithdraw ProposalAction = "withdraw" // 撤销清单
)

var proposalActionLabels = map[ProposalAction]string{
	ProposeToPublish: "发布", ProposeToEdit: "发布修改", ProposeToSuspend: "暂停受理", ProposeToWithdraw: "撤销清单",
}

func (a ProposalAction) Label() string { return proposalActionLabels[a] }
func (a ProposalAction) Valid() bool   { _, ok := proposalActionLabels[a]; return ok }

// ListingProposal is a 发布申请 under the publication review (两人发布):
// one admin proposes the version of a listing they checked, and another
// admin publishes exactly that version or returns it. A listing has at
// most one open proposal.
type ListingProposal struct {
	ID        int64          `json:"id"`
	ListingID int64          `json:"listing_id"`
	Version   int            `json:"version"` // the version proposed (for an edit, the one it was made from); deciding needs it still current
	Action    ProposalAction `json:"action"`
	// Proposed is the listing as an edit would make it (Action edit only):
	// the pending copy, which the public does not see until it is published.
	Proposed   *Listing       `json:"proposed,omitempty"`
	ProposedBy int64          `json:"proposed_by"`
	ProposedAt time.Time      `json:"proposed_at"`
	Reason     string         `json:"reason,omitempty"`
	Status     ProposalStatus `json:"status"`
	DecidedBy  int64          `json:"decided_by,omitempty"`
	DecidedAt  time.Time      `json:"decided_at,omitzero"`
	Note       string         `json:"note,omitempty"` // why it was returned or withdrawn
}

// ProposalFilter narrows a list of proposals; zero fields match all.
type ProposalFilter struct {
	ListingID int64
	Status    ProposalStatus
	Limit     int // 0 = 200
}

// ListingProposalStore keeps publication proposals. Who may propose or
// publish is decided in internal/catalog.
type ListingProposalStore interface {
	// CreateListingProposal inserts p (open) and sets p.ID; a second open
	// proposal for the same listing is an EConflict.
	CreateListingProposal(ctx context.Context, p *ListingProposal) error
	// OpenListingProposal returns the listing's open proposal, or ENotFound.
	OpenListingProposal(ctx context.Context, listingID int64) (*ListingProposal, error)
	// ListingProposals returns proposals, newest first.
	ListingProposals(ctx context.Context, f ProposalFilter) ([]*ListingProposal, error)
	// CloseListingProposal ends an open proposal with status; one no longer
	// open is an EConflict.
	CloseListingProposal(ctx context.Context, id int64, status ProposalStatus, by int64, at time.Time, note string) error
}
