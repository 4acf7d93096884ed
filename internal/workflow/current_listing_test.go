package workflow_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// countedListings counts the reads of a listing's current version and item.
type countedListings struct {
	*store.Store
	reads atomic.Int64
}

func (c *countedListings) ListingCurrentVersionWithItem(ctx context.Context, id int64) (int, *tongban.Item, error) {
	c.reads.Add(1)
	return c.Store.ListingCurrentVersionWithItem(ctx, id)
}

// TestSubmissionsRememberTheCurrentListing: submissions take a listing's
// current version and item from memory for CurrentListingTTL, yet none is
// filed under a version superseded meanwhile or an item name changed: the
// case's insert checks both, and the submission is prepared again from the
// database (a suspension refused, a rename carried).
func TestSubmissionsRememberTheCurrentListing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		src := &countedListings{Store: w.st.(*store.Store)}
		wf.Listings = src
		apply := func(key string) (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, Channel: tongban.ChannelOnline,
				Form: form("经营场所", "广安区北辰路12号"), IdempotencyKey: key,
				Materials: append(provided("m1", "m3", "m4", "m6"), eLicence("m2", w.zhang),
					tongban.CaseMaterial{Key: "m5", Status: tongban.MaterialCommitment})})
		}
		reads := func(what string, want int64) {
			t.Helper()
			if got := src.reads.Load(); got != want {
				t.Errorf("%s: %d reads of the current listing, want %d", what, got, want)
			}
		}

		w.clock.Set(at(2026, 3, 2, 9, 0))
		for _, key := range []string{"k1", "k2"} {
			c, err := apply(key)
			if err != nil {
				t.Fatalf("apply %s: %v", key, err)
			}
			if c.ListingVersion != 2 || c.ItemName != "食品经营许可" {
				t.Fatalf("apply %s: version %d, item %s", key, c.ListingVersion, c.ItemName)
			}
		}
		reads("two submissions within the TTL", 1)
		w.clock.Set(at(2026, 3, 2, 9, 0).Add(workflow.CurrentListingTTL))
		if _, err := apply("k3"); err != nil {
			t.Fatal(err)
		}
		reads("a submission CurrentListingTTL later", 2)

		// The item renamed: the remembered name no longer matches at the
		// insert; the case carries the new one.
		it, err := w.st.Item(ctx, w.food.ItemID)
		w.must(err)
		it.Name = "食品经营许可（含仅销售预包装食品备案）"
		w.must(w.st.UpsertItem(ctx, it))
		c, err := apply("k4")
		if err != nil {
			t.Fatalf("after the rename: %v; want a case named %s", err, it.Name)
		}
		if c.ItemName != it.Name {
			t.Fatalf("after the rename the case is named %s, want %s", c.ItemName, it.Name)
		}
		reads("a submission after the rename (the remembered read, then the read again)", 3)

		// Remembered again, then the listing suspended: a new version the
		// memory does not know. The application is refused, not filed
		// under the version remembered.
		if _, err := apply("k5"); err != nil {
			t.Fatal(err)
		}
		l, err := w.st.Listing(ctx, w.food.ID)
		w.must(err)
		l.Status = tongban.ListingSuspended
		w.must(w.st.UpdateListing(ctx, l))
		v := tongban.NewListingVersion(*l, 0, w.clock.Now(), "暂停：系统升级")
		w.must(w.st.InsertListingVersion(ctx, &v))
		w.clock.Set(w.clock.Now().Add(time.Second))
		w.refuse("apply to the suspended listing remembered as published", tongban.EConflict, func() (*tongban.Case, error) {
			return apply("k6")
		}, "暂停")
		n, err := w.st.CountCases(ctx, tongban.CaseFilter{ApplicantID: w.zhang.ID})
		if err != nil || n != 5 {
			t.Errorf("zhang's cases = %d, %v; want the 5 submitted before the suspension", n, err)
		}
	})
}
