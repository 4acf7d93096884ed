package catalog

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// With the publication review on, a published listing changes only with a
// second admin: an edit waits as a pending copy the public does not see
// (no version, the live listing untouched) until someone else publishes
// it, and a suspension or withdrawal waits as a request with its reason.
func TestPublishedListingChangesNeedASecondAdmin(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w, ctx := newWorld(t, d), context.Background()
		second := w.staff(t, "catalog2", tongban.RoleCatalogAdmin, w.city)
		it := w.item(t)
		claimed, err := w.svc.ClaimItem(ctx, w.deptAdmin, it.Code, w.gaq.ID)
		if err != nil {
			t.Fatal(err)
		}
		saved, err := w.svc.SaveListing(ctx, w.deptAdmin, complete(claimed.Listing), "补全")
		if err != nil {
			t.Fatal(err)
		}
		w.svc.Review = true
		if _, err := w.svc.Propose(ctx, w.deptAdmin, saved.Listing.ID, 0, "请审核"); err != nil {
			t.Fatal(err)
		}
		pub, err := w.svc.Publish(ctx, w.catalogAdmin, saved.Listing.ID, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		live := pub.Listing
		versions := func() int {
			vs, err := w.st.ListingVersions(ctx, live.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(vs)
		}
		before := versions()

		// An edit becomes a pending copy; the public keeps the live one.
		edited := *live
		edited.Phone = "0826-2220000"
		res, err := w.svc.SaveListing(ctx, w.deptAdmin, edited, "改咨询电话")
		if err != nil {
			t.Fatal(err)
		}
		p := res.Proposal
		if p == nil || p.Action != tongban.ProposeToEdit || p.Version != live.Version || p.Proposed == nil ||
			p.Proposed.Phone != "0826-2220000" || res.Listing.Version != live.Version || res.Listing.Phone == "0826-2220000" {
			t.Fatalf("saving a published listing under review = %+v (proposal %+v); want a pending edit, the listing unchanged", res.Listing, p)
		}
		public, err := w.svc.Listing(ctx, nil, live.ID)
		if err != nil || public.Phone != live.Phone || public.Version != live.Version || versions() != before {
			t.Fatalf("the public sees %+v, %v (%d versions, had %d); want the live listing, no new version", public, err, versions(), before)
		}
		stored, err := w.st.OpenListingProposal(ctx, live.ID)
		if err != nil || stored.Action != tongban.ProposeToEdit || stored.Proposed == nil || stored.Proposed.Phone != "0826-2220000" {
			t.Fatalf("stored pending edit = %+v, %v", stored, err)
		}
		if got := Changes(*live, *stored.Proposed); len(got) != 1 || got[0] != FieldLabel("phone") || got[0] == "phone" {
			t.Errorf("changes of the pending edit = %v; want only %s", got, FieldLabel("phone"))
		}
		again := edited
		again.Hours = "周一至周五 9:00-17:00"
		if _, err := w.svc.SaveListing(ctx, w.catalogAdmin, again, "再改"); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("a second edit while one is pending: %v; want conflict", err)
		}
		if _, err := w.svc.Publish(ctx, w.deptAdmin, live.ID, 0, ""); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("the proposer, without the publish permission, publishing: %v", err)
		}
		done, err := w.svc.Publish(ctx, w.catalogAdmin, live.ID, live.Version, "审核通过")
		if err != nil || done.Listing.Phone != "0826-2220000" || done.Listing.Version != live.Version+1 ||
			done.Listing.Status != tongban.ListingPublished || !done.Listing.PublishedAt.Equal(live.PublishedAt) {
			t.Fatalf("publishing the pending edit = %+v, %v", done.Listing, err)
		}
		if public, _ := w.svc.Listing(ctx, nil, live.ID); public.Phone != "0826-2220000" || versions() != before+1 {
			t.Errorf("after publishing the public sees phone %q (%d versions)", public.Phone, versions())
		}
		live = done.Listing

		// An admin who may publish does not publish their own edit either.
		edited = *live
		edited.Hours = "周一至周五 9:00-17:00"
		if res, err = w.svc.SaveListing(ctx, w.catalogAdmin, edited, "改办公时间"); err != nil || res.Proposal == nil {
			t.Fatalf("catalog admin's edit = %+v, %v; want pending", res, err)
		}
		if _, err := w.svc.Publish(ctx, w.catalogAdmin, live.ID, 0, ""); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("publishing one's own edit: %v", err)
		}
		if done, err = w.svc.Publish(ctx, second, live.ID, 0, ""); err != nil || done.Listing.Hours != "周一至周五 9:00-17:00" {
			t.Fatalf("the second admin publishing the edit: %+v, %v", done, err)
		}
		live = done.Listing

		// Withdrawing and suspending wait for a second person too.
		if _, err := w.svc.Withdraw(ctx, w.catalogAdmin, live.ID, 0, "事项取消"); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("withdrawing without a request: %v", err)
		}
		if _, err := w.svc.ProposeAction(ctx, w.catalogAdmin, live.ID, 0, tongban.ProposeToWithdraw, " "); !tongban.IsCode(err, tongban.EInvalid) ||
			tongban.AsError(err).Field != "reason" {
			t.Errorf("requesting a withdrawal without a reason: %v", err)
		}
		if _, err := w.svc.ProposeAction(ctx, w.catalogAdmin, live.ID, 0, tongban.ProposeToWithdraw, "事项已被取消"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Withdraw(ctx, w.catalogAdmin, live.ID, 0, "事项已被取消"); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("withdrawing on one's own request: %v", err)
		}
		if _, err := w.svc.Suspend(ctx, second, live.ID, 0, "系统升级"); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("suspending while a withdrawal is requested: %v", err)
		}
		if _, err := w.svc.CloseProposal(ctx, w.catalogAdmin, live.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.ProposeAction(ctx, w.deptAdmin, live.ID, live.Version, tongban.ProposeToSuspend, "系统升级，暂停三天"); err != nil {
			t.Fatal(err)
		}
		if public, _ := w.svc.Listing(ctx, nil, live.ID); public.Status != tongban.ListingPublished {
			t.Errorf("a requested suspension took effect: %s", public.Status)
		}
		sus, err := w.svc.Suspend(ctx, second, live.ID, live.Version, "系统升级，暂停三天")
		if err != nil || sus.Status != tongban.ListingSuspended {
			t.Fatalf("the second admin suspending: %+v, %v", sus, err)
		}
		ps, err := w.st.ListingProposals(ctx, tongban.ProposalFilter{ListingID: live.ID})
		if err != nil || len(ps) != 5 || ps[0].Action != tongban.ProposeToSuspend || ps[0].Status != tongban.ProposalPublished ||
			ps[0].DecidedBy != second.Actor.ID {
			t.Errorf("proposals = %+v, %v; want the suspension decided by the second admin last of five", ps, err)
		}
	})
}
