package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestCaseWithEventsReadsWhatTwoReadsDo: the one-statement read of a case
// and its events gives exactly the case and the events that reading them
// apart gives, for a case with several events, a case with none yet, and
// an unknown number.
func TestCaseWithEventsReadsWhatTwoReadsDo(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		c := newCase(dept, u, "511602000000-20260302-000001", "key-1")
		quiet := newCase(dept, u, "511602000000-20260302-000002", "key-2")
		for _, x := range []*tongban.Case{c, quiet} {
			if err := st.CreateCase(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		for i, e := range []*tongban.CaseEvent{
			{CaseID: c.ID, At: t0, ActorID: u.ID, ActorName: "张*", Role: tongban.ActorApplicant, Action: tongban.ActionSubmit,
				To: tongban.CaseSubmitted, Materials: []string{"m1", "m2"}},
			{CaseID: c.ID, At: t0.Add(time.Minute), ActorName: "李四(clerk1)", Role: tongban.RoleClerk, OrgID: window.ID,
				Action: tongban.ActionRequestCorrection, From: tongban.CaseSubmitted, To: tongban.CaseAwaitingCorrection,
				Reason: "营业执照：已过期", Materials: []string{"m2"}, Facts: &tongban.EventFacts{}},
			{CaseID: c.ID, At: t0.Add(time.Hour), ActorName: "李四(clerk1)", Role: tongban.RoleClerk, OrgID: window.ID,
				Action: tongban.ActionSupplement, From: tongban.CaseAwaitingCorrection, To: tongban.CaseSubmitted, Visit: true},
		} {
			if err := st.AppendCaseEvent(ctx, e); err != nil {
				t.Fatalf("event %d: %v", i, err)
			}
		}

		for _, x := range []*tongban.Case{c, quiet} {
			apart, err := st.CaseByNumber(ctx, x.Number)
			if err != nil {
				t.Fatal(err)
			}
			events, err := st.CaseEvents(ctx, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			together, err := st.CaseByNumberWithEvents(ctx, x.Number)
			if err != nil {
				t.Fatalf("%s: %v", x.Number, err)
			}
			if together.Events == nil || len(together.Events) != len(events) {
				t.Fatalf("%s: %d events read together, %d apart", x.Number, len(together.Events), len(events))
			}
			for i := range events {
				if !reflect.DeepEqual(together.Events[i], events[i]) {
					t.Errorf("%s event %d:\n together %+v\n apart    %+v", x.Number, i, together.Events[i], events[i])
				}
			}
			together.Events = nil
			if !reflect.DeepEqual(together, apart) {
				t.Errorf("%s:\n together %+v\n apart    %+v", x.Number, together, apart)
			}
		}
		if got, _ := st.CaseByNumberWithEvents(ctx, c.Number); len(got.Events) != 3 || got.Events[1].Reason != "营业执照：已过期" || got.Events[2].Seq != 3 {
			t.Errorf("events of %s out of order or wrong: %+v", c.Number, got.Events)
		}
		if _, err := st.CaseByNumberWithEvents(ctx, "511602000000-20260302-999999"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("unknown number: %v", err)
		}
		// Every read gives its connection back (SQLite's pool has 8): more
		// reads than connections, found or not, and some inside a
		// transaction, on the transaction's connection.
		for i := range 20 {
			number := []string{c.Number, quiet.Number, "511602000000-20260302-999999"}[i%3]
			if _, err := st.CaseByNumberWithEvents(ctx, number); err != nil && !tongban.IsCode(err, tongban.ENotFound) {
				t.Fatalf("read %d of %s: %v", i, number, err)
			}
		}
		err := st.Transact(ctx, func(tx tongban.Store) error {
			for range 10 {
				got, err := tx.CaseByNumberWithEvents(ctx, c.Number)
				if err != nil {
					return err
				}
				if len(got.Events) != 3 {
					t.Errorf("in a transaction: %d events, want 3", len(got.Events))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
