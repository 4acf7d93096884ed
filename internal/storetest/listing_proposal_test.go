package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// Publication proposals: one open per listing, closed once, listed newest
// first by listing and status.
func TestListingProposals(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		it := sampleItem()
		if err := st.CreateItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		l := sampleListing(it, dept)
		if err := st.CreateListing(ctx, l); err != nil {
			t.Fatal(err)
		}
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := st.OpenListingProposal(ctx, l.ID); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("no proposal yet: %v", err)
		}
		p := &tongban.ListingProposal{ListingID: l.ID, Version: 1, ProposedBy: u.ID, ProposedAt: t0, Reason: "材料已核对"}
		if err := st.CreateListingProposal(ctx, p); err != nil || p.ID == 0 || p.Status != tongban.ProposalOpen {
			t.Fatalf("create: %+v %v", p, err)
		}
		again := &tongban.ListingProposal{ListingID: l.ID, Version: 1, ProposedBy: u.ID, ProposedAt: t0}
		if err := st.CreateListingProposal(ctx, again); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("second open proposal: %v, want conflict", err)
		}
		got, err := st.OpenListingProposal(ctx, l.ID)
		if err != nil || got.ID != p.ID || got.Version != 1 || got.ProposedBy != u.ID || !got.ProposedAt.Equal(t0.Truncate(time.Microsecond)) ||
			got.Reason != "材料已核对" || got.DecidedBy != 0 || !got.DecidedAt.IsZero() {
			t.Fatalf("open proposal: %+v %v", got, err)
		}
		if err := st.CloseListingProposal(ctx, p.ID, tongban.ProposalOpen, u.ID, t0, ""); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("closing as open: %v", err)
		}
		if err := st.CloseListingProposal(ctx, p.ID, tongban.ProposalReturned, u.ID, t0.Add(3600e9), "收费依据缺文号"); err != nil {
			t.Fatal(err)
		}
		if err := st.CloseListingProposal(ctx, p.ID, tongban.ProposalPublished, u.ID, t0, ""); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("closing twice: %v, want conflict", err)
		}
		// Closed, a new one may be opened.
		p2 := &tongban.ListingProposal{ListingID: l.ID, Version: 2, ProposedBy: u.ID, ProposedAt: t0.Add(7200e9)}
		if err := st.CreateListingProposal(ctx, p2); err != nil {
			t.Fatal(err)
		}
		all, err := st.ListingProposals(ctx, tongban.ProposalFilter{ListingID: l.ID})
		if err != nil || len(all) != 2 || all[0].ID != p2.ID || all[1].Status != tongban.ProposalReturned ||
			all[1].Note != "收费依据缺文号" || all[1].DecidedBy != u.ID || !all[1].DecidedAt.Equal(t0.Add(3600e9).Truncate(time.Microsecond)) {
			t.Fatalf("all: %+v %v", all, err)
		}
		open, err := st.ListingProposals(ctx, tongban.ProposalFilter{Status: tongban.ProposalOpen})
		if err != nil || len(open) != 1 || open[0].ID != p2.ID {
			t.Errorf("open: %+v %v", open, err)
		}
	})
}
