package sqldb

import "github.com/prometheus/client_golang/prometheus"

// WriteBatches reports how many write batches have committed on SQLite
// and how many transactions they carried (group commit, write_batch.go);
// their ratio is the transactions one fsync made durable.
func (db *DB) WriteBatches() (commits, transactions int64) {
	return db.batchCommits.Load(), db.batchActions.Load()
}

// RegisterMetrics adds the write batches' counts to reg (SQLite only;
// PostgreSQL commits on its own).
func (db *DB) RegisterMetrics(reg prometheus.Registerer) {
	if db.Dialect != SQLite {
		return
	}
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "tongban_sqlite_write_commits_total",
			Help: "SQLite write transactions committed, each carrying one or more queued actions (group commit)."},
			func() float64 { c, _ := db.WriteBatches(); return float64(c) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "tongban_sqlite_write_actions_committed_total",
			Help: "Write actions (Transact calls) committed on SQLite; divided by tongban_sqlite_write_commits_total, the actions per fsync."},
			func() float64 { _, n := db.WriteBatches(); return float64(n) }))
}
