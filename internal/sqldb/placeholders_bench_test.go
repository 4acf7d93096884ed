package sqldb

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkRowPlaceholders writes 256 rows of 5 values in one INSERT, its
// parameters numbered ($1 … $1280) or anonymous (?), as the store writes
// the visit log's batches on SQLite (store.writeRow). The driver binds
// each parameter by asking SQLite its name, which SQLite finds by walking
// the statement's list of names: numbered parameters cost n² steps.
//
//	go test ./internal/sqldb -run '^$' -bench RowPlaceholders
func BenchmarkRowPlaceholders(b *testing.B) {
	const rows, cols = 256, 5
	for _, side := range []struct {
		name string
		mark func(i int) string
	}{{"numbered", func(i int) string { return "$" + strconv.Itoa(i) }}, {"anonymous", func(int) string { return "?" }}} {
		b.Run(side.name, func(b *testing.B) {
			ctx := context.Background()
			db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if _, err := db.ExecContext(ctx, `CREATE TABLE visits (id INTEGER PRIMARY KEY, a BIGINT, b BIGINT,
				c TEXT, d TEXT, e TIMESTAMP)`); err != nil {
				b.Fatal(err)
			}
			var q strings.Builder
			q.WriteString(`INSERT INTO visits (a, b, c, d, e) VALUES `)
			args := make([]any, 0, rows*cols)
			for r := range rows {
				if r > 0 {
					q.WriteString(", ")
				}
				q.WriteByte('(')
				for c := range cols {
					if c > 0 {
						q.WriteString(", ")
					}
					q.WriteString(side.mark(len(args) + 1))
					args = append(args, []any{int64(r), int64(r % 7), "face", "valid", "2026-12-06 08:00:00"}[c])
				}
				q.WriteByte(')')
			}
			pool := db.Pool()
			b.ResetTimer()
			for b.Loop() {
				if _, err := pool.ExecContext(ctx, q.String(), args...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*rows), "µs/row")
		})
	}
}
