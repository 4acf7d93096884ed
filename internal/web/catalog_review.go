package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/identity"
)

// The publication review's pages (catalog.Service.Review): the list of
// open proposals, and on the edit page the proposal with what the viewer
// may do about it.

type catalogProposalsPage struct {
	catalogBase
	Proposals []catalogProposalRow
}

type catalogProposalRow struct {
	catalog.ProposalView
	Proposer string
	Region   string
}

// catalogProposals lists the open proposals of listings the member may
// edit, oldest first, saying which they may publish.
func (w *Web) catalogProposals(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	if !w.Catalog.Review {
		return tongban.Errorf(tongban.ENotFound, "未启用发布审核")
	}
	views, err := w.Catalog.OpenProposals(r.Context(), w.request(r))
	if err != nil {
		return err
	}
	p := catalogProposalsPage{catalogBase: w.catalogBase(rw, r, u, "发布审核", "proposals")}
	for _, v := range views {
		row := catalogProposalRow{ProposalView: v, Proposer: w.staffName(r, v.ProposedBy), Region: v.Listing.RegionCode}
		if reg, err := w.Store.Region(r.Context(), v.Listing.RegionCode); err == nil {
			row.Region = reg.Name
		}
		p.Proposals = append(p.Proposals, row)
	}
	return w.render(rw, r, http.StatusOK, "catalog_proposals", p)
}

// staffName is who a staff member is, for staff pages.
func (w *Web) staffName(r *http.Request, id int64) string {
	if u, err := w.Store.User(r.Context(), id); err == nil {
		return u.Name
	}
	return "#" + strconv.FormatInt(id, 10)
}

// catalogReviewState is the edit page's part of the review.
type catalogReviewState struct {
	Proposal *tongban.ListingProposal
	Proposer string
	// Own: the viewer proposed it; Stale: the listing changed since;
	// CanReviewPublish: the viewer may publish it (or, for a request to
	// suspend or withdraw, do it).
	Own, Stale, CanReviewPublish bool
	// Changes names the fields a pending edit of the published listing
	// changes (the public still sees the live version).
	Changes []string
}

func (w *Web) reviewState(r *http.Request, u *tongban.User, l *tongban.Listing, canPublish bool) (catalogReviewState, error) {
	var s catalogReviewState
	if !w.Catalog.Review {
		return s, nil
	}
	p, err := w.Catalog.OpenProposal(r.Context(), l.ID)
	if err != nil || p == nil {
		return s, err
	}
	s.Proposal, s.Proposer = p, w.staffName(r, p.ProposedBy)
	s.Own, s.Stale = p.ProposedBy == u.ID, p.Version != l.Version
	s.CanReviewPublish = canPublish && !s.Own && !s.Stale
	if p.Action == tongban.ProposeToEdit && p.Proposed != nil {
		s.Changes = catalog.Changes(*l, *p.Proposed)
	}
	return s, nil
}
