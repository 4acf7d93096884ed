package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestClaimUnlessClaimed: an import's claim is written once; a second for
// the same item and org writes nothing and leaves the first as it was,
// inside a transaction as the import runs it; a claim by an org that does
// not exist is refused naming the field.
func TestClaimUnlessClaimed(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		it := sampleItem()
		if err := st.CreateItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		first := &tongban.Claim{ItemID: it.ID, OrgID: dept.ID, RegionCode: dept.RegionCode, ClaimedAt: t0}
		err := st.Transact(ctx, func(tx tongban.Store) error {
			created, err := tx.ClaimUnlessClaimed(ctx, first)
			if err != nil || !created || first.ID == 0 {
				t.Fatalf("first claim: created %v, id %d, %v", created, first.ID, err)
			}
			again := &tongban.Claim{ItemID: it.ID, OrgID: dept.ID, RegionCode: dept.RegionCode, ClaimedAt: t0.Add(time.Second)}
			created, err = tx.ClaimUnlessClaimed(ctx, again)
			if err != nil || created || again.ID != 0 {
				t.Fatalf("second claim: created %v, id %d, %v", created, again.ID, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.Claim(ctx, it.ID, dept.ID)
		if err != nil || got.ID != first.ID || !got.ClaimedAt.Equal(t0.Truncate(time.Microsecond)) {
			t.Fatalf("stored claim = %+v, %v; want the first, id %d at %v", got, err, first.ID, t0)
		}
		if cs, err := st.Claims(ctx, tongban.ClaimFilter{ItemID: it.ID}); err != nil || len(cs) != 1 {
			t.Fatalf("claims of the item = %d, %v; want 1", len(cs), err)
		}
		_, err = st.ClaimUnlessClaimed(ctx, &tongban.Claim{ItemID: it.ID, OrgID: dept.ID + 1000, RegionCode: dept.RegionCode, ClaimedAt: t0})
		if e := tongban.AsError(err); e == nil || e.Code != tongban.EInvalid || e.Field != "item_id" {
			t.Fatalf("claim by a missing org: %v, want EInvalid naming item_id", err)
		}
	})
}
