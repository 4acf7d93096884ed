package bundle_test

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// The demo bundles are loaded through the import an admin uses and
// published through the quality check: each has at least three components
// in at least two departments, and passes the check as stored.
func TestDemoBundlesPublished(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		c, ctx := loadCity(t, d), context.Background()
		published, err := c.st.Bundles(ctx, tongban.BundleFilter{Status: tongban.BundlePublished})
		if err != nil {
			t.Fatal(err)
		}
		if len(published) != len(demo.BundleCodes) {
			t.Fatalf("%d published bundles, want %d", len(published), len(demo.BundleCodes))
		}
		for _, code := range demo.BundleCodes {
			b := c.bundle(t, code)
			depts := map[int64]bool{}
			for _, comp := range b.Components {
				if comp.ListingID == 0 || comp.OrgID == 0 || comp.Name == "" {
					t.Errorf("%s: component %s not resolved: %+v", code, comp.Key, comp)
				}
				depts[comp.OrgID] = true
			}
			if len(b.Components) < 3 || len(depts) < 2 {
				t.Errorf("%s: %d components in %d departments", code, len(b.Components), len(depts))
			}
			problems, err := c.svc.Check(ctx, b)
			if err != nil || len(problems) != 0 {
				t.Errorf("%s: quality check %v %v", code, problems, err)
			}
			if b.LeadOrgID == 0 || b.Version != 1 || b.PublishedAt.IsZero() {
				t.Errorf("%s: lead %d version %d published %v", code, b.LeadOrgID, b.Version, b.PublishedAt)
			}
		}
		// 开办餐饮店: the licence the company registration issues is not
		// asked of the applicant; the 住所使用证明 is asked once for both
		// the registration and the sign.
		b := c.bundle(t, "YJS-KBCYD")
		ls, err := c.svc.Listings(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		cl, err := bundle.Tailor(b, ls, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := cl.Need("BZ0301"); ok {
			t.Error("营业执照 asked although the registration issues it")
		}
		if n, ok := cl.Need("BZ0306"); !ok || len(n.Components) != 2 {
			t.Errorf("住所使用证明 = %+v", n)
		}
		if cl.Separately <= len(cl.Materials) {
			t.Errorf("merged %d materials of %d asked separately", len(cl.Materials), cl.Separately)
		}
		if len(cl.Components) != 4 || cl.PromisedDays != 1+5 {
			t.Errorf("components %d, promised %d (want 4, 6: registration 1 then 消防 5)", len(cl.Components), cl.PromisedDays)
		}
	})
}
