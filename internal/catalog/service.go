package catalog

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// Service keeps the catalog: claims, edits with versions, the publish gate,
// reports and imports. Every change is one transaction that writes the new
// state, its immutable version snapshot and an audit entry. A Request
// without an actor is the system (CLI import, demo loader).
type Service struct {
	Store tongban.Store
	Clock tongban.Clock
	// Review turns on the publication review (review.go): publishing needs
	// a proposal by one admin and the publish by another.
	Review bool
}

// Audit actions of the catalog.
const (
	AuditClaim    = "catalog_claim"
	AuditSave     = "listing_save"
	AuditPublish  = "listing_publish"
	AuditSuspend  = "listing_suspend"
	AuditWithdraw = "listing_withdraw"
	AuditImport   = "catalog_import"
	AuditOrg      = "org_create"
)

// Result is a listing after a change, with its quality report: errors that
// block publishing and warnings the admin should see.
type Result struct {
	Listing *tongban.Listing `json:"listing"`
	Report  Report           `json:"report"`
	// Proposal is the pending edit a save of a published listing became
	// under the publication review; Listing is then still the live one.
	Proposal *tongban.ListingProposal `json:"proposal,omitempty"`
}

// QualityError is the report of a listing refused for its errors; it rides
// inside an EInvalid *tongban.Error so interfaces can list every issue.
type QualityError struct{ Report Report }

func (e *QualityError) Error() string { return fmt.Sprintf("%d项质量错误", e.Report.Errors()) }

// refuse returns EInvalid naming every error of rep.
func refuse(what string, rep Report) error {
	var msgs []string
	for _, i := range rep.Issues {
		if i.Severity == SeverityError {
			msgs = append(msgs, i.Message)
		}
	}
	return &tongban.Error{Code: tongban.EInvalid, Err: &QualityError{Report: rep},
		Message: fmt.Sprintf("%s：清单有%d项错误——%s", what, len(msgs), strings.Join(msgs, "；"))}
}

func (s *Service) authz(st tongban.Store) identity.Authorizer { return identity.Authorizer{Orgs: st} }

// requireOrg checks perm over the org; the system may do anything.
func (s *Service) requireOrg(ctx context.Context, st tongban.Store, r identity.Request, perm identity.Permission, orgID int64) error {
	if r.Actor == nil {
		return nil
	}
	return s.authz(st).RequireOrg(ctx, r.Actor, perm, orgID)
}

// canEdit reports whether the actor may see the org's unpublished listings.
func (s *Service) canEdit(ctx context.Context, actor *tongban.User, orgID int64) bool {
	return actor != nil && s.authz(s.Store).RequireOrg(ctx, actor, identity.PermCatalogEdit, orgID) == nil
}

func (s *Service) audit(ctx context.Context, tx tongban.Store, r identity.Request, action, object, detail string) error {
	e := &tongban.AuditEntry{At: s.Clock.Now(), Actor: "系统", Action: action, Object: object, Detail: detail, IP: r.IP}
	if r.Actor != nil {
		e.ActorID, e.Actor = r.Actor.ID, r.Actor.Name
		if r.Actor.Username != "" {
			e.Actor += "(" + r.Actor.Username + ")"
		}
	}
	return audit.Append(ctx, tx, e)
}

func listingObject(id int64) string { return "listing:" + strconv.FormatInt(id, 10) }

func actorID(r identity.Request) int64 {
	if r.Actor == nil {
		return 0
	}
	return r.Actor.ID
}

// Listing returns a listing as the actor may see it: applicants and the
// public see only published ones; anything else is "not found" to them, so
// drafts do not leak by id.
func (s *Service) Listing(ctx context.Context, actor *tongban.User, id int64) (*tongban.Listing, error) {
	l, err := s.Store.Listing(ctx, id)
	if err != nil {
		return nil, err
	}
	if l.Status != tongban.ListingPublished && !s.canEdit(ctx, actor, l.OrgID) {
		return nil, tongban.Errorf(tongban.ENotFound, "实施清单 %d 不存在", id)
	}
	return l, nil
}

// Listings lists listings as Listing shows them one by one: published
// ones to everybody, the others only to those who may edit them.
func (s *Service) Listings(ctx context.Context, actor *tongban.User, f tongban.ListingFilter) ([]*tongban.Listing, int, error) {
	if actor == nil || s.authz(s.Store).Require(actor, identity.PermCatalogEdit) != nil {
		f.Status = tongban.ListingPublished
	} else {
		sc, err := s.authz(s.Store).Scope(ctx, actor, identity.PermCatalogEdit)
		if err != nil {
			return nil, 0, err
		}
		f.Unpublished = &sc
	}
	ls, err := s.Store.Listings(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	n, err := s.Store.CountListings(ctx, f)
	return ls, n, err
}

// History returns a listing's versions, newest first; only those who may
// edit the listing see its drafts' history.
func (s *Service) History(ctx context.Context, r identity.Request, id int64) ([]*tongban.ListingVersion, error) {
	l, err := s.Store.Listing(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if err := s.requireOrg(ctx, s.Store, r, identity.PermCatalogEdit, l.OrgID); err != nil {
		return nil, err
	}
	return s.Store.ListingVersions(ctx, id)
}

// Checklist is 一次性告知 for one applicant: the listing's materials and
// conditions tailored by the answers to its situations. version 0 means the
// current listing; a case passes the version it applied under.
func (s *Service) Checklist(ctx context.Context, actor *tongban.User, id int64, version int, answers map[string]string) (*Checklist, error) {
	l, err := s.Listing(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != l.Version {
		if l, err = s.Store.ListingVersion(ctx, id, version); err != nil {
			return nil, err
		}
	}
	ms, conds, err := Tailor(*l, answers)
	if err != nil {
		return nil, err
	}
	return &Checklist{ListingID: l.ID, Version: l.Version, Materials: ms, Conditions: conds}, nil
}

// Checklist is the tailored material list of one applicant.
type Checklist struct {
	ListingID  int64              `json:"listing_id"`
	Version    int                `json:"version"`
	Materials  []tongban.Material `json:"materials"`
	Conditions []string           `json:"conditions"`
}

// itemOf loads the item a listing belongs to.
func itemOf(ctx context.Context, st tongban.Store, l *tongban.Listing) (*tongban.Item, error) {
	if l.ItemID != 0 {
		return st.Item(ctx, l.ItemID)
	}
	return st.ItemByCode(ctx, l.ItemCode)
}

// snapshot writes the immutable version of l as it now stands.
func (s *Service) snapshot(ctx context.Context, tx tongban.Store, r identity.Request, l *tongban.Listing, reason string) error {
	v := tongban.NewListingVersion(*l, actorID(r), s.Clock.Now(), reason)
	return tx.InsertListingVersion(ctx, &v)
}

func itoa(n int) string { return strconv.Itoa(n) }

// eachListing pages through every listing matching f, so reports never ask
// the store for more than one page at a time.
func eachListing(ctx context.Context, st tongban.Store, f tongban.ListingFilter, fn func(*tongban.Listing) error) error {
	const page = 1000
	f.Limit = page
	for f.Offset = 0; ; f.Offset += page {
		ls, err := st.Listings(ctx, f)
		if err != nil {
			return err
		}
		for _, l := range ls {
			if err := fn(l); err != nil {
				return err
			}
		}
		if len(ls) < page {
			return nil
		}
	}
}
