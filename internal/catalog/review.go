package catalog

import (
	"context"
	"reflect"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// Publication review (两人发布). With Service.Review on, publishing takes
// two people: an admin who may edit the listing proposes the version they
// checked (发布申请), and another admin with the publish permission
// publishes exactly that version or returns it with a note. The proposer
// can never publish their own proposal; a listing edited after it was
// proposed must be proposed again. A published listing is changed the same
// way: an edit waits as a pending copy, a suspension or withdrawal as a
// request with its reason, until another admin decides. Each step is
// audited. With Review off (the default), one admin does each alone.

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
	return s.ProposeAction(ctx, r, id, version, tongban.ProposeToPublish, reason)
}

// ProposeAction asks another admin to publish a draft, or to suspend or
// withdraw a published listing (with the reason). Edits of a published
// listing are proposed by saving them (SaveListing).
func (s *Service) ProposeAction(ctx context.Context, r identity.Request, id int64, version int,
	action tongban.ProposalAction, reason string) (*tongban.ListingProposal, error) {
	if !s.Review {
		return nil, tongban.Errorf(tongban.EConflict, "未启用发布审核，可直接办理")
	}
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if action == "" {
		action = tongban.ProposeToPublish
	}
	if !action.Valid() || action == tongban.ProposeToEdit {
		return nil, tongban.FieldError("action", "申请事项应为 publish（发布）、suspend（暂停受理）或 withdraw（撤销清单）；修改已发布的清单请直接保存")
	}
	reason = strings.TrimSpace(reason)
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
		if action == tongban.ProposeToPublish {
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
		} else {
			if l.Status != tongban.ListingPublished {
				return tongban.Errorf(tongban.EConflict, "只有已发布的清单须申请%s，当前为%s", action.Label(), l.Status.Label())
			}
			if reason == "" {
				return tongban.FieldError("reason", "请说明%s的原因", action.Label())
			}
		}
		p := &tongban.ListingProposal{ListingID: l.ID, Version: l.Version, Action: action, ProposedBy: r.Actor.ID,
			ProposedAt: s.Clock.Now(), Reason: reason}
		if err := tx.CreateListingProposal(ctx, p); err != nil {
			return err
		}
		out = p
		return s.audit(ctx, tx, r, AuditPropose, listingObject(l.ID), "第"+itoa(l.Version)+"版"+action.Label()+"："+orDefault(reason, "申请"+action.Label()))
	})
	return out, err
}

// proposeEdit keeps an edit of the published listing cur as a pending copy
// (the proposal's Proposed) instead of changing the listing.
func (s *Service) proposeEdit(ctx context.Context, tx tongban.Store, r identity.Request, cur, edited *tongban.Listing, reason string) (*tongban.ListingProposal, error) {
	pending := edited.Clone()
	pending.Version = cur.Version
	p := &tongban.ListingProposal{ListingID: cur.ID, Version: cur.Version, Action: tongban.ProposeToEdit, Proposed: &pending,
		ProposedBy: r.Actor.ID, ProposedAt: s.Clock.Now(), Reason: reason}
	if err := tx.CreateListingProposal(ctx, p); err != nil {
		if tongban.IsCode(err, tongban.EConflict) {
			return nil, tongban.Errorf(tongban.EConflict, "该清单已有待审核的申请，请待其审核，或撤回（退回）后再修改")
		}
		return nil, err
	}
	return p, s.audit(ctx, tx, r, AuditPropose, listingObject(cur.ID), "第"+itoa(cur.Version)+"版的修改："+reason)
}

// reviewDecide is the review's part of publishing, suspending and
// withdrawing, inside their transaction: the listing's open proposal must
// ask for action, of its current version, by someone else; it is closed
// as decided. The system and an instance without the review pass.
func (s *Service) reviewDecide(ctx context.Context, tx tongban.Store, r identity.Request, l *tongban.Listing,
	action tongban.ProposalAction) (*tongban.ListingProposal, error) {
	if !s.Review || r.Actor == nil {
		return nil, nil
	}
	p, err := tx.OpenListingProposal(ctx, l.ID)
	if tongban.IsCode(err, tongban.ENotFound) {
		if action == tongban.ProposeToPublish {
			return nil, tongban.Errorf(tongban.EConflict, "已启用发布审核：须先由一名管理员提交发布申请，再由另一名管理员审核发布")
		}
		return nil, tongban.Errorf(tongban.EConflict, "已启用发布审核：%s已发布的清单须先由一名管理员提交申请，再由另一名管理员审核", action.Label())
	}
	if err != nil {
		return nil, err
	}
	if p.Action != action {
		return nil, tongban.Errorf(tongban.EConflict, "该清单待审核的是“%s”申请，不是“%s”", p.Action.Label(), action.Label())
	}
	if p.ProposedBy == r.Actor.ID {
		if action == tongban.ProposeToPublish || action == tongban.ProposeToEdit {
			return nil, tongban.Errorf(tongban.EForbidden, "不能发布本人提交的申请，须由另一名管理员审核发布")
		}
		return nil, tongban.Errorf(tongban.EForbidden, "不能办理本人提交的“%s”申请，须由另一名管理员审核", action.Label())
	}
	if p.Version != l.Version {
		return nil, tongban.Errorf(tongban.EConflict, "清单在提交申请后又被修改（申请时为第%d版，现为第%d版），请退回后重新提交", p.Version, l.Version)
	}
	return p, tx.CloseListingProposal(ctx, p.ID, tongban.ProposalPublished, r.Actor.ID, s.Clock.Now(), "")
}

// publishEdit makes the open pending edit of the published listing l live:
// l takes the proposed content, keeping what a save never changes.
func (s *Service) publishEdit(ctx context.Context, tx tongban.Store, r identity.Request, l *tongban.Listing) (Report, error) {
	p, err := s.reviewDecide(ctx, tx, r, l, tongban.ProposeToEdit)
	if err != nil {
		return Report{}, err
	}
	next := p.Proposed.Clone()
	next.ID, next.Version, next.ItemID, next.ItemCode, next.OrgID, next.OrgName = l.ID, l.Version, l.ItemID, l.ItemCode, l.OrgID, l.OrgName
	next.RegionCode, next.Code, next.Status, next.PublishedAt = l.RegionCode, l.Code, l.Status, l.PublishedAt
	item, err := tx.Item(ctx, l.ItemID)
	if err != nil {
		return Report{}, err
	}
	rep := Check(*item, next)
	if !rep.Publishable() {
		return rep, refuse("不能发布修改", rep)
	}
	*l = next
	return rep, nil
}

// Changes names the fields a pending edit changes, by their labels in the
// edit form (承诺时限, 申请材料…), in the listing's field order.
func Changes(cur, proposed tongban.Listing) []string {
	a, _ := listingContent(cur).(map[string]any)
	b, _ := listingContent(proposed).(map[string]any)
	var out []string
	for _, k := range listingJSONKeys() {
		if !reflect.DeepEqual(a[k], b[k]) {
			out = append(out, FieldLabel(k))
		}
	}
	return out
}

// listingJSONKeys are the JSON names of a listing's fields, in order.
func listingJSONKeys() []string {
	t := reflect.TypeOf(tongban.Listing{})
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
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
