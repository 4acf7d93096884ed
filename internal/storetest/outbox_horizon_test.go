package storetest

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/sqldb"
)

// openWriter appends an outbox event with subject in a transaction it holds
// open until the returned commit is called; commit returns the
// transaction's error.
func openWriter(t *testing.T, st tongban.Store, scope outbox.Scope, subject string) (commit func() error) {
	t.Helper()
	ctx := context.Background()
	inserted, release, done := make(chan error, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- st.Transact(ctx, func(tx tongban.Store) error {
			err := outbox.Append(ctx, tx, "case.submitted", subject, scope, t0, nil)
			inserted <- err
			if err != nil {
				return err
			}
			<-release
			return nil
		})
	}()
	if err := <-inserted; err != nil {
		t.Fatal(err)
	}
	return func() error { close(release); return <-done }
}

// The outbox's horizon never passes an id whose transaction is still open,
// however many later ids have committed, and it takes no lock that would
// make writers wait: with writers open it answers at once with what is
// proven. A reading that no longer shows the writers of an earlier
// candidate proves it, while newer writers are still open.
func TestOutboxHorizonWaitsOutOpenWriters(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		scope := outbox.Scope{RegionCode: dept.RegionCode, OrgID: dept.ID}
		id := func(subject string) int64 {
			t.Helper()
			var id int64
			if err := st.DB().QueryRowContext(ctx, `SELECT id FROM outbox WHERE subject = $1`, subject).Scan(&id); err != nil {
				t.Fatalf("%s: %v", subject, err)
			}
			return id
		}
		horizon := func() int64 {
			t.Helper()
			h, err := st.OutboxHorizon(ctx, 0)
			if err != nil {
				t.Fatalf("OutboxHorizon: %v", err)
			}
			return h
		}
		if err := outbox.Append(ctx, st, "case.submitted", "case:a", scope, t0, nil); err != nil {
			t.Fatal(err)
		}
		if h := horizon(); h != id("case:a") {
			t.Fatalf("horizon with no writer open = %d, want MAX(id) %d", h, id("case:a"))
		}
		if d == sqldb.SQLite {
			return // one writer at a time: no transaction can hold an id open beside a reader's
		}

		commitB := openWriter(t, st, scope, "case:b") // b, open
		if err := outbox.Append(ctx, st, "case.submitted", "case:c", scope, t0, nil); err != nil {
			t.Fatal(err) // c > b, committed: the old SHARE lock would have made this wait behind a horizon
		}
		withB := horizon()
		if withB != id("case:a") {
			t.Errorf("horizon with b open = %d, want a's %d (c %d committed past it)", withB, id("case:a"), id("case:c"))
		}
		if err := commitB(); err != nil {
			t.Fatal(err)
		}
		commitE := openWriter(t, st, scope, "case:e") // e > c, open
		afterB := horizon()
		if err := commitE(); err != nil {
			t.Fatal(err)
		}
		if b, c, e := id("case:b"), id("case:c"), id("case:e"); withB >= b || afterB < c || afterB >= e {
			t.Errorf("horizons %d (b open) and %d (b committed, e open); ids b %d, c %d, e %d", withB, afterB, b, c, e)
		}
		if h := horizon(); h != id("case:e") {
			t.Errorf("horizon with every writer ended = %d, want e's %d", h, id("case:e"))
		}
	})
}
