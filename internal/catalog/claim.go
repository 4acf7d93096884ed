package catalog

import (
	"time"

	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// ClaimItem records that the org claims (认领) the base-catalog item and
// returns its draft listing, seeded from the item and the org's contacts.
// Claiming an item the org already has a listing for returns that listing.
func (s *Service) ClaimItem(ctx context.Context, r identity.Request, itemCode string, orgID int64) (*Result, error) {
	var res *Result
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := s.requireOrg(ctx, tx, r, identity.PermCatalogEdit, orgID); err != nil {
			return err
		}
		item, err := tx.ItemByCode(ctx, itemCode)
		if err != nil {
			return err
		}
		org, err := tx.Org(ctx, orgID)
		if err != nil {
			return err
		}
		if org.Kind != tongban.OrgDepartment {
			return tongban.FieldError("org_id", "只有部门可以认领事项，“%s”是%s", org.Name, org.Kind.Label())
		}
		if _, err := tx.Claim(ctx, item.ID, org.ID); err == nil {
			return &tongban.Error{Code: tongban.EConflict, Field: "item_code", Message: "“" + org.Name + "”已认领事项“" + item.Name + "”"}
		} else if !tongban.IsCode(err, tongban.ENotFound) {
			return err
		}
		now := s.Clock.Now()
		if err := tx.CreateClaim(ctx, &tongban.Claim{ItemID: item.ID, OrgID: org.ID, RegionCode: org.RegionCode,
			ClaimedBy: actorID(r), ClaimedAt: now}); err != nil {
			return err
		}
		existing, err := tx.Listings(ctx, tongban.ListingFilter{ItemID: item.ID, OrgID: org.ID, Limit: 1})
		if err != nil {
			return err
		}
		var l *tongban.Listing
		if len(existing) > 0 {
			l = existing[0]
		} else {
			l = seedListing(item, org, now)
			if err := tx.CreateListing(ctx, l); err != nil {
				return err
			}
			if err := s.snapshot(ctx, tx, r, l, "认领事项，生成草稿"); err != nil {
				return err
			}
		}
		res = &Result{Listing: l, Report: Check(*item, *l)}
		return s.audit(ctx, tx, r, AuditClaim, listingObject(l.ID), org.Name+" 认领 "+item.Code+" "+item.Name)
	})
	return res, err
}

// seedListing drafts a listing from what the item and the org already say;
// the quality report then lists what the admin still has to write.
func seedListing(item *tongban.Item, org *tongban.Org, now time.Time) *tongban.Listing {
	l := &tongban.Listing{
		ItemID: item.ID, ItemCode: item.Code, OrgID: org.ID, OrgName: org.Name, RegionCode: org.RegionCode,
		Code: item.Code + "-" + org.RegionCode + "-" + org.Code, Name: item.Name,
		Status: tongban.ListingDraft, Version: 1, Place: org.Address, Phone: org.Phone, UpdatedAt: now,
	}
	if item.StatutoryDays > 0 {
		// The most the reform allows; admins are expected to promise less.
		l.CaseType, l.PromisedDays = tongban.CasePromised, item.StatutoryDays/2
	}
	return l
}
