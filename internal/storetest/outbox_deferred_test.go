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
