package catalog

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// Publication review (两人发布). With Service.Review on, publishing takes
// two people: an admin who may edit the listing proposes the version they
// checked (发布申请), and another admin with the publish permission
// publishes exactly that version or returns it with a note. The proposer
// can never publish their own proposal; a listing edited after it was
// proposed must be proposed again. Each step is audited. With Review off
// (the default), Publish works alone as before.

// Audit actions of the review.
const (
	AuditPropose        = "listing_propose"
	AuditProposalReturn = "listing_proposal_return"
	AuditProposalRecall = "listing_proposal_withdraw"
)

// Propose asks for a listing's current version to be published. It must
// be the version the proposer looked at, pass the quality check, and not
// be published already; a listing has one open proposal at a time.
func (s *Service) Propose(ctx context.Context, r identity.Request, id int64, version int, reason string) (*tongban.ListingProposal, error) {
	if !s.Review {
		return nil, tongban.Errorf(tongban.EConflict, "未启用发布审核，可直接发布")
	}
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	var out *tongban.ListingProposal
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		l, err := tx.Listing(ctx, id)
		if err != nil {
			return err
		}
		if err := s.requireOrg(ctx, tx, r, identity.PermCatalogEdit, l.OrgID); err != nil {
			return err
		}
		if version != 0 && version != l.Version {
			return &tongban.Error{Code: tongban.EConflict, Field: "version",
				Message: "实施清单已被他人修改（当前为第" + itoa(l.Version) + "版），请刷新后重试"}
		}
		if l.Status == tongban.ListingPublished {
			return tongban.Errorf(tongban.EConflict, "实施清单已发布")
		}
		item, err := tx.Item(ctx, l.ItemID)
		if err != nil {
			return err
		}
		if rep := Check(*item, *l); !rep.Publishable() {
			return refuse("不能提交发布申请", rep)
		}
		p := &tongban.ListingProposal{ListingID: l.ID, Version: l.Version, ProposedBy: r.Actor.ID,
			ProposedAt: s.Clock.Now(), Reason: strings.TrimSpace(reason)}
		if err := tx.CreateListingProposal(ctx, p); err != nil {
			return err
		}
		out = p
		return s.audit(ctx, tx, r, AuditPropose, listingObject(l.ID), "第"+itoa(l.Version)+"版："+orDefault(reason, "申请发布"))
	})
	return out, err
}

// reviewPublish is the review's part of Publish, inside its transaction:
// the listing's open proposal must be of its current version and by
// someone else; it is closed as published.
func (s *Service) reviewPublish(ctx context.Context, tx tongban.Store, r identity.Request, l *tongban.Listing) error {
	if !s.Review || r.Actor == nil {
		return nil
	}
	p, err := tx.OpenListingProposal(ctx, l.ID)
	if tongban.IsCode(err, tongban.ENotFound) {
		return tongban.Errorf(tongban.EConflict, "已启用发布审核：须先由一名管理员提交发布申请，再由另一名管理员审核发布")
	}
	if err != nil {
		return err
	}
	if p.ProposedBy == r.Actor.ID {
		return tongban.Errorf(tongban.EForbidden, "不能发布本人提交的申请，须由另一名管理员审核发布")
	}
	if p.Version != l.Version {
		return tongban.Errorf(tongban.EConflict, "清单在提交发布申请后又被修改（申请时为第%d版，现为第%d版），请退回后重新提交", p.Version, l.Version)
	}
	return tx.CloseListingProposal(ctx, p.ID, tongban.ProposalPublished, r.Actor.ID, s.Clock.Now(), "")
}

// CloseProposal ends a listing's open proposal without publishing: the
// proposer withdraws it (撤回), or an admin who may publish returns it
// (退回) with a note saying what to fix.
func (s *Service) CloseProposal(ctx context.Context, r identity.Request, listingID int64, note string) (*tongban.ListingProposal, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	note = strings.TrimSpace(note)
	var out *tongban.ListingProposal
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		l, err := tx.Listing(ctx, listingID)
		if err != nil {
			return err
		}
		if err := s.requireOrg(ctx, tx, r, identity.PermCatalogEdit, l.OrgID); err != nil {
			return err
		}
		p, err := tx.OpenListingProposal(ctx, l.ID)
		if err != nil {
			return err
		}
		status, action := tongban.ProposalWithdrawn, AuditProposalRecall
		if p.ProposedBy != r.Actor.ID {
			if err := s.requireOrg(ctx, tx, r, identity.PermCatalogPublish, l.OrgID); err != nil {
				return tongban.Errorf(tongban.EForbidden, "只有提交人可以撤回，或由有发布权限的管理员退回")
			}
			if note == "" {
				return tongban.FieldError("note", "请写明退回的原因")
			}
			status, action = tongban.ProposalReturned, AuditProposalReturn
		}
		now := s.Clock.Now()
		if err := tx.CloseListingProposal(ctx, p.ID, status, r.Actor.ID, now, note); err != nil {
			return err
		}
		p.Status, p.DecidedBy, p.DecidedAt, p.Note = status, r.Actor.ID, now, note
		out = p
		return s.audit(ctx, tx, r, action, listingObject(l.ID), "第"+itoa(p.Version)+"版："+orDefault(note, status.Label()))
	})
	return out, err
}

// ProposalView is an open proposal with its listing, as a reviewer sees it.
type ProposalView struct {
	*tongban.ListingProposal
	Listing *tongban.Listing `json:"listing"`
	// Own is true for the viewer's own proposal, which someone else must publish.
	Own bool `json:"own"`
	// CanPublish: the viewer may publish it (not theirs, permission over
	// its org, and the listing unchanged since it was proposed).
	CanPublish bool `json:"can_publish"`
	Stale      bool `json:"stale"` // the listing changed after it was proposed
}

// OpenProposals lists the open proposals of listings the actor may edit,
// oldest first (first come, first reviewed).
func (s *Service) OpenProposals(ctx context.Context, r identity.Request) ([]ProposalView, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if err := s.authz(s.Store).Require(r.Actor, identity.PermCatalogEdit); err != nil {
		return nil, err
	}
	ps, err := s.Store.ListingProposals(ctx, tongban.ProposalFilter{Status: tongban.ProposalOpen, Limit: 1000})
	if err != nil {
		return nil, err
	}
	var out []ProposalView
	for i := len(ps) - 1; i >= 0; i-- {
		p := ps[i]
		l, err := s.Store.Listing(ctx, p.ListingID)
		if err != nil {
			return nil, err
		}
		if !s.canEdit(ctx, r.Actor, l.OrgID) {
			continue
		}
		v := ProposalView{ListingProposal: p, Listing: l, Own: p.ProposedBy == r.Actor.ID, Stale: p.Version != l.Version}
		v.CanPublish = !v.Own && !v.Stale && s.authz(s.Store).RequireOrg(ctx, r.Actor, identity.PermCatalogPublish, l.OrgID) == nil
		out = append(out, v)
	}
	return out, nil
}

// OpenProposal returns the listing's open proposal, or nil.
func (s *Service) OpenProposal(ctx context.Context, listingID int64) (*tongban.ListingProposal, error) {
	p, err := s.Store.OpenListingProposal(ctx, listingID)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, nil
	}
	return p, err
}
