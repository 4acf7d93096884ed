package catalog

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// SaveListing stores an edit of an existing listing as a new version and
// returns it with its quality report. in.Version must be the version the
// editor started from (a stale one is an EConflict); the listing's identity
// (item, org, region, code) and status are not changed by saving. A draft
// saves whatever its quality; an edit of a published listing goes live at
// once, so it needs the publish permission and must pass the check —
// unless the publication review is on: then it becomes a pending edit
// (Result.Proposal) that another admin publishes, and the listing is
// returned unchanged.
func (s *Service) SaveListing(ctx context.Context, r identity.Request, in tongban.Listing, reason string) (*Result, error) {
	if in.ID == 0 {
		return nil, tongban.FieldError("id", "请指明要修改的实施清单")
	}
	if in.Version <= 0 {
		return nil, tongban.FieldError("version", "请提供所修改的版本号")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = "修改清单"
	}
	var res *Result
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		cur, err := tx.Listing(ctx, in.ID)
		if err != nil {
			return err
		}
		if err := s.requireOrg(ctx, tx, r, identity.PermCatalogEdit, cur.OrgID); err != nil {
			return err
		}
		if in.Version != cur.Version {
			return &tongban.Error{Code: tongban.EConflict, Field: "version",
				Message: "实施清单已被他人修改（当前为第" + itoa(cur.Version) + "版），请刷新后重试"}
		}
		l := in.Clone()
		l.ItemID, l.ItemCode, l.OrgID, l.OrgName = cur.ItemID, cur.ItemCode, cur.OrgID, cur.OrgName
		l.RegionCode, l.Code, l.Status, l.PublishedAt = cur.RegionCode, cur.Code, cur.Status, cur.PublishedAt
		if errs := l.Problems(); len(errs) > 0 {
			return invalidListing(errs)
		}
		std, err := LoadStandards(ctx, tx)
		if err != nil {
			return err
		}
		if errs := std.resolve(&l, cur); len(errs) > 0 {
			return invalidListing(errs)
		}
		types := newLicenseTypes(tx)
		if e, err := types.unknown(ctx, &l); err != nil {
			return err
		} else if e != nil {
			return invalidListing([]*tongban.Error{e})
		}
		item, err := tx.Item(ctx, l.ItemID)
		if err != nil {
			return err
		}
		rep, err := types.checkStored(ctx, *item, l)
		if err != nil {
			return err
		}
		if sameListing(*cur, l) {
			// Nothing changed: no version, no audit entry (the history
			// would show a version that changes nothing).
			res = &Result{Listing: cur, Report: rep}
			return nil
		}
		if cur.Status == tongban.ListingPublished && s.Review && r.Actor != nil {
			// Under the publication review an edit of a published listing
			// waits as a pending copy; the public keeps the live version.
			if !rep.Publishable() {
				return refuse("已发布的清单修改后须通过质量检查", rep)
			}
			p, err := s.proposeEdit(ctx, tx, r, cur, &l, reason)
			if err != nil {
				return err
			}
			res = &Result{Listing: cur, Report: rep, Proposal: p}
			return nil
		}
		if cur.Status == tongban.ListingPublished {
			if err := s.requireOrg(ctx, tx, r, identity.PermCatalogPublish, cur.OrgID); err != nil {
				return tongban.Errorf(tongban.EForbidden, "该清单已发布，修改须由有发布权限的人员进行")
			}
			if !rep.Publishable() {
				return refuse("已发布的清单修改后须通过质量检查", rep)
			}
		}
		l.UpdatedAt = s.Clock.Now()
		if err := tx.UpdateListing(ctx, &l); err != nil {
			return err
		}
		if err := s.snapshot(ctx, tx, r, &l, reason); err != nil {
			return err
		}
		res = &Result{Listing: &l, Report: rep}
		return s.audit(ctx, tx, r, AuditSave, listingObject(l.ID), "第"+itoa(l.Version)+"版："+reason)
	})
	return res, err
}

// invalidListing reports every structural problem in one EInvalid error
// naming the first field.
func invalidListing(errs []*tongban.Error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = FieldLabel(e.Field) + "：" + e.Message
	}
	return &tongban.Error{Code: tongban.EInvalid, Field: errs[0].Field, Message: strings.Join(msgs, "；")}
}

