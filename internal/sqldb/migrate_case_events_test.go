package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestCaseEventsRebuiltInCaseOrder: migration 00066 moves SQLite's
// case_events into (case_id, seq) order without a rowid. Events written
// before it keep their ids, values and order by id, the table still refuses
// to change or lose one, and going down and up again keeps them too.
func TestCaseEventsRebuiltInCaseOrder(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	p, err := db.provider()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 65); err != nil {
		t.Fatal(err)
	}
	// Three cases whose events interleave, as cases' events do in time.
	// The cases' own references are not what is tested: they are written
	// with foreign keys off, on one connection.
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`PRAGMA foreign_keys = OFF`)
	for id := 1; id <= 3; id++ {
		exec(`INSERT INTO cases (id, number, listing_id, listing_version, org_id, region_code, applicant_id,
			applicant_name, channel, state, created_at, updated_at) VALUES ($1, $2, 1, 1, 1, '511602', 1, '张三', 'online', 'submitted',
			CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, id, fmt.Sprintf("2026120600000%d", id))
	}
	order := [][2]int{{1, 1}, {2, 1}, {1, 2}, {3, 1}, {2, 2}, {1, 3}, {3, 2}} // (case, seq) in id order
	for _, e := range order {
		exec(`INSERT INTO case_events (case_id, seq, at, actor_name, role, action, to_state, materials, visit, facts)
			VALUES ($1, $2, CURRENT_TIMESTAMP, '张三', 'applicant', $3, 'submitted', '["m1"]', $4, '{"a":"b"}')`,
			e[0], e[1], fmt.Sprintf("act-%d-%d", e[0], e[1]), e[1] == 2)
	}
	exec(`PRAGMA foreign_keys = ON`)
	conn.Close()

	read := func() []string {
		t.Helper()
		rows, err := db.QueryContext(ctx, `SELECT id, case_id, seq, action, materials, visit, facts FROM case_events ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id, caseID, seq int
			var action, materials, facts string
			var visit bool
			if err := rows.Scan(&id, &caseID, &seq, &action, &materials, &visit, &facts); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(id, caseID, seq, action, materials, visit, facts))
		}
		return out
	}
	before := read()
	if len(before) != len(order) {
		t.Fatalf("before: %d events, want %d", len(before), len(order))
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if after := read(); !slices.Equal(after, before) {
		t.Errorf("after 00066:\n%s\nwant\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
	}
	for _, q := range []string{`UPDATE case_events SET reason = 'x' WHERE case_id = 1`, `DELETE FROM case_events WHERE case_id = 2`} {
		if _, err := db.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "immutable") {
			t.Errorf("%s after 00066: %v; want refused as immutable", q, err)
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO case_events (id, case_id, seq, at, actor_name, role, action, to_state)
		VALUES (3, 3, 3, CURRENT_TIMESTAMP, '张三', 'applicant', 'x', 'submitted')`); err == nil || !IsUniqueViolation(err) {
		t.Errorf("an event under a taken id: %v; want a unique violation", err)
	}
	if _, err := p.DownTo(ctx, 65); err != nil {
		t.Fatal(err)
	}
	if down := read(); !slices.Equal(down, before) {
		t.Errorf("after 00066 down:\n%s", strings.Join(down, "\n"))
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if again := read(); !slices.Equal(again, before) {
		t.Errorf("after 00066 down and up:\n%s", strings.Join(again, "\n"))
	}
}
