package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// Upload records: the daily sum, the sweep's candidates, and whether a file
// is still in use (named by a case, or uploaded again within the grace).
func TestUploadRecords(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		hash := func(c string) string { return "sha256:" + strings.Repeat(c, 64) }
		for _, up := range []tongban.Upload{{Hash: hash("a"), Size: 10, At: t0}, {Hash: hash("b"), Size: 20, At: t0},
			{Hash: hash("c"), Size: 30, At: t0}, {Hash: hash("c"), Size: 30, At: t0.Add(6 * 24 * time.Hour)}} {
			up.AccountID = u.ID
			if err := st.RecordUpload(ctx, &up); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := st.UploadedBytes(ctx, u.ID, t0); err != nil || n != 90 {
			t.Errorf("uploaded since t0 = %d, %v; want 90", n, err)
		}
		if n, _ := st.UploadedBytes(ctx, u.ID, t0.Add(time.Hour)); n != 30 {
			t.Errorf("uploaded since t0+1h = %d; want 30", n)
		}
		c := newCase(dept, u, "511602000000-20260302-000001", "k")
		c.Materials[0].BlobHash = hash("a")
		c.UpdatedAt = t0.Add(time.Hour)
		if err := st.CreateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		cutoff := t0.Add(24 * time.Hour) // 8 days on, with a 7-day grace
		old, err := st.UnsweptUploads(ctx, cutoff, 10)
		if err != nil || len(old) != 3 {
			t.Fatalf("unswept before the cutoff: %d, %v; want 3", len(old), err)
		}
		for _, tc := range []struct {
			hash string
			want bool
		}{{hash("a"), true}, {hash("b"), false}, {hash("c"), true}} {
			if got, err := st.UploadInUse(ctx, tc.hash, t0, cutoff); err != nil || got != tc.want {
				t.Errorf("in use %s = %v, %v; want %v", tc.hash[:8], got, err, tc.want)
			}
		}
		if err := st.MarkUploadsSwept(ctx, []int64{old[0].ID, old[1].ID, old[2].ID}); err != nil {
			t.Fatal(err)
		}
		if left, _ := st.UnsweptUploads(ctx, cutoff, 10); len(left) != 0 {
			t.Errorf("after marking: %d unswept", len(left))
		}
	})
}
