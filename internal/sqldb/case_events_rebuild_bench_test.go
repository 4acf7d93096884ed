package sqldb

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkCaseEventsRebuild times migration 66 on a database of cases
// (caseEventsFixture's, 3.25 events a case, with the user and the
// organisation the events name, so that every foreign key is checked as in
// a city's database): the one copy of every event a SQLite server makes at
// its first start after upgrading.
//
//	go test ./internal/sqldb -run '^$' -bench CaseEventsRebuild -benchtime 1x -timeout 30m
func BenchmarkCaseEventsRebuild(b *testing.B) {
	for _, cases := range []int{20000, 200000} {
		b.Run(fmt.Sprintf("%d-cases", cases), func(b *testing.B) {
			ctx := context.Background()
			var events int64
			var took time.Duration
			for range b.N {
				b.StopTimer()
				db := caseEventsFixture(b, 65, cases)
				conn, err := db.Conn(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for _, q := range []string{
					`PRAGMA foreign_keys = OFF`,
					`INSERT INTO orgs (id, code, name, kind, region_code) VALUES (1, 'bench', '翠屏区行政审批局', 'department', '511602000000')`,
					`INSERT INTO users (id, kind, name, password_hash, created_at) VALUES (1, 'staff', '李四', '', CURRENT_TIMESTAMP)`,
					`PRAGMA foreign_keys = ON`,
				} {
					if _, err := conn.ExecContext(ctx, q); err != nil {
						b.Fatalf("%s: %v", q, err)
					}
				}
				err = conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_events`).Scan(&events)
				conn.Close()
				if err != nil {
					b.Fatal(err)
				}
				p, err := db.provider()
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				if _, err := p.UpTo(ctx, 66); err != nil {
					b.Fatal(err)
				}
				took += time.Since(start)
			}
			b.ReportMetric(float64(events), "events")
			b.ReportMetric(float64(events)*float64(b.N)/took.Seconds(), "events/s")
		})
	}
}
