package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestCaseStoredWithItsFirstEvent: CreateCaseRecording stores the case's
// first event with it (one statement on PostgreSQL, with the records and
// the licences' count too): the event reads back as written, with its case,
// ID and sequence number 1 set; a later event follows it; when the case is
// refused, no event is stored either.
func TestCaseStoredWithItsFirstEvent(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		lic, u := storedLicence(t, st)
		dept, err := st.OrgByCode(ctx, "gaq-scjgj")
		if err != nil {
			t.Fatal(err)
		}
		submitted := func() *tongban.CaseEvent {
			return &tongban.CaseEvent{At: t0, ActorID: u.ID, ActorName: "张*", Role: tongban.ActorApplicant,
				Action: tongban.ActionSubmit, To: tongban.CaseSubmitted, Materials: []string{"m1", "m2"},
				Facts: &tongban.EventFacts{RegionCode: "511602000000", OrgID: dept.ID, Channel: tongban.ChannelOnline}}
		}
		cases := map[string]tongban.CaseRecords{
			"alone":              {},
			"with its records":   {Consents: licenceConsent(lic, u, "511602000000-20260302-000002"), Uses: licenceUse(lic, u, dept, "511602000000-20260302-000002")},
			"with its uses only": {Uses: licenceUse(lic, u, dept, "511602000000-20260302-000003")},
		}
		numbers := map[string]string{"alone": "511602000000-20260302-000001", "with its records": "511602000000-20260302-000002",
			"with its uses only": "511602000000-20260302-000003"}
		for name, rec := range cases {
			c := newCase(dept, u, numbers[name], numbers[name])
			e := submitted()
			rec.Event = e
			if err := st.Transact(ctx, func(tx tongban.Store) error { return tx.CreateCaseRecording(ctx, c, rec) }); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if e.CaseID != c.ID || e.ID == 0 || e.Seq != 1 || c.ID == 0 {
				t.Errorf("%s: event case %d id %d seq %d, case id %d", name, e.CaseID, e.ID, e.Seq, c.ID)
			}
			next := &tongban.CaseEvent{CaseID: c.ID, At: t0.Add(time.Minute), ActorName: "李四(clerk1)", Role: tongban.RoleClerk,
				Action: tongban.ActionAccept, From: tongban.CaseSubmitted, To: tongban.CaseAccepted}
			if err := st.AppendCaseEvent(ctx, next); err != nil || next.Seq != 2 {
				t.Fatalf("%s: the next event: seq %d, %v", name, next.Seq, err)
			}
			got, err := st.CaseEvents(ctx, c.ID)
			if err != nil || len(got) != 2 {
				t.Fatalf("%s: events %d, %v", name, len(got), err)
			}
			want := *e
			want.At = t0.Truncate(time.Microsecond)
			g := *got[0]
			if !g.At.Equal(want.At) {
				t.Errorf("%s: event at %v, want %v", name, g.At, want.At)
			}
			g.At = want.At
			if !reflect.DeepEqual(g, want) {
				t.Errorf("%s: first event\n got %+v\nwant %+v", name, g, want)
			}
		}

		// Refused: the idempotency key again, and a licence revoked since.
		again := newCase(dept, u, "511602000000-20260302-000009", numbers["alone"])
		err = st.Transact(ctx, func(tx tongban.Store) error {
			return tx.CreateCaseRecording(ctx, again, tongban.CaseRecords{Event: submitted()})
		})
		if e := tongban.AsError(err); e.Code != tongban.EConflict || e.Field != "idempotency_key" {
			t.Errorf("the key again = %v; want the idempotency conflict", err)
		}
		if err := st.SetLicenseStatus(ctx, lic.ID, tongban.LicenseRevoked, "吊销", t0); err != nil {
			t.Fatal(err)
		}
		const revoked = "511602000000-20260302-000010"
		err = st.Transact(ctx, func(tx tongban.Store) error {
			return tx.CreateCaseRecording(ctx, newCase(dept, u, revoked, revoked),
				tongban.CaseRecords{Consents: licenceConsent(lic, u, revoked), Event: submitted()})
		})
		if !tongban.LicenceWithdrawn(err) {
			t.Errorf("a revoked licence = %v; want LicenceWithdrawn", err)
		}
		var events int
		if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM case_events`).Scan(&events); err != nil || events != 6 {
			t.Errorf("%d events stored, %v; want the three cases' two each", events, err)
		}
	})
}
