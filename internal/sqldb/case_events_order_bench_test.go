package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkCaseEventsOrder reads a case with its events, as every view of a
// case does, from case_events kept by id (migration 65) and by case
// (migration 66), in a database of 20,000 cases whose events were written
// in four waves over them, interleaved as cases' events are in time (a
// case has 1 to 4 events, 3.25 on average), by 16 goroutines per core
// (32 on this project's 2-core machines) sharing the pool, as the server's
// requests do:
//
//	go test ./internal/sqldb -run '^$' -bench CaseEventsOrder -cpu 2
func BenchmarkCaseEventsOrder(b *testing.B) {
	for _, side := range []struct {
		name    string
		version int64
	}{{"by-id", 65}, {"by-case", 66}} {
		b.Run(side.name, func(b *testing.B) {
			ctx := context.Background()
			db := caseEventsFixture(b, side.version, 20000)
			const q = `SELECT c.*, e.* FROM (SELECT * FROM cases WHERE number = $1) c
				JOIN case_events e ON e.case_id = c.id ORDER BY e.seq`
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				rng := rand.New(rand.NewPCG(rand.Uint64(), 0))
				var vals []any
				for pb.Next() {
					rows, err := db.Pool().QueryContext(ctx, q, caseNumber(1+rng.IntN(20000)))
					if err != nil {
						b.Error(err)
						return
					}
					if vals == nil {
						cols, _ := rows.Columns()
						vals = make([]any, len(cols))
						for i := range vals {
							vals[i] = new(sql.RawBytes)
						}
					}
					n := 0
					for rows.Next() {
						if err := rows.Scan(vals...); err != nil {
							b.Error(err)
						}
						n++
					}
					rows.Close()
					if n == 0 {
						b.Error("a case without events")
						return
					}
				}
			})
		})
	}
}

func caseNumber(i int) string { return fmt.Sprintf("511602000000-20260302-%06d", i) }

// caseEventsFixture is a database migrated to version with n cases and
// their events, written as BenchmarkCaseEventsOrder says. The cases' own
// references are not what is read: they are written with foreign keys off.
func caseEventsFixture(b *testing.B, version int64, n int) *DB {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "t.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	p, err := db.provider()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		b.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	exec := func(q string, args ...any) {
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	exec(`PRAGMA foreign_keys = OFF`)
	defer exec(`PRAGMA foreign_keys = ON`)
	exec(`BEGIN`)
	form := `{"enc":"` + strings.Repeat("A", 600) + `"}`
	materials := `[` + strings.Repeat(`{"key":"m1","name":"营业执照","status":"provided","blob_hash":"5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d"},`, 3) +
		`{"key":"m4","name":"食品安全管理制度","status":"provided"}]`
	for i := 1; i <= n; i++ {
		exec(`INSERT INTO cases (id, number, listing_id, listing_version, org_id, region_code, applicant_id,
			applicant_name, channel, state, form, materials, created_at, updated_at)
			VALUES ($1, $2, 1, 1, 1, '511602000000', $3, '张三', 'online', 'submitted', $4, $5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
			i, caseNumber(i), 1+i%5000, form, materials)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	seq := make([]int, n+1)
	id := 0
	for wave := range 4 {
		for _, c := range rng.Perm(n) {
			if wave > 0 && rng.IntN(4) == 0 {
				continue
			}
			id++
			seq[c+1]++
			exec(`INSERT INTO case_events (id, case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state,
				to_state, step, reason, materials, visit, facts)
				VALUES ($1, $2, $3, CURRENT_TIMESTAMP, 1, '李四(clerk1)', 'staff', 1, 'accept', 'submitted', 'accepted', 0,
				'材料齐全，予以受理', '["m1","m2","m3","m4"]', FALSE,
				'{"region_code":"511602000000","org_id":1,"channel":"online","listing_id":1,"item_name":"食品经营许可证核发"}')`,
				id, c+1, seq[c+1])
		}
	}
	// No ANALYZE, as in Tongban's own databases: this SQLite is built with
	// STAT4, and with its statistics every statement comparing a parameter
	// to an indexed column is compiled again whenever the parameter changes
	// (five times the read's cost here).
	exec(`COMMIT`)
	return db
}
