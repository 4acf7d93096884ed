package storetest

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestVisitLogWritesEveryVisit: visits opened together through the log
// answer once queued, without waiting for their write; Flush returns once
// those queued before it are stored, and Stop stores the rest: each visit
// once, with what it showed, with several writers; after Stop, visits are
// written one by one.
func TestVisitLogWritesEveryVisit(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, face := storedFaceLink(t, st)
		log := license.StartVisitLog(st, 4, license.VisitLinger, slog.New(slog.DiscardHandler)) // several writers, as on PostgreSQL
		open := func(n int) {
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					v, err := license.OpenLink(ctx, st, log, face.Token, t0)
					if err == nil && v.Verification.Verdict != license.VerdictValid {
						t.Errorf("visit %d showed %s", i, v.Verification.Verdict)
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("visit %d: %v", i, err)
				}
			}
		}
		stored := func() []*tongban.LicenseVisit {
			got, err := st.LicenseVisits(ctx, l.ID, 1000)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		const visits = 60
		open(visits / 2)
		if err := log.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if got := stored(); len(got) != visits/2 {
			t.Fatalf("%d visits stored after Flush, want %d", len(got), visits/2)
		}
		open(visits / 2)
		log.Stop() // the pages did not wait; Stop drains the queue
		if got := stored(); len(got) != visits {
			t.Fatalf("%d visits stored after Stop, want %d", len(got), visits)
		}
		if _, err := license.OpenLink(ctx, st, log, face.Token, t0); err != nil {
			t.Fatalf("a visit after Stop: %v", err)
		}
		got := stored()
		if len(got) != visits+1 {
			t.Fatalf("%d visits stored, want %d", len(got), visits+1)
		}
		ids := map[int64]bool{}
		for _, v := range got {
			if ids[v.ID] || v.Outcome != license.VerdictValid || v.LinkID != face.ID {
				t.Fatalf("visit stored wrong or twice: %+v", v)
			}
			ids[v.ID] = true
		}
	})
}

// TestRecordLicenseVisitsInOneStatement: a batch of visits — of two
// links, with different outcomes and times — is stored row by row as
// RecordLicenseVisit stores one; an empty batch stores nothing.
func TestRecordLicenseVisitsInOneStatement(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, face := storedFaceLink(t, st)
		if err := st.RecordLicenseVisits(ctx, nil); err != nil {
			t.Fatal(err)
		}
		batch := []*tongban.LicenseVisit{
			{LinkID: face.ID, LicenseID: l.ID, Kind: tongban.LinkFace, Outcome: license.VerdictValid, At: t0},
			{LinkID: face.ID, LicenseID: l.ID, Kind: tongban.LinkFace, Outcome: "已注销", At: t0.Add(time.Second)},
			{LinkID: face.ID, LicenseID: l.ID, Kind: tongban.LinkFace, Outcome: "签名核验不通过", At: t0.Add(2 * time.Second)},
		}
		if err := st.RecordLicenseVisits(ctx, batch); err != nil {
			t.Fatal(err)
		}
		got, err := st.LicenseVisits(ctx, l.ID, 10)
		if err != nil || len(got) != len(batch) {
			t.Fatalf("%d visits stored, %v; want %d", len(got), err, len(batch))
		}
		for i, v := range got { // newest first
			want := batch[len(batch)-1-i]
			if v.LinkID != want.LinkID || v.Kind != want.Kind || v.Outcome != want.Outcome || !v.At.Equal(want.At.Truncate(time.Microsecond)) || v.ID == 0 {
				t.Fatalf("visit %d = %+v, want %+v", i, v, want)
			}
		}
	})
}

// TestRecordLicenseVisitsWholeOrNone: a batch wider than the visit log's
// (1,635 parameters, bound in order on SQLite as ?) is stored whole, each
// visit with its values; a batch one of whose visits the database refuses
// (a link that does not exist) stores none of them.
func TestRecordLicenseVisitsWholeOrNone(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, face := storedFaceLink(t, st)
		batch := func(n int) []*tongban.LicenseVisit {
			vs := make([]*tongban.LicenseVisit, n)
			for i := range vs {
				vs[i] = &tongban.LicenseVisit{LinkID: face.ID, LicenseID: l.ID, Kind: tongban.LinkFace,
					Outcome: license.VerdictValid, At: t0.Add(time.Duration(i) * time.Second)}
			}
			return vs
		}
		const n = 256 + 64 + 7
		if err := st.RecordLicenseVisits(ctx, batch(n)); err != nil {
			t.Fatal(err)
		}
		got, err := st.LicenseVisits(ctx, l.ID, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("%d visits stored, want %d", len(got), n)
		}
		for i, v := range got { // newest first
			if want := t0.Truncate(time.Microsecond).Add(time.Duration(n-1-i) * time.Second); !v.At.Equal(want) || v.LinkID != face.ID ||
				v.Kind != tongban.LinkFace || v.Outcome != license.VerdictValid {
				t.Fatalf("visit %d stored as %+v, want at %v", i, v, want)
			}
		}
		refused := batch(300)
		refused[290].LinkID = face.ID + 1000 // no such link
		if err := st.RecordLicenseVisits(ctx, refused); err == nil {
			t.Fatal("a batch with a visit of no link was stored")
		}
		if got, _ := st.LicenseVisits(ctx, l.ID, 1000); len(got) != n {
			t.Fatalf("%d visits stored after the refused batch, want the %d before it", len(got), n)
		}
	})
}

// storedFaceLink is a stored licence and its face link.
func storedFaceLink(t *testing.T, st tongban.Store) (*tongban.License, *tongban.LicenseLink) {
	t.Helper()
	l, _ := storedLicence(t, st)
	face, err := license.FaceLinkOf(context.Background(), st, l, t0)
	if err != nil {
		t.Fatal(err)
	}
	return l, face
}
