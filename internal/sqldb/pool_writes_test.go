package sqldb

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// A write outside a transaction, run on the pool or with ScanReturning,
// queues for the writer like a Transact and joins its batch: both wait
// behind the held writer (as autocommit statements they would not queue
// at all) and then share one commit.
func TestPoolWritesQueueForTheWriter(t *testing.T) {
	ctx := context.Background()
	db := openKeys(t)
	reg := prometheus.NewRegistry()
	db.RegisterMetrics(reg)
	pool := db.Pool()
	db.writers <- struct{}{}
	held := true
	defer func() {
		if held { // a failed check must not leave Close waiting for the writer
			db.releaseWriter()
		}
	}()
	var wg sync.WaitGroup
	var execErr, scanErr error
	var returned string
	wg.Go(func() { _, execErr = pool.ExecContext(ctx, `INSERT INTO keys (k) VALUES (?)`, "a") })
	eventually(t, "the pool's Exec queued", func() bool { return db.writeWaiting.Load() == 1 })
	wg.Go(func() {
		scanErr = db.ScanReturning(ctx, pool, []any{&returned}, `INSERT INTO keys (k) VALUES (?) RETURNING k`, "b")
	})
	eventually(t, "ScanReturning queued", func() bool { return db.writeWaiting.Load() == 2 })
	if got := committedKeys(t, db); got != "" {
		t.Fatalf("written before the writer was free: %q", got)
	}
	held = false
	db.releaseWriter()
	wg.Wait()
	if execErr != nil || scanErr != nil {
		t.Fatalf("errors: %v, %v", execErr, scanErr)
	}
	if returned != "b" {
		t.Errorf("ScanReturning scanned %q, want b", returned)
	}
	if got := committedKeys(t, db); got != "a,b" {
		t.Errorf("committed %q, want a,b", got)
	}
	commits := counter(t, reg, "tongban_sqlite_write_commits_total")
	actions := counter(t, reg, "tongban_sqlite_write_actions_committed_total")
	if commits != 1 || actions != 2 {
		t.Errorf("%v commits of %v actions, want 1 of 2", commits, actions)
	}
}

// Shrinking the pool gives the held write connection back: held in a
// pool of one, it would leave reads no connection.
func TestShrunkPoolLeavesReadsAConnection(t *testing.T) {
	ctx := context.Background()
	db := openKeys(t)
	if err := db.Transact(ctx, insertKey("a")); err != nil {
		t.Fatal(err)
	}
	if db.writeConn == nil {
		t.Fatal("the write connection is not held after a write")
	}
	db.SetMaxOpenConns(1)
	readCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var n int
	if err := db.QueryRowContext(readCtx, `SELECT COUNT(*) FROM keys`).Scan(&n); err != nil {
		t.Fatalf("read on a pool of one: %v", err)
	}
	if n != 1 {
		t.Errorf("%d rows, want 1", n)
	}
}
