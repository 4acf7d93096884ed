package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tongban/tongban/internal/sqldb"
)

// The horizon of an append-only table (outbox, case_events, rating and
// complaint events) is the highest id below which every id has committed or
// never will. PostgreSQL hands ids out before commit, so a later id may be
// visible before an earlier one.
//
// It used to be found under a SHARE lock (migration 00062), which waits out
// the transactions inserting at that moment, but while it waits every new
// insert queues behind it: ten times a second the publisher stopped every
// submission for about one commit (docs/benchmarks.md, "The outbox's
// horizon without a lock"). Now no lock is taken. One statement reads
// MAX(id) in its snapshot and, after it, the transactions holding a write
// lock on the table (pg_locks). An id up to that MAX which the snapshot
// does not see was handed out, the sequence being monotonic, to a
// transaction that had inserted and not ended when the snapshot was taken;
// it either has ended since (its row is final) or still holds its lock and
// is among those read. So once all of them have ended, MAX(id) is the
// horizon. A later reading of the locks that no longer shows them proves
// that; the reader tries again a few milliseconds later (inserts are the
// end of their transactions, which commit at once) and otherwise keeps the
// candidate for its next call, answering the last proven horizon meanwhile.

// horizonQuery reads a table's MAX(id) and then the virtual transactions
// holding a lock on it that permits writing (any but a reader's
// AccessShareLock): one statement, so the snapshot of the MAX is taken
// before the locks are read.
// The writers come as one text, comma-separated (a virtual transaction id
// reads "3/1234").
const horizonQuery = `SELECT COALESCE((SELECT MAX(id) FROM %[1]s), 0),
	COALESCE((SELECT string_agg(DISTINCT virtualtransaction, ',') FROM pg_locks
		WHERE locktype = 'relation' AND relation = '%[1]s'::regclass AND granted AND mode <> 'AccessShareLock'
		  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())), '')`

// horizonRetries are the waits before reading the locks again when the
// candidate is not yet proven.
var horizonRetries = []time.Duration{time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond}

// horizons keeps, per table, the last proven horizon and the candidates
// still waiting for their writers to end. A Store and its transactions
// share one.
type horizons struct {
	mu     sync.Mutex
	tables map[string]*tableHorizon
}

type tableHorizon struct {
	proven     int64
	candidates []horizonCandidate // increasing max
}

// horizonCandidate: every id up to max is final once none of writers holds
// its lock any more.
type horizonCandidate struct {
	max     int64
	writers []string
}

// maxHorizonCandidates bounds the candidates kept; past it the oldest is
// dropped, which only delays the horizon (a later candidate is never below
// it).
const maxHorizonCandidates = 16

func newHorizons() *horizons { return &horizons{tables: map[string]*tableHorizon{}} }

// observe takes a reading (maxID and the writers holding locks after it)
// and returns the horizon proven so far.
func (h *horizons) observe(table string, maxID int64, writers []string) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.tables[table]
	if t == nil {
		t = &tableHorizon{}
		h.tables[table] = t
	}
	// A writer that held a lock at an earlier reading and holds none now
	// has ended. The newest candidate whose writers have all ended is
	// proven, and every older one (a lower max) with it.
	for i := len(t.candidates) - 1; i >= 0; i-- {
		c := t.candidates[i]
		if !slices.ContainsFunc(c.writers, func(w string) bool { return slices.Contains(writers, w) }) {
			t.proven = max(t.proven, c.max)
			t.candidates = slices.Delete(t.candidates, 0, i+1)
			break
		}
	}
	switch {
	case len(writers) == 0:
		t.proven = max(t.proven, maxID)
		t.candidates = t.candidates[:0]
	case maxID > t.proven && (len(t.candidates) == 0 || t.candidates[len(t.candidates)-1].max < maxID):
		if len(t.candidates) == maxHorizonCandidates {
			t.candidates = slices.Delete(t.candidates, 0, 1)
		}
		t.candidates = append(t.candidates, horizonCandidate{max: maxID, writers: slices.Clone(writers)})
	}
	return t.proven
}

// horizonOf is the highest id of an append-only event table below which
// every id is committed or never will be. table is one of ours, never
// input.
func (s *Store) horizonOf(ctx context.Context, table string) (int64, error) {
	var h int64
	if s.db.Dialect != sqldb.Postgres {
		// One writer at a time: every stored id has committed.
		err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&h)
		return h, classify(err)
	}
	var first int64
	for attempt := 0; ; attempt++ {
		maxID, writers, err := s.readHorizon(ctx, table)
		if err != nil {
			return 0, err
		}
		if attempt == 0 {
			first = maxID
		}
		if h = s.horizons.observe(table, maxID, writers); h >= first || attempt == len(horizonRetries) {
			return h, nil
		}
		select {
		case <-time.After(horizonRetries[attempt]):
		case <-ctx.Done():
			return h, nil
		}
	}
}

// readHorizon takes one reading of table: its MAX(id) and the writers
// holding locks on it after that snapshot. Outside any transaction s is in:
// a transaction's own snapshot would be older than its locks' reading.
func (s *Store) readHorizon(ctx context.Context, table string) (int64, []string, error) {
	var maxID int64
	var writers string
	if err := s.db.QueryRowContext(ctx, fmt.Sprintf(horizonQuery, table)).Scan(&maxID, &writers); err != nil {
		return 0, nil, classify(err)
	}
	if writers == "" {
		return maxID, nil, nil
	}
	return maxID, strings.Split(writers, ","), nil
}
