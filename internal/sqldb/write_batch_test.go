package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// queued is one write transaction of a test batch: its fn, and what
// Transact returned or panicked with.
type queued struct {
	fn       func(*sql.Tx) error
	ctx      context.Context
	err      error
	panicked any
	returned atomic.Bool
}

// queue holds the writer while it starts each member's Transact, in
// order, so they queue behind it in that order. The caller lets them run
// (db.releaseWriter) and then waits for every one to return (wait).
func queue(t *testing.T, db *DB, members ...*queued) (wait func()) {
	t.Helper()
	db.writers <- struct{}{}
	var wg sync.WaitGroup
	for i, m := range members {
		wg.Go(func() {
			defer func() { m.panicked = recover() }()
			m.err = m.run(db)
		})
		eventually(t, fmt.Sprintf("member %d queued", i), func() bool { return db.writeWaiting.Load() == int64(i+1) })
	}
	return func() {
		t.Helper()
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatal("a member of the write batch never returned")
		}
	}
}

// runQueued queues the members, lets them run and waits for them.
func runQueued(t *testing.T, db *DB, members ...*queued) {
	t.Helper()
	wait := queue(t, db, members...)
	db.releaseWriter()
	wait()
}

func (m *queued) run(db *DB) error {
	if m.ctx == nil {
		m.ctx = context.Background()
	}
	defer m.returned.Store(true)
	return db.Transact(m.ctx, m.fn)
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
	}
}

func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("%s not in /metrics", name)
	return 0
}

func openKeys(t *testing.T) *DB {
	t.Helper()
	db := openSQLite(t)
	if _, err := db.Exec(`CREATE TABLE keys (k TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func insertKey(k string) func(*sql.Tx) error {
	return func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO keys (k) VALUES (?)`, k)
		return err
	}
}

