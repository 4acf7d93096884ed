package catalog

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// With the publication review on, a department admin proposes a checked
// version and a catalog admin publishes it; the proposer cannot publish
// their own, an edit after proposing needs a new proposal, a reviewer
// returns a proposal with a note, and every step is audited. Off, publish
// works alone as before.
func TestServicePublicationReview(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w, ctx := newWorld(t, d), context.Background()
		it := w.item(t)
		res, err := w.svc.ClaimItem(ctx, w.deptAdmin, it.Code, w.gaq.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Off (the default): proposing is refused, publishing works alone.
		if _, err := w.svc.Propose(ctx, w.deptAdmin, res.Listing.ID, 0, ""); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("propose with the review off: %v", err)
		}
		w.svc.Review = true

		// A draft failing the check cannot be proposed.
		if _, err := w.svc.Propose(ctx, w.deptAdmin, res.Listing.ID, 0, ""); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("proposing an incomplete draft: %v", err)
		}
		saved, err := w.svc.SaveListing(ctx, w.deptAdmin, complete(res.Listing), "补全")
		if err != nil {
			t.Fatal(err)
		}
		l := saved.Listing
		// Publishing without a proposal is refused, even for a catalog admin.
		if _, err := w.svc.Publish(ctx, w.catalogAdmin, l.ID, l.Version, ""); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("publish without a proposal: %v", err)
		}
		if _, err := w.svc.Propose(ctx, w.otherDep, l.ID, l.Version, ""); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("another department proposing: %v", err)
		}
		if _, err := w.svc.Propose(ctx, w.deptAdmin, l.ID, l.Version-1, ""); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("proposing a stale version: %v", err)
		}
		w.clock.Advance(time.Hour)
		p, err := w.svc.Propose(ctx, w.catalogAdmin, l.ID, l.Version, "已核对材料")
		if err != nil || p.Version != l.Version || p.ProposedBy != w.catalogAdmin.Actor.ID || !p.ProposedAt.Equal(w.clock.Now()) {
			t.Fatalf("propose: %+v %v", p, err)
		}
		if _, err := w.svc.Propose(ctx, w.deptAdmin, l.ID, l.Version, ""); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("a second open proposal: %v", err)
		}
		// The proposer cannot publish their own.
		if _, err := w.svc.Publish(ctx, w.catalogAdmin, l.ID, l.Version, ""); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("publishing one's own proposal: %v, want forbidden", err)
		}
		// The department admin sees it but may not publish (no permission);
		// neither may they return it, only withdraw their own.
		views, err := w.svc.OpenProposals(ctx, w.deptAdmin)
		if err != nil || len(views) != 1 || views[0].Own || views[0].CanPublish || views[0].Listing.ID != l.ID {
			t.Fatalf("department admin's proposals: %+v %v", views, err)
		}
		if _, err := w.svc.CloseProposal(ctx, w.deptAdmin, l.ID, "不同意"); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("returning without the publish permission: %v", err)
		}
		if views, _ := w.svc.OpenProposals(ctx, w.otherDep); len(views) != 0 {
			t.Errorf("another department sees %d proposals", len(views))
		}
		// The proposer withdraws; the department admin proposes instead.
		if p, err := w.svc.CloseProposal(ctx, w.catalogAdmin, l.ID, ""); err != nil || p.Status != tongban.ProposalWithdrawn {
			t.Fatalf("withdraw: %+v %v", p, err)
		}
		if _, err := w.svc.Propose(ctx, w.deptAdmin, l.ID, l.Version, "请审核"); err != nil {
			t.Fatal(err)
		}
		views, err = w.svc.OpenProposals(ctx, w.catalogAdmin)
		if err != nil || len(views) != 1 || views[0].Own || !views[0].CanPublish || views[0].Stale {
			t.Fatalf("catalog admin's proposals: %+v %v", views, err)
		}
		// A return needs a note; with one, the proposal is closed.
		if _, err := w.svc.CloseProposal(ctx, w.catalogAdmin, l.ID, " "); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("return without a note: %v", err)
		}
		if p, err := w.svc.CloseProposal(ctx, w.catalogAdmin, l.ID, "收费依据缺文号"); err != nil || p.Status != tongban.ProposalReturned {
			t.Fatalf("return: %+v %v", p, err)
		}
		// Proposed again, then edited: the proposal no longer fits.
		if _, err := w.svc.Propose(ctx, w.deptAdmin, l.ID, l.Version, "已改"); err != nil {
			t.Fatal(err)
		}
		edited := complete(l)
		edited.Phone = "0826-2220000"
		saved, err = w.svc.SaveListing(ctx, w.deptAdmin, edited, "改电话")
		if err != nil {
			t.Fatal(err)
		}
		l = saved.Listing
		if views, _ := w.svc.OpenProposals(ctx, w.catalogAdmin); len(views) != 1 || !views[0].Stale || views[0].CanPublish {
			t.Errorf("stale proposal view: %+v", views)
		}
		if _, err := w.svc.Publish(ctx, w.catalogAdmin, l.ID, l.Version, ""); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("publishing a version not proposed: %v", err)
		}
		if _, err := w.svc.CloseProposal(ctx, w.deptAdmin, l.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Propose(ctx, w.deptAdmin, l.ID, l.Version, "已改电话"); err != nil {
			t.Fatal(err)
		}
		pub, err := w.svc.Publish(ctx, w.catalogAdmin, l.ID, l.Version, "审核通过")
		if err != nil || pub.Listing.Status != tongban.ListingPublished {
			t.Fatalf("publish by the second admin: %+v %v", pub, err)
		}
		all, err := w.st.ListingProposals(ctx, tongban.ProposalFilter{ListingID: l.ID})
		if err != nil || len(all) != 4 || all[0].Status != tongban.ProposalPublished || all[0].DecidedBy != w.catalogAdmin.Actor.ID {
			t.Fatalf("proposals after publishing: %+v %v", all, err)
		}
		if views, _ := w.svc.OpenProposals(ctx, w.catalogAdmin); len(views) != 0 {
			t.Errorf("published proposal still open: %+v", views)
		}
		// Audited: each proposal, withdrawal, return and the publish.
		entries, err := audit.Entries(ctx, w.st, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			if e.Object == listingObject(l.ID) {
				count[e.Action]++
			}
		}
		if count[AuditPropose] != 4 || count[AuditProposalRecall] != 2 || count[AuditProposalReturn] != 1 || count[AuditPublish] != 1 {
			t.Errorf("audit: %v", count)
		}
	})
}