// Publish makes a listing visible to applicants. It refuses, naming every
// error, when the quality check finds any; warnings come back with the
// listing. version, if not zero, must be the version the publisher reviewed.
func (s *Service) Publish(ctx context.Context, r identity.Request, id int64, version int, reason string) (*Result, error) {
	var res *Result
	err := s.changeStatus(ctx, r, id, version, func(tx tongban.Store, l *tongban.Listing) error {
		if l.Status == tongban.ListingPublished {
			if s.Review && r.Actor != nil {
				rep, err := s.publishEdit(ctx, tx, r, l)
				res = &Result{Listing: l, Report: rep}
				return err
			}
			return tongban.Errorf(tongban.EConflict, "实施清单已发布")
		}
		item, err := tx.Item(ctx, l.ItemID)
		if err != nil {
			return err
		}
		rep, err := CheckStored(ctx, tx, *item, *l)
		if err != nil {
			return err
		}
		if !rep.Publishable() {
			return refuse("不能发布", rep)
		}
		if _, err := s.reviewDecide(ctx, tx, r, l, tongban.ProposeToPublish); err != nil {
			return err
		}
		l.Status, l.PublishedAt = tongban.ListingPublished, s.Clock.Now()
		res = &Result{Listing: l, Report: rep}
		return nil
	}, AuditPublish, orDefault(reason, "发布"))
	return res, err
}

// Suspend stops applications to a published listing (暂停), keeping it visible.
func (s *Service) Suspend(ctx context.Context, r identity.Request, id int64, version int, reason string) (*tongban.Listing, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, tongban.FieldError("reason", "请说明暂停的原因")
	}
	var out *tongban.Listing
	err := s.changeStatus(ctx, r, id, version, func(tx tongban.Store, l *tongban.Listing) error {
		if l.Status != tongban.ListingPublished {
			return tongban.Errorf(tongban.EConflict, "只有已发布的清单可以暂停，当前为%s", l.Status.Label())
		}
		if _, err := s.reviewDecide(ctx, tx, r, l, tongban.ProposeToSuspend); err != nil {
			return err
		}
		l.Status, out = tongban.ListingSuspended, l
		return nil
	}, AuditSuspend, reason)
	return out, err
}

// Withdraw takes a listing out of service (撤销); cases keep their version.
func (s *Service) Withdraw(ctx context.Context, r identity.Request, id int64, version int, reason string) (*tongban.Listing, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, tongban.FieldError("reason", "请说明撤销的原因")
	}
	var out *tongban.Listing
	err := s.changeStatus(ctx, r, id, version, func(tx tongban.Store, l *tongban.Listing) error {
		if l.Status == tongban.ListingWithdrawn {
			return tongban.Errorf(tongban.EConflict, "实施清单已撤销")
		}
		if l.Status == tongban.ListingPublished {
			if _, err := s.reviewDecide(ctx, tx, r, l, tongban.ProposeToWithdraw); err != nil {
				return err
			}
		}
		l.Status, out = tongban.ListingWithdrawn, l
		return nil
	}, AuditWithdraw, reason)
	return out, err
}

// changeStatus loads the listing, checks the publish permission over its org
// and the expected version, lets change decide, and stores the result as a
// new version with an audit entry.
func (s *Service) changeStatus(ctx context.Context, r identity.Request, id int64, version int,
	change func(tx tongban.Store, l *tongban.Listing) error, action, reason string) error {
	return s.Store.Transact(ctx, func(tx tongban.Store) error {
		l, err := tx.Listing(ctx, id)
		if err != nil {
			return err
		}
		if err := s.requireOrg(ctx, tx, r, identity.PermCatalogPublish, l.OrgID); err != nil {
			return err
		}
		if version != 0 && version != l.Version {
			return &tongban.Error{Code: tongban.EConflict, Field: "version",
				Message: "实施清单已被他人修改（当前为第" + itoa(l.Version) + "版），请刷新后重试"}
		}
		if err := change(tx, l); err != nil {
			return err
		}
		l.UpdatedAt = s.Clock.Now()
		if err := tx.UpdateListing(ctx, l); err != nil {
			return err
		}
		if err := s.snapshot(ctx, tx, r, l, reason); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, action, listingObject(l.ID), "第"+itoa(l.Version)+"版："+reason)
	})
}

func orDefault(s, def string) string {
	if s = strings.TrimSpace(s); s == "" {
		return def
	}
	return s
}