func committedKeys(t *testing.T, db *DB) string {
	t.Helper()
	var keys sql.NullString
	if err := db.QueryRow(`SELECT group_concat(k, ',') FROM (SELECT k FROM keys ORDER BY k)`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	return keys.String
}

// Transactions queued behind one another share one commit: the second
// sees the first's row inside the transaction while no reader does, and
// the first has not returned; after the commit both are there.
func TestWriteBatchCommitsTogetherAndReturnsAfter(t *testing.T) {
	db := openKeys(t)
	first := &queued{fn: insertKey("a")}
	var inside, outside int
	var firstReturned bool
	second := &queued{fn: func(tx *sql.Tx) error {
		firstReturned = first.returned.Load()
		if err := tx.QueryRow(`SELECT COUNT(*) FROM keys`).Scan(&inside); err != nil {
			return err
		}
		if err := db.QueryRow(`SELECT COUNT(*) FROM keys`).Scan(&outside); err != nil {
			return err
		}
		return insertKey("b")(tx)
	}}
	reg := prometheus.NewRegistry()
	db.RegisterMetrics(reg)
	runQueued(t, db, first, second)
	if first.err != nil || second.err != nil {
		t.Fatalf("errors: %v, %v", first.err, second.err)
	}
	commits, actions := counter(t, reg, "tongban_sqlite_write_commits_total"), counter(t, reg, "tongban_sqlite_write_actions_committed_total")
	if commits != 1 || actions != 2 {
		t.Errorf("/metrics: %v commits of %v actions, want 1 of 2", commits, actions)
	}
	if inside != 1 || outside != 0 || firstReturned {
		t.Errorf("while the second ran: %d rows inside, %d committed, first returned %v; want 1, 0, false", inside, outside, firstReturned)
	}
	if got := committedKeys(t, db); got != "a,b" {
		t.Errorf("committed %q, want a,b", got)
	}
}

// A member that fails or panics rolls back only its own savepoint; the
// others in its batch commit.
func TestWriteBatchMemberFailsAlone(t *testing.T) {
	db := openKeys(t)
	refused := errors.New("refused")
	ok1 := &queued{fn: insertKey("a")}
	fails := &queued{fn: func(tx *sql.Tx) error {
		if err := insertKey("b")(tx); err != nil {
			return err
		}
		return refused
	}}
	panics := &queued{fn: func(tx *sql.Tx) error {
		if err := insertKey("c")(tx); err != nil {
			return err
		}
		panic("member panicked")
	}}
	duplicate := &queued{fn: insertKey("a")} // a constraint error ends only its statement
	ok2 := &queued{fn: insertKey("d")}
	runQueued(t, db, ok1, fails, panics, duplicate, ok2)
	if ok1.err != nil || ok2.err != nil || ok1.panicked != nil || ok2.panicked != nil {
		t.Fatalf("the members that succeeded: %v %v %v %v", ok1.err, ok2.err, ok1.panicked, ok2.panicked)
	}
	if !errors.Is(fails.err, refused) {
		t.Errorf("failing member: %v, want %v", fails.err, refused)
	}
	if panics.panicked != "member panicked" {
		t.Errorf("panicking member: panic %v, err %v", panics.panicked, panics.err)
	}
	if !IsUniqueViolation(duplicate.err) {
		t.Errorf("duplicate: %v, want a unique violation", duplicate.err)
	}
	if got := committedKeys(t, db); got != "a,d" {
		t.Errorf("committed %q, want a,d", got)
	}
	if commits, actions := db.WriteBatches(); commits != 1 || actions != 2 {
		t.Errorf("counted %d commits of %d actions, want 1 of the 2 that succeeded", commits, actions)
	}
}

// When the shared transaction is rolled back as a whole (as SQLite does
// on an interrupted write or an I/O error; here the member ends it
// itself), every member whose work went with it runs again, and each row
// is committed once.
func TestWriteBatchLostRunsMembersAgain(t *testing.T) {
	db := openKeys(t)
	var firstRuns, loserRuns atomic.Int32
	first := &queued{fn: func(tx *sql.Tx) error { firstRuns.Add(1); return insertKey("a")(tx) }}
	loser := &queued{fn: func(tx *sql.Tx) error {
		if loserRuns.Add(1) == 1 {
			_, err := tx.Exec(`ROLLBACK`)
			return err
		}
		return insertKey("b")(tx)
	}}
	last := &queued{fn: insertKey("c")}
	runQueued(t, db, first, loser, last)
	for i, m := range []*queued{first, loser, last} {
		if m.err != nil || m.panicked != nil {
			t.Errorf("member %d: %v, %v", i, m.err, m.panicked)
		}
	}
	if firstRuns.Load() != 2 || loserRuns.Load() != 2 {
		t.Errorf("runs: first %d, loser %d; want 2 and 2", firstRuns.Load(), loserRuns.Load())
	}
	if got := committedKeys(t, db); got != "a,b,c" {
		t.Errorf("committed %q, want a,b,c", got)
	}
}

// A waiter that gives up leaves a stand-in: the member before it, which
// left the batch open for it, still sees its work committed.
func TestWriteBatchWaiterGivingUpLeavesItCommitted(t *testing.T) {
	db := openKeys(t)
	ctx, cancel := context.WithCancel(context.Background())
	first := &queued{fn: insertKey("a")}
	gaveUp := &queued{fn: insertKey("b"), ctx: ctx}
	wait := queue(t, db, first, gaveUp)
	cancel()
	eventually(t, "the cancelled waiter returned", gaveUp.returned.Load)
	db.releaseWriter()
	wait()
	if first.err != nil || !errors.Is(gaveUp.err, context.Canceled) {
		t.Fatalf("errors: %v, %v", first.err, gaveUp.err)
	}
	if got := committedKeys(t, db); got != "a" {
		t.Errorf("committed %q, want a", got)
	}
}

// Under contention every read-modify-write lands exactly once.
func TestWriteBatchNoLostUpdates(t *testing.T) {
	db := openSQLite(t)
	if _, err := db.Exec(`CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)`); err != nil {
		t.Fatal(err)
	}
	const writers, each = 16, 40
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				errs <- db.Transact(context.Background(), func(tx *sql.Tx) error {
					var n int
					if err := tx.QueryRow(`SELECT n FROM counter`).Scan(&n); err != nil {
						return err
					}
					_, err := tx.Exec(`UPDATE counter SET n = ?`, n+1)
					return err
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT n FROM counter`).Scan(&n); err != nil || n != writers*each {
		t.Fatalf("counter %d (%v), want %d", n, err, writers*each)
	}
}

// The write connection keeps its savepoints' sub-journals in memory; the
// pool's reads keep the default (temporary files), also on the write
// connection once it is given back.
func TestWriteConnectionJournalsSavepointsInMemory(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	db.SetMaxOpenConns(3) // the fewest that hold a write connection; none is closed below
	tempStore := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) int {
		var n int
		if err := q.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var inside int
	if err := db.Transact(ctx, func(tx *sql.Tx) error { inside = tempStore(tx); return nil }); err != nil {
		t.Fatal(err)
	}
	if outside := tempStore(db); inside != 2 || outside != 0 {
		t.Errorf("temp_store in a write transaction %d, in a read %d; want 2 (MEMORY) and 0 (DEFAULT)", inside, outside)
	}
	db.writers <- struct{}{}
	db.releaseWriteConn()
	db.releaseWriter()
	open := db.Stats().OpenConnections
	for i := range open { // every connection the pool has, the given-back one among them
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if n := tempStore(c); n != 0 {
			t.Errorf("pooled connection %d of %d: temp_store %d, want 0", i+1, open, n)
		}
	}
}
