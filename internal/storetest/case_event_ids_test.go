package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestCaseEventIDsFollowWriteOrder: an event's id is larger than every
// event's written before it, whichever case it belongs to, because the
// statistics and the visit look-up read events after an id. On SQLite the
// store hands the id out itself (case_events has no rowid since migration
// 00066); on PostgreSQL the identity column does. A case's events still
// read back in their order.
func TestCaseEventIDsFollowWriteOrder(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _, u, _ := seedCitizenCase(t, st)
		var cases []*tongban.Case
		var last int64
		written := map[int64][]int64{} // case → its events' ids in seq order
		for i := range 3 {
			number := fmt.Sprintf("511602000000-20260302-00010%d", i)
			c := newCase(dept, u, number, number)
			e := &tongban.CaseEvent{At: t0, ActorID: u.ID, ActorName: "张*", Role: tongban.ActorApplicant,
				Action: tongban.ActionSubmit, To: tongban.CaseSubmitted}
			if err := st.Transact(ctx, func(tx tongban.Store) error {
				return tx.CreateCaseRecording(ctx, c, tongban.CaseRecords{Event: e})
			}); err != nil {
				t.Fatal(err)
			}
			if e.ID <= last {
				t.Errorf("case %d's first event: id %d after %d", i, e.ID, last)
			}
			last = e.ID
			cases = append(cases, c)
			written[c.ID] = append(written[c.ID], e.ID)
		}
		// Later events go to the cases in turn, interleaved as in life.
		for round := range 3 {
			for _, c := range cases[round%2:] {
				e := &tongban.CaseEvent{CaseID: c.ID, At: t0.Add(time.Duration(round+1) * time.Minute),
					ActorName: "李四(clerk1)", Role: tongban.RoleClerk, Action: tongban.ActionAccept,
					From: tongban.CaseSubmitted, To: tongban.CaseAccepted}
				if err := st.AppendCaseEvent(ctx, e); err != nil {
					t.Fatal(err)
				}
				if e.ID <= last || e.Seq != len(written[c.ID])+1 {
					t.Errorf("event of case %d: id %d after %d, seq %d", c.ID, e.ID, last, e.Seq)
				}
				last = e.ID
				written[c.ID] = append(written[c.ID], e.ID)
			}
		}
		for _, c := range cases {
			got, err := st.CaseEvents(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for i, e := range got {
				if e.Seq != i+1 {
					t.Errorf("case %d: event %d has seq %d", c.ID, i, e.Seq)
				}
				ids = append(ids, e.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(written[c.ID]) {
				t.Errorf("case %d: events %v, want %v", c.ID, ids, written[c.ID])
			}
		}
	})
}
