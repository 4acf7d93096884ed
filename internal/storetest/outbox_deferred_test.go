package storetest

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/sqldb"
)

// An action's events held back by outbox.Deferred are written in one
// statement at the end of its transaction, in the order appended, each
// with its ID.
func TestDeferredOutboxWritesEventsInOrder(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		scope := outbox.Scope{RegionCode: dept.RegionCode, OrgID: dept.ID}
		err := st.Transact(ctx, func(raw tongban.Store) error {
			tx := outbox.Defer(raw)
			if err := outbox.Append(ctx, tx, "license.issued", "license:1", scope, t0, map[string]string{"n": "1"}); err != nil {
				return err
			}
			if err := outbox.Append(ctx, tx, "case.issue", "case:1", scope, t0, map[string]string{"n": "2"}); err != nil {
				return err
			}
			return tx.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := st.DB().QueryContext(ctx, `SELECT type, payload FROM outbox ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var typ, payload string
			if err := rows.Scan(&typ, &payload); err != nil {
				t.Fatal(err)
			}
			got = append(got, typ+" "+payload)
		}
		if len(got) != 2 || got[0] != `license.issued {"n":"1"}` || got[1] != `case.issue {"n":"2"}` {
			t.Errorf("outbox holds %q; want the licence's event, then the case's", got)
		}
		// IDs are set on the events, ascending in the order given.
		es := []*tongban.OutboxEvent{
			{EventID: outbox.NewEventID(), Type: "case.accept", Subject: "case:2", At: t0, Payload: []byte(`{}`)},
			{EventID: outbox.NewEventID(), Type: "case.approve", Subject: "case:2", At: t0, Payload: []byte(`{}`)},
			{EventID: outbox.NewEventID(), Type: "case.issue", Subject: "case:2", At: t0, Payload: []byte(`{}`)},
		}
		if err := st.AppendOutbox(ctx, es...); err != nil {
			t.Fatal(err)
		}
		if es[0].ID == 0 || es[0].ID >= es[1].ID || es[1].ID >= es[2].ID {
			t.Errorf("IDs %d, %d, %d; want set and ascending", es[0].ID, es[1].ID, es[2].ID)
		}
	})
}

// A Deferred holds audit entries too; Flush queues them and writes the
// events (on PostgreSQL in one statement): both land, in order, and
// nothing is written before Flush.
func TestDeferredWritesAuditAndOutboxTogether(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		scope := outbox.Scope{RegionCode: dept.RegionCode, OrgID: dept.ID}
		count := func(table string) int {
			var n int
			if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		audit0 := count("audit_queue")
		err := st.Transact(ctx, func(raw tongban.Store) error {
			tx := outbox.Defer(raw)
			for _, obj := range []string{"case:1", "case:2"} {
				if err := tx.QueueAudit(ctx, &tongban.AuditEntry{At: t0, Actor: "张三", Action: "case_submit", Object: obj}); err != nil {
					return err
				}
			}
			if err := outbox.Append(ctx, tx, "case.submit", "case:1", scope, t0, map[string]string{"n": "1"}); err != nil {
				return err
			}
			inner := outbox.Defer(tx) // a Deferred inside another flushes into it
			if err := inner.QueueAudit(ctx, &tongban.AuditEntry{At: t0, Actor: "张三", Action: "case_submit", Object: "case:3"}); err != nil {
				return err
			}
			if err := inner.Flush(ctx); err != nil {
				return err
			}
			return tx.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := st.DB().QueryContext(ctx, `SELECT object FROM audit_queue ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var objs []string
		for rows.Next() {
			var o string
			if err := rows.Scan(&o); err != nil {
				t.Fatal(err)
			}
			objs = append(objs, o)
		}
		if len(objs) != audit0+3 || objs[audit0] != "case:1" || objs[audit0+1] != "case:2" || objs[audit0+2] != "case:3" {
			t.Errorf("queued audit %q; want case:1, case:2, case:3 after the %d before", objs, audit0)
		}
		if n := count("outbox"); n != 1 {
			t.Errorf("outbox holds %d rows; want 1", n)
		}
		// Audit entries alone (no event) are queued too.
		if err := st.AppendOutboxAudited(ctx, []*tongban.AuditEntry{{At: t0, Actor: "张三", Action: "x", Object: "case:4"}}); err != nil {
			t.Fatal(err)
		}
		if n := count("audit_queue"); n != audit0+4 {
			t.Errorf("audit queue holds %d; want %d", n, audit0+4)
		}
	})
}
