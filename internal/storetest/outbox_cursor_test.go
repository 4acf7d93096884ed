package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// A consumer's cursor starts where it is first asked for and then reads
// as last set, in a transaction or not; polled outside one once it
// exists, it writes nothing (on SQLite: no write commits).
func TestOutboxCursorPolledWithoutWriting(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
		if cur, err := st.OutboxCursor(ctx, "webhooks", 5); err != nil || cur != 5 {
			t.Fatalf("a new cursor = %d, %v; want 5 (where it starts)", cur, err)
		}
		if err := st.SetOutboxCursor(ctx, "webhooks", 9, at); err != nil {
			t.Fatal(err)
		}
		commits, _ := st.DB().WriteBatches()
		for range 3 {
			if cur, err := st.OutboxCursor(ctx, "webhooks", 5); err != nil || cur != 9 {
				t.Fatalf("polled = %d, %v; want 9 (as set)", cur, err)
			}
		}
		if after, _ := st.DB().WriteBatches(); after != commits {
			t.Errorf("polling an existing cursor committed %d writes, want none", after-commits)
		}
		err := st.Transact(ctx, func(tx tongban.Store) error {
			cur, err := tx.OutboxCursor(ctx, "webhooks", 5)
			if err == nil && cur != 9 {
				t.Errorf("in a transaction = %d; want 9", cur)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
