package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestCaseReadWithEventsIsNeverStale: CaseByNumberWithEvents keeps cases
// in memory between reads, yet every read gives what the database holds —
// after an update, after an event is appended, after a caller changed
// the case it got, inside a transaction (its own uncommitted update) and
// after that transaction rolled back.
func TestCaseReadWithEventsIsNeverStale(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		_, _, u, c := seedCitizenCase(t, st)
		appendEvent := func(action tongban.CaseAction, to tongban.CaseState) {
			t.Helper()
			e := &tongban.CaseEvent{CaseID: c.ID, At: t0, ActorID: u.ID, ActorName: "张*", Role: tongban.ActorApplicant,
				Action: action, To: to, Materials: []string{"m1"}}
			if err := st.AppendCaseEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		// same checks that the read equals the case and events read apart.
		same := func(step string) *tongban.Case {
			t.Helper()
			var got *tongban.Case
			for range 2 { // the first may fill the cache, the second read from it
				var err error
				if got, err = st.CaseByNumberWithEvents(ctx, c.Number); err != nil {
					t.Fatalf("%s: %v", step, err)
				}
				apart, err := st.CaseByNumber(ctx, c.Number)
				if err != nil {
					t.Fatal(err)
				}
				events, err := st.CaseEvents(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got.Events, events) {
					t.Fatalf("%s: events %+v, want %+v", step, got.Events, events)
				}
				withoutEvents := *got
				withoutEvents.Events = nil
				if !reflect.DeepEqual(&withoutEvents, apart) {
					t.Fatalf("%s:\n got  %+v\n want %+v", step, &withoutEvents, apart)
				}
			}
			return got
		}
		appendEvent(tongban.ActionSubmit, tongban.CaseSubmitted)
		got := same("submitted")

		// A caller changing what it got does not change the next read.
		got.State, got.Form = tongban.CaseAccepted, []byte(`{"x":1}`)
		got.Materials[0].Status, got.Events[0].ActorName = "changed", "changed"
		got.Events = append(got.Events, &tongban.CaseEvent{Seq: 9})
		if again := same("after a caller changed its copy"); again.State != tongban.CaseSubmitted || len(again.Events) != 1 {
			t.Fatalf("the kept case changed with the caller's copy: %+v", again)
		}

		// An update, then an event alone: each read sees it.
		c = same("before update")
		c.State, c.UpdatedAt = tongban.CaseAccepted, t0.Add(time.Hour)
		if err := st.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got := same("updated"); got.State != tongban.CaseAccepted || got.Version != c.Version {
			t.Fatalf("after update: state %s version %d, want accepted %d", got.State, got.Version, c.Version)
		}
		appendEvent(tongban.ActionAccept, tongban.CaseAccepted)
		if got := same("event appended"); len(got.Events) != 2 {
			t.Fatalf("after an event: %d events, want 2", len(got.Events))
		}

		// Inside a transaction its own update is read; rolled back, the
		// committed case is read again, not the transaction's.
		rollback := errors.New("roll back")
		err := st.Transact(ctx, func(tx tongban.Store) error {
			in, err := tx.CaseByNumberWithEvents(ctx, c.Number)
			if err != nil {
				return err
			}
			in.State, in.Reasons = tongban.CaseRejected, []string{"不予受理"}
			if err := tx.UpdateCase(ctx, in); err != nil {
				return err
			}
			if got, err := tx.CaseByNumberWithEvents(ctx, c.Number); err != nil || got.State != tongban.CaseRejected {
				t.Errorf("inside the transaction: %v, %+v", err, got)
			}
			return rollback
		})
		if !errors.Is(err, rollback) && err != nil && err.Error() != rollback.Error() {
			t.Fatal(err)
		}
		if got := same("rolled back"); got.State != tongban.CaseAccepted || got.Reasons != nil {
			t.Fatalf("after the rollback: %s %v, want accepted", got.State, got.Reasons)
		}
		if _, err := st.CaseByNumberWithEvents(ctx, "511602000000-20260302-999999"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("unknown number: %v", err)
		}
	})
}

// TestKeepCasesBoundsTheCache: KeepCases (--case-cache) sets how many
// cases are kept. With room for one, reading a second case drops the
// first, which is then read from the database again; with room for two,
// both stay. Item names are written once, with the case: one changed
// behind the store's back tells which, since a kept case still shows the
// old one.
func TestKeepCasesBoundsTheCache(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		for size, want := range map[int]string{1: "改名之后", 2: "食品经营许可证核发"} {
			st, ctx := Open(t, d), context.Background()
			st.KeepCases(size)
			dept, _, u, a := seedCitizenCase(t, st)
			b := newCase(dept, u, "511602000000-20260302-000002", "key-2")
			if err := st.CreateCase(ctx, b); err != nil {
				t.Fatal(err)
			}
			for _, c := range []*tongban.Case{a, b} {
				e := &tongban.CaseEvent{CaseID: c.ID, At: t0, ActorID: u.ID, ActorName: "张*", Role: tongban.ActorApplicant,
					Action: tongban.ActionSubmit, To: tongban.CaseSubmitted}
				if err := st.AppendCaseEvent(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range []*tongban.Case{a, b} { // a kept, then b: with room for one, a is dropped
				if _, err := st.CaseByNumberWithEvents(ctx, c.Number); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.DB().Pool().ExecContext(ctx, `UPDATE cases SET item_name = $1 WHERE id = $2`, "改名之后", a.ID); err != nil {
				t.Fatal(err)
			}
			got, err := st.CaseByNumberWithEvents(ctx, a.Number)
			if err != nil {
				t.Fatal(err)
			}
			if got.ItemName != want {
				t.Errorf("room for %d: item name %q, want %q", size, got.ItemName, want)
			}
		}
	})
}
