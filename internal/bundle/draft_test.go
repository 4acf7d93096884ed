package bundle_test

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A draft of the published 新生儿出生 waits beside the live version: a
// department admin (catalog.edit) saves it and applicants keep the live
// one (Published, Checklist, Apply); a stale draft is refused; publishing
// needs catalog.publish and the check, and replaces the live version with
// a new one while the application keeps its version; discarding a later
// draft leaves the live one. Both engines.
func TestDraftBesideLiveVersion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWalk(t, loadCity(t, d))
		ctx := context.Background()
		base := w.bundle(t, "YJS-XSECS")
		u, err := w.ids.CreateStaff(ctx, identity.StaffAccount{Username: "wjw-admin", Name: "卫健管理", Password: "Wjw@2026pass!",
			Roles: []tongban.RoleGrant{{Role: tongban.RoleDeptAdmin, OrgID: base.LeadOrgID}}}, identity.Request{IP: "test"})
		if err != nil {
			t.Fatal(err)
		}
		deptAdmin := identity.Request{Actor: u, IP: "127.0.0.1"}
		admin := identity.Request{Actor: w.user(t, "catalog"), IP: "127.0.0.1"}
		unchanged := func(when string, version int, name string) *tongban.Bundle {
			t.Helper()
			got := w.bundle(t, "YJS-XSECS")
			if got.Version != version || got.Status != tongban.BundlePublished || got.Name != name {
				t.Errorf("%s: live version %d %s %q; want %d 已发布 %q", when, got.Version, got.Status, got.Name, version, name)
			}
			return got
		}

		draft := clone(t, base)
		draft.Name, draft.Summary = base.Name+"（新版）", "改写"
		saved, err := w.svc.Save(ctx, deptAdmin, draft)
		if err != nil {
			t.Fatalf("a department admin's draft beside the live version: %v", err)
		}
		live := unchanged("after the draft", base.Version, base.Name)
		if live.Pending == nil || live.Pending.Summary != "改写" || live.PendingRev != saved.PendingRev || live.PendingRev != base.PendingRev+1 {
			t.Fatalf("the pending draft: %+v rev %d (saved %d)", live.Pending, live.PendingRev, saved.PendingRev)
		}
		if _, err := w.st.BundleVersion(ctx, base.ID, base.Version+1); tongban.ErrorCodeOf(err) != tongban.ENotFound {
			t.Errorf("the draft wrote a version: %v", err)
		}
		// Applicants read the live version.
		if p, err := w.svc.Published(ctx, base.ID); err != nil || p.Name != base.Name || p.Summary == "改写" {
			t.Errorf("published for applicants: %+v %v", p, err)
		}
		answers := map[string]string{"hukou": "here", "card": "yes"}
		if cb, _, err := w.svc.Checklist(ctx, base.ID, answers); err != nil || cb.Name != base.Name {
			t.Errorf("the checklist: %+v %v", cb, err)
		}
		app := bundle.Application{BundleID: base.ID, Answers: answers, Channel: tongban.ChannelOnline,
			Form: formOf(t, newbornForm), Materials: materialsOf(t, w, base, answers), IdempotencyKey: "draft-1"}
		bc, _, err := w.svc.Apply(ctx, w.req(w.user(t, "511602199003071232")), app)
		if err != nil || bc.BundleVersion != base.Version || bc.BundleName != base.Name {
			t.Fatalf("applying with a draft pending: %+v %v", bc, err)
		}

		// Another editor who started before the draft: refused, not merged.
		stale := clone(t, base)
		stale.Summary = "另一人的改写"
		if _, err := w.svc.Save(ctx, admin, stale); tongban.ErrorCodeOf(err) != tongban.EConflict {
			t.Errorf("a stale draft: %v", err)
		}
		if _, err := w.svc.Publish(ctx, admin, stale); tongban.ErrorCodeOf(err) != tongban.EConflict {
			t.Errorf("a stale publication: %v", err)
		}
		// Publishing needs catalog.publish, and the check.
		next := clone(t, live.Pending)
		next.Version, next.PendingRev = live.Version, live.PendingRev
		if _, err := w.svc.Publish(ctx, deptAdmin, next); tongban.ErrorCodeOf(err) != tongban.EForbidden {
			t.Errorf("a department admin published: %v", err)
		}
		cyc := clone(t, next)
		cyc.Version, cyc.PendingRev = next.Version, next.PendingRev
		comp, _ := cyc.Component("birth_cert")
		comp.After = []string{"medical"}
		if _, err := w.svc.Publish(ctx, admin, cyc); tongban.ErrorCodeOf(err) != tongban.EInvalid {
			t.Errorf("a failing draft published: %v", err)
		}
		if got := unchanged("after refused publications", base.Version, base.Name); got.Pending == nil || got.Pending.Summary != "改写" || got.PendingRev != live.PendingRev {
			t.Errorf("refusals touched the draft: %+v rev %d", got.Pending, got.PendingRev)
		}

		pub, err := w.svc.Publish(ctx, admin, next)
		if err != nil || pub.Version != base.Version+1 || pub.Status != tongban.BundlePublished {
			t.Fatalf("publishing the draft: %+v %v", pub, err)
		}
		swapped := unchanged("after publishing", base.Version+1, draft.Name)
		if swapped.Pending != nil || swapped.Summary != "改写" {
			t.Errorf("after publishing: pending %+v, summary %q", swapped.Pending, swapped.Summary)
		}
		if p, err := w.svc.Published(ctx, base.ID); err != nil || p.Name != draft.Name {
			t.Errorf("applicants after publishing: %+v %v", p, err)
		}
		if old, err := w.st.BundleVersion(ctx, base.ID, base.Version); err != nil || old.Name != base.Name {
			t.Errorf("the old version: %+v %v", old, err)
		}
		if kept, err := w.st.BundleCaseByNumber(ctx, bc.Number); err != nil || kept.BundleVersion != base.Version {
			t.Errorf("the application's version: %+v %v", kept, err)
		}

		// A later draft, discarded: the live one stays.
		again := clone(t, swapped)
		again.Version, again.PendingRev, again.Summary = swapped.Version, swapped.PendingRev, "再改"
		second, err := w.svc.Save(ctx, deptAdmin, again)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.DiscardDraft(ctx, deptAdmin, base.ID, swapped.Version, swapped.PendingRev); tongban.ErrorCodeOf(err) != tongban.EConflict {
			t.Errorf("a stale discard: %v", err)
		}
		if _, err := w.svc.DiscardDraft(ctx, deptAdmin, base.ID, swapped.Version, second.PendingRev); err != nil {
			t.Fatalf("discard: %v", err)
		}
		if got := unchanged("after discarding", base.Version+1, draft.Name); got.Pending != nil || got.Summary != "改写" {
			t.Errorf("after discarding: pending %+v, summary %q", got.Pending, got.Summary)
		}
		if _, err := w.svc.DiscardDraft(ctx, deptAdmin, base.ID, swapped.Version, second.PendingRev+1); tongban.ErrorCodeOf(err) != tongban.EInvalid {
			t.Errorf("discarding nothing: %v", err)
		}
	})
}
